/**
 * preparedStatement: the prepared statement for one SQL text on one connection, prepared on first use and
 * reused afterwards (cached per connection; the cache goes with the connection object).
 *
 * `mode` 'raw' returns rows as arrays, 'pluck' the first column only; a statement is prepared once per
 * (connection, mode, text), so modes never leak between callers. Callers must not change a returned
 * statement's mode. A statement being iterated is busy: do not run the same text again inside the loop.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type StatementMode = 'rows' | 'raw' | 'pluck';

const cache = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

export function preparedStatement(db: BetterSqlite3.Database, sql: string, mode: StatementMode = 'rows'): BetterSqlite3.Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  const key = `${mode}:${sql}`;
  let stmt = statements.get(key);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (mode === 'raw') stmt.raw();
    else if (mode === 'pluck') stmt.pluck();
    statements.set(key, stmt);
  }
  return stmt;
}
