/**
 * config: `routetrace serve` settings from flags and ROUTETRACE_* environment variables, validated once
 * and frozen.
 *
 * Every flag `--some-flag` can also be set as `ROUTETRACE_SOME_FLAG`; a flag wins over the variable.
 * Repeatable flags (`--namespace`) take a comma-separated list in the variable. A malformed value throws
 * UsageError naming the flag or variable (the CLI prints one line and exits 2). Nothing here touches the
 * network or the disk.
 */
import { UsageError, type OptionTable, type ParsedOptions } from './cli/Command.js';
import { isPostgresUrl } from './history/historyLocation.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface ServeConfig {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly server?: string;
  /** Empty: all namespaces. */
  readonly namespaces: readonly string[];
  readonly db: string;
  /** PostgreSQL history database (postgresql://…); when set, used instead of the SQLite file `db`. */
  readonly database?: string;
  /** Name history is stored under; undefined: the kubeconfig context or the server's host. */
  readonly cluster?: string;
  readonly retentionMs: number;
  readonly maxDbSizeBytes: number;
  readonly listen: ListenAddress;
}

export const DEFAULT_DB = './data/routetrace.db';
export const DEFAULT_LISTEN = '127.0.0.1:8080';
export const DEFAULT_RETENTION = '30d';
export const DEFAULT_MAX_DB_SIZE = '2GiB';

/** The flags of `serve` (shared by `demo` for the ones it has). */
export const SERVE_OPTIONS: OptionTable = {
  kubeconfig: { type: 'string', valueName: 'FILE', description: 'Kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)' },
  context: { type: 'string', valueName: 'NAME', description: 'Kubeconfig context to use' },
  server: { type: 'string', valueName: 'URL', description: 'API server URL (overrides the kubeconfig; alone, an http simulator)' },
  namespace: { type: 'string', valueName: 'NS', multiple: true, description: 'Watch only this namespace', defaultText: 'all' },
  db: { type: 'string', valueName: 'FILE', description: 'SQLite history file', defaultText: DEFAULT_DB },
  database: { type: 'string', valueName: 'URL', description: 'PostgreSQL history database (postgresql://user:password@host:port/name) instead of --db' },
  cluster: { type: 'string', valueName: 'NAME', description: 'Cluster name in the history', defaultText: 'the context or server host' },
  retention: { type: 'string', valueName: 'DURATION', description: 'Keep history this long (s, m, h, d, w)', defaultText: DEFAULT_RETENTION },
  'max-db-size': { type: 'string', valueName: 'SIZE', description: 'Prune oldest history above this size (KiB, MiB, GiB, KB, MB, GB)', defaultText: DEFAULT_MAX_DB_SIZE },
  listen: { type: 'string', valueName: 'HOST:PORT', description: 'HTTP address for /healthz, /readyz and the API', defaultText: DEFAULT_LISTEN },
};

/**
 * The history database options, shared by every command that opens the history as a service (`serve`,
 * `api`): one parser, so a new way to name the database is added once.
 */
export const DATABASE_OPTIONS: OptionTable = { db: SERVE_OPTIONS['db']!, database: SERVE_OPTIONS['database']! };

/** Settings of `routetrace api` (the read-only API over an existing history). */
export interface ApiConfig {
  readonly db: string;
  /** PostgreSQL history database (postgresql://…); when set, used instead of the SQLite file `db`. */
  readonly database?: string;
  readonly listen: ListenAddress;
}

/** The flags of `api` (its own table so `api --help` lists only what it takes). */
export const API_OPTIONS: OptionTable = { ...DATABASE_OPTIONS, listen: SERVE_OPTIONS['listen']! };

export const SERVE_ENV_HELP =
  'Every flag can also be set as ROUTETRACE_<FLAG> (e.g. ROUTETRACE_DB, ROUTETRACE_MAX_DB_SIZE; a comma-separated\n' +
  'list for ROUTETRACE_NAMESPACE). Flags win over the environment.';

