/**
 * restApi: the REST surface under /api/v1, one table that drives routing, argument checks and the OpenAPI
 * document (openapi.ts), and thin handlers over the shared read use cases (src/queries).
 *
 *   GET /api/v1/route        host (+port, path, headers, method) or service=ns/name (+port); at → RouteAnswer (the JSON of
 *                            `routetrace resolve --json`, unchanged; the instant is in X-Routetrace-At and
 *                            the cluster in X-Routetrace-Cluster). A host question without `cluster` when
 *                            the history holds several clusters answers {clusters: [{cluster, at, answer}]}
 *   GET /api/v1/reverse      ip | pod=ns/name; at                                  → ReverseAnswer
 *   GET /api/v1/timeline     service=ns/name | host; port, from, to, first, after  → events page
 *   GET /api/v1/routeDiff    host, port, path, from, to                            → differences (per cluster
 *                            like /route when no cluster is named and the history holds several)
 *   GET /api/v1/clusters     cluster, gapsFrom, gapsTo                             → clusters, sync state, gaps
 *   GET /api/v1/openapi.json                                                       → OpenAPI 3.1 document
 * Every endpoint takes `cluster`: the cluster of the history to answer for (default: the only one; with
 * several, CLUSTER_REQUIRED naming them; an unknown one is UNKNOWN_CLUSTER).
 * Times (at, from, to) accept RFC 3339, epoch milliseconds and relative forms (-15m). Every client mistake
 * (unknown or repeated parameter, bad value) answers 400 `{code, message}` with a stable code; an unknown
 * path 404, another method 405; unknown errors are masked as 500 INTERNAL_SERVER_ERROR and logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fleet } from '../../queries/Fleet.js';
import { QueryError } from '../../queries/QueryError.js';
import { checkTime } from '../../queries/inputs.js';
import type { TimelineEvent } from '../../queries/timeline.js';
import type { Route } from '../../http/Route.js';
import { errorText, type Logger } from '../../watch/Logger.js';
import { toClientError } from '../errors.js';
import { openApiDocument } from './openapi.js';

export const REST_PREFIX = '/api/v1';

export interface ParamSpec {
  readonly name: string;
  readonly type: 'string' | 'integer';
  readonly description: string;
  readonly example?: string | number;
}

export interface RestResult {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RestEndpoint {
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Name of the response schema in the OpenAPI components. */
  readonly response: string;
  handle(args: Args, fleet: Fleet): RestResult | Promise<RestResult>;
}

const TIME = 'RFC 3339 (2026-11-26T08:00:00Z), epoch milliseconds, or relative to now (-15m, -2h, -1d)';

/** The checked query parameters of one request. */
export class Args {
  constructor(
    private readonly values: ReadonlyMap<string, string>,
    private readonly now: number,
  ) {}

  str(name: string): string | undefined {
    return this.values.get(name);
  }

