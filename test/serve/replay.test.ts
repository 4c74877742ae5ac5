/**
 * End to end: serve (in-process: real client-node informers, real HistoryWriter on a SQLite file) watches
 * the simulator under churn while faults hit it: an API server outage (connections reset and refused), a
 * burst of HTTP 500s, and a compaction that forces a 410 relist. Afterwards the history, replayed to any
 * instant, must equal the simulator's state at that instant (rebuilt from its change log), or the
 * difference must be covered by a gap record of that kind, or be a change younger than the propagation
 * allowance (reports are stamped when received).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveConfig } from '../../src/config.js';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { HistoryReader, type StoredGap } from '../../src/history/HistoryReader.js';
import { openHistoryDatabase } from '../../src/history/openHistoryDatabase.js';
import { productionDependencies, ServeRuntime } from '../../src/main.js';
import { KINDS, objectKey, type Kind, type KubeObject } from '../../src/model/objects.js';
import { startSim, type ChangeRecord, type SimHandle } from '../../src/sim/startSim.js';
import { jsonLogger } from '../../src/watch/Logger.js';
import { waitFor } from '../watch/waitFor.js';
import { SNAPSHOT_FIELD } from '../../src/model/objects.js';
import { differingKeys, projections, snapshotMismatches } from './historyCompare.js';

/** How long after a change in the simulator the history may still show the previous state. */
const PROPAGATION_MS = 2_000;

let dir: string | undefined;
let sim: SimHandle | undefined;
let rt: ServeRuntime | undefined;

afterEach(async () => {
  await rt?.stop('test end');
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  rt = sim = dir = undefined;
});

/** The simulator's state at successive instants, rebuilt from its change log. */
class StateReplay {
  private readonly state = new Map<Kind, Map<string, KubeObject>>(KINDS.map((k) => [k, new Map()]));
  private next = 0;
  constructor(private readonly log: readonly ChangeRecord[]) {}
  /** Advances to `t` (non-decreasing) and returns the state then. */
  at(t: number): Map<Kind, Map<string, KubeObject>> {
    while (this.next < this.log.length && this.log[this.next]!.at.getTime() <= t) {
      const c = this.log[this.next++]!;
      const m = this.state.get(c.kind as Kind);
      if (!m) continue; // Namespace
      const key = objectKey(c.kind, c.object.metadata);
      if (c.type === 'DELETED') m.delete(key);
      else m.set(key, c.object);
    }
    return this.state;
  }
}

describe('history against the simulator, end to end', () => {
  it('replayed to any instant equals the simulator then, or the difference is covered by a gap', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rt-replay-'));
    const db = join(dir, 'h.db');
    sim = await startSim({ scenario: 'seed', seed: 21, podGraceMs: 300, churn: 40 });
    const s = sim;
    const logs: string[] = [];
    rt = await ServeRuntime.start(serveConfig({ server: s.url, db, listen: '127.0.0.1:0', cluster: 'e2e' }, {}), {
      ...productionDependencies(jsonLogger((l) => logs.push(l))),
      informer: { backoffBaseMs: 100, backoffMaxMs: 1_000 },
      flushIntervalMs: 200,
    });
    const runtime = rt;
    await waitFor(() => runtime.readiness().ready, { what: 'ready', describe: () => runtime.readiness() });
    const readyAt = Date.now();
    const churned = async (n: number) => {
      const rv = s.resourceVersion();
      await waitFor(() => s.resourceVersion() >= rv + n, { what: `${n} more changes` });
    };

    await churned(40);
    // 1. The API server goes away for 1.5 s (connections reset, then refused) while the cluster changes.
    await s.faults.restart(1_500);
    await churned(40);
    await waitFor(() => runtime.readiness().ready, { what: 'recovery after the outage' });
    // 2. Every request answers 500 for 2.5 s; open watches end (cleanly) at the same time.
    s.faults.failFor(500, 2_500);
    s.faults.cutWatches('clean');
    await churned(60);
    // 3. History is compacted while the watches are down: they resume into 410 and relist.
    s.faults.pause();
    s.faults.cutWatches('clean');
    s.churn.step(30);
    s.faults.compact();
    s.faults.resume();
    await churned(40);

    s.churn.stop();
    s.finishTerminating();
    const database = await openHistoryDatabase({ file: db });
    try {
      const reader = new HistoryReader(database);
      await waitFor(() => snapshotMismatches(reader.currentSnapshot('e2e'), s.state()).length === 0, {
        what: 'the history to catch up with the simulator',
        timeoutMs: 45_000,
        describe: () => snapshotMismatches(reader.currentSnapshot('e2e'), s.state()).slice(0, 10),
      });
      const endAt = Date.now();
      expect(await runtime.stop('done')).toBe(0);
      rt = undefined;

      const log = s.changeLog();
      const gaps = await reader.gaps('e2e', new Date(readyAt), new Date(endAt));
      const covered = (kind: Kind, t: number) => gaps.some((g: StoredGap) => (g.kind === kind || g.kind === '*') && g.from.getTime() <= t && t <= g.to.getTime());
      const recentChange = new Map<string, number[]>();
      for (const c of log) {
        const key = objectKey(c.kind, c.object.metadata);
        (recentChange.get(key) ?? recentChange.set(key, []).get(key)!).push(c.at.getTime());
      }
      const changedJustBefore = (key: string, t: number) => (recentChange.get(key) ?? []).some((at) => at <= t && at > t - PROPAGATION_MS);

      // Instants: a 100 ms grid, plus just before and just after the allowance of every change.
      const instants = new Set<number>();
      for (let t = readyAt; t <= endAt; t += 100) instants.add(t);
      for (const c of log) {
        const at = c.at.getTime();
        for (const t of [at - 1, at + PROPAGATION_MS + 1]) if (t >= readyAt && t <= endAt) instants.add(t);
      }
      const replay = new StateReplay(log);
      const uncovered: string[] = [];
      let coveredByGap = 0;
      let differences = 0;
      for (const t of [...instants].sort((a, b) => a - b)) {
        const simState = replay.at(t);
        const stored = reader.snapshotAt('e2e', new Date(t));
        for (const kind of KINDS) {
          const diff = differingKeys(projections(kind, stored[SNAPSHOT_FIELD[kind]]), projections(kind, [...simState.get(kind)!.values()]));
          for (const key of diff) {
            differences++;
            if (changedJustBefore(key, t)) continue;
            if (covered(kind, t)) {
              coveredByGap++;
              continue;
            }
            uncovered.push(`${new Date(t).toISOString()} ${key}`);
          }
        }
      }
      expect(instants.size).toBeGreaterThan(100);
      expect(uncovered.slice(0, 20)).toEqual([]);
      // The faults were real: the history differed from the cluster during them, and gaps say so.
      expect(coveredByGap).toBeGreaterThan(0);
      expect(differences).toBeGreaterThan(coveredByGap);
      for (const kind of KINDS) expect(gaps.some((g) => g.kind === kind), `a gap for ${kind}`).toBe(true);
      expect(logs.some((l) => l.includes('"watch.relisted"'))).toBe(true);
      expect(checkInvariants(database.db)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
