/**
 * historyDatabaseOption: the history database a read-only command names, from `--db FILE` (SQLite) or
 * `--database URL` (PostgreSQL, postgresql://…): the file or URL, or undefined when neither is given.
 * Both at once, or a --database that is not a PostgreSQL URL, are usage errors.
 */
import { isPostgresUrl } from '../history/historyLocation.js';
import { UsageError, type OptionSpec, type ParsedOptions } from './Command.js';
import { stringOption } from './optionValues.js';

export const DATABASE_OPTION: OptionSpec = {
  type: 'string', valueName: 'URL', description: 'Or: a PostgreSQL history database (postgresql://user:password@host:port/name)',
};

export function historyDatabaseOption(opts: ParsedOptions): string | undefined {
  const file = stringOption(opts, 'db');
  const url = stringOption(opts, 'database');
  if (url === undefined) return file;
  if (file !== undefined) throw new UsageError('--db and --database: give one history database, not both');
  if (!isPostgresUrl(url)) throw new UsageError('--database: expected a postgresql:// URL (a SQLite file is given with --db FILE)');
  return url;
}
