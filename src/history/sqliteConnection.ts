/**
 * sqliteConnection: SqlConnection over one better-sqlite3 connection (sqliteDialect's SQL). Statements are
 * better-sqlite3's own, prepared once per text and row shape (objects, arrays, first cell), so the hot
 * paths run as before: a call is one native call. `native` is the better-sqlite3 connection itself, for
 * SQLite-only work (PRAGMAs, the invariant checker's integrity checks, tests).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqlKey } from './dialect.js';
import type { RunResult, SqlConnection, SqlRow, SqlStatement, SqlValue } from './SqlConnection.js';
import { SQL } from './sqliteDialect.js';

class SqliteStatement implements SqlStatement {
  private rows: BetterSqlite3.Statement;
  private arrays: BetterSqlite3.Statement | undefined;
  private cells: BetterSqlite3.Statement | undefined;

  constructor(private readonly db: BetterSqlite3.Database, private readonly text: string) {
    this.rows = db.prepare(text);
  }

  private asArrays(): BetterSqlite3.Statement {
    return (this.arrays ??= this.db.prepare(this.text).raw());
  }

  private asCells(): BetterSqlite3.Statement {
    return (this.cells ??= this.db.prepare(this.text).pluck());
  }

  run(...params: SqlValue[]): RunResult {
    return this.rows.run(...params);
  }
  get(...params: SqlValue[]): SqlRow | undefined {
    return this.rows.get(...params) as SqlRow | undefined;
  }
  all(...params: SqlValue[]): SqlRow[] {
    return this.rows.all(...params) as SqlRow[];
  }
  iterate(...params: SqlValue[]): IterableIterator<SqlRow> {
    return this.rows.iterate(...params) as IterableIterator<SqlRow>;
  }
  raw(...params: SqlValue[]): unknown[][] {
    return this.asArrays().all(...params) as unknown[][];
  }
  rawIterate(...params: SqlValue[]): IterableIterator<unknown[]> {
    return this.asArrays().iterate(...params) as IterableIterator<unknown[]>;
  }
  pluck(...params: SqlValue[]): unknown {
    return this.asCells().get(...params);
  }
  pluckAll(...params: SqlValue[]): unknown[] {
    return this.asCells().all(...params);
  }
}

export class SqliteConnection implements SqlConnection {
  readonly engine = 'sqlite' as const;
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(readonly native: BetterSqlite3.Database) {}

  stmt(key: SqlKey): SqlStatement {
    return this.prepare(SQL[key]);
  }

  prepare(text: string): SqlStatement {
    let s = this.statements.get(text);
    if (!s) this.statements.set(text, (s = new SqliteStatement(this.native, text)));
    return s;
  }

  exec(text: string): void {
    this.native.exec(text);
  }

  transaction<T>(fn: () => T): T {
    return this.native.transaction(fn).immediate();
  }

  get open(): boolean {
    return this.native.open;
  }

  close(): void {
    if (this.native.open) this.native.close();
  }
}
