/**
 * historyState: the history figures /metrics reports, read from the open database at scrape time.
 *
 * Versions and gap records written by this process are the growth of their tables' AUTOINCREMENT
 * counters (sqlite_sequence) since `historyState` was created (at open): one indexed row read each, and
 * unaffected by pruning, which deletes old rows but never lowers the counters. The size is the database
 * file plus its write-ahead log (-wal) on disk. Returns undefined once the connection is closed.
 */
import { statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { tableSequence } from '../history/tableSequence.js';
import type { HistoryState } from './Metrics.js';

export function historyState(database: { readonly file: string; readonly db: BetterSqlite3.Database }, pendingReports: () => number): () => HistoryState | undefined {
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
  return () => {
    if (!database.db.open) return undefined;
    return {
      versionsWritten: read('ObjectVersion') - baseVersions,
      gapsRecorded: read('WatchGap') - baseGaps,
      pendingReports: pendingReports(),
      dbBytes: size(database.file) + size(`${database.file}-wal`),
    };
  };
}
