/**
 * clusterIdOf: the id of the stored cluster with that name, or null when the history holds no such cluster
 * (callers read an unknown cluster as empty history). sqliteDialect.clusterId, prepared once per connection.
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';

export function clusterIdOf(database: HistoryDatabase, cluster: string): number | null {
  const row = database.db.stmt('clusterId').get(cluster) as { id: number } | undefined;
  return row ? row.id : null;
}
