/**
 * historyFile: the read use cases over a history database (a SQLite file or a PostgreSQL URL) alone (no cluster, no live state), for the
 * postmortem CLI (`resolve --db/--database`, `timeline --db/--database`). "Now" is then the history's state at the current time.
 *
 * The file must exist (a missing file is an error, not a new empty database). The cluster defaults to the
 * only one the file holds; with several, `cluster` must name one. Errors are one-line Errors for the CLI.
 * Opening an older file upgrades it in place (migrations, then data backfills); the backfill's progress goes
 * to `logger` (default: one line per step on stderr).
 */
import { existsSync, statSync } from 'node:fs';
import { clusterNames } from '../history/clusterNames.js';
import { HistoryReader } from '../history/HistoryReader.js';
import { historyLocation } from '../history/historyLocation.js';
import { openHistoryDatabase, type HistoryDatabase } from '../history/openHistoryDatabase.js';
import type { Logger } from '../watch/Logger.js';
import { ClusterState } from './ClusterState.js';
import { Queries } from './Queries.js';

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

/** Opens the history in `spec`: a SQLite file, or a PostgreSQL database (postgresql://…). */
export async function openHistoryFile(spec: string, cluster?: string, logger: Logger = stderrProgress): Promise<HistoryFile> {
  const where = historyLocation(spec);
  if (where.file !== undefined) {
    if (!existsSync(spec)) throw new Error(`cannot open ${spec}: no such file`);
    if (!statSync(spec).isFile()) throw new Error(`cannot open ${spec}: not a file`);
  }
  const database = await openHistoryDatabase({ ...where, logger });
  const file = database.location;
  try {
    const names = clusterNames(database);
    let name = cluster;
    if (name === undefined) {
      if (names.length === 0) throw new Error(`${file} holds no history yet`);
      if (names.length > 1) throw new Error(`${file} holds several clusters (${names.join(', ')}): choose one with --cluster`);
      name = names[0]!;
    } else if (!names.includes(name)) {
      throw new Error(`${file} has no cluster '${name}'${names.length ? ` (it has: ${names.join(', ')})` : ''}`);
    }
    const state = new ClusterState({ history: { reader: new HistoryReader(database), database, cluster: name } });
    return { database, cluster: name, state, queries: new Queries(state), close: () => database.close() };
  } catch (e) {
    await database.close();
    throw e;
  }
}
