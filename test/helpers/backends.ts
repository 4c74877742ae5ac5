/**
 * backends: the history database engines the store's tests run against, with the same test bodies:
 * `describeBackends('...', (backend) => { ... })` runs a describe block once per engine. Each call of
 * `backend.location(dir)` gives a fresh, empty database: a new SQLite file in `dir`, or a new PostgreSQL
 * database created on the server test/helpers/postgresSetup.ts provides.
 *
 * Without a PostgreSQL server the PostgreSQL block is skipped, saying why, outside CI; with env CI set it
 * fails instead (CI must run both engines).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, inject, it } from 'vitest';
import type { HistoryLocation } from '../../src/history/historyLocation.js';
import { createPostgresDatabase as createDatabase } from '../../src/history/postgresConnection.js';
import { postgres } from '../../src/history/postgresDialect.js';
import type { SqlConnection, SqlStatement, SqlValue } from '../../src/history/SqlConnection.js';

export interface Backend {
  readonly name: 'sqlite' | 'postgresql';
  /** A fresh, empty history database. */
  location(dir: string, file?: string): HistoryLocation;
  /** The location as one string (a file path or a postgresql:// URL), as the CLI's --db/--database take it. */
  spec(dir: string, file?: string): string;
}

/** Creates an empty database on the admin URL's server; returns its URL. */
export function createPostgresDatabase(adminUrl: string): string {
  return createDatabase(adminUrl, `routetrace_test_${randomBytes(6).toString('hex')}`);
}

const sqlite: Backend = {
  name: 'sqlite',
  location: (dir, file = 'history.db') => ({ file: path.join(dir, file) }),
  spec: (dir, file = 'history.db') => path.join(dir, file),
};

const postgresql: Backend = {
  name: 'postgresql',
  location: () => ({ url: createPostgresDatabase(inject('postgresUrl')) }),
  spec: () => createPostgresDatabase(inject('postgresUrl')),
};

export const BACKENDS: readonly Backend[] = [sqlite, postgresql];

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailable(): string | null {
  return inject('postgresUrl') ? null : inject('postgresUnavailable') || 'no PostgreSQL server';
}

/** One describe block per engine, with the same body. */
export function describeBackends(name: string, body: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    const missing = backend.name === 'postgresql' ? postgresUnavailable() : null;
    if (missing === null) {
      describe(`${name} [${backend.name}]`, () => body(backend));
    } else if (process.env.CI) {
      describe(`${name} [${backend.name}]`, () => {
        it('needs PostgreSQL (CI runs every test on both engines)', () => {
          throw new Error(`PostgreSQL is required in CI: ${missing}`);
        });
      });
    } else {
      describe.skip(`${name} [${backend.name}] (skipped: ${missing})`, () => body(backend));
    }
  }
}

const stored = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
const storedRow = <T>(row: T): T => {
  if (row === undefined || row === null) return row;
  if (Array.isArray(row)) return row.map(stored) as T;
  return Object.fromEntries(Object.entries(row as object).map(([k, v]) => [k, stored(v)])) as T;
};

/**
 * A test's own SQL on either engine, written as for SQLite (`?` placeholders, bare camelCase columns: on
 * PostgreSQL postgresDialect's postgres() quotes and numbers them); booleans read back as SQLite stores
 * them (1/0) on both, so one expected value serves both engines.
 */
export function sql(db: SqlConnection, text: string): SqlStatement {
  if (db.engine !== 'postgresql') return db.prepare(text);
  const s = db.prepare(postgres(text));
  return {
    run: (...p: SqlValue[]) => s.run(...p),
    get: (...p: SqlValue[]) => storedRow(s.get(...p)),
    all: (...p: SqlValue[]) => s.all(...p).map(storedRow),
    iterate: (...p: SqlValue[]) => s.all(...p).map(storedRow)[Symbol.iterator](),
    raw: (...p: SqlValue[]) => s.raw(...p).map(storedRow),
    rawIterate: (...p: SqlValue[]) => s.raw(...p).map(storedRow)[Symbol.iterator](),
    pluck: (...p: SqlValue[]) => stored(s.pluck(...p)),
    pluckAll: (...p: SqlValue[]) => s.pluckAll(...p).map(stored),
  };
}