/** Variable name for a flag: `max-db-size` → `ROUTETRACE_MAX_DB_SIZE`. */
export function envName(flag: string): string {
  return `ROUTETRACE_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/** A setting's raw value and where it came from (for messages). */
interface Raw {
  readonly value: string;
  readonly from: string;
}

function raw(opts: ParsedOptions, env: NodeJS.ProcessEnv, flag: string): Raw | undefined {
  const v = opts[flag];
  if (typeof v === 'string') return { value: v, from: `--${flag}` };
  if (v !== undefined && typeof v !== 'string') throw new UsageError(`--${flag}: expected a value`);
  const e = env[envName(flag)];
  if (e !== undefined && e !== '') return { value: e, from: envName(flag) };
  return undefined;
}

function rawList(opts: ParsedOptions, env: NodeJS.ProcessEnv, flag: string): { values: string[]; from: string } {
  const v = opts[flag];
  if (Array.isArray(v) && v.length) return { values: v, from: `--${flag}` };
  if (typeof v === 'string') return { values: [v], from: `--${flag}` };
  const e = env[envName(flag)];
  if (e !== undefined && e.trim() !== '') return { values: e.split(',').map((s) => s.trim()).filter(Boolean), from: envName(flag) };
  return { values: [], from: `--${flag}` };
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "30d", "12h", "1h30m", "90s" → milliseconds. */
export function parseDuration(text: string, from = 'duration'): number {
  const t = text.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (!t || matched !== t.length || !(total > 0)) {
    throw new UsageError(`${from}: '${text}' is not a duration like 30d, 12h, 1h30m or 90s`);
  }
  return total;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, ki: 1024, kib: 1024, kb: 1000,
  m: 1024 ** 2, mi: 1024 ** 2, mib: 1024 ** 2, mb: 1000 ** 2,
  g: 1024 ** 3, gi: 1024 ** 3, gib: 1024 ** 3, gb: 1000 ** 3,
  t: 1024 ** 4, ti: 1024 ** 4, tib: 1024 ** 4, tb: 1000 ** 4,
};

/** "2GiB", "500MB", "1048576" → bytes. */
export function parseSize(text: string, from = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`${from}: '${text}' is not a size like 2GiB, 500MiB or 1GB`);
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!(bytes >= 1024 * 1024)) throw new UsageError(`${from}: '${text}' is below the minimum of 1MiB`);
  return bytes;
}

/** "127.0.0.1:8080", "[::1]:0", ":8080" (all interfaces), "localhost:9000". */
export function parseListen(text: string, from = '--listen'): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UsageError(`${from}: '${text}' is not HOST:PORT (port 0-65535)`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Builds the frozen serve configuration; throws UsageError on any malformed value. */
export function serveConfig(opts: ParsedOptions, env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const str = (flag: string) => raw(opts, env, flag)?.value;
  const server = raw(opts, env, 'server');
  if (server) {
    let ok = false;
    try {
      const u = new URL(server.value);
      ok = u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) throw new UsageError(`${server.from}: '${server.value}' is not an http(s) URL`);
  }
  const ns = rawList(opts, env, 'namespace');
  for (const n of ns.values) if (!DNS_LABEL.test(n)) throw new UsageError(`${ns.from}: '${n}' is not a namespace name`);
  const retention = raw(opts, env, 'retention') ?? { value: DEFAULT_RETENTION, from: '--retention' };
  const maxDb = raw(opts, env, 'max-db-size') ?? { value: DEFAULT_MAX_DB_SIZE, from: '--max-db-size' };
  const listen = raw(opts, env, 'listen') ?? { value: DEFAULT_LISTEN, from: '--listen' };
  const { db, database } = databaseConfig(opts, env);
  const cluster = raw(opts, env, 'cluster');
  if (cluster && !/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,252}$/.test(cluster.value)) {
    throw new UsageError(`${cluster.from}: '${cluster.value}' is not a cluster name (letters, digits, . _ : @ / -)`);
  }
  const config: ServeConfig = {
    ...(str('kubeconfig') !== undefined ? { kubeconfig: str('kubeconfig')! } : {}),
    ...(str('context') !== undefined ? { context: str('context')! } : {}),
    ...(server ? { server: server.value } : {}),
    namespaces: Object.freeze([...new Set(ns.values)]),
    db,
    ...(database ? { database } : {}),
    ...(cluster ? { cluster: cluster.value } : {}),
    retentionMs: parseDuration(retention.value, retention.from),
    maxDbSizeBytes: parseSize(maxDb.value, maxDb.from),
    listen: Object.freeze(parseListen(listen.value, listen.from)),
  };
  return Object.freeze(config);
}

/**
 * The history database named by the DATABASE_OPTIONS flags (or their variables), checked: the SQLite file
 * `db`, or a PostgreSQL URL `database` (then used instead of the file; naming both is a usage error).
 */
export function databaseConfig(opts: ParsedOptions, env: NodeJS.ProcessEnv = process.env): { db: string; database?: string } {
  const file = raw(opts, env, 'db');
  const db = file?.value ?? DEFAULT_DB;
  if (!db.trim()) throw new UsageError('--db: empty file name');
  const database = raw(opts, env, 'database');
  if (!database) return { db };
  if (!isPostgresUrl(database.value)) {
    throw new UsageError(`${database.from}: expected a postgresql:// URL (a SQLite file is given with --db FILE)`);
  }
  if (file !== undefined) throw new UsageError('--db and --database: give one history database, not both');
  return { db, database: database.value };
}

/** Builds the frozen `api` configuration; throws UsageError on any malformed value. */
export function apiConfig(opts: ParsedOptions, env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const listen = raw(opts, env, 'listen') ?? { value: DEFAULT_LISTEN, from: '--listen' };
  return Object.freeze({ ...databaseConfig(opts, env), listen: Object.freeze(parseListen(listen.value, listen.from)) });
}
