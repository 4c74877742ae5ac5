/**
 * openHistoryDatabase: one history database file, opened for both access paths the store uses.
 *
 *  - `db`: a raw better-sqlite3 connection (the write hot path, as-of reads, pruning; SQL lives in
 *    sqliteDialect.ts);
 *  - `prisma`: a PrismaClient over @prisma/adapter-better-sqlite3 on the same file (cluster registry,
 *    history listings), with its own connection.
 * Both run in WAL mode, so Prisma's reads never block the raw writer nor see a half-written batch.
 * Pending migrations are applied before either is handed out, and then the data backfills they leave
 * (runBackfills.ts; a one-time upgrade of older files, logged with progress). A new file is created with
 * mode 0600 (SQLite gives its -wal/-shm files the same mode).
 *
 * `readOnly` (the read-only API, `routetrace api`): the file must exist; both connections open it read-only
 * (SQLite refuses every write), nothing is migrated or backfilled, and a schema that is not current is a
 * MigrationError (requireCurrentSchema.ts). Such a reader may run beside the serve processes writing the file.
 *
 * Caution for callers: better-sqlite3 is synchronous. A raw write that waits on a lock held by a Prisma
 * write transaction (async, same thread) would stall until busy_timeout; so Prisma is used for reads and
 * for writes that happen before the raw write path starts (cluster registry at open).
 */
import { closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../watch/Logger.js';
import { applyMigrations } from './applyMigrations.js';
import { requireCurrentSchema } from './requireCurrentSchema.js';
import { runBackfills } from './runBackfills.js';
import { CONNECTION_PRAGMAS, NEW_FILE_PRAGMAS } from './sqliteDialect.js';

export interface HistoryDatabase {
  readonly file: string;
  readonly db: BetterSqlite3.Database;
  readonly prisma: PrismaClient;
  /** Migrations applied by this open (empty when the file was up to date). */
  readonly appliedMigrations: readonly string[];
  close(): Promise<void>;
}

export interface OpenHistoryDatabaseOptions {
  file: string;
  /** How long a connection waits for a lock before failing (ms). Default 5000. */
  busyTimeoutMs?: number;
  /** Folder of migrations to apply (default: the package's prisma/migrations). */
  migrationsDir?: string;
  /** Receives the progress of data backfills (long on a large old file). */
  logger?: Logger;
  /** Open an existing, current database without ever writing to it. */
  readOnly?: boolean;
}

export async function openHistoryDatabase(options: OpenHistoryDatabaseOptions): Promise<HistoryDatabase> {
  if (options.readOnly) return openReadOnly(options);
  const file = path.resolve(options.file);
  const timeout = options.busyTimeoutMs ?? 5000;
  mkdirSync(path.dirname(file), { recursive: true });
  const isNew = !existsSync(file) || statSync(file).size === 0;
  if (isNew) closeSync(openSync(file, constants.O_CREAT | constants.O_RDWR, 0o600));
  const db = new Database(file, { timeout });
  try {
    if (isNew) for (const p of NEW_FILE_PRAGMAS) db.pragma(p);
    for (const p of CONNECTION_PRAGMAS) db.pragma(p);
    const appliedMigrations = applyMigrations(db, options.migrationsDir);
    runBackfills(db, options.logger);
    return handle(file, db, appliedMigrations, { timeout });
  } catch (e) {
    db.close();
    throw e;
  }
}

function handle(file: string, db: BetterSqlite3.Database, appliedMigrations: readonly string[], connection: { timeout: number; readonly?: boolean }): HistoryDatabase {
  const prisma = new PrismaClient({
    adapter: new PrismaBetterSqlite3({ url: `file:${file}`, ...connection }, { timestampFormat: 'unixepoch-ms' }),
  });
  return {
    file,
    db,
    prisma,
    appliedMigrations,
    async close() {
      await prisma.$disconnect();
      if (db.open) db.close();
    },
  };
}

async function openReadOnly(options: OpenHistoryDatabaseOptions): Promise<HistoryDatabase> {
  const file = path.resolve(options.file);
  const timeout = options.busyTimeoutMs ?? 5000;
  if (!existsSync(file)) throw new Error(`cannot open ${file}: no such file`);
  if (!statSync(file).isFile()) throw new Error(`cannot open ${file}: not a file`);
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout });
  try {
    db.pragma('query_only = ON');
    requireCurrentSchema(db, options.migrationsDir);
    return handle(file, db, [], { timeout, readonly: true });
  } catch (e) {
    db.close();
    throw e;
  }
}
