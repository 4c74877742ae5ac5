/**
 * dialect: what differs between the history store's two database engines, as data. Each engine's module
 * (sqliteDialect.ts, postgresDialect.ts) exports one Dialect; the types force both to name the same
 * statements, so a caller's `db.stmt(key)` exists on either engine.
 */
import type { SQL as SqliteSql } from './sqliteDialect.js';

export type SqlKey = keyof typeof SqliteSql;

export interface Dialect {
  /** Statement texts by key, with the engine's placeholders. */
  readonly SQL: { readonly [K in SqlKey]: string };
}
