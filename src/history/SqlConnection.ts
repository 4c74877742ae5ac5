/**
 * SqlConnection: the one synchronous connection interface every raw-SQL caller of the history store uses
 * (write path, as-of reads, pruning, migrations, backfills, metrics), whatever the database engine.
 *
 * Two implementations: sqliteConnection.ts (better-sqlite3, in process) and postgresConnection.ts
 * (libpq through pg-native, blocking calls on one connection). Callers name statements by their dialect
 * key (`db.stmt('versionsAt')`): the connection holds its dialect's SQL (sqliteDialect.ts,
 * postgresDialect.ts), prepares each text once and reuses it.
 *
 * Values: parameters are numbers, strings, Buffers (bytes), booleans or null; rows come back with the
 * same JavaScript types on both engines (integers and epoch-ms times as numbers, bytes as Buffers,
 * booleans as 0/1 on SQLite and true/false on PostgreSQL: read them with `sqlFlag`).
 * A statement being iterated is busy on SQLite: do not run the same statement inside the loop.
 * transaction(fn) runs fn in one transaction (SQLite: BEGIN IMMEDIATE), commits when it returns and rolls
 * back when it throws; nested calls are savepoints.
 */
import type { SqlKey } from './dialect.js';

export type SqlValue = number | bigint | string | Buffer | boolean | null;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a row's shape is the statement's: callers name it
export type SqlRow = { [column: string]: any };

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
  /** The id of the row an INSERT wrote (PostgreSQL: the `id` the statement RETURNs); 0 when none. */
  readonly lastInsertRowid: number | bigint;
}

export interface SqlStatement {
  run(...params: SqlValue[]): RunResult;
  get(...params: SqlValue[]): SqlRow | undefined;
  all(...params: SqlValue[]): SqlRow[];
  iterate(...params: SqlValue[]): IterableIterator<SqlRow>;
  /** Rows as arrays of cells, in column order. */
  raw(...params: SqlValue[]): unknown[][];
  rawIterate(...params: SqlValue[]): IterableIterator<unknown[]>;
  /** The first cell of the first row (undefined: no row). */
  pluck(...params: SqlValue[]): unknown;
  /** The first cell of every row. */
  pluckAll(...params: SqlValue[]): unknown[];
}

export type DatabaseEngine = 'sqlite' | 'postgresql';

export interface SqlConnection {
  readonly engine: DatabaseEngine;
  /** The statement of a dialect key, prepared on first use. */
  stmt(key: SqlKey): SqlStatement;
  /** A statement of any text (migrations, tests), prepared on first use. */
  prepare(text: string): SqlStatement;
  /** Runs one or more statements without parameters. */
  exec(text: string): void;
  transaction<T>(fn: () => T): T;
  readonly open: boolean;
  close(): void;
}

/** A boolean cell as stored (SQLite 0/1, PostgreSQL true/false; null stays null). */
export function sqlFlag(v: unknown): boolean | null {
  return v === null || v === undefined ? null : v === 1 || v === true;
}
