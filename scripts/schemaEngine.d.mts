// Types for schemaEngine.mjs (development tooling over Prisma's WebAssembly schema engine).
export declare const packageRoot: string;
export declare const schemaFile: string;
export declare const migrationsDir: string;
export interface SchemaEngineHandle {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>;
  free(): void;
}
export declare function openSchemaEngine(
  dbFile: string,
  schemaText: string,
  log?: (line: string) => void,
): Promise<SchemaEngineHandle>;
export declare function sqlFromEmpty(engine: SchemaEngineHandle, schemaText: string): Promise<string>;
export declare function diffDatabaseToSchema(
  engine: SchemaEngineHandle,
  schemaText: string,
  configDir?: string,
): Promise<{ exitCode: number; stdout: string }>;
export declare function listMigrationDirs(dir?: string): Promise<string[]>;
export declare function diffMigrationsToSchema(
  schemaText: string,
  provider?: 'sqlite' | 'postgresql',
  adminUrl?: string,
): Promise<{ exitCode: number; stdout: string }>;
export declare function providerPaths(provider?: 'sqlite' | 'postgresql'): { schemaFile: string; migrationsDir: string };
export declare function createScratchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }>;
