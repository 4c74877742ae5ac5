/**
 * Every statement of each dialect is valid on its engine, against a database with every migration applied:
 * the server (or SQLite) parses it and resolves its tables and columns, so a typo in a statement no other
 * test happens to run fails here.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openHistoryDatabase } from '../../src/history/openHistoryDatabase.js';
import { SQL as POSTGRES } from '../../src/history/postgresDialect.js';
import { SQL as SQLITE } from '../../src/history/sqliteDialect.js';
import { SqliteConnection } from '../../src/history/sqliteConnection.js';
import { describeBackends } from '../helpers/backends.js';
import { tempDir } from './builders.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('routetrace-dialects-');
});
afterEach(() => tmp.remove());

it('both dialects name the same statements', () => {
  expect(Object.keys(POSTGRES).sort()).toEqual(Object.keys(SQLITE).sort());
});

describeBackends('dialect statements', (backend) => {
  it('every statement prepares on a migrated database', async () => {
    const database = await openHistoryDatabase(backend.location(tmp.dir));
    const failed: string[] = [];
    try {
      const texts = Object.entries(backend.name === 'sqlite' ? SQLITE : POSTGRES);
      for (const [key, text] of texts) {
        try {
          if (database.db instanceof SqliteConnection) database.db.native.prepare(text);
          // PostgreSQL prepares queries only: DDL (CREATE … IF NOT EXISTS, idempotent) is run instead.
          else database.db.exec(/^CREATE /.test(text) ? text : `PREPARE check_${key} AS ${text}`);
        } catch (e) {
          failed.push(`${key}: ${(e as Error).message}`);
        }
      }
      expect(texts.length).toBeGreaterThan(80);
    } finally {
      await database.close();
    }
    expect(failed).toEqual([]);
  });
});
