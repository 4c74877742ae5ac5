/**
 * The real @kubernetes/client-node informers (one per kind) against the simulator under churn: their
 * caches end equal to the simulator's state and they see every change event, across forced stream cuts
 * (clean end and socket reset) and a forced 410 relist.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SIM_KINDS, type SimKind } from '../../src/sim/resources.js';
import type { ChangeRecord } from '../../src/sim/startSim.js';
import { InformerSet, kubeConfigFor, sameCache, simCache, startSim, type SimHandle, waitUntil } from '../helpers/sim.js';

const VERB = { ADDED: 'add', MODIFIED: 'update', DELETED: 'delete' } as const;

let sim: SimHandle | undefined;
let informers: InformerSet | undefined;

afterEach(async () => {
  await informers?.stop();
  await sim?.close();
  informers = undefined;
  sim = undefined;
});

function converged(s: SimHandle, inf: InformerSet): boolean {
  return SIM_KINDS.every((k) => sameCache(inf.cache(k), simCache(s, k)));
}

function describeMismatch(s: SimHandle, inf: InformerSet): string {
  return SIM_KINDS.map((k) => `${k}: informer ${inf.cache(k).size} / sim ${simCache(s, k).size}`).join('; ');
}

/** The changes of `kind` with rv in (from, to], as informer callbacks would report them. */
function expected(changes: ChangeRecord[], kind: SimKind, from: number, to = Infinity): string[] {
  return changes.filter((c) => c.kind === kind && c.rv > from && c.rv <= to).map((c) => `${VERB[c.type]} ${c.namespace}/${c.name} ${c.rv}`);
}

function seen(inf: InformerSet, kind: SimKind, from: number, to = Infinity, upTo = inf.events.length): string[] {
  return inf.events.slice(0, upTo).filter((e) => e.kind === kind && Number(e.rv) > from && Number(e.rv) <= to).map((e) => `${e.verb} ${e.key} ${e.rv}`);
}

async function startInformers(s: SimHandle, fastBackoff = true): Promise<{ inf: InformerSet; startRv: Record<string, number> }> {
  const inf = new InformerSet(kubeConfigFor(s.url), SIM_KINDS, { fastBackoff });
  await inf.start();
  await s.waitForWatchers(SIM_KINDS.length);
  const startRv: Record<string, number> = {};
  for (const k of SIM_KINDS) startRv[k] = Number(inf.informers.get(k)!.latestResourceVersion());
  return { inf, startRv };
}

