/**
 * tableSequence: the AUTOINCREMENT counter of a table (sqlite_sequence; sqliteDialect.tableSequence), 0
 * before the table's first insert. Pruning deletes rows but never lowers the counter, so its growth counts
 * the rows inserted. One indexed row read.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { preparedStatement } from './preparedStatement.js';
import { SQL } from './sqliteDialect.js';

export function tableSequence(db: BetterSqlite3.Database, table: string): number {
  return Number(preparedStatement(db, SQL.tableSequence, 'pluck').get(table) ?? 0);
}
