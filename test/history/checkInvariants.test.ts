import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { describeBackends, sql } from '../helpers/backends.js';
import { at, service, tempDir } from './builders.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('routetrace-invariants-');
});
afterEach(() => tmp.remove());

/** Named corruptions of a consistent history, and the rule each must break. */
const CASES: { name: string; rule: RegExp; corrupt: (w: HistoryWriter) => void }[] = [
  {
    name: 'a stored no-op: the open version copied as the next one',
    rule: /duplicate back-to-back versions/,
    corrupt: (w) => {
      const db = w.database.db;
      const v = sql(db, 'SELECT id, clusterId, objectId, resourceVersion, validFrom, observedTime, body, baseId FROM "ObjectVersion" WHERE validTo IS NULL ORDER BY id LIMIT 1').get()!;
      const t = (v.validFrom as number) + 1000;
      sql(db, 'UPDATE "ObjectVersion" SET validTo = ? WHERE id = ?').run(t, v.id as number);
      expect(v.baseId).toBeNull(); // a keyframe: its body decodes alone, so the copy does too
      sql(db, `INSERT INTO "ObjectVersion" (clusterId, objectId, resourceVersion, validFrom, validTo, changeTime, endChangeTime, observedTime, body, baseId)
        VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?, NULL)`).run(v.clusterId as number, v.objectId as number, 'copy', t, t, v.body as Buffer);
    },
  },
  {
    name: 'two open versions of one object',
    rule: /more than one open version/,
    corrupt: (w) => {
      const db = w.database.db;
      const v = sql(db, 'SELECT clusterId, objectId, validFrom, body FROM "ObjectVersion" WHERE validTo IS NULL ORDER BY id LIMIT 1').get()!;
      sql(db, `INSERT INTO "ObjectVersion" (clusterId, objectId, resourceVersion, validFrom, validTo, changeTime, endChangeTime, observedTime, body, baseId)
        VALUES (?, ?, 'x', ?, NULL, NULL, NULL, ?, ?, NULL)`).run(v.clusterId as number, v.objectId as number, (v.validFrom as number) + 5000, (v.validFrom as number) + 5000, Buffer.from('{}'));
    },
  },
  {
    name: 'a version that ends before it starts',
    rule: /version ends before it starts/,
    corrupt: (w) => {
      sql(w.database.db, 'UPDATE "ObjectVersion" SET validTo = validFrom - 1 WHERE id = (SELECT min(id) FROM "ObjectVersion")').run();
    },
  },
];

describeBackends('checkInvariants', (backend) => {
  it('holds on a history the writer wrote', async () => {
    const w = await HistoryWriter.open({ ...backend.location(tmp.dir), cluster: 'c' });
    try {
      for (let i = 0; i < 5; i++) w.event('Service', 'MODIFIED', service('a', 'web', String(i + 1), { metadata: { labels: { v: String(i) } } } as never), at(i));
      await w.flush();
      expect(checkInvariants(w.database.db)).toEqual([]);
    } finally {
      await w.close();
    }
  });

  for (const c of CASES) {
    it(`reports ${c.name}`, async () => {
      const w = await HistoryWriter.open({ ...backend.location(tmp.dir), cluster: 'c' });
      try {
        w.event('Service', 'ADDED', service('a', 'web', '1'), at(0));
        w.event('Service', 'ADDED', service('a', 'api', '2'), at(1));
        await w.flush();
        expect(checkInvariants(w.database.db)).toEqual([]);
        c.corrupt(w);
        const problems = checkInvariants(w.database.db);
        expect(problems.some((p) => c.rule.test(p)), problems.join('\n')).toBe(true);
      } finally {
        await w.close();
      }
    });
  }
});
