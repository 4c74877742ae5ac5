/**
 * postgresConnection: SqlConnection over one PostgreSQL connection through pg-native (node-postgres' libpq
 * binding, blocking calls), so the history store stays synchronous on PostgreSQL too: a call waits for the
 * server's answer (~0.1 ms on a local connection). Statements (postgresDialect's SQL, `$n` placeholders)
 * are prepared on the server once per text and executed by name.
 *
 * Types come back as on SQLite: int2/int4/int8/numeric/float as numbers (epoch-ms times are bigint
 * columns), bytea as Buffers, booleans as true/false, everything else as text. Buffers are sent in
 * bytea's hex form. An INSERT's id is the `id` column it RETURNs.
 *
 * A lost connection (server restart, failover) fails the call that found it; the next call outside a
 * transaction connects again, so a writer's next batch retry goes through once the server is back.
 *
 * pg-native is an optional dependency (it builds against libpq): when it is missing, connecting fails with
 * PostgresUnavailableError saying what to install.
 */
import { createRequire } from 'node:module';
import type { SqlKey } from './dialect.js';
import { SQL } from './postgresDialect.js';
import type { RunResult, SqlConnection, SqlRow, SqlStatement, SqlValue } from './SqlConnection.js';

export class PostgresUnavailableError extends Error {
  override name = 'PostgresUnavailableError';
}

interface NativeClient {
  connectSync(url: string): void;
  querySync(text: string, values?: unknown[]): SqlRow[];
  prepareSync(name: string, text: string, nParams: number): void;
  executeSync(name: string, values: unknown[]): SqlRow[];
  end(cb?: () => void): void;
  pq: { cmdTuples(): string; finish(): void };
}
type NativeClientClass = new (config: { types: { getTypeParser(oid: number): (v: string) => unknown } }) => NativeClient;

const toNumber = (v: string): number => Number(v);
const identity = (v: string): string => v;
const PARSERS: Record<number, (v: string) => unknown> = {
  16: (v) => v === 't', // bool
  17: (v) => Buffer.from(v.slice(2), 'hex'), // bytea, hex output format
  20: toNumber, 21: toNumber, 23: toNumber, 26: toNumber, 700: toNumber, 701: toNumber, 1700: toNumber,
};
const types = { getTypeParser: (oid: number) => PARSERS[oid] ?? identity };

/** Native clients just closed, kept alive until libuv has closed their handles (see close()). */
const closing = new Set<NativeClient>();

let clientClass: NativeClientClass | undefined;
function loadClient(): NativeClientClass {
  if (clientClass) return clientClass;
  try {
    clientClass = createRequire(import.meta.url)('pg-native') as NativeClientClass;
    return clientClass;
  } catch (e) {
    throw new PostgresUnavailableError(
      'a postgresql:// database needs the optional package pg-native, which builds against libpq: install ' +
        "libpq's headers (Debian/Ubuntu: apt-get install libpq-dev; Alpine: apk add postgresql-dev) and a C++ " +
        `toolchain, then run npm install again (${(e as Error).message.split('\n')[0]})`,
    );
  }
}

/** The URL without its password, for logs and error messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql://…';
  }
}

const param = (v: SqlValue): unknown => (Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : v);

function connect(url: string): NativeClient {
  const Client = loadClient();
  const native = new Client({ types });
  try {
    native.connectSync(url);
  } catch (e) {
    release(native);
    throw new Error(`cannot connect to PostgreSQL at ${redactedUrl(url)}: ${(e as Error).message.trim()}`);
  }
  native.querySync('SET client_min_messages = warning');
  return native;
}

/** Ends a native connection. */
function release(native: NativeClient): void {
  native.pq.finish();
  // finish() hands the connection's poll handle to libuv to close on this loop turn; the handle lives in
  // the native object, so it must not be garbage-collected before libuv is done with it (it would be
  // freed under libuv: a crash at exit). Keep it referenced past the next turns.
  closing.add(native);
  setTimeout(() => closing.delete(native), 1000).unref();
}

class PostgresStatement implements SqlStatement {
  private name: string | undefined;

  constructor(private readonly conn: PostgresConnection, private readonly text: string) {}

  /** The connection generation the statement was prepared on (a new connection has none prepared). */
  private generation = -1;

  private exec(params: SqlValue[]): SqlRow[] {
    return this.conn.guarded(() => {
      const client = this.conn.client();
      if (this.name === undefined || this.generation !== this.conn.generation) {
        const name = this.conn.nextStatementName();
        client.prepareSync(name, this.text, params.length);
        this.name = name;
        this.generation = this.conn.generation;
      }
      return client.executeSync(this.name, params.map(param));
    });
  }

