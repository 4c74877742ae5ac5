/**
 * historyState: the history figures /metrics reports, read from the open database at scrape time.
 *
 * Versions and gap records written since `historyState` was created (at open) are the growth of their
 * tables' id counters (SQLite: sqlite_sequence; PostgreSQL: the id sequences): one indexed row read each,
 * and unaffected by pruning, which deletes old rows but never lowers the counters. On PostgreSQL several
 * serve processes (one per cluster) share the counters, so the growth counts the rows all of them wrote.
 * The size is the SQLite file plus its write-ahead log (-wal) on disk, or the PostgreSQL database's size.
 * Returns undefined once the connection is closed.
 */
import { statSync } from 'node:fs';
import { usedBytes } from '../history/pruneHistory.js';
import type { SqlConnection } from '../history/SqlConnection.js';
import { tableSequence } from '../history/tableSequence.js';
import type { HistoryState } from './Metrics.js';

export function historyState(database: { readonly file: string | null; readonly db: SqlConnection }, pendingReports: () => number): () => HistoryState | undefined {
  const read = (table: string): number => tableSequence(database.db, table);
  const baseVersions = read('ObjectVersion');
  const baseGaps = read('WatchGap');
  const size = (f: string): number => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  };
  const file = database.file;
  return () => {
    if (!database.db.open) return undefined;
    return {
      versionsWritten: read('ObjectVersion') - baseVersions,
      gapsRecorded: read('WatchGap') - baseGaps,
      pendingReports: pendingReports(),
      dbBytes: file === null ? usedBytes(database.db) : size(file) + size(`${file}-wal`),
    };
  };
}
