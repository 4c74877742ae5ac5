import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { SqliteConnection } from '../../src/history/sqliteConnection.js';
import { describeBackends } from '../helpers/backends.js';
import { at, service, tempDir } from './builders.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('routetrace-coexist-');
});
afterEach(() => tmp.remove());

describe('a SQLite file read and written by several connections', () => {
  it('the file is in WAL mode', async () => {
    const w = await HistoryWriter.open({ file: path.join(tmp.dir, 'h.db'), cluster: 'c' });
    try {
      expect((w.database.db as SqliteConnection).native.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      await w.close();
    }
  });

  it('raw batches commit while another connection holds a read transaction, which keeps its own consistent view', async () => {
    const file = path.join(tmp.dir, 'h.db');
    const w = await HistoryWriter.open({ file, cluster: 'c', busyTimeoutMs: 200 });
    const reader = new Database(file, { readonly: true });
    try {
      w.event('Service', 'ADDED', service('a', 'one', '1'), at(0));
      await w.flush();
      const count = reader.prepare('SELECT count(*) FROM "ObjectVersion"').pluck();
      reader.exec('BEGIN');
      const before = count.get();
      w.event('Service', 'ADDED', service('a', 'two', '2'), at(1));
      w.event('Service', 'ADDED', service('a', 'three', '3'), at(2));
      await w.flush(); // would fail with SQLITE_BUSY if the open read blocked the writer
      const during = count.get();
      reader.exec('COMMIT');
      expect({ before, during }).toEqual({ before: 1, during: 1 });
      expect(count.get()).toBe(3);
      const history = await new HistoryReader(w.database).history('c', 'Service', 'a', 'three');
      expect(history.map((v) => v.object.metadata.name)).toEqual(['three']);
    } finally {
      reader.close();
      await w.close();
    }
  });
});

describeBackends('two writers on one database (two clusters)', (backend) => {
  it('interleave their batches, each cluster keeping its own rows', async () => {
    const where = backend.location(tmp.dir);
    const a = await HistoryWriter.open({ ...where, cluster: 'east' });
    const b = await HistoryWriter.open({ ...where, cluster: 'west' });
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
