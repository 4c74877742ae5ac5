/**
 * requireCurrentSchema: the check a read-only opener makes instead of migrating: the database's applied
 * migrations are exactly the folder's (same names, same checksums, none failed or rolled back) and no data
 * backfill is pending. Anything else is a MigrationError saying what to do (start `serve` once on the file,
 * which migrates it; or use the routetrace that wrote it). Reads only.
 */
import { MigrationError, readMigrations } from './applyMigrations.js';
import { defaultMigrationsDir } from './packageRoot.js';
import type { SqlConnection } from './SqlConnection.js';

interface AppliedRow {
  name: string;
  checksum: string;
  finishedAt: unknown;
  rolledBackAt: unknown;
}

export function requireCurrentSchema(db: SqlConnection, dir: string = defaultMigrationsDir(db.engine)): void {
  const migrations = readMigrations(dir);
  const hasTable = (name: string) => db.stmt('tableExists').get(name) !== undefined;
  const upgrade = 'start `routetrace serve` on it once (it migrates the file), then retry';
  if (!hasTable('_prisma_migrations')) throw new MigrationError(`not a routetrace history (no migrations table): ${upgrade}`);
  const applied = new Map<string, AppliedRow>();
  for (const row of db.stmt('appliedMigrations').all() as unknown as AppliedRow[]) {
    if (row.finishedAt === null && row.rolledBackAt === null) throw new MigrationError(`migration ${row.name} was started but never finished in this database`);
    if (row.rolledBackAt === null) applied.set(row.name, row);
  }
  const known = new Set(migrations.map((m) => m.name));
  for (const name of applied.keys()) {
    if (!known.has(name)) throw new MigrationError(`the database has migration ${name}, which this routetrace does not know: it was written by a newer routetrace`);
  }
  const pending = migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
  if (pending.length) throw new MigrationError(`the database schema is not current (${pending.length} migration(s) pending: ${pending.join(', ')}): ${upgrade}`);
  for (const m of migrations) {
    if (applied.get(m.name)!.checksum !== m.checksum) throw new MigrationError(`migration ${m.name} differs from the one applied to this database (checksum)`);
  }
  const backfills = db.stmt('pendingBackfills').all() as { name: string }[];
  if (backfills.length) throw new MigrationError(`the database has data backfills pending (${backfills.map((b) => b.name).join(', ')}): ${upgrade}`);
}
