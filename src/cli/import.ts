/**
 * import: `routetrace import --db FILE --objects DUMP [--at TIME] [--cluster NAME]` stores what
 * `kubectl get ... -o json|yaml` printed as the cluster's state at one instant, through the history writer
 * (as if the watchers had listed it then), so a dump taken during an incident can be queried like watched
 * history (`resolve --db --at`, `timeline`, the API).
 *
 * Each kind present in the dump is stored as a complete list of that kind: objects of that kind stored
 * earlier and absent from the dump are closed at `--at` (with a gap record, as for a relist). Kinds absent
 * from the dump are left as they are. Namespaced objects without a namespace go to "default".
 * `--at` (default now) cannot be earlier than history already stored for the cluster (versions never go
 * back in time): import older dumps first, or into another --cluster. Exit codes: 0 stored, 1 unreadable
 * input or database, 2 bad flags.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from './Command.js';
import { UsageError } from './Command.js';
import { stringOption } from './optionValues.js';
import type { Kind, KubeObject, Snapshot } from '../model/objects.js';
import { KINDS, SNAPSHOT_FIELD } from '../model/objects.js';
import { parseTime, TimeParseError } from '../time/parseTime.js';

export const DEFAULT_IMPORT_CLUSTER = 'imported';

const FIELDS: readonly [Kind, keyof Snapshot][] = KINDS.map((kind) => [kind, SNAPSHOT_FIELD[kind]]);
const CLUSTER_SCOPED: ReadonlySet<Kind> = new Set(['IngressClass', 'Node', 'GatewayClass']);

export const importCommand: Command = {
  name: 'import',
  summary: 'Store a kubectl get -o json|yaml dump in a history database as the state at one time',
  details: `Examples:
  kubectl get svc,endpoints,endpointslices,pods,ingress,ingressclass -A -o json > dump.json
  (with the Gateway API, add gatewayclass,gateway,httproute,grpcroute,referencegrant)
  routetrace import --db incident.db --objects dump.json --at 2026-11-25T14:03:00Z --cluster prod
  routetrace resolve --db incident.db --at 2026-11-25T14:03:00Z --host shop.example.com --port 443`,
  options: {
    db: { type: 'string', valueName: 'FILE', description: 'History database file (created when missing)' },
    objects: { type: 'string', valueName: 'DUMP', description: 'kubectl get -o json|yaml output; - for standard input' },
    at: { type: 'string', valueName: 'TIME', description: 'Time the dump shows (RFC 3339, epoch ms, or -15m/-2h/-1d)', defaultText: 'now' },
    cluster: { type: 'string', valueName: 'NAME', description: 'Cluster name to store it under', defaultText: DEFAULT_IMPORT_CLUSTER },
  },
  async run(opts) {
    const db = stringOption(opts, 'db');
    const dump = stringOption(opts, 'objects');
    if (db === undefined) throw new UsageError('import: --db FILE is required');
    if (dump === undefined) throw new UsageError('import: --objects DUMP is required');
    const cluster = stringOption(opts, 'cluster') ?? DEFAULT_IMPORT_CLUSTER;
    if (cluster.trim() === '') throw new UsageError('--cluster: empty');
    const rawAt = stringOption(opts, 'at');
    let at: Date;
    try {
      at = rawAt === undefined ? new Date() : parseTime(rawAt);
    } catch (e) {
      if (e instanceof TimeParseError) throw new UsageError(`--at: ${e.message}`);
      throw e;
    }
    let text: string;
    try {
      if (dump === '-') {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        text = Buffer.concat(chunks).toString('utf8');
      } else {
        text = await readFile(dump, 'utf8');
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new Error(`cannot read ${dump}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message.split('\n')[0]}`);
    }
    const { readObjects } = await import('../model/readObjects.js');
    const { snapshot } = readObjects(text, dump === '-' ? 'standard input' : dump);
    const present = FIELDS.filter(([, f]) => snapshot[f].length > 0);
    if (present.length === 0) throw new Error(`${dump}: no object of the kinds routetrace keeps (${KINDS.join(', ')}) in it`);

    const { HistoryWriter } = await import('../history/HistoryWriter.js');
    const writer = await HistoryWriter.open({ file: db, cluster });
    try {
      const { lastObservedAt } = await import('../history/lastObservedAt.js');
      const last = lastObservedAt(writer.database, writer.clusterId);
      if (last !== null && last > at.getTime()) {
        throw new Error(`${db} already holds history of cluster '${cluster}' up to ${new Date(last).toISOString()}; a dump at ${at.toISOString()} cannot go before it (import older dumps first, or use another --cluster)`);
      }
      const counts: string[] = [];
      for (const [kind, field] of present) {
        const objects = (snapshot[field] as readonly KubeObject[]).map((o) =>
          CLUSTER_SCOPED.has(kind) || o.metadata?.namespace ? o : { ...o, metadata: { ...o.metadata, namespace: 'default' } },
        );
        writer.listed(kind, objects, at);
        counts.push(`${objects.length} ${kind}`);
      }
      await writer.flush();
      process.stdout.write(`stored ${counts.join(', ')} as cluster '${cluster}' at ${at.toISOString()} in ${db}\n`);
    } finally {
      await writer.close();
    }
    return 0;
  },
};
