/**
 * `routetrace api` settings: the database comes from the same option parsing serve uses (--db,
 * ROUTETRACE_DB, --database/ROUTETRACE_DATABASE, same default and checks), plus the listen address.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/Command.js';
import { API_OPTIONS, apiConfig, DEFAULT_DB, DEFAULT_LISTEN, parseListen, serveConfig } from '../../../src/config.js';

describe('api configuration', () => {
  const cases: { name: string; flags: Record<string, string>; env: Record<string, string>; db: string; database?: string; listen: string }[] = [
    { name: 'defaults', flags: {}, env: {}, db: DEFAULT_DB, listen: DEFAULT_LISTEN },
    { name: 'flags', flags: { db: '/h/fleet.db', listen: '0.0.0.0:8081' }, env: {}, db: '/h/fleet.db', listen: '0.0.0.0:8081' },
    { name: 'variables', flags: {}, env: { ROUTETRACE_DB: '/env.db', ROUTETRACE_LISTEN: '127.0.0.1:9' }, db: '/env.db', listen: '127.0.0.1:9' },
    { name: 'a flag wins over its variable', flags: { db: '/flag.db' }, env: { ROUTETRACE_DB: '/env.db' }, db: '/flag.db', listen: DEFAULT_LISTEN },
    { name: 'a PostgreSQL database', flags: { database: 'postgresql://r@db/fleet' }, env: {}, db: DEFAULT_DB, database: 'postgresql://r@db/fleet', listen: DEFAULT_LISTEN },
    { name: 'a PostgreSQL database from the environment', flags: {}, env: { ROUTETRACE_DATABASE: 'postgres://r@db/fleet' }, db: DEFAULT_DB, database: 'postgres://r@db/fleet', listen: DEFAULT_LISTEN },
  ];
  for (const c of cases) {
    it(`${c.name}: the database serve would use`, () => {
      const config = apiConfig(c.flags, c.env);
      expect(config).toEqual({ db: c.db, ...(c.database ? { database: c.database } : {}), listen: parseListen(c.listen) });
      expect(config.db).toBe(serveConfig(c.flags, c.env).db);
      expect(config.database).toBe(serveConfig(c.flags, c.env).database);
    });
  }

  const bad: { name: string; flags: Record<string, string>; message: RegExp }[] = [
    { name: 'an empty database name', flags: { db: ' ' }, message: /--db: empty file name/ },
    { name: 'a malformed listen address', flags: { listen: 'nowhere' }, message: /--listen: 'nowhere' is not HOST:PORT/ },
    { name: 'a database that is not a PostgreSQL URL', flags: { database: 'data/h.db' }, message: /--database: expected a postgresql:\/\/ URL/ },
    { name: 'both a file and a database', flags: { db: 'h.db', database: 'postgresql://r@db/fleet' }, message: /give one history database, not both/ },
  ];
  for (const c of bad) it(`rejects ${c.name} with a UsageError`, () => expect(() => apiConfig(c.flags, {})).toThrow(UsageError));
  for (const c of bad) it(`names the flag for ${c.name}`, () => expect(() => apiConfig(c.flags, {})).toThrow(c.message));

  it('takes no cluster-watching flags', () => {
    expect(Object.keys(API_OPTIONS).sort()).toEqual(['database', 'db', 'listen']);
  });
});
