#!/usr/bin/env node
// migration-check: applies every prisma/migrations/*/migration.sql to a fresh SQLite file and asks the
// schema engine whether the result is exactly prisma/schema.prisma. Exit 0 when it is; 1 with the SQL
// that would fix the drift otherwise. Development only (the test suite checks the same).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  diffDatabaseToSchema, listMigrationDirs, migrationsDir, openSchemaEngine, schemaFile,
} from './schemaEngine.mjs';

const schema = await readFile(schemaFile, 'utf8');
const tmp = await mkdtemp(path.join(os.tmpdir(), 'routetrace-migration-'));
try {
  const dbFile = path.join(tmp, 'check.db');
  const db = new Database(dbFile);
  for (const dir of await listMigrationDirs()) {
    db.exec(await readFile(path.join(migrationsDir, dir, 'migration.sql'), 'utf8'));
  }
  db.close();
  const engine = await openSchemaEngine(dbFile, schema);
  const { exitCode, stdout } = await diffDatabaseToSchema(engine, schema);
  if (exitCode === 0) {
    console.log('migrations match prisma/schema.prisma');
  } else {
    console.error('prisma/migrations drift from prisma/schema.prisma; `npm run migration:new -- NAME` would write:');
    console.error(stdout);
    process.exitCode = 1;
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