describe('client-node informers against the simulator', () => {
  it('follow churn across clean and reset stream cuts, seeing every change in order and ending equal to the state', async () => {
    sim = await startSim({ scenario: 'seed', seed: 7, podGraceMs: 150 });
    const s = sim;
    const { inf, startRv } = await startInformers(s);
    informers = inf;
    expect(converged(s, inf)).toBe(true);

    s.churn.setRate(400);
    const rv0 = s.resourceVersion();
    await waitUntil(() => s.resourceVersion() > rv0 + 150, 'churn to make changes');
    expect(s.faults.cutWatches('clean')).toBe(SIM_KINDS.length);
    await waitUntil(() => s.resourceVersion() > rv0 + 300, 'more churn');
    await s.waitForWatchers(SIM_KINDS.length);
    expect(s.faults.cutWatches('reset')).toBe(SIM_KINDS.length);
    await waitUntil(() => inf.restarts >= SIM_KINDS.length, `informers to notice the reset (${inf.restarts} restarts)`);
    await waitUntil(() => s.resourceVersion() > rv0 + 450, 'churn after the reset');
    s.churn.stop();
    s.finishTerminating();
    await waitUntil(() => converged(s, inf), `caches to converge (${describeMismatch(s, inf)})`);

    const changes = s.changeLog();
    let total = 0;
    for (const k of SIM_KINDS) {
      const want = expected(changes, k, startRv[k]!);
      total += want.length;
      expect(seen(inf, k, startRv[k]!), `${k} events`).toEqual(want);
    }
    expect(total).toBeGreaterThan(400);
    // Churn exercised the interesting kinds.
    for (const k of ['Pod', 'EndpointSlice', 'Endpoints', 'Ingress', 'Service'] as const) expect(expected(changes, k, startRv[k]!).length, k).toBeGreaterThan(0);
  });

  it('come back after a 503 window and a server restart (connection refused) without missing a change', async () => {
    sim = await startSim({ scenario: 'seed', seed: 13, podGraceMs: 100 });
    const s = sim;
    const { inf, startRv } = await startInformers(s);
    informers = inf;
    s.churn.step(50);
    s.faults.failFor(503, 300);
    s.faults.cutWatches('reset');
    s.churn.step(50);
    await waitUntil(() => inf.errors.some((e) => (e as { statusCode?: number }).statusCode === 503), 'a 503 seen by an informer');
    const restarted = s.faults.restart(300);
    s.churn.step(50);
    await restarted;
    s.churn.step(50);
    s.finishTerminating();
    await waitUntil(() => converged(s, inf), `caches to converge (${describeMismatch(s, inf)})`);
    const changes = s.changeLog();
    for (const k of SIM_KINDS) expect(seen(inf, k, startRv[k]!), `${k} events`).toEqual(expected(changes, k, startRv[k]!));
    expect(inf.errors.some((e) => /fetch failed|terminated|ECONNREFUSED/i.test(String((e as Error)?.message) + String((e as { cause?: Error })?.cause)))).toBe(true);
  });

  for (const expiredWatch of ['stream', 'http'] as const) {
    it(`relist after a forced 410 (${expiredWatch === 'stream' ? 'in-stream ERROR' : 'HTTP 410'}) catches up with changes made while disconnected`, async () => {
      sim = await startSim({ scenario: 'seed', seed: 11, podGraceMs: 100, expiredWatch });
      const s = sim;
      const { inf, startRv } = await startInformers(s, false); // plain makeInformer

      informers = inf;
      s.churn.step(60);
      await waitUntil(() => converged(s, inf), 'caches to converge before the gap');
      const beforeGap = s.resourceVersion();
      const eventsBeforeGap = inf.events.length;

      // Disconnect everyone while requests are held, change things, compact history, let them back in.
      s.faults.pause();
      s.faults.cutWatches('reset');
      await waitUntil(() => inf.restarts >= SIM_KINDS.length, 'informers to notice the reset');
      s.remove('Service', 'default', 'my-app-nodeport');
      s.remove('Pod', 'default', 'my-app-7d9f8c6b5-4xkzq', { gracePeriodSeconds: 0 });
      s.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'late', namespace: 'default' }, spec: { selector: { app: 'my-app' }, ports: [{ port: 81 }] } });
      s.churn.step(40);
      s.finishTerminating();
      s.faults.compact();
      const relistsBefore = inf.events.length;
      s.faults.resume();
      await waitUntil(() => converged(s, inf), `caches to converge after the 410 (${describeMismatch(s, inf)})`);
      expect(inf.events.length).toBeGreaterThan(relistsBefore);

      // Before the gap: every change seen, in order.
      const changes = s.changeLog();
      for (const k of SIM_KINDS) expect(seen(inf, k, startRv[k]!, beforeGap, eventsBeforeGap), `${k} before the gap`).toEqual(expected(changes, k, startRv[k]!, beforeGap));
      // Deletions during the gap reach the informer through the relist diff.
      const deletes = inf.events.filter((e) => e.verb === 'delete').map((e) => `${e.kind} ${e.key}`);
      expect(deletes).toContain('Service default/my-app-nodeport');
      expect(deletes).toContain('Pod default/my-app-7d9f8c6b5-4xkzq');
      expect(inf.cache('Service').has('default/late')).toBe(true);
      // Only the forced reset caused errors (no 410 surfaced as an error).
      for (const err of inf.errors) expect((err as { statusCode?: number }).statusCode).not.toBe(410);
    });
  }
});
