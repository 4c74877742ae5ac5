/**
 * tableSequence: the AUTOINCREMENT counter of a table (sqlite_sequence; sqliteDialect.tableSequence), 0
 * before the table's first insert. Pruning deletes rows but never lowers the counter, so its growth counts
 * the rows inserted. One indexed row read.
 */
import type { SqlConnection } from './SqlConnection.js';

export function tableSequence(db: SqlConnection, table: string): number {
  return Number(db.stmt('tableSequence').pluck(table) ?? 0);
}
