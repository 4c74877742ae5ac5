/**
 * Vitest global setup: makes a PostgreSQL admin URL available to the tests (inject('postgresUrl')), from
 * ROUTETRACE_TEST_POSTGRES_URL or a throwaway server (scripts/postgresServer.mjs), and stops the server it
 * started. When neither is possible the URL is empty and 'postgresUnavailable' says why.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../scripts/postgresServer.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresUnavailable: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pg = await startPostgres();
  project.provide('postgresUrl', pg.url ?? '');
  project.provide('postgresUnavailable', pg.reason ?? '');
  return async () => {
    await pg.stop?.();
  };
}
