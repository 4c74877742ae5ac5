// schemaEngine: drives Prisma's WebAssembly schema engine (@prisma/schema-engine-wasm, the 7.10 build) for
// development tooling only: writing new migration SQL and checking that each provider's migrations match
// its schema (SQLite: prisma/schema.prisma + prisma/migrations; PostgreSQL: prisma/postgresql/schema.prisma
// + prisma/postgresql/migrations, checked on a throwaway database of the server postgresServer.mjs gives). Never used on the service's start-up path (src/history/applyMigrations.ts applies
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
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import Database from 'better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaFile = path.join(packageRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(packageRoot, 'prisma', 'migrations');

/** The schema file and migrations folder of a provider ('sqlite' or 'postgresql'). */
export function providerPaths(provider = 'sqlite') {
  if (provider === 'sqlite') return { schemaFile, migrationsDir };
  if (provider === 'postgresql') {
    return {
      schemaFile: path.join(packageRoot, 'prisma', 'postgresql', 'schema.prisma'),
      migrationsDir: path.join(packageRoot, 'prisma', 'postgresql', 'migrations'),
    };
  }
  throw new Error(`unknown provider '${provider}' (sqlite, postgresql)`);
}

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
 * @prisma/adapter-pg 7.10 rejects PostgreSQL's internal one-byte `"char"` type (oid 18), which the schema
 * engine's catalog queries return when they describe a database (pg_class.relkind and the like). Its text
 * form is just text: the queries' results are handed on with those columns typed as text (oid 25).
 */
function readCharAsText(queryable) {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const f of result.fields) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return result;
  };
  const start = queryable.startTransaction?.bind(queryable);
  if (start) queryable.startTransaction = async (...a) => readCharAsText(await start(...a));
  return queryable;
}

class PrismaPgReadingChar extends PrismaPg {
  async connect() {
    return readCharAsText(await super.connect());
  }
  async connectToShadowDb() {
    return readCharAsText(await super.connectToShadowDb());
  }
}

/**
 * Opens an engine whose database is the SQLite file `dbFile` (created if missing) or, for a
 * postgresql:// URL, that PostgreSQL database. `log` receives the engine's log lines (default: discarded).
 */
export async function openSchemaEngine(dbFile, schemaText, log = () => {}) {
  await initWasm();
  const adapter = /^postgres(ql)?:\/\//.test(dbFile)
    ? new PrismaPgReadingChar({ connectionString: dbFile })
    : new PrismaBetterSqlite3({ url: `file:${dbFile}` });
  const factory = bindMigrationAwareSqlAdapterFactory(adapter);
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
 * Creates an empty database on the PostgreSQL server of `adminUrl`; returns its URL and a function that
 * drops it.
 */
export async function createScratchDatabase(adminUrl) {
  const name = `routetrace_scratch_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Applies every migration of `provider` to a fresh database (SQLite: a temporary file; PostgreSQL: a
 * scratch database on `adminUrl`'s server) and diffs the result to `schemaText`: { exitCode: 0 } when
 * they agree, { exitCode: 2, stdout: the SQL that closes the drift }.
 */
export async function diffMigrationsToSchema(schemaText, provider = 'sqlite', adminUrl = undefined) {
  const dirs = providerPaths(provider).migrationsDir;
  if (provider === 'postgresql') {
    if (!adminUrl) throw new Error('diffMigrationsToSchema: PostgreSQL needs an admin URL');
    const scratch = await createScratchDatabase(adminUrl);
    try {
      const c = new pg.Client({ connectionString: scratch.url });
      await c.connect();
      try {
        for (const dir of await listMigrationDirs(dirs)) await c.query(await readFile(path.join(dirs, dir, 'migration.sql'), 'utf8'));
      } finally {
        await c.end();
      }
      const engine = await openSchemaEngine(scratch.url, schemaText);
      return await diffDatabaseToSchema(engine, schemaText);
    } finally {
      await scratch.drop();
    }
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'routetrace-migration-'));
  try {
    const dbFile = path.join(tmp, 'migrated.db');
    const db = new Database(dbFile);
    for (const dir of await listMigrationDirs(dirs)) {
      db.exec(await readFile(path.join(dirs, dir, 'migration.sql'), 'utf8'));
    }
    db.close();
    const engine = await openSchemaEngine(dbFile, schemaText);
    return await diffDatabaseToSchema(engine, schemaText);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
