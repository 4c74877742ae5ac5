import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql has no "exports" map: Node loads its CommonJS entry for @apollo/server, while Vite would pick
  // the "module" (ESM) entry for our own imports, giving two graphql instances ("from another realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    // A PostgreSQL server for the tests that run on both history engines (test/helpers/backends.ts).
    globalSetup: ['./test/helpers/postgresSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The machine has 2 cores; suites start servers and child processes.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/helpers/SummaryReporter.ts'],
  },
});
