import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { at, service, tempDir } from './builders.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('routetrace-coexist-');
});
afterEach(() => tmp.remove());

describe('Prisma and raw better-sqlite3 on one file', () => {
  it('the file is in WAL mode for both connections', async () => {
    const w = await HistoryWriter.open({ file: path.join(tmp.dir, 'h.db'), cluster: 'c' });
    try {
      expect(w.database.db.pragma('journal_mode', { simple: true })).toBe('wal');
      const viaPrisma = await w.database.prisma.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      expect(viaPrisma[0]!.journal_mode).toBe('wal');
    } finally {
      await w.close();
    }
  });

  it('raw batches commit while a Prisma read transaction is open, which keeps its own consistent view', async () => {
    const w = await HistoryWriter.open({ file: path.join(tmp.dir, 'h.db'), cluster: 'c', busyTimeoutMs: 200 });
    try {
      w.event('Service', 'ADDED', service('a', 'one', '1'), at(0));
      await w.flush();
      const prisma = w.database.prisma;
      const seen = await prisma.$transaction(async (tx) => {
        const before = await tx.objectVersion.count();
        w.event('Service', 'ADDED', service('a', 'two', '2'), at(1));
        w.event('Service', 'ADDED', service('a', 'three', '3'), at(2));
        await w.flush(); // would fail with SQLITE_BUSY if the open read blocked the writer
        const during = await tx.objectVersion.count();
        return { before, during };
      });
      expect(seen).toEqual({ before: 1, during: 1 });
      expect(await prisma.objectVersion.count()).toBe(3);
      const history = await new HistoryReader(w.database).history('c', 'Service', 'a', 'three');
      expect(history.map((v) => v.object.metadata.name)).toEqual(['three']);
    } finally {
      await w.close();
    }
  });

  it('two writers on one file (two clusters) interleave their batches', async () => {
    const file = path.join(tmp.dir, 'h.db');
    const a = await HistoryWriter.open({ file, cluster: 'east' });
    const b = await HistoryWriter.open({ file, cluster: 'west' });
    try {
      for (let i = 0; i < 20; i++) {
        a.event('Service', 'ADDED', service('x', `s${i}`, String(i)), at(i));
        b.event('Service', 'ADDED', service('x', `s${i}`, String(i)), at(i));
        if (i % 5 === 0) await Promise.all([a.flush(), b.flush()]);
      }
      await Promise.all([a.flush(), b.flush()]);
      const reader = new HistoryReader(a.database);
      expect(reader.currentSnapshot('east').services).toHaveLength(20);
      expect(reader.currentSnapshot('west').services).toHaveLength(20);
      expect(a.clusterId).not.toBe(b.clusterId);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
