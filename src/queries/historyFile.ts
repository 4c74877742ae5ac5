/**
 * historyFile: the read use cases over a history database (a SQLite file or a PostgreSQL URL) alone (no
 * cluster, no live state), for the postmortem CLI (`resolve`, `timeline`, `clusters` with --db/--database).
 * "Now" is then the history's state at the current time.
 *
 * The file must exist (a missing file is an error, not a new empty database). `openHistoryFleet` gives every
 * cluster the file holds (Fleet, whose errors name `--cluster`); `openHistoryFile` one of them: `cluster`,
 * or the only one the file holds (several: an error naming them). Errors are one-line Errors for the CLI.
 * Opening an older file upgrades it in place (migrations, then data backfills); the backfill's progress goes
 * to `logger` (default: one line per step on stderr).
 */
import { existsSync, statSync } from 'node:fs';
import { clusterNames } from '../history/clusterNames.js';
import { historyLocation } from '../history/historyLocation.js';
import { openHistoryDatabase, type HistoryDatabase } from '../history/openHistoryDatabase.js';
import type { Logger } from '../watch/Logger.js';
import type { ClusterState } from './ClusterState.js';
import { Fleet } from './Fleet.js';
import type { Queries } from './Queries.js';
import { QueryError } from './QueryError.js';

export interface HistoryFleet {
  readonly database: HistoryDatabase;
  readonly fleet: Fleet;
  close(): Promise<void>;
}

export interface HistoryFile {
  readonly database: HistoryDatabase;
  readonly cluster: string;
  readonly state: ClusterState;
  readonly queries: Queries;
  close(): Promise<void>;
}

/** Cluster names stored in the file, sorted. */
export { clusterNames };

/** Backfill progress as plain lines on stderr, for the CLI. */
const stderrProgress: Logger = {
  log(_level, event, fields = {}) {
    process.stderr.write(`routetrace: ${event} ${Object.entries(fields).map(([k, v]) => `${k}=${String(v)}`).join(' ')}\n`);
  },
};

/** Opens every cluster of the history in `spec`: a SQLite file, or a PostgreSQL database (postgresql://…). */
export async function openHistoryFleet(spec: string, logger: Logger = stderrProgress): Promise<HistoryFleet> {
  const where = historyLocation(spec);
  if (where.file !== undefined) {
    if (!existsSync(spec)) throw new Error(`cannot open ${spec}: no such file`);
    if (!statSync(spec).isFile()) throw new Error(`cannot open ${spec}: not a file`);
  }
  const database = await openHistoryDatabase({ ...where, logger });
  const fleet = new Fleet({ argument: '--cluster' });
  fleet.attachHistory(database);
  return { database, fleet, close: () => database.close() };
}

export async function openHistoryFile(spec: string, cluster?: string, logger: Logger = stderrProgress): Promise<HistoryFile> {
  const h = await openHistoryFleet(spec, logger);
  const file = h.database.location;
  try {
    const name = h.fleet.clusterOf(cluster);
    const queries = h.fleet.queries(name);
    return { database: h.database, cluster: name, state: queries.state, queries, close: h.close };
  } catch (e) {
    await h.close();
    if (e instanceof QueryError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
}
