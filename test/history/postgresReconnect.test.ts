/**
 * A writer on PostgreSQL whose connection the server drops (a restart, a failover, an administrator's
 * pg_terminate_backend): the batch that finds it fails and stays queued, the next attempt connects again,
 * and nothing is lost.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { PostgresConnection } from '../../src/history/postgresConnection.js';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { createPostgresDatabase, postgresUnavailable } from '../helpers/backends.js';
import { at, service, tempDir } from './builders.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('routetrace-reconnect-');
});
afterEach(() => tmp.remove());

/** Ends every other session on the database of `url`, as the server does when it restarts. */
function dropSessions(url: string): number {
  const admin = new PostgresConnection(inject('postgresUrl'));
  try {
    const name = new URL(url).pathname.slice(1);
    return admin.prepare('SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()').pluck(name) as number;
  } finally {
    admin.close();
  }
}

const missing = postgresUnavailable();
const run = missing === null || process.env.CI ? describe : describe.skip;

run(`PostgreSQL connection lost${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('the failed batch stays queued and is written once the writer has connected again', async () => {
    if (missing) throw new Error(`PostgreSQL is required in CI: ${missing}`);
    const url = createPostgresDatabase(inject('postgresUrl'));
    const errors: Error[] = [];
    const w = await HistoryWriter.open({ url, cluster: 'c', batchMs: 60_000, onError: (e) => errors.push(e) });
    try {
      w.event('Service', 'ADDED', service('a', 'one', '1'), at(0));
      await w.flush();
      expect(dropSessions(url)).toBeGreaterThan(0);
      w.event('Service', 'ADDED', service('a', 'two', '2'), at(1));
      await expect(w.flush()).rejects.toThrow();
      expect(w.pendingReports).toBe(1);
      expect(errors).toHaveLength(1);
      w.event('Service', 'ADDED', service('a', 'three', '3'), at(2));
      await w.flush();
      expect(w.pendingReports).toBe(0);
      const names = new HistoryReader(w.database).currentSnapshot('c').services.map((s) => s.metadata.name);
      expect(names).toEqual(['one', 'three', 'two']);
      expect(checkInvariants(w.database.db)).toEqual([]);
    } finally {
      await w.close();
    }
  });
});
