/**
 * packageRoot: the directory holding routetrace's package.json, found by walking up from this module, so
 * files shipped beside the code (prisma/migrations) are found from src/ (tests) and dist/ (the service)
 * alike, whatever the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'routetrace') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`routetrace's package.json not found above ${from}`);
    dir = parent;
  }
}

/** The installed package's migrations for an engine: prisma/migrations (SQLite), prisma/postgresql/migrations. */
export function defaultMigrationsDir(engine: 'sqlite' | 'postgresql' = 'sqlite'): string {
  return engine === 'postgresql'
    ? path.join(packageRoot(), 'prisma', 'postgresql', 'migrations')
    : path.join(packageRoot(), 'prisma', 'migrations');
}
