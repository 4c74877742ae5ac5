#!/usr/bin/env node
// migration-check: for each provider, applies its migrations to a fresh database (SQLite: a temporary file;
// PostgreSQL: a scratch database on the server in ROUTETRACE_TEST_POSTGRES_URL or a throwaway one) and asks
// the schema engine whether the result is exactly its schema.prisma. Exit 0 when both are; 1 with the SQL
// that would fix the drift otherwise. Development only (the test suite checks the same).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startPostgres } from './postgresServer.mjs';
import { diffMigrationsToSchema, providerPaths } from './schemaEngine.mjs';

let failed = false;
for (const provider of ['sqlite', 'postgresql']) {
  const { schemaFile } = providerPaths(provider);
  const shown = path.relative(process.cwd(), schemaFile);
  const server = provider === 'postgresql' ? await startPostgres() : null;
  if (server && !server.url) {
    console.error(`${provider}: not checked, no PostgreSQL server: ${server.reason}`);
    failed = true;
    continue;
  }
  try {
    const { exitCode, stdout } = await diffMigrationsToSchema(await readFile(schemaFile, 'utf8'), provider, server?.url);
    if (exitCode === 0) {
      console.log(`${provider}: migrations match ${shown}`);
    } else {
      console.error(`${provider}: migrations drift from ${shown}; \`npm run migration:new -- --provider ${provider} NAME\` would write:`);
      console.error(stdout);
      failed = true;
    }
  } finally {
    await server?.stop();
  }
}
process.exit(failed ? 1 : 0);
