/**
 * lastObservedAt: the latest report time (epoch ms) recorded for any kind of a stored cluster (its watch
 * progress), or null when none was recorded yet (sqliteDialect.lastObservedAt).
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';

export function lastObservedAt(database: HistoryDatabase, clusterId: number): number | null {
  return (database.db.stmt('lastObservedAt').get(clusterId) as { t: number | null }).t;
}
