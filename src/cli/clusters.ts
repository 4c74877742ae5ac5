/**
 * clusters: `routetrace clusters --db FILE [--cluster NAME] [--json]`: the clusters a history database
 * holds, each with its sync state per kind (listed into the history or not, last stored report) and its
 * watch gaps, read from the file without a cluster. Exit codes: 0 listed (also when the file holds no
 * cluster yet), 1 unreadable database or unknown cluster, 2 bad flags.
 */
import type { Command } from './Command.js';
import { UsageError } from './Command.js';
import { booleanOption, stringOption } from './optionValues.js';
import { DATABASE_OPTION, historyDatabaseOption } from './historyDatabaseOption.js';

export const clustersCommand: Command = {
  name: 'clusters',
  summary: 'List the clusters of a history database with their sync state and watch gaps',
  details: `Examples:
  routetrace clusters --db data/fleet.db
  routetrace clusters --db data/fleet.db --cluster eu-1 --json
  routetrace clusters --database postgresql://reader@db.example/fleet`,
  options: {
    db: { type: 'string', valueName: 'FILE', description: 'History database file (this or --database is required)' },
    database: DATABASE_OPTION,
    cluster: { type: 'string', valueName: 'NAME', description: 'Only this cluster', defaultText: 'every cluster' },
    json: { type: 'boolean', description: 'Print JSON' },
  },
  async run(opts) {
    const db = historyDatabaseOption(opts);
    if (db === undefined) throw new UsageError('clusters: --db FILE or --database URL is required');
    const { openHistoryFleet } = await import('../queries/historyFile.js');
    const { QueryError } = await import('../queries/QueryError.js');
    const h = await openHistoryFleet(db);
    try {
      let list;
      try {
        list = await h.fleet.status(stringOption(opts, 'cluster'));
      } catch (e) {
        if (e instanceof QueryError) throw new Error(`${db}: ${e.message}`);
        throw e;
      }
      if (booleanOption(opts, 'json')) {
        process.stdout.write(JSON.stringify(list, null, 2) + '\n');
        return 0;
      }
      const iso = (d: Date | null) => d?.toISOString() ?? 'never';
      const lines = [`${db}: ${list.length} cluster(s)`];
      for (const c of list) {
        lines.push('', `Cluster ${c.name}: ${c.synced ? 'synced' : 'not synced'}, last report stored ${iso(c.lastObservedAt)}`);
        for (const k of c.kinds) lines.push(`  ${k.kind.padEnd(14)} ${(k.synced ? 'synced' : 'not synced').padEnd(11)} ${iso(k.lastObservedAt)}`);
        lines.push(`  ${c.gaps.length} gap(s)${c.gaps.length ? ':' : ''}`);
        for (const g of c.gaps) lines.push(`    ${g.from.toISOString()} .. ${g.to.toISOString()}  ${g.kind}  ${g.reason}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    } finally {
      await h.close();
    }
  },
};
