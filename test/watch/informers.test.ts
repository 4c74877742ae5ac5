/**
 * The watcher set with real client-node informers (src/k8s) against the project's simulator, reporting
 * to an in-memory ChangeSink: initial sync and readiness, restarts after a stream reset, a 5xx burst and a
 * forced 410 (relist), the gaps they record, namespace-scoped watching, shutdown (also during back-off),
 * and storage failure. After each fault the sink's live view must end equal to the simulator's state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../src/k8s/loadKubeConfig.js';
import { DEFAULT_INFORMER_OPTIONS, informerStreamFactory } from '../../src/k8s/SupervisedInformer.js';
import { watchedResource } from '../../src/k8s/watchedResources.js';
import { KINDS, objectKey, type Kind } from '../../src/model/objects.js';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { jsonLogger } from '../../src/watch/Logger.js';
import { WatcherSet } from '../../src/watch/WatcherSet.js';
import { RecordingSink } from './RecordingSink.js';
import { waitFor } from './waitFor.js';

let sim: SimHandle | undefined;
let watchers: WatcherSet | undefined;

afterEach(async () => {
  await watchers?.stop().catch(() => {});
  await sim?.close();
  sim = undefined;
  watchers = undefined;
});

interface Started {
  sim: SimHandle;
  sink: RecordingSink;
  set: WatcherSet;
  logs: Record<string, unknown>[];
}

async function start(
  opts: { namespaces?: string[]; churn?: number; backoffMaxMs?: number; stallAfterMs?: number; pageSize?: number; prepare?: (s: SimHandle) => void } = {},
): Promise<Started> {
  sim = await startSim({ scenario: 'seed', seed: 11, podGraceMs: 150, churn: opts.churn ?? 0 });
  opts.prepare?.(sim);
  const sink = new RecordingSink();
  const logs: Record<string, unknown>[] = [];
  const log = jsonLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  const { kc } = loadKubeConfig({ server: sim.url }, { env: {}, home: '/nonexistent', serviceAccountTokenPath: '/nonexistent' });
  watchers = new WatcherSet({
    sink,
    createStream: informerStreamFactory(kc, {
      ...DEFAULT_INFORMER_OPTIONS,
      backoffBaseMs: 50,
      backoffMaxMs: opts.backoffMaxMs ?? 400,
      ...(opts.stallAfterMs ? { stallAfterMs: opts.stallAfterMs } : {}),
      ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
      log,
    }),
    isNamespaced: (k) => watchedResource(k).namespaced,
    namespaces: opts.namespaces ?? [],
    flushIntervalMs: 100,
    log,
  });
  watchers.start();
  return { sim, sink, set: watchers, logs };
}

/** Mismatches between the sink's live objects and the simulator's (key → resourceVersion). */
function mismatches(s: SimHandle, sink: RecordingSink, namespaces: string[] = []): string[] {
  const out: string[] = [];
  const state = s.state();
  for (const kind of KINDS) {
    const want = new Map<string, string | undefined>();
    for (const o of state[kind]) {
      if (namespaces.length && watchedResource(kind).namespaced && !namespaces.includes(o.metadata.namespace ?? '')) continue;
      want.set(objectKey(kind, o.metadata), o.metadata.resourceVersion);
    }
    const got = sink.versions(kind);
    for (const [k, rv] of want) if (got.get(k) !== rv) out.push(`${k}: sim rv ${rv}, sink ${got.has(k) ? `rv ${got.get(k)}` : 'missing'}`);
    for (const k of got.keys()) if (!want.has(k)) out.push(`${k}: in sink, gone from sim`);
  }
  return out;
}

async function settle(st: Started, namespaces: string[] = []): Promise<void> {
  st.sim.churn.stop();
  st.sim.finishTerminating();
  await waitFor(() => mismatches(st.sim, st.sink, namespaces).length === 0, {
    what: 'the sink to equal the simulator',
    timeoutMs: 45_000,
    describe: () => mismatches(st.sim, st.sink, namespaces).slice(0, 10),
  });
}

const total = (set: WatcherSet, field: 'restarts' | 'relists' | 'gaps') =>
  Object.values(set.status().kinds).reduce((n, k) => n + k.streams.reduce((m, s) => m + s[field], 0), 0);

