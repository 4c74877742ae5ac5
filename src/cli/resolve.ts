/**
 * resolve: `routetrace resolve` — answers "where does this traffic end up?" (or, with --ip/--pod, "what
 * reaches this Pod?") from cluster objects, offline.
 *
 * Flags are checked first (UsageError → exit 2, one line); then the snapshot is loaded from its source and
 * the question answered. The snapshot source is an interface so a history-backed source (a database at a
 * point in time) can replace the files. Heavy modules (YAML parser, resolver) are imported only when the
 * command runs, so other commands do not pay for them and this one starts quickly.
 */
import { readFile } from 'node:fs/promises';
import type { Command, ParsedOptions } from './Command.js';
import { UsageError } from './Command.js';
import { booleanOption, intOption, stringListOption, stringOption } from './optionValues.js';
import { HistorySnapshotSource, historySnapshotSourceFromOptions, RESOLVE_HISTORY_OPTIONS } from './resolveHistory.js';
import type { Snapshot } from '../model/objects.js';
import type { HostQuestion, Question } from '../model/route.js';
import { CLIENT_ORIGIN_FORMS, parseClientOrigin, type ClientOrigin } from '../model/clientOrigin.js';
import { checkHeaders, checkMethod, parseHeaderLines } from '../queries/inputs.js';
import { QueryError } from '../queries/QueryError.js';

/** Where the snapshot comes from. Files today; a history database at a given time later. */
export interface SnapshotSource {
  /** For messages, e.g. "2 files". */
  describe(): string;
  load(): Promise<Snapshot>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads kubectl output files (`-` = standard input). */
export class FileSnapshotSource implements SnapshotSource {
  constructor(private readonly files: readonly string[]) {}

  describe(): string {
    return this.files.length === 1 ? this.files[0]! : `${this.files.length} files`;
  }

