// Types for postgresServer.mjs (a PostgreSQL server for tests and development scripts).
export declare function startPostgres(): Promise<
  { url: string; started: boolean; stop(): Promise<void>; reason?: undefined } | { url: null; reason: string; stop?: undefined }
>;