describe('watchers against the simulator', () => {
  it('list every kind, turn ready once each first list is flushed, and follow churn to the simulator\'s state', async () => {
    const st = await start({ churn: 30 });
    await waitFor(() => st.set.ready(), { what: 'ready', describe: () => st.set.status() });
    for (const kind of KINDS) {
      expect(st.sink.lists(kind)).toHaveLength(1);
      expect(st.set.status().kinds[kind]?.state).toBe('synced');
    }
    const synced = st.logs.filter((l) => l['event'] === 'kind.synced').map((l) => l['kind']);
    expect(new Set(synced)).toEqual(new Set(KINDS));
    const rv0 = st.sim.resourceVersion();
    await waitFor(() => st.sim.resourceVersion() > rv0 + 40, { what: 'churn' });
    await settle(st);
    expect(st.sink.reports.filter((r) => r.t === 'event').length).toBeGreaterThan(20);
    expect(st.sink.gaps()).toEqual([]);
    expect(total(st.set, 'restarts')).toBe(0);
  });

  it('list in pages (limit/continue), following every continue token to the complete list', async () => {
    const st = await start({ pageSize: 1 });
    await waitFor(() => st.set.ready(), { what: 'ready', describe: () => st.set.status() });
    const state = st.sim.state();
    for (const kind of KINDS) expect(st.sink.lists(kind)[0]?.count, kind).toBe(state[kind].length);
    expect(state.Pod.length).toBeGreaterThan(1);
    expect(mismatches(st.sim, st.sink)).toEqual([]);
  });

  it('restart after the API server drops every connection, record a gap per kind, and end equal', async () => {
    const st = await start({ churn: 30 });
    await waitFor(() => st.set.ready(), { what: 'ready' });
    const cutAt = Date.now();
    // Connections are reset and refused for a while: client-node's informer stops on this for good.
    const down = st.sim.faults.restart(800);
    st.sim.churn.step(20);
    await down;
    await waitFor(() => total(st.set, 'restarts') >= KINDS.length, { what: 'every stream to restart', describe: () => st.set.status() });
    await waitFor(() => st.sink.gaps().length >= KINDS.length, { what: 'gap records', describe: () => st.sink.gaps() });
    for (const kind of KINDS) expect(st.sink.gaps(kind).length, kind).toBeGreaterThanOrEqual(1);
    for (const g of st.sink.gaps()) {
      expect(g.from.getTime()).toBeGreaterThanOrEqual(cutAt - 50);
      expect(g.to.getTime()).toBeGreaterThan(g.from.getTime());
      expect(g.reason).toMatch(/terminated|socket|fetch failed|ECONN|closed/i);
    }
    expect(st.logs.some((l) => l['event'] === 'watch.restart')).toBe(true);
    await settle(st);
  });

  it('recover from a socket reset of every watch stream (seen as an error or a clean end) and end equal', async () => {
    const st = await start({ churn: 30 });
    await waitFor(() => st.set.ready(), { what: 'ready' });
    await st.sim.waitForWatchers(KINDS.length);
    expect(st.sim.faults.cutWatches('reset')).toBe(KINDS.length);
    st.sim.churn.step(20);
    await waitFor(() => st.sim.watcherCount() >= KINDS.length, { what: 'watches to reopen' });
    await settle(st);
    for (const g of st.sink.gaps()) expect(g.to.getTime()).toBeGreaterThan(g.from.getTime());
  });

  it('ride out a burst of HTTP 500s with back-off, then relist and end equal', async () => {
    const st = await start({ churn: 30 });
    await waitFor(() => st.set.ready(), { what: 'ready' });
    const requestsBefore = st.sim.stats().requests;
    st.sim.faults.failFor(500, 1500);
    st.sim.faults.cutWatches('clean');
    st.sim.churn.step(20);
    await waitFor(() => st.sink.gaps().some((g) => /500/.test(g.reason)), { what: 'a gap naming the 500s', describe: () => st.sink.gaps() });
    await settle(st);
    expect(total(st.set, 'restarts')).toBeGreaterThanOrEqual(KINDS.length);
    // Back-off keeps the retries bounded: a few per stream per second, not a tight loop.
    expect(st.sim.stats().requests - requestsBefore).toBeLessThan(KINDS.length * 40);
    for (const g of st.sink.gaps()) expect(g.to.getTime() - g.from.getTime()).toBeLessThan(30_000);
  });

  it('relist after a forced 410, closing objects deleted while the watch was down', async () => {
    const st = await start();
    await waitFor(() => st.set.ready(), { what: 'ready' });
    const s = st.sim;
    // While no watch is open: delete a Service, add one, compact history (the resumed watch gets 410).
    s.faults.pause();
    s.faults.cutWatches('clean');
    s.remove('Service', 'default', 'my-app-nodeport');
    s.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'added-in-gap', namespace: 'default' }, spec: { ports: [{ port: 81 }] } });
    s.faults.compact();
    s.faults.resume();
    await waitFor(() => total(st.set, 'relists') >= 1, { what: 'a relist', describe: () => st.set.status() });
    await settle(st);
    await waitFor(() => st.sink.gaps('Service').length > 0, { what: 'the Service gap (reported once the watch is open again)' });
    expect(st.sink.versions('Service').has('Service/default/my-app-nodeport')).toBe(false);
    expect(st.sink.versions('Service').has('Service/default/added-in-gap')).toBe(true);
    const serviceGaps = st.sink.gaps('Service');
    expect(serviceGaps.length).toBeGreaterThanOrEqual(1);
    expect(serviceGaps.some((g) => /410|relist/.test(g.reason))).toBe(true);
    expect(st.sink.lists('Service').length).toBeGreaterThanOrEqual(2);
    expect(st.logs.some((l) => l['event'] === 'watch.relisted')).toBe(true);
  });

  it('watch only the given namespaces, one stream per namespace, reporting complete lists per kind', async () => {
    const namespaces = ['default', 'kube-public'];
    const st = await start({ namespaces, churn: 20 });
    await waitFor(() => st.set.ready(), { what: 'ready' });
    expect(st.set.status().kinds['Service']?.streams.map((s) => s.namespace)).toEqual(namespaces);
    expect(st.set.status().kinds['IngressClass']?.streams).toHaveLength(1);
    expect(st.sink.versions('Service').has('Service/kube-public/external-webserver-cka03-svcn')).toBe(true);
    st.sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'elsewhere', namespace: 'other' }, spec: { ports: [{ port: 80 }] } });
    st.sim.faults.cutWatches('reset');
    await settle(st, namespaces);
    expect(st.sink.versions('Service').has('Service/other/elsewhere')).toBe(false);
  });

  it('restart a stream whose list hangs (watchdog), then sync once the API server answers again', async () => {
    // Every request is held from the start: the lists never finish on their own.
    const st = await start({ stallAfterMs: 800, prepare: (s) => s.faults.pause() });
    await waitFor(() => st.logs.some((l) => l['event'] === 'watch.restart' && /stalled/.test(String(l['reason']))), {
      what: 'a watchdog restart',
      describe: () => st.set.status(),
    });
    expect(st.set.ready()).toBe(false);
    st.sim.faults.resume();
    await waitFor(() => st.set.ready(), { what: 'ready after the API server answers' });
    await waitFor(() => st.sink.gaps().some((g) => /stalled/.test(g.reason)), { what: 'a gap for the stall' });
  });

  it('open no watch after stop() even when client-node was waiting to reconnect (its own back-off)', async () => {
    const st = await start();
    await waitFor(() => st.set.ready(), { what: 'ready' });
    await st.sim.waitForWatchers(KINDS.length);
    st.sim.faults.cutWatches('clean'); // first clean end: client-node re-watches at once...
    await waitFor(() => st.sim.watcherCount() === KINDS.length, { what: 'watches to reopen' });
    st.sim.faults.cutWatches('clean'); // ...the second, with no event in between, after a 1 s delay
    const streams = () => Object.values(st.set.status().kinds).flatMap((k) => k.streams);
    await waitFor(() => streams().every((s) => s.state === 'reconnecting'), { what: 'every informer to wait before re-watching', describe: streams });
    await st.set.stop();
    watchers = undefined;
    const requests = st.sim.stats().requests;
    // Well past client-node's 1 s reconnect delay: nothing was opened (without the guard one watch per kind would be).
    await new Promise((r) => setTimeout(r, 2500));
    expect(st.sim.watcherCount()).toBe(0);
    expect(st.sim.stats().requests).toBe(requests);
  });

  it('close every watch on stop, including a stream waiting in back-off', async () => {
    const st = await start({ backoffMaxMs: 300 });
    await waitFor(() => st.set.ready(), { what: 'ready' });
    await st.sim.waitForWatchers(KINDS.length);
    st.sim.faults.failFor(503, 60_000);
    st.sim.faults.cutWatches('reset');
    await waitFor(() => total(st.set, 'restarts') >= KINDS.length, { what: 'streams to be in back-off' });
    await st.set.stop();
    watchers = undefined;
    st.sim.faults.clearFailures();
    // Requests already on the wire when stop() ran may still arrive: wait until the count holds still.
    let last = -1;
    await waitFor(
      async () => {
        const now = st.sim.stats().requests;
        const still = now === last;
        last = now;
        if (!still) await new Promise((r) => setTimeout(r, 250));
        return still;
      },
      { what: 'in-flight requests to arrive' },
    );
    // Several back-off periods later, nothing reconnected (client-node would open a watch here, §0.4).
    const requests = st.sim.stats().requests;
    await new Promise((r) => setTimeout(r, 1500));
    expect(st.sim.watcherCount()).toBe(0);
    expect(st.sim.stats().requests).toBe(requests);
  });

  it('stop for good when the sink cannot store: not ready, watches closed, the failure reported', async () => {
    const st = await start({ churn: 30 });
    await waitFor(() => st.set.ready(), { what: 'ready' });
    const failures: unknown[] = [];
    st.set.onFatal((e) => failures.push(e));
    st.sink.failFlushWith(new Error('SQLITE_FULL: database or disk is full'));
    await waitFor(() => failures.length === 1, { what: 'the failure' });
    expect(st.set.ready()).toBe(false);
    await waitFor(() => st.sim.watcherCount() === 0, { what: 'watches to close' });
    expect(st.logs.some((l) => l['event'] === 'ingest.failed' && String(l['error']).includes('SQLITE_FULL'))).toBe(true);
    await expect(st.set.stop()).rejects.toThrow(/SQLITE_FULL/);
  });
});

// Keep the kind list honest: every kind the model keeps is watched.
it('watches every kind the model keeps', () => {
  for (const kind of KINDS as readonly Kind[]) expect(watchedResource(kind).kind).toBe(kind);
});
