import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { SqliteConnection } from '../../src/history/sqliteConnection.js';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, MigrationError } from '../../src/history/applyMigrations.js';
import { defaultMigrationsDir, packageRoot } from '../../src/history/packageRoot.js';
import { diffDatabaseToSchema, diffMigrationsToSchema, openSchemaEngine, providerPaths, schemaFile } from '../../scripts/schemaEngine.mjs';
import { PostgresConnection } from '../../src/history/postgresConnection.js';
import { createPostgresDatabase, postgresUnavailable } from '../helpers/backends.js';
import { tempDir } from './builders.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('routetrace-migrations-');
});
afterEach(() => tmp.remove());

function schemaDump(db: Database.Database): string {
  return JSON.stringify(db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all());
}

describe('migrations', () => {
  it('produce exactly the schema prisma/schema.prisma describes (schema engine diff is empty)', async () => {
    const file = path.join(tmp.dir, 'fresh.db');
    const db = new Database(file);
    expect(applyMigrations(new SqliteConnection(db)).length).toBeGreaterThan(0);
    db.close();
    const schema = readFileSync(schemaFile, 'utf8');
    const engine = await openSchemaEngine(file, schema);
    const { exitCode, stdout } = await diffDatabaseToSchema(engine, schema);
    expect(stdout.trim()).toBe('-- This is an empty migration.');
    expect(exitCode).toBe(0);
  });

  it('the schema check can fail: a database missing an index differs from the schema', async () => {
    const file = path.join(tmp.dir, 'drifted.db');
    const db = new Database(file);
    applyMigrations(new SqliteConnection(db));
    db.exec('DROP INDEX "IngressRule_clusterId_host_idx"');
    db.close();
    const schema = readFileSync(schemaFile, 'utf8');
    const engine = await openSchemaEngine(file, schema);
    const { exitCode, stdout } = await diffDatabaseToSchema(engine, schema);
    expect(exitCode).toBe(2);
    expect(stdout).toContain('IngressRule_clusterId_host_idx');
  });

  it('applying twice is a no-op', () => {
    const db = new Database(path.join(tmp.dir, 'twice.db'));
    try {
      const first = applyMigrations(new SqliteConnection(db));
      const dump = schemaDump(db);
      const records = db.prepare('SELECT id, checksum, migration_name FROM "_prisma_migrations"').all();
      expect(applyMigrations(new SqliteConnection(db))).toEqual([]);
      expect(schemaDump(db)).toBe(dump);
      expect(db.prepare('SELECT id, checksum, migration_name FROM "_prisma_migrations"').all()).toEqual(records);
      expect(records).toHaveLength(first.length);
    } finally {
      db.close();
    }
  });

  it("records each migration in Prisma's _prisma_migrations layout with the file's sha256", () => {
    const db = new Database(path.join(tmp.dir, 'records.db'));
    try {
      const names = applyMigrations(new SqliteConnection(db));
      const rows = db.prepare('SELECT migration_name AS name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY name').all() as any[];
      expect(rows.map((r) => r.name)).toEqual(names);
      for (const r of rows) {
        const sql = readFileSync(path.join(defaultMigrationsDir(), r.name, 'migration.sql'));
        expect(r.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(r.finished_at).not.toBeNull();
        expect(r.rolled_back_at).toBeNull();
        expect(r.applied_steps_count).toBe(1);
      }
    } finally {
      db.close();
    }
  });

  it('refuses a database where an applied migration was changed afterwards', () => {
    const dir = path.join(tmp.dir, 'migrations');
    cpSync(defaultMigrationsDir(), dir, { recursive: true });
    const db = new Database(path.join(tmp.dir, 'edited.db'));
    try {
      const [first] = applyMigrations(new SqliteConnection(db), dir);
      const file = path.join(dir, first!, 'migration.sql');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited\n`);
      expect(() => applyMigrations(new SqliteConnection(db), dir)).toThrow(MigrationError);
      expect(() => applyMigrations(new SqliteConnection(db), dir)).toThrow(new RegExp(`migration ${first} was changed after it was applied`));
    } finally {
      db.close();
    }
  });

  it('refuses a database that has a migration the folder does not have', () => {
    const dir = path.join(tmp.dir, 'migrations');
    cpSync(defaultMigrationsDir(), dir, { recursive: true });
    mkdirSync(path.join(dir, '29991231000000_future'));
    writeFileSync(path.join(dir, '29991231000000_future', 'migration.sql'), 'CREATE TABLE "Future" (id INTEGER);\n');
    const db = new Database(path.join(tmp.dir, 'newer.db'));
    try {
      applyMigrations(new SqliteConnection(db), dir);
      expect(() => applyMigrations(new SqliteConnection(db))).toThrow(/29991231000000_future.*newer routetrace/);
    } finally {
      db.close();
    }
  });

  it('rolls back a migration that fails, recording nothing', () => {
    const dir = path.join(tmp.dir, 'migrations');
    cpSync(defaultMigrationsDir(), dir, { recursive: true });
    mkdirSync(path.join(dir, '29991231000000_broken'));
    writeFileSync(path.join(dir, '29991231000000_broken', 'migration.sql'), 'CREATE TABLE "Half" (id INTEGER);\nNOT SQL;\n');
    const db = new Database(path.join(tmp.dir, 'broken.db'));
    try {
      expect(() => applyMigrations(new SqliteConnection(db), dir)).toThrow();
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'Half'`).get()).toEqual({ n: 0 });
      expect(db.prepare(`SELECT count(*) AS n FROM "_prisma_migrations" WHERE migration_name LIKE '%broken'`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('finds the migrations folder from the compiled code in dist/ as from src/', () => {
    const root = packageRoot();
    expect(existsSync(path.join(root, 'prisma', 'migrations', 'migration_lock.toml'))).toBe(true);
    expect(packageRoot(path.join(root, 'dist', 'history'))).toBe(root);
    expect(defaultMigrationsDir()).toBe(path.join(root, 'prisma', 'migrations'));
  });
});

describe('PostgreSQL migrations', () => {
  const missing = postgresUnavailable();
  const run = missing === null ? describe : process.env.CI ? describe : describe.skip;
  run(`prisma/postgresql/migrations${missing ? ` (skipped: ${missing})` : ''}`, () => {
    const pgSchema = () => readFileSync(providerPaths('postgresql').schemaFile, 'utf8');

    it('produce exactly the schema prisma/postgresql/schema.prisma describes (schema engine diff is empty)', async () => {
      if (missing) throw new Error(`PostgreSQL is required in CI: ${missing}`);
      const { exitCode, stdout } = await diffMigrationsToSchema(pgSchema(), 'postgresql', inject('postgresUrl'));
      expect(stdout.trim()).toBe('-- This is an empty migration.');
      expect(exitCode).toBe(0);
    });

    it('the schema check can fail: a database missing an index differs from the schema', async () => {
      if (missing) throw new Error(`PostgreSQL is required in CI: ${missing}`);
      const url = createPostgresDatabase(inject('postgresUrl'));
      const db = new PostgresConnection(url);
      try {
        applyMigrations(db);
        db.exec('DROP INDEX "IngressRule_clusterId_host_idx"');
      } finally {
        db.close();
      }
      const engine = await openSchemaEngine(url, pgSchema());
      const { exitCode, stdout } = await diffDatabaseToSchema(engine, pgSchema());
      expect(exitCode).toBe(2);
      expect(stdout).toContain('IngressRule_clusterId_host_idx');
    });

    it("applying twice is a no-op, each migration recorded in Prisma's layout with the file's sha256", () => {
      if (missing) throw new Error(`PostgreSQL is required in CI: ${missing}`);
      const db = new PostgresConnection(createPostgresDatabase(inject('postgresUrl')));
      try {
        const names = applyMigrations(db);
        expect(names.length).toBeGreaterThan(0);
        expect(applyMigrations(db)).toEqual([]);
        const rows = db.prepare('SELECT migration_name AS name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name').all();
        expect(rows.map((r) => r.name)).toEqual(names);
        for (const r of rows) {
          const sql = readFileSync(path.join(defaultMigrationsDir('postgresql'), r.name, 'migration.sql'));
          expect(r.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
          expect(r.finished_at).not.toBeNull();
          expect(r.rolled_back_at).toBeNull();
          expect(r.applied_steps_count).toBe(1);
        }
      } finally {
        db.close();
      }
    });

    it('rolls back a migration that fails, recording nothing', () => {
      if (missing) throw new Error(`PostgreSQL is required in CI: ${missing}`);
      const dir = path.join(tmp.dir, 'pg-migrations');
      cpSync(defaultMigrationsDir('postgresql'), dir, { recursive: true });
      mkdirSync(path.join(dir, '29991231000000_broken'));
      writeFileSync(path.join(dir, '29991231000000_broken', 'migration.sql'), 'CREATE TABLE "Half" (id INTEGER);\nNOT SQL;\n');
      const db = new PostgresConnection(createPostgresDatabase(inject('postgresUrl')));
      try {
        expect(() => applyMigrations(db, dir)).toThrow();
        expect(db.prepare(`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'Half'`).get()).toEqual({ n: 0 });
        expect(db.prepare(`SELECT count(*) AS n FROM "_prisma_migrations" WHERE migration_name LIKE '%broken'`).get()).toEqual({ n: 0 });
        expect(db.prepare(`SELECT count(*) AS n FROM "_prisma_migrations"`).get()).toEqual({ n: 1 });
      } finally {
        db.close();
      }
    });
  });
});
