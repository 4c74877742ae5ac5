import { afterEach, beforeEach, expect, it } from 'vitest';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { usedBytes } from '../../src/history/pruneHistory.js';
import type { HistoryLocation } from '../../src/history/historyLocation.js';
import { describeBackends, sql } from '../helpers/backends.js';
import { snapshotText } from './snapshotModel.js';
import { at, pod, service, slice, tempDir } from './builders.js';

let tmp: ReturnType<typeof tempDir>;
let w: HistoryWriter;
/** The database of the running test: a fresh one per test, on the engine of its describe block. */
let where: HistoryLocation;
afterEach(async () => {
  await w.close();
  tmp.remove();
});

const n = (text: string): number => Number(Object.values(sql(w.database.db, text).get() as object)[0]);

/** Pods p0..p(count-1) whose readiness flips every `step` ms from 0 to `until`; slices follow them. */
function churn(count: number, until: number, step: number): void {
  let rv = 1;
  for (let t = 0; t <= until; t += step) {
    const ready = (t / step) % 2 === 0;
    for (let i = 0; i < count; i++) {
      w.event('Pod', t === 0 ? 'ADDED' : 'MODIFIED', pod('a', `p${i}`, String(rv++), { ip: `10.1.${i >> 8}.${i & 255}`, ready }), at(t));
    }
    w.event('EndpointSlice', t === 0 ? 'ADDED' : 'MODIFIED', slice('a', 'web-x', 'web', String(rv++),
      Array.from({ length: count }, (_, i) => ({ ip: `10.1.${i >> 8}.${i & 255}`, ready, pod: `p${i}` }))), at(t));
  }
}

