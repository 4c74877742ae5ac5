/**
 * lastObservedAt: the latest report time (epoch ms) recorded for any kind of a stored cluster (its watch
 * progress), or null when none was recorded yet (sqliteDialect.lastObservedAt).
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { preparedStatement } from './preparedStatement.js';
import { SQL } from './sqliteDialect.js';

export function lastObservedAt(database: HistoryDatabase, clusterId: number): number | null {
  return (preparedStatement(database.db, SQL.lastObservedAt).get(clusterId) as { t: number | null }).t;
}