  run(...params: SqlValue[]): RunResult {
    const rows = this.exec(params);
    const id = rows.length > 0 ? rows[0]!.id : undefined;
    return { changes: Number(this.conn.client().pq.cmdTuples()) || 0, lastInsertRowid: typeof id === 'number' ? id : 0 };
  }
  get(...params: SqlValue[]): SqlRow | undefined {
    return this.exec(params)[0];
  }
  all(...params: SqlValue[]): SqlRow[] {
    return this.exec(params);
  }
  iterate(...params: SqlValue[]): IterableIterator<SqlRow> {
    return this.exec(params)[Symbol.iterator]();
  }
  raw(...params: SqlValue[]): unknown[][] {
    return this.exec(params).map((r) => Object.values(r));
  }
  rawIterate(...params: SqlValue[]): IterableIterator<unknown[]> {
    return this.raw(...params)[Symbol.iterator]();
  }
  pluck(...params: SqlValue[]): unknown {
    const row = this.exec(params)[0];
    return row === undefined ? undefined : Object.values(row)[0];
  }
  pluckAll(...params: SqlValue[]): unknown[] {
    return this.exec(params).map((r) => Object.values(r)[0]);
  }
}

export class PostgresConnection implements SqlConnection {
  readonly engine = 'postgresql' as const;
  private native: NativeClient | null;
  private readonly statements = new Map<string, PostgresStatement>();
  private statementCount = 0;
  private depth = 0;
  /** Set when a call failed because the connection itself is gone: the next call outside a transaction reconnects. */
  private lost = false;
  /** @internal Bumped on every reconnect: statements prepared before must be prepared again. */
  generation = 0;

  /** Connects to `url` (postgresql://user:password@host:port/database?…, libpq's URI form). */
  constructor(readonly url: string) {
    this.native = connect(url);
  }

  /** @internal */ client(): NativeClient {
    if (!this.native) throw new Error('the PostgreSQL connection is not open');
    if (this.lost && this.depth === 0) {
      // The server went away (restart, failover, idle timeout): connect again. Nothing was half-written: a
      // transaction the lost connection held was rolled back by the server, and its caller got the error.
      const old = this.native;
      this.native = connect(this.url);
      this.lost = false;
      this.generation++;
      release(old);
    }
    return this.native;
  }

  /**
   * @internal Runs one call on the server; when it fails, tells apart an error of the statement (the
   * connection answers `SELECT 1`, or a transaction is open and must be rolled back first) from a lost
   * connection (it does not), so the next call can reconnect.
   */
  guarded<T>(call: () => T): T {
    try {
      return call();
    } catch (e) {
      if (this.native && this.depth === 0) {
        try {
          this.native.querySync('SELECT 1');
        } catch {
          this.lost = true;
        }
      }
      throw e;
    }
  }

  /** @internal */ nextStatementName(): string {
    return `routetrace_${++this.statementCount}`;
  }

  stmt(key: SqlKey): SqlStatement {
    return this.prepare(SQL[key]);
  }

  prepare(text: string): SqlStatement {
    let s = this.statements.get(text);
    if (!s) this.statements.set(text, (s = new PostgresStatement(this, text)));
    return s;
  }

  exec(text: string): void {
    this.guarded(() => this.client().querySync(text));
  }

  transaction<T>(fn: () => T): T {
    const savepoint = this.depth > 0 ? `routetrace_sp${this.depth}` : null;
    this.exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
    this.depth++;
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.depth--;
      try {
        this.exec(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK');
      } catch {
        // The connection is gone: the server rolls back what it had; the next call reconnects. The
        // original error is what matters.
        this.lost = true;
      }
      throw e;
    }
    this.depth--;
    this.exec(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
    return result;
  }

  get open(): boolean {
    return this.native !== null;
  }

  close(): void {
    if (!this.native) return;
    release(this.native);
    this.native = null;
  }
}

/**
 * Creates an empty database named `name` on the server of `adminUrl` (a role allowed to CREATE DATABASE);
 * returns the URL of the new database (adminUrl with its path replaced). For tests and benchmarks.
 */
export function createPostgresDatabase(adminUrl: string, name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`createPostgresDatabase: '${name}' is not a plain database name`);
  const admin = new PostgresConnection(adminUrl);
  try {
    admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    admin.close();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
