/**
 * timeline: `routetrace timeline --db FILE --service NS/NAME | --host HOST [--port P] [--from T] [--to T]
 * [--cluster NAME] [--json]`: what changed on a route, from a history database file, without a cluster.
 *
 * Prints one line per event, oldest first (observed time, event type, what changed, and the time Kubernetes
 * states for the change when it states one); --json prints `{from, to, services, events}`. Times accept
 * RFC 3339, epoch milliseconds and relative forms (-15m); default: the last hour. Exit codes: 0 answered
 * (also when nothing changed), 1 unreadable database or unknown cluster, 2 bad flags.
 */
import type { Command } from './Command.js';
import { UsageError } from './Command.js';
import { DATABASE_OPTION, historyDatabaseOption } from './historyDatabaseOption.js';
import { booleanOption, stringOption } from './optionValues.js';
import { parseTime, TimeParseError } from '../time/parseTime.js';

function timeOption(opts: Parameters<Command['run']>[0], name: string, now: number): Date | undefined {
  const raw = stringOption(opts, name);
  if (raw === undefined) return undefined;
  try {
    return parseTime(raw, now);
  } catch (e) {
    if (e instanceof TimeParseError) throw new UsageError(`--${name}: ${e.message}`);
    throw e;
  }
}

function nsName(flag: string, value: string): { namespace: string; name: string } {
  const parts = value.split('/');
  if (parts.length === 1 && parts[0]) return { namespace: 'default', name: parts[0] };
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--${flag}: expected NAMESPACE/NAME, got '${value}'`);
  return { namespace: parts[0], name: parts[1] };
}

export const timelineCommand: Command = {
  name: 'timeline',
  summary: 'List what changed on the route of a Service or host between two times, from a history database',
  details: `Examples:
  routetrace timeline --db data/routetrace.db --service default/my-app-service --from -2h
  routetrace timeline --db incident.db --host shop.example.com --port 443 --from 2026-11-25T14:00:00Z --to 2026-11-25T14:10:00Z --json

Events: endpoints added/removed/ready/not ready/terminating/port changed, Service selector/ports/type changes,
Ingress rule changes, Gateway API route changes (GATEWAY_ROUTE_CHANGED: a canary's weights included),
Pod IP changes, and watch gaps (periods in which changes may be missing).`,
  options: {
    db: { type: 'string', valueName: 'FILE', description: 'History database file (this or --database is required)' },
    database: DATABASE_OPTION,
    service: { type: 'string', valueName: 'NS/NAME', description: 'The Service whose route to follow' },
    host: { type: 'string', valueName: 'HOST', description: 'Or: a host (Ingress host, DNS name, IP); follows the Services it reaches' },
    port: { type: 'string', valueName: 'PORT', description: 'Only this Service port (number or name)' },
    path: { type: 'string', valueName: '/PATH', description: 'With --host: the URL path whose route is followed', defaultText: '/' },
    from: { type: 'string', valueName: 'TIME', description: 'Start (RFC 3339, epoch ms, or -15m/-2h/-1d)', defaultText: '1 hour before --to' },
    to: { type: 'string', valueName: 'TIME', description: 'End', defaultText: 'now' },
    cluster: { type: 'string', valueName: 'NAME', description: 'Cluster in the database', defaultText: 'the only one' },
    json: { type: 'boolean', description: 'Print JSON' },
  },
  async run(opts) {
    const db = historyDatabaseOption(opts);
    if (db === undefined) throw new UsageError('timeline: --db FILE or --database URL is required');
    // `routetrace timeline ... | head`: a reader that stops early is not an error.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
    });
    const service = stringOption(opts, 'service');
    const host = stringOption(opts, 'host');
    if ((service === undefined) === (host === undefined)) throw new UsageError('timeline: give exactly one of --service NS/NAME and --host HOST');
    const now = Date.now();
    const from = timeOption(opts, 'from', now);
    const to = timeOption(opts, 'to', now);
    if (from && to && from.getTime() > to.getTime()) throw new UsageError('--from: must not be after --to');
    const port = stringOption(opts, 'port');
    const { openHistoryFile } = await import('../queries/historyFile.js');
    const { QueryError } = await import('../queries/QueryError.js');
    const { MAX_PAGE_SIZE } = await import('../queries/pagination.js');
    const h = await openHistoryFile(db, stringOption(opts, 'cluster'));
    try {
      const events = [];
      let after: string | null = null;
      let result;
      try {
        for (;;) {
          result = await h.queries.timeline({
            service: service !== undefined ? nsName('service', service) : null,
            host: host ?? null,
            path: stringOption(opts, 'path') ?? null,
            port: port === undefined ? null : /^\d+$/.test(port) ? Number(port) : port,
            from: from ?? null,
            to: to ?? null,
            first: MAX_PAGE_SIZE,
            after,
          });
          events.push(...result.page.edges.map((e) => e.node));
          if (!result.page.pageInfo.hasNextPage) break;
          after = result.page.pageInfo.endCursor;
        }
      } catch (e) {
        if (e instanceof QueryError) throw new UsageError(`timeline: ${e.message}`);
        throw e;
      }
      if (booleanOption(opts, 'json')) {
        process.stdout.write(JSON.stringify({ from: result.from, to: result.to, services: result.services, events }, null, 2) + '\n');
        return 0;
      }
      const lines = [
        `Timeline of ${result.services.map((s) => `${s.namespace}/${s.name}`).join(', ') || '(no Service)'} from ${result.from.toISOString()} to ${result.to.toISOString()}: ${events.length} event(s)`,
      ];
      const width = Math.max(0, ...events.map((e) => e.type.length));
      for (const e of events) {
        const change = e.changeTime && e.changeTime.getTime() !== e.observedTime.getTime() ? `  [changed ${e.changeTime.toISOString()}]` : '';
        lines.push(`${e.observedTime.toISOString()}  ${e.type.padEnd(width)}  ${e.message}${change}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    } finally {
      await h.close();
    }
  },
};
