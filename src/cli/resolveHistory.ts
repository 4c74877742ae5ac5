/**
 * resolveHistory: the `--db FILE --at TIME [--cluster NAME]` snapshot source of `routetrace resolve`: the
 * cluster state stored in a history database as of a time (default now), instead of kubectl output files.
 * It has the shape of resolve's SnapshotSource (describe/load), and its flags are declared here so
 * resolve's option table can spread them in. `loadEach` gives the snapshot of every cluster the file holds
 * (or of --cluster), for questions answered per cluster.
 */
import type { OptionTable, ParsedOptions } from './Command.js';
import { UsageError } from './Command.js';
import { DATABASE_OPTION, historyDatabaseOption } from './historyDatabaseOption.js';
import { stringOption } from './optionValues.js';
import type { Snapshot } from '../model/objects.js';
import { parseTime, TimeParseError } from '../time/parseTime.js';

export const RESOLVE_HISTORY_OPTIONS: OptionTable = {
  db: { type: 'string', valueName: 'FILE', description: 'Read the state from this history database instead of --objects' },
  database: DATABASE_OPTION,
  at: { type: 'string', valueName: 'TIME', description: 'With --db: the time to answer for (RFC 3339, epoch ms, or -15m/-2h/-1d)', defaultText: 'now' },
  cluster: { type: 'string', valueName: 'NAME', description: 'With --db: the cluster in the database', defaultText: 'the only one' },
};

export class HistorySnapshotSource {
  constructor(
    private readonly file: string,
    private readonly at: Date,
    private readonly cluster: string | undefined,
  ) {}

  describe(): string {
    return `${this.file} at ${this.at.toISOString()}`;
  }

  async load(): Promise<Snapshot> {
    const { openHistoryFile } = await import('../queries/historyFile.js');
    const h = await openHistoryFile(this.file, this.cluster);
    try {
      return h.state.historySnapshot(this.at);
    } finally {
      await h.close();
    }
  }

  /** The snapshot of --cluster, or of every cluster of the file (sorted by name). */
  async loadEach(): Promise<{ cluster: string; snapshot: Snapshot }[]> {
    const { openHistoryFleet } = await import('../queries/historyFile.js');
    const { QueryError } = await import('../queries/QueryError.js');
    const h = await openHistoryFleet(this.file);
    try {
      return h.fleet.each(this.cluster).map((c) => ({ cluster: c.cluster, snapshot: c.queries.state.historySnapshot(this.at) }));
    } catch (e) {
      if (e instanceof QueryError) throw new Error(`${this.file}: ${e.message}`);
      throw e;
    } finally {
      await h.close();
    }
  }
}

/** The history source the flags name, or null when --db is absent (--at/--cluster alone are errors). */
export function historySnapshotSourceFromOptions(opts: ParsedOptions, now: number = Date.now()): HistorySnapshotSource | null {
  const db = historyDatabaseOption(opts);
  const rawAt = stringOption(opts, 'at');
  const cluster = stringOption(opts, 'cluster');
  if (db === undefined) {
    if (rawAt !== undefined) throw new UsageError('--at: only applies with --db FILE');
    if (cluster !== undefined) throw new UsageError('--cluster: only applies with --db FILE');
    return null;
  }
  if (opts['objects'] !== undefined) throw new UsageError('resolve: --db and --objects cannot be combined');
  let at: Date;
  try {
    at = rawAt === undefined ? new Date(now) : parseTime(rawAt, now);
  } catch (e) {
    if (e instanceof TimeParseError) throw new UsageError(`--at: ${e.message}`);
    throw e;
  }
  return new HistorySnapshotSource(db, at, cluster);
}
