#!/usr/bin/env node
// migration-check: applies every prisma/migrations/*/migration.sql to a fresh SQLite file and asks the
// schema engine whether the result is exactly prisma/schema.prisma. Exit 0 when it is; 1 with the SQL
// that would fix the drift otherwise. Development only (the test suite checks the same).
import { readFile } from 'node:fs/promises';
import { diffMigrationsToSchema, schemaFile } from './schemaEngine.mjs';

const { exitCode, stdout } = await diffMigrationsToSchema(await readFile(schemaFile, 'utf8'));
if (exitCode === 0) {
  console.log('migrations match prisma/schema.prisma');
} else {
  console.error('prisma/migrations drift from prisma/schema.prisma; `npm run migration:new -- NAME` would write:');
  console.error(stdout);
  process.exitCode = 1;
}