describeBackends('prune', (backend) => {
  beforeEach(async () => {
    tmp = tempDir('routetrace-prune-');
    where = backend.location(tmp.dir, 'h.db');
    w = await HistoryWriter.open({ ...where, cluster: 'c', batchMs: 1000 });
  });

  it('deletes versions (and their derived rows) that ended before now - retention, keeping what was valid since', async () => {
    churn(5, 10_000, 1000);
    w.event('Service', 'ADDED', service('a', 'gone', '1'), at(0));
    w.event('Service', 'DELETED', service('a', 'gone', '2'), at(500));
    await w.flush();
    const reader = new HistoryReader(w.database);
    const keep = [5000, 6500, 10_000, 20_000].map((t) => snapshotText(reader.snapshotAt('c', at(t))));
    const derivedBefore = n('SELECT count(*) FROM "EndpointRow"');

    const result = await w.prune({ retentionMs: 5000, now: at(10_000), batchSize: 7 });

    // Versions ending at 1000..4000 go (4 per pod and for the slice), plus the deleted Service.
    expect(result.versionsDeleted).toBe(6 * 4 + 1);
    expect(n(`SELECT count(*) FROM "ObjectVersion" WHERE validTo < ${at(5000).getTime()}`)).toBe(0);
    expect(n('SELECT count(*) FROM "EndpointRow"')).toBe(derivedBefore - 4 * 5);
    expect(n(`SELECT count(*) FROM "KubeObject" WHERE name = 'gone'`)).toBe(0);
    expect(result.objectsDeleted).toBe(1);
    expect([5000, 6500, 10_000, 20_000].map((t) => snapshotText(reader.snapshotAt('c', at(t))))).toEqual(keep);
    expect(checkInvariants(w.database.db)).toEqual([]);
  });

  it('deleting the start of a delta chain leaves the later versions of the chain readable', async () => {
    churn(3, 40_000, 1000); // 41 versions per object: chains of 16 versions, the pruned one cut in the middle
    await w.flush();
    const reader = new HistoryReader(w.database);
    const history = async () => (await Promise.all(['p0', 'p1', 'p2'].map((p) => reader.history('c', 'Pod', 'a', p))))
      .concat([await reader.history('c', 'EndpointSlice', 'a', 'web-x')])
      .map((vs) => vs.filter((v) => v.validFrom.getTime() >= at(20_000).getTime()).map((v) => JSON.stringify(v.object)));
    const before = await history();
    const deltasBefore = n('SELECT count(*) FROM "ObjectVersion" WHERE baseId IS NOT NULL');
    await w.prune({ retentionMs: 20_000, now: at(40_500), batchSize: 5 });
    expect(n(`SELECT count(*) FROM "ObjectVersion" WHERE validTo < ${at(20_500).getTime()}`)).toBe(0);
    expect(await history()).toEqual(before);
    expect(deltasBefore).toBeGreaterThan(100);
    expect(n('SELECT count(*) FROM "ObjectVersion" v WHERE baseId IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "ObjectVersion" k WHERE k.id = v.baseId)')).toBe(0);
    expect(n('SELECT max(n) FROM (SELECT count(*) AS n FROM "ObjectVersion" GROUP BY coalesce(baseId, id)) chains')).toBeLessThanOrEqual(16);
    expect(checkInvariants(w.database.db)).toEqual([]);
  });

  it('never deletes the open version of an object, however old', async () => {
    w.event('Service', 'ADDED', service('a', 'old', '1'), at(0));
    await w.flush();
    await w.prune({ retentionMs: 1, now: at(1_000_000) });
    expect(new HistoryReader(w.database).currentSnapshot('c').services.map((s) => s.metadata.name)).toEqual(['old']);
  });

  // SQLite only: on PostgreSQL a size limit is refused (see the next test).
  it.skipIf(backend.name !== 'sqlite')('keeps the database under maxDbBytes by deleting the oldest history first, recording a gap', async () => {
    churn(40, 60_000, 1000);
    await w.flush();
    const reader = new HistoryReader(w.database);
    const current = snapshotText(reader.currentSnapshot('c'));
    const before = usedBytes(w.database.db);
    const limit = Math.floor(before * 0.6);

    const result = await w.prune({ maxDbBytes: limit, batchSize: 100 });

    expect(result.bytesBefore).toBe(before);
    expect(result.bytesAfter).toBeLessThanOrEqual(limit);
    expect(usedBytes(w.database.db)).toBeLessThanOrEqual(limit);
    expect(result.versionsDeleted).toBeGreaterThan(0);
    expect(snapshotText(reader.currentSnapshot('c'))).toBe(current);
    // Oldest first: every remaining closed version ended no earlier than the last deleted one.
    expect(result.sizeGap).not.toBeNull();
    expect(n('SELECT min(validTo) FROM "ObjectVersion" WHERE validTo IS NOT NULL')).toBeGreaterThanOrEqual(result.sizeGap!.to.getTime());
    const gaps = await reader.gaps('c', at(0), at(60_000));
    expect(gaps.find((g) => g.kind === '*')).toMatchObject({ from: at(0), to: result.sizeGap!.to });
    expect(checkInvariants(w.database.db)).toEqual([]);
  });

  it('works in small transactions, yielding to the event loop between them', async () => {
    churn(20, 20_000, 1000);
    await w.flush();
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await w.prune({ retentionMs: 0, now: at(100_000), batchSize: 50 });
    ticking = false;
    expect(result.versionsDeleted).toBe(21 * 20);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(result.versionsDeleted / 50) - 1);
  });

  it('a writer with retention options prunes by itself', async () => {
    await w.close();
    w = await HistoryWriter.open({ ...where, cluster: 'c', batchMs: 5, retentionMs: 0, pruneIntervalMs: 20 });
    const past = Date.now() - 60_000;
    w.event('Service', 'ADDED', service('a', 's', '1'), new Date(past));
    w.event('Service', 'DELETED', service('a', 's', '2'), new Date(past + 1));
    await w.flush();
    const deadline = Date.now() + 20_000;
    while (n('SELECT count(*) FROM "ObjectVersion"') > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(n('SELECT count(*) FROM "ObjectVersion"')).toBe(0);
  });

  it.skipIf(backend.name !== 'postgresql')('refuses a size limit on PostgreSQL, deleting nothing', async () => {
    churn(3, 5_000, 1000);
    await w.flush();
    const versions = n('SELECT count(*) FROM "ObjectVersion"');
    await expect(w.prune({ maxDbBytes: 1, batchSize: 100 })).rejects.toThrow(/needs a SQLite history/);
    expect(n('SELECT count(*) FROM "ObjectVersion"')).toBe(versions);
  });
});