  int(name: string): number | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (!/^-?\d{1,10}$/.test(v)) throw new QueryError(name === 'port' ? 'INVALID_PORT' : 'BAD_USER_INPUT', `${name}: '${v.slice(0, 40)}' is not a whole number`);
    return Number(v);
  }

  /** A port number, or (allowNames) a port name. */
  port(allowNames: boolean): number | string | undefined {
    const v = this.values.get('port');
    if (v === undefined) return undefined;
    if (/^\d+$/.test(v)) return this.int('port');
    if (!allowNames) throw new QueryError('INVALID_PORT', `port: '${v.slice(0, 40)}' is not a port number`);
    return v;
  }

  time(name: string): Date | undefined {
    return checkTime(this.values.get(name), name, this.now);
  }

  requiredTime(name: string): Date {
    const t = this.time(name);
    if (!t) throw new QueryError('BAD_USER_INPUT', `${name}: required`);
    return t;
  }

  /** A JSON object of string values (e.g. headers={"x-a":"1"}), or null when absent. */
  json(name: string): Record<string, string> | null {
    const v = this.values.get(name);
    if (v === undefined) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new QueryError('BAD_USER_INPUT', `${name}: not valid JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((x) => typeof x !== 'string')) {
      throw new QueryError('BAD_USER_INPUT', `${name}: expected a JSON object of strings, e.g. {"x-canary":"yes"}`);
    }
    return parsed as Record<string, string>;
  }

  /** "namespace/name" (a bare name means namespace default). */
  ref(name: string): { namespace: string; name: string } | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    const parts = v.split('/');
    if (parts.length === 1 && parts[0]) return { namespace: 'default', name: parts[0] };
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new QueryError('BAD_USER_INPUT', `${name}: expected NAMESPACE/NAME, got '${v.slice(0, 80)}'`);
    return { namespace: parts[0], name: parts[1] };
  }
}

function eventJson(e: TimelineEvent) {
  return {
    id: e.id,
    type: e.type,
    changeTime: e.changeTime?.toISOString() ?? null,
    observedTime: e.observedTime.toISOString(),
    object: e.object,
    source: e.source,
    endpoint: e.endpoint,
    before: e.before ?? null,
    after: e.after ?? null,
    gap: e.gap ? { kind: e.gap.kind, from: e.gap.from.toISOString(), to: e.gap.to.toISOString(), reason: e.gap.reason } : null,
    message: e.message,
  };
}

const P = {
  host: { name: 'host', type: 'string', description: 'Gateway or Ingress host, cluster DNS name (svc.ns.svc.cluster.local, svc.ns) or Service/node/Pod/Gateway IP', example: 'ibtisam-iq.com' },
  port: { name: 'port', type: 'string', description: 'Port 1..65535 (default 80 for Gateway and Ingress hosts); with service= also a port name', example: 443 },
  path: { name: 'path', type: 'string', description: 'URL path (default /); a query string is read by Gateway API query param matches', example: '/' },
  headers: { name: 'headers', type: 'string', description: 'Request headers as a JSON object, for Gateway API header matches', example: '{"x-canary":"yes"}' },
  method: { name: 'method', type: 'string', description: 'HTTP method for Gateway API method matches (default GET)', example: 'GET' },
  service: { name: 'service', type: 'string', description: 'Service as NAMESPACE/NAME', example: 'default/my-app-service' },
  protocol: { name: 'protocol', type: 'string', description: 'TCP (default), UDP or SCTP' },
  ingressClass: { name: 'ingressClass', type: 'string', description: 'Answer as the controller of this IngressClass sees it' },
  controller: { name: 'controller', type: 'string', description: 'Answer as this Ingress controller (IngressClass spec.controller) sees it' },
  client: { name: 'client', type: 'string', description: 'Where the client is: pod:NAMESPACE/NAME, node:NAME or external' },
  clientNode: { name: 'clientNode', type: 'string', description: 'Node of the client (traffic policy Local, topology)' },
  clientZone: { name: 'clientZone', type: 'string', description: 'Zone of the client (topology hints)' },
  at: { name: 'at', type: 'string', description: `The instant to answer for (default now): ${TIME}`, example: '-15m' },
  from: { name: 'from', type: 'string', description: `Start of the interval: ${TIME}`, example: '-1h' },
  to: { name: 'to', type: 'string', description: `End of the interval (default now): ${TIME}`, example: 'now' },
  first: { name: 'first', type: 'integer', description: 'Page size (default 100, at most 500)', example: 100 },
  after: { name: 'after', type: 'string', description: 'Cursor: pageInfo.endCursor of the previous page' },
  ip: { name: 'ip', type: 'string', description: 'IP address (reverse lookup)', example: '192.168.1.2' },
  pod: { name: 'pod', type: 'string', description: 'Pod as NAMESPACE/NAME (reverse lookup)' },
  cluster: { name: 'cluster', type: 'string', description: 'The cluster of the history to answer for (default: the only one)', example: 'eu-1' },
  gapsFrom: { name: 'gapsFrom', type: 'string', description: `Only gaps ending at or after this instant: ${TIME}` },
  gapsTo: { name: 'gapsTo', type: 'string', description: `Only gaps starting at or before this instant: ${TIME}` },
} as const satisfies Record<string, ParamSpec>;

export const REST_ENDPOINTS: readonly RestEndpoint[] = [
  {
    path: '/route',
    summary: 'Where does traffic end up?',
    description: 'host (+port, path, headers, method) or service=NAMESPACE/NAME (+port). The body is exactly the JSON of `routetrace resolve --json`; the instant answered for is in the X-Routetrace-At header, the cluster in X-Routetrace-Cluster. A host question without cluster, when the history holds several clusters, is answered per cluster: {clusters: [{cluster, at, answer}]}.',
    params: [P.host, P.port, P.path, P.headers, P.method, P.service, P.protocol, P.ingressClass, P.controller, P.client, P.clientNode, P.clientZone, P.at, P.cluster],
    response: 'RouteOrPerCluster',
    handle(a, fleet) {
      const host = a.str('host'), service = a.ref('service');
      if ((host === undefined) === (service === undefined)) throw new QueryError('BAD_USER_INPUT', 'give exactly one of host and service');
      const common = { protocol: a.str('protocol') ?? null, client: a.str('client') ?? null, clientNode: a.str('clientNode') ?? null, clientZone: a.str('clientZone') ?? null, at: a.time('at') };
      if (service) {
        for (const only of ['path', 'headers', 'method']) if (a.str(only) !== undefined) throw new QueryError('BAD_USER_INPUT', `${only}: only applies to host`);
        const cluster = fleet.clusterOf(a.str('cluster'));
        const r = fleet.queries(cluster).routes.routeToService({ ...service, port: a.port(true) ?? null, ...common });
        return { body: r.answer, headers: { 'x-routetrace-at': r.at.toISOString(), 'x-routetrace-cluster': cluster } };
      }
      const input = {
        host: host!, port: (a.port(false) as number | undefined) ?? null, path: a.str('path') ?? null, ingressClass: a.str('ingressClass') ?? null,
        controller: a.str('controller') ?? null, headers: a.json('headers'), method: a.str('method') ?? null, ...common,
      };
      const answers = fleet.each(a.str('cluster')).map(({ cluster, queries }) => ({ cluster, ...queries.routes.route(input) }));
      if (answers.length === 1) {
        const r = answers[0]!;
        return { body: r.answer, headers: { 'x-routetrace-at': r.at.toISOString(), ...(r.cluster ? { 'x-routetrace-cluster': r.cluster } : {}) } };
      }
      return { body: { clusters: answers.map((r) => ({ cluster: r.cluster, at: r.at.toISOString(), answer: r.answer })) } };
    },
  },
  {
    path: '/reverse',
    summary: 'Which Services and Ingress hosts/paths send traffic to an IP or Pod?',
    description: 'Exactly one of ip and pod. The body is the JSON of `routetrace resolve --ip/--pod --json`.',
    params: [P.ip, P.pod, P.at, P.cluster],
    response: 'ReverseAnswer',
    handle(a, fleet) {
      const cluster = fleet.clusterOf(a.str('cluster'));
      const r = fleet.queries(cluster).routes.reverse({ ip: a.str('ip') ?? null, pod: a.ref('pod') ?? null, at: a.time('at') });
      return { body: r.answer, headers: { 'x-routetrace-at': r.at.toISOString(), 'x-routetrace-cluster': cluster } };
    },
  },
  {
    path: '/timeline',
    summary: 'What changed on a route between two instants?',
    description: 'Endpoint, Service, Ingress, Gateway API route and Pod IP changes of a Service (or of the Services a host and path reach), and watch gaps, oldest first, with cursor pagination.',
    params: [P.service, P.host, P.port, P.path, P.from, P.to, P.first, P.after, P.cluster],
    response: 'Timeline',
    async handle(a, fleet) {
      const r = await fleet.queries(a.str('cluster')).timeline({
        service: a.ref('service') ?? null, host: a.str('host') ?? null, port: a.port(true) ?? null, path: a.str('path') ?? null,
        from: a.time('from') ?? null, to: a.time('to') ?? null, first: a.int('first') ?? null, after: a.str('after') ?? null,
      });
      return {
        body: {
          from: r.from.toISOString(), to: r.to.toISOString(), services: r.services, totalCount: r.page.totalCount,
          pageInfo: r.page.pageInfo, events: r.page.edges.map((e) => ({ cursor: e.cursor, ...eventJson(e.node) })),
        },
      };
    },
  },
  {
    path: '/routeDiff',
    summary: 'What differs in a route between two instants?',
    description: 'Both instants are answered from history, like /route?at=. Without cluster, when the history holds several clusters, one diff per cluster: {clusters: [{cluster, ...diff}]}.',
    params: [P.host, P.port, P.path, P.from, P.to, P.cluster],
    response: 'RouteDiffOrPerCluster',
    handle(a, fleet) {
      const host = a.str('host');
      if (host === undefined) throw new QueryError('BAD_USER_INPUT', 'host: required');
      const input = { host, port: (a.port(false) as number | undefined) ?? null, path: a.str('path') ?? null, from: a.requiredTime('from'), to: a.requiredTime('to') };
      const diffs = fleet.each(a.str('cluster')).map(({ cluster, queries }) => {
        const d = queries.routeDiff(input);
        return { cluster, ...d, from: { at: d.from.at.toISOString(), answer: d.from.answer }, to: { at: d.to.at.toISOString(), answer: d.to.answer } };
      });
      if (diffs.length === 1) {
        const { cluster, ...d } = diffs[0]!;
        return { body: d, headers: cluster ? { 'x-routetrace-cluster': cluster } : ({} as Record<string, string>) };
      }
      return { body: { clusters: diffs } };
    },
  },
  {
    path: '/clusters',
    summary: 'Which clusters does the history hold, are they synced, where are the gaps?',
    description: 'Every cluster (or only cluster=), sorted by name: per kind whether its first list was stored and when a report of it was last stored, and the watch gaps overlapping [gapsFrom, gapsTo] (default: every stored gap).',
    params: [P.cluster, P.gapsFrom, P.gapsTo],
    response: 'Clusters',
    async handle(a, fleet) {
      const list = await fleet.status(a.str('cluster'), { from: a.time('gapsFrom'), to: a.time('gapsTo') });
      const iso = (d: Date | null) => d?.toISOString() ?? null;
      return {
        body: {
          clusters: list.map((c) => ({
            name: c.name, watchedHere: c.watchedHere, synced: c.synced, lastObservedAt: iso(c.lastObservedAt),
            kinds: c.kinds.map((k) => ({ kind: k.kind, synced: k.synced, lastObservedAt: iso(k.lastObservedAt) })),
            gaps: c.gaps.map((g) => ({ kind: g.kind, from: g.from.toISOString(), to: g.to.toISOString(), reason: g.reason })),
          })),
        },
      };
    },
  },
];

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function argsOf(url: URL, endpoint: RestEndpoint, now: number): Args {
  const allowed = new Set(endpoint.params.map((p) => p.name));
  const values = new Map<string, string>();
  for (const [k, v] of url.searchParams) {
    if (!allowed.has(k)) throw new QueryError('BAD_USER_INPUT', `unknown parameter '${k.slice(0, 40)}' (allowed: ${[...allowed].join(', ')})`);
    if (values.has(k)) throw new QueryError('BAD_USER_INPUT', `parameter '${k}' given more than once`);
    if (v.length > 4096) throw new QueryError('BAD_USER_INPUT', `parameter '${k}' is too long`);
    values.set(k, v);
  }
  return new Args(values, now);
}

export function restRoutes(fleet: Fleet, log: Logger): Route[] {
  const byPath = new Map(REST_ENDPOINTS.map((e) => [`${REST_PREFIX}${e.path}`, e]));
  const openapi = openApiDocument(REST_ENDPOINTS);
  return [
    {
      method: '*',
      path: REST_PREFIX,
      prefix: true,
      async handler(req: IncomingMessage, res: ServerResponse, url: URL) {
        req.resume();
        const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
        const endpoint = byPath.get(path);
        const isDoc = path === `${REST_PREFIX}/openapi.json`;
        if (!endpoint && !isDoc) return send(res, 404, { code: 'NOT_FOUND', message: `no API endpoint ${url.pathname.slice(0, 200)}` });
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET, HEAD');
          return send(res, 405, { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed; use GET` });
        }
        if (isDoc) return send(res, 200, openapi);
        try {
          const result = await endpoint!.handle(argsOf(url, endpoint!, fleet.now()), fleet);
          send(res, 200, result.body, result.headers);
        } catch (err) {
          const c = toClientError(err);
          if (!c.known) log.log('error', 'rest.internal_error', { path, error: errorText(err) });
          send(res, c.status, { code: c.code, message: c.message });
        }
      },
    },
  ];
}