  async load(): Promise<Snapshot> {
    const { readObjects, mergeSnapshots } = await import('../model/readObjects.js');
    const parts: Snapshot[] = [];
    for (const file of this.files) {
      let text: string;
      try {
        text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new Error(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message.split('\n')[0]}`);
      }
      parts.push(readObjects(text, file === '-' ? 'standard input' : file).snapshot);
    }
    return mergeSnapshots(parts);
  }
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function nsName(flag: string, value: string): { namespace: string; name: string } {
  const parts = value.split('/');
  if (parts.length === 1 && parts[0]) return { namespace: 'default', name: parts[0] };
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--${flag}: expected NAMESPACE/NAME, got '${value}'`);
  return { namespace: parts[0], name: parts[1] };
}

function isIP(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
}

/** Runs a shared input check; its QueryError becomes a UsageError naming the flag. */
function asUsage<T>(flag: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof QueryError) throw new UsageError(`--${flag}: ${err.message.replace(/^[a-z]+: /, '')}`);
    throw err;
  }
}

/** Builds the question from the flags; every problem is a UsageError. */
export function questionFromOptions(opts: ParsedOptions): Question {
  const host = stringOption(opts, 'host');
  const service = stringOption(opts, 'service');
  const ip = stringOption(opts, 'ip');
  const pod = stringOption(opts, 'pod');
  const path = stringOption(opts, 'path');
  const rawPort = stringOption(opts, 'port');
  const clientNode = stringOption(opts, 'client-node');
  const clientZone = stringOption(opts, 'client-zone');
  const ingressClass = stringOption(opts, 'ingress-class');
  const controller = stringOption(opts, 'controller');
  const clientRaw = stringOption(opts, 'client');
  const protocolRaw = stringOption(opts, 'protocol');
  const headerLines = stringListOption(opts, 'header');
  const methodRaw = stringOption(opts, 'method');
  const given = [host !== undefined && '--host', service !== undefined && '--service', ip !== undefined && '--ip', pod !== undefined && '--pod'].filter(Boolean);
  if (given.length === 0) throw new UsageError('resolve: give --host H, --service NAMESPACE/NAME, or --ip IP / --pod NAMESPACE/NAME for a reverse lookup');
  if (given.length > 1) throw new UsageError(`resolve: ${given.join(' and ')} cannot be combined; ask one question at a time`);
  if (path !== undefined && !path.startsWith('/')) throw new UsageError(`--path: '${path}' must start with /`);
  if (path !== undefined && host === undefined) throw new UsageError('--path: only applies to --host');
  if (headerLines.length > 0 && host === undefined) throw new UsageError('--header: only applies to --host');
  if (methodRaw !== undefined && host === undefined) throw new UsageError('--method: only applies to --host');
  const headers = asUsage('header', () => checkHeaders(parseHeaderLines(headerLines)));
  const method = asUsage('method', () => checkMethod(methodRaw));
  const protocol = protocolRaw === undefined ? undefined : protocolRaw.toUpperCase();
  if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new UsageError(`--protocol: '${protocolRaw}' is not TCP, UDP or SCTP`);
  let origin: ClientOrigin | undefined;
  if (clientRaw !== undefined) {
    origin = parseClientOrigin(clientRaw) ?? undefined;
    if (!origin) throw new UsageError(`--client: expected ${CLIENT_ORIGIN_FORMS}, got '${clientRaw}'`);
    if (clientNode !== undefined) throw new UsageError('--client and --client-node cannot be combined (--client node:NAME names a node)');
  }
  if (ingressClass !== undefined && controller !== undefined) throw new UsageError('--ingress-class and --controller cannot be combined');
  if ((ingressClass !== undefined || controller !== undefined) && host === undefined) throw new UsageError(`--${ingressClass !== undefined ? 'ingress-class' : 'controller'}: only applies to --host`);
  const client = { ...(origin ? { client: origin } : {}), ...(clientNode ? { clientNode } : {}), ...(clientZone ? { clientZone } : {}) };

  if (ip !== undefined || pod !== undefined) {
    if (rawPort !== undefined) throw new UsageError('--port: does not apply to a reverse lookup (--ip/--pod)');
    if (ip !== undefined) {
      if (!isIP(ip)) throw new UsageError(`--ip: '${ip}' is not an IP address`);
      return { kind: 'reverse', ip };
    }
    return { kind: 'reverse', pod: nsName('pod', pod!) };
  }
  if (service !== undefined) {
    let port: number | string | undefined;
    if (rawPort !== undefined) {
      if (/^-?\d+$/.test(rawPort.trim())) port = intOption(opts, 'port', 1, 65535);
      else if (PORT_NAME.test(rawPort) && rawPort.length <= 63) port = rawPort;
      else throw new UsageError(`--port: '${rawPort}' is neither a port number (1..65535) nor a port name`);
    }
    return { kind: 'service', ...nsName('service', service), ...(port !== undefined ? { port } : {}), ...(protocol ? { protocol } : {}), ...client };
  }
  if (host!.trim() === '') throw new UsageError('--host: empty');
  const port = intOption(opts, 'port', 1, 65535);
  return {
    kind: 'host',
    host: host!,
    ...(port !== undefined ? { port } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(protocol ? { protocol } : {}),
    ...(ingressClass ? { ingressClass } : {}),
    ...(controller ? { ingressController: controller } : {}),
    ...(headers && Object.keys(headers).length > 0 ? { headers } : {}),
    ...(method ? { method } : {}),
    ...client,
  };
}

/** The snapshot source the flags name: kubectl output files, or a history database at a time (--db/--at). */
export function snapshotSourceFromOptions(opts: ParsedOptions): SnapshotSource {
  const history = historySnapshotSourceFromOptions(opts);
  if (history) return history;
  const files = stringListOption(opts, 'objects');
  if (files.length === 0) throw new UsageError('resolve: --objects FILE is required (kubectl get ... -o json|yaml output; - for standard input), or --db FILE [--at TIME]');
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('--objects: standard input (-) can be given only once');
  return new FileSnapshotSource(files);
}

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'Trace where traffic to a host, IP, DNS name or Service ends up (or what reaches a Pod), from saved objects',
  details: `Examples:
  kubectl get svc,endpoints,endpointslices,pods,ingress,ingressclass,nodes,gatewayclass,gateway,httproute,grpcroute,referencegrant -A -o json > dump.json
  routetrace resolve --objects dump.json --host shop.example.com --port 443 --path /api
  routetrace resolve --objects dump.json --host shop.example.com --path /checkout --header 'x-canary: yes' --method POST
  routetrace resolve --objects dump.json --host my-svc.default.svc.cluster.local --port 80
  routetrace resolve --objects dump.json --service default/my-svc --port http --json
  routetrace resolve --objects dump.json --pod default/my-pod-0
  routetrace resolve --objects dump.json --host 203.0.113.7 --port 80 --client pod:default/client-0
  routetrace resolve --objects dump.json --host shop.example.com --ingress-class nginx
  routetrace resolve --db data/routetrace.db --at 2026-11-25T14:03:00Z --host shop.example.com --port 443

--host is read as a Gateway address, a Service ClusterIP / external IP / load-balancer IP, a node IP with a
nodePort, a Pod IP, a cluster DNS name (svc.ns.svc.cluster.local, svc.ns.svc, svc.ns), else a Gateway API
host (a listener on the port and an attached route for the host) or an Ingress host (port 80 or 443).
Exit codes: 0 answered (even when the route is broken: see the findings), 1 unreadable input, 2 bad flags.`,
  options: {
    objects: { type: 'string', multiple: true, valueName: 'FILE', description: 'kubectl get -o json|yaml output (List, object or multi-document YAML); - for standard input' },
    ...RESOLVE_HISTORY_OPTIONS,
    host: { type: 'string', valueName: 'HOST', description: 'Destination: IP, cluster DNS name, Gateway or Ingress host (host:port accepted)' },
    port: { type: 'string', valueName: 'PORT', description: 'Destination port 1..65535 (with --service also a port name)', defaultText: '80 for Gateway and Ingress hosts' },
    path: { type: 'string', valueName: '/PATH', description: 'URL path (a ?query is read by Gateway API query param matches)', defaultText: '/' },
    header: { type: 'string', multiple: true, valueName: "'NAME: VALUE'", description: 'Request header for Gateway API header matches (repeatable)' },
    method: { type: 'string', valueName: 'METHOD', description: 'HTTP method for Gateway API method matches', defaultText: 'GET' },
    service: { type: 'string', valueName: 'NS/NAME', description: 'Destination Service instead of --host' },
    ip: { type: 'string', valueName: 'IP', description: 'Reverse lookup: what reaches this IP' },
    pod: { type: 'string', valueName: 'NS/NAME', description: 'Reverse lookup: what reaches this Pod' },
    client: { type: 'string', valueName: 'WHO', description: 'Where the client is: pod:NS/NAME, node:NAME or external (traffic policies, topology hints)' },
    'client-node': { type: 'string', valueName: 'NODE', description: 'Node of the client (traffic policies Local, topology hints)' },
    'client-zone': { type: 'string', valueName: 'ZONE', description: 'Zone of the client (topology hints)' },
    'ingress-class': { type: 'string', valueName: 'CLASS', description: 'Answer as the controller of this IngressClass sees it' },
    controller: { type: 'string', valueName: 'NAME', description: 'Answer as this Ingress controller (IngressClass spec.controller) sees it' },
    protocol: { type: 'string', valueName: 'PROTO', description: 'TCP, UDP or SCTP', defaultText: 'TCP' },
    json: { type: 'boolean', description: 'Print the answer as JSON' },
  },
  async run(opts) {
    const question = questionFromOptions(opts);
    const source = snapshotSourceFromOptions(opts);
    if (question.kind === 'host' && source instanceof HistorySnapshotSource) return resolveHostPerCluster(source, question, booleanOption(opts, 'json'));
    const snapshot = await source.load();
    const [{ buildIndex }, { resolve }, { reverseLookup }, render] = await Promise.all([
      import('../resolver/SnapshotIndex.js'),
      import('../resolver/resolve.js'),
      import('../resolver/reverseLookup.js'),
      import('../resolver/renderRoute.js'),
    ]);
    const index = buildIndex(snapshot);
    const json = booleanOption(opts, 'json');
    if (question.kind === 'reverse') {
      const a = reverseLookup(index, question);
      process.stdout.write(json ? JSON.stringify(a, null, 2) + '\n' : render.renderReverse(a));
    } else {
      const a = resolve(index, question);
      process.stdout.write(json ? JSON.stringify(a, null, 2) + '\n' : render.renderRoute(a));
    }
    return 0;
  },
};

/**
 * A host question on a history file: answered for --cluster, or for every cluster of the file. One cluster
 * prints exactly what a single-cluster file always printed; several print one answer per cluster, each
 * under its name (--json: [{cluster, answer}]).
 */
async function resolveHostPerCluster(source: HistorySnapshotSource, question: HostQuestion, json: boolean): Promise<number> {
  const each = await source.loadEach();
  const [{ buildIndex }, { resolve }, render] = await Promise.all([
    import('../resolver/SnapshotIndex.js'),
    import('../resolver/resolve.js'),
    import('../resolver/renderRoute.js'),
  ]);
  const answers = each.map((c) => ({ cluster: c.cluster, answer: resolve(buildIndex(c.snapshot), question) }));
  if (answers.length === 1) {
    const a = answers[0]!.answer;
    process.stdout.write(json ? JSON.stringify(a, null, 2) + '\n' : render.renderRoute(a));
  } else if (json) {
    process.stdout.write(JSON.stringify(answers, null, 2) + '\n');
  } else {
    process.stdout.write(answers.map((a) => `Cluster ${a.cluster}:\n${render.renderRoute(a.answer)}`).join('\n'));
  }
  return 0;
}
