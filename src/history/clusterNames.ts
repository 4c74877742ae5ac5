/**
 * clusterNames: the names of the clusters a history database holds, sorted (sqliteDialect.clusterNames).
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { preparedStatement } from './preparedStatement.js';
import { SQL } from './sqliteDialect.js';

export function clusterNames(database: HistoryDatabase): string[] {
  return (preparedStatement(database.db, SQL.clusterNames).all() as { name: string }[]).map((r) => r.name);
}
