/**
 * applyMigrations: brings a history database up to date with the SQL committed for its engine under
 * prisma/migrations/<timestamp>_<name>/migration.sql (SQLite) or prisma/postgresql/migrations/… (PostgreSQL),
 * at service start-up. On PostgreSQL the whole check-and-apply runs under a session advisory lock, so
 * several processes starting against one database at once apply each migration once (the others wait,
 * then find it applied).
 *
 * Each pending migration runs in its own transaction together with its record in Prisma's
 * `_prisma_migrations` table (same layout and sha256 checksum as `prisma migrate deploy`, so people
 * with the native engine can keep using it). Refuses, with MigrationError, to touch a database whose
 * history disagrees with the folder: an applied migration whose file changed (checksum), one the
 * folder does not have (a newer routetrace wrote it), or one left failed or rolled back.
 * Applying twice is a no-op.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultMigrationsDir } from './packageRoot.js';
import type { SqlConnection } from './SqlConnection.js';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** The migrations in `dir`, in application order (folder names start with a UTC timestamp). */
export function readMigrations(dir: string): MigrationFile[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (e) {
    throw new MigrationError(`cannot read the migrations folder ${dir}: ${(e as Error).message}`);
  }
  if (names.length === 0) throw new MigrationError(`no migrations in ${dir}`);
  return names.map((name) => {
    const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

interface AppliedRow {
  name: string;
  checksum: string;
  finishedAt: unknown;
  rolledBackAt: unknown;
}

/** Applies pending migrations; returns the names applied now (empty when up to date). */
export function applyMigrations(db: SqlConnection, dir: string = defaultMigrationsDir(db.engine)): string[] {
  const migrations = readMigrations(dir);
  db.stmt('lockMigrations').run();
  try {
    return applyPending(db, migrations, dir);
  } finally {
    if (db.open) db.stmt('unlockMigrations').run();
  }
}

function applyPending(db: SqlConnection, migrations: MigrationFile[], dir: string): string[] {
  db.stmt('migrationsTable').run();
  const applied = new Map<string, AppliedRow>();
  for (const row of db.stmt('appliedMigrations').all() as unknown as AppliedRow[]) {
    if (row.rolledBackAt === null && row.finishedAt === null) {
      throw new MigrationError(
        `migration ${row.name} was started but never finished in this database; inspect it and resolve ` +
          `(\`prisma migrate resolve\`) before starting routetrace`,
      );
    }
    if (row.rolledBackAt === null) applied.set(row.name, row);
  }
  const known = new Set(migrations.map((m) => m.name));
  for (const name of applied.keys()) {
    if (!known.has(name)) {
      throw new MigrationError(
        `the database has migration ${name}, which ${dir} does not have: it was written by a newer routetrace; ` +
          'refusing to start',
      );
    }
  }
  const done: string[] = [];
  for (const m of migrations) {
    const row = applied.get(m.name);
    if (row) {
      if (row.checksum !== m.checksum) {
        throw new MigrationError(
          `migration ${m.name} was changed after it was applied to this database ` +
            `(checksum ${row.checksum.slice(0, 12)}… applied, ${m.checksum.slice(0, 12)}… on disk); refusing to start`,
        );
      }
      continue;
    }
    db.transaction(() => {
      const started = Date.now();
      db.exec(m.sql);
      db.stmt('recordMigration').run(randomUUID(), m.checksum, Date.now(), m.name, started);
    });
    done.push(m.name);
  }
  return done;
}
