/**
 * clusterNames: the names of the clusters a history database holds, sorted (sqliteDialect.clusterNames).
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';

export function clusterNames(database: HistoryDatabase): string[] {
  return (database.db.stmt('clusterNames').all() as { name: string }[]).map((r) => r.name);
}
