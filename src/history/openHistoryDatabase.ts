/**
 * openHistoryDatabase: one history database, opened as the synchronous SqlConnection every raw-SQL caller
 * of the store uses (the write hot path, as-of reads, listings, pruning).
 *
 *  - `file`: a SQLite file (better-sqlite3, sqliteDialect.ts). WAL mode, so readers on other connections
 *    never block the writer nor see a half-written batch. A new file is created with mode 0600 (SQLite
 *    gives its -wal/-shm files the same mode).
 *  - `url`: a PostgreSQL database (postgresql://…; pg-native, postgresDialect.ts). Several processes may
 *    open it at once, one writer per cluster: their rows never collide (every row carries its cluster).
 * Pending migrations are applied before the connection is handed out (prisma/migrations or
 * prisma/postgresql/migrations; on PostgreSQL under an advisory lock, so processes starting together apply
 * them once), then the data backfills they leave (runBackfills.ts; a one-time upgrade of older files,
 * logged with progress).
 *
 * `readOnly` (the read-only API, `routetrace api`): the database must exist and nothing is migrated or
 * backfilled; SQLite opens the file read-only (every write refused), PostgreSQL sets the session read-only;
 * a schema that is not current is a MigrationError (requireCurrentSchema.ts). Such a reader may run beside
 * the serve processes writing the database.
 */
import { closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../watch/Logger.js';
import { applyMigrations } from './applyMigrations.js';
import { requireCurrentSchema } from './requireCurrentSchema.js';
import { PostgresConnection, redactedUrl } from './postgresConnection.js';
import { runBackfills } from './runBackfills.js';
import type { SqlConnection } from './SqlConnection.js';
import { SqliteConnection } from './sqliteConnection.js';
import { CONNECTION_PRAGMAS, NEW_FILE_PRAGMAS } from './sqliteDialect.js';

export interface HistoryDatabase {
  /** The SQLite file (absolute), or null on PostgreSQL. */
  readonly file: string | null;
  /** Where the history is, for messages: the file, or the URL without its password. */
  readonly location: string;
  readonly db: SqlConnection;
  /** Migrations applied by this open (empty when the database was up to date). */
  readonly appliedMigrations: readonly string[];
  close(): Promise<void>;
}

export interface OpenHistoryDatabaseOptions {
  /** SQLite file (created when missing). Exactly one of file and url. */
  file?: string;
  /** PostgreSQL URL (postgresql://user:password@host:port/database). */
  url?: string;
  /** SQLite: how long a connection waits for a lock before failing (ms). Default 5000. */
  busyTimeoutMs?: number;
  /** Folder of migrations to apply (default: the package's folder for the engine). */
  migrationsDir?: string;
  /** Receives the progress of data backfills (long on a large old file). */
  logger?: Logger;
  /** Open an existing, current database without ever writing to it. */
  readOnly?: boolean;
}

function openSqlite(fileOption: string, timeout: number): { db: SqliteConnection; file: string } {
  const file = path.resolve(fileOption);
  mkdirSync(path.dirname(file), { recursive: true });
  const isNew = !existsSync(file) || statSync(file).size === 0;
  if (isNew) closeSync(openSync(file, constants.O_CREAT | constants.O_RDWR, 0o600));
  const native = new Database(file, { timeout });
  try {
    if (isNew) for (const p of NEW_FILE_PRAGMAS) native.pragma(p);
    for (const p of CONNECTION_PRAGMAS) native.pragma(p);
  } catch (e) {
    native.close();
    throw e;
  }
  return { db: new SqliteConnection(native), file };
}

function openSqliteReadOnly(fileOption: string, timeout: number): { db: SqliteConnection; file: string } {
  const file = path.resolve(fileOption);
  if (!existsSync(file)) throw new Error(`cannot open ${file}: no such file`);
  if (!statSync(file).isFile()) throw new Error(`cannot open ${file}: not a file`);
  const native = new Database(file, { readonly: true, fileMustExist: true, timeout });
  try {
    native.pragma('query_only = ON');
  } catch (e) {
    native.close();
    throw e;
  }
  return { db: new SqliteConnection(native), file };
}

export async function openHistoryDatabase(options: OpenHistoryDatabaseOptions): Promise<HistoryDatabase> {
  if ((options.file === undefined) === (options.url === undefined)) {
    throw new Error('openHistoryDatabase: give exactly one of file (SQLite) and url (PostgreSQL)');
  }
  let db: SqlConnection;
  let file: string | null = null;
  if (options.url !== undefined) {
    db = new PostgresConnection(options.url);
  } else if (options.readOnly) {
    ({ db, file } = openSqliteReadOnly(options.file!, options.busyTimeoutMs ?? 5000));
  } else {
    ({ db, file } = openSqlite(options.file!, options.busyTimeoutMs ?? 5000));
  }
  try {
    let appliedMigrations: string[] = [];
    if (options.readOnly) {
      if (db.engine === 'postgresql') db.exec('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
      requireCurrentSchema(db, options.migrationsDir);
    } else {
      appliedMigrations = applyMigrations(db, options.migrationsDir);
      runBackfills(db, options.logger);
    }
    return {
      file,
      location: file ?? redactedUrl(options.url!),
      db,
      appliedMigrations,
      async close() {
        db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
