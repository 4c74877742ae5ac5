// schemaEngine: drives Prisma's WebAssembly schema engine (@prisma/schema-engine-wasm, the 7.10 build) for
// development tooling only: writing new migration SQL and checking that prisma/migrations matches
// prisma/schema.prisma. Never used on the service's start-up path (src/history/applyMigrations.ts applies
// the committed SQL itself).
//
// Node 20 refuses the package entry's `.wasm` ES-module import, so the `_bg` glue is loaded and the
// .wasm compiled and wired by hand. The engine needs a *bound* migration-aware adapter factory.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaFile = path.join(packageRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(packageRoot, 'prisma', 'migrations');

let initialised;
async function initWasm() {
  if (!initialised) {
    initialised = (async () => {
      const require = createRequire(import.meta.url);
      const glue = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
      const wasmFile = path.join(path.dirname(glue), 'schema_engine_bg.wasm');
      const module = await WebAssembly.compile(await readFile(wasmFile));
      const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': bg });
      bg.__wbg_set_wasm(instance.exports);
      instance.exports.__wbindgen_start();
    })();
  }
  return initialised;
}

/**
 * Opens an engine whose database is the SQLite file `dbFile` (created if missing).
 * `log` receives the engine's log lines (default: discarded).
 */
export async function openSchemaEngine(dbFile, schemaText, log = () => {}) {
  await initWasm();
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: `file:${dbFile}` }));
  return bg.SchemaEngine.new({ datamodels: [['schema.prisma', schemaText]] }, log, factory);
}

const filters = { externalTables: [], externalEnums: [] };

/** SQL that takes an empty database to the schema described by `schemaText`. */
export async function sqlFromEmpty(engine, schemaText) {
  const result = await engine.diff({
    from: { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schemaText }] },
    script: true,
    exitCode: null,
    filters,
  });
  return result.stdout;
}

/**
 * Diff from the engine's database (`dbFile`, given to openSchemaEngine) to `schemaText`.
 * Returns { exitCode, stdout }: exitCode 0 when they agree, 2 plus the fixing SQL when they drift.
 */
export async function diffDatabaseToSchema(engine, schemaText, configDir = packageRoot) {
  const files = [{ path: 'schema.prisma', content: schemaText }];
  const result = await engine.diff({
    from: { tag: 'schemaDatasource', files, configDir },
    to: { tag: 'schemaDatamodel', files },
    script: true,
    exitCode: true,
    filters,
  });
  return { exitCode: result.exitCode, stdout: result.stdout };
}

/** The migration folders under `dir`, in application order (their names start with a timestamp). */
export async function listMigrationDirs(dir = migrationsDir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/**
 * Applies every migration under prisma/migrations to a fresh SQLite file and diffs the result to
 * `schemaText`: { exitCode: 0 } when they agree, { exitCode: 2, stdout: the SQL that closes the drift }.
 */
export async function diffMigrationsToSchema(schemaText) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'routetrace-migration-'));
  try {
    const dbFile = path.join(tmp, 'migrated.db');
    const db = new Database(dbFile);
    for (const dir of await listMigrationDirs()) {
      db.exec(await readFile(path.join(migrationsDir, dir, 'migration.sql'), 'utf8'));
    }
    db.close();
    const engine = await openSchemaEngine(dbFile, schemaText);
    return await diffDatabaseToSchema(engine, schemaText);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
