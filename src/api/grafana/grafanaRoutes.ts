/**
 * grafanaRoutes: the Grafana datasource surface under /grafana (datasource URL http://HOST:PORT/grafana).
 *
 * simPod JSON datasource (contract: the plugin's DataSource.ts; all bodies JSON, all answers JSON):
 *   GET  /grafana, /grafana/          200 (health check: exactly 200)
 *   POST /grafana/query               targets → timeseries / table elements (grafanaMetrics), annotations too
 *   POST /grafana/metrics             MetricConfig[] for the query editor
 *   POST /grafana/metric-payload-options   {metric, payload, name} → [{label, value}]
 *   POST /grafana/variable            {payload: {target, ...}, range} → [{__text, __value}]
 *   POST /grafana/tag-keys            → [{type: 'string', text}] (namespace, service, zone, node; cluster)
 *   POST /grafana/tag-values          {key, filters, timeRange} → [{text}]
 *   POST /grafana/search              SimpleJson's metric list (names)
 * Infinity (flat JSON arrays, GET with query parameters; from/to/at in epoch ms, RFC 3339 or relative):
 *   GET /grafana/infinity/endpoint-series   namespace, service, port, from, to, stepMs, maxDataPoints, reduce
 *        → [{time, namespace, service, port, ready, notReady, terminating}] (one row per bucket and port)
 *   GET /grafana/infinity/endpoints         namespace, service, port, at (default now)
 *   GET /grafana/infinity/endpoint-changes  namespace, service, port, from, to, limit
 *        → [{time, timeEnd, title, text, tags, namespace, service, type}]
 *   GET /grafana/infinity/route             host, port, path, method, headers (JSON), at
 *   GET /grafana/infinity/namespaces | services | hosts | zones | nodes | clusters   (namespace=, from, to)
 *        → [{__text, __value}]
 * Clusters: every target (payload field `cluster`), variable and Infinity endpoint (parameter `cluster`)
 * takes the clusters to answer for (clusterSelector: a name, a list, (a|b), .* for all; absent: the only
 * cluster, or CLUSTER_REQUIRED when the history holds several). When the history holds several clusters,
 * answers name their cluster (a `cluster` tag, column or field). A route (a host question) without a cluster is answered for every cluster.
 * Editor menus (metric-payload-options, tag-values) list the values of every cluster unless one is chosen.
 * An ad hoc filter on `cluster` (a tag key when the history holds several) narrows the clusters too, and
 * alone chooses them.
 * Errors: 4xx/5xx with {"message": ..., "code": ...} (Grafana shows `message`); unknown errors are
 * masked (500, logged). An unknown path answers 404, another method 405.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { endpointChanges } from '../../queries/endpointChanges.js';
import { endpointSeries } from '../../queries/endpointSeries.js';
import { endpointTable } from '../../queries/endpointTable.js';
import { checkTime } from '../../queries/inputs.js';
import type { ClusterQueries, Fleet } from '../../queries/Fleet.js';
import type { Queries } from '../../queries/Queries.js';
import { QueryError } from '../../queries/QueryError.js';
import { REDUCES, type Reduce } from '../../queries/stepSeries.js';
import type { Route } from '../../http/Route.js';
import { sendJson } from '../../http/sendJson.js';
import { errorText, type Logger } from '../../watch/Logger.js';
import { RequestError, toClientError } from '../errors.js';
import { parseJsonBody, readBody } from '../readBody.js';
import { adHocFilters, AD_HOC_KEYS, FILTER_KEYS, type AdHocKey } from './adHocFilters.js';
import { METRIC_NAMES, metricConfigs, runMetric, selectServices, type QueryElement } from './grafanaMetrics.js';
import { isObject, positiveNumber, queryTargets, timeRange, type TimeRange } from './grafanaRequest.js';
import { keyValues, variableValues, VARIABLE_QUERIES } from './grafanaVariables.js';
import { EVERYTHING, nameSelector } from './nameSelector.js';
import { PayloadFields } from './payloadFields.js';
import { menuClusters, selectClusters } from './clusterSelector.js';
import { mergeClusterElements, type ClusterElements } from './mergeClusterElements.js';
import { gatewayCells, headersField } from './gatewayColumns.js';

export const GRAFANA_PREFIX = '/grafana';
const PICKER_SPAN_MS = 7 * 86_400_000;

type Json = Record<string, unknown>;
type PostHandler = (body: Json, fleet: Fleet) => unknown;
type GetHandler = (params: Params, fleet: Fleet) => unknown;

async function jsonBody(req: IncomingMessage): Promise<Json> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  const body = parseJsonBody(text);
  if (!isObject(body)) throw new RequestError('BAD_REQUEST', 'request body must be a JSON object');
  return body;
}

async function query(body: Json, fleet: Fleet): Promise<QueryElement[]> {
  const range = timeRange(body, fleet.now());
  const filters = adHocFilters(body);
  const intervalMs = positiveNumber(body, 'intervalMs');
  const maxDataPoints = positiveNumber(body, 'maxDataPoints');
  const out: QueryElement[] = [];
  for (const t of queryTargets(body)) {
    const { cluster, ...payload } = t.payload;
    for (const metric of t.metrics) {
      const chosen = cluster !== undefined && cluster !== '';
      const clusters = !chosen && (metric === 'route' || filters.has('cluster'))
        ? fleet.each().filter((c) => filters.test('cluster', c.cluster))
        : selectClusters(fleet, cluster, `target ${t.refId}: payload field 'cluster'`).filter((c) => filters.test('cluster', c.cluster));
      const parts: ClusterElements[] = [];
      for (const c of clusters) {
        parts.push({ cluster: c.cluster, elements: await runMetric({ queries: c.queries, range, intervalMs, maxDataPoints, filters, refId: t.refId }, metric, payload) });
      }
      out.push(...mergeClusterElements(parts, fleet.names().length > 1));
    }
  }
  return out;
}

function pickerRange(fleet: Fleet): TimeRange {
  const now = fleet.now();
  return { from: new Date(now - PICKER_SPAN_MS), to: new Date(now) };
}

/** Distinct values of every cluster in `clusters`, sorted. */
function union(clusters: readonly ClusterQueries[], values: (queries: Queries) => readonly string[]): string[] {
  const out = new Set<string>();
  for (const c of clusters) for (const v of values(c.queries)) out.add(v);
  return [...out].sort();
}

/** Lenient selector for editor menus: a value that is not a selector (an uninterpolated $var) means all. */
function lenientNames(v: unknown) {
  try {
    return nameSelector(v, 'payload');
  } catch {
    return EVERYTHING;
  }
}

function payloadOptions(body: Json, fleet: Fleet): { label: string; value: string }[] {
  const name = body['name'];
  if (typeof name !== 'string') throw new RequestError('BAD_REQUEST', "metric-payload-options: 'name' (the payload field) is required");
  const payload = isObject(body['payload']) ? body['payload'] : {};
  const range = pickerRange(fleet);
  const ns = lenientNames(payload['namespace']);
  const opts = (values: readonly string[]) => values.map((v) => ({ label: v, value: v }));
  const clusters = name === 'cluster' ? [] : menuClusters(fleet, payload['cluster']);
  switch (name) {
    case 'cluster': return opts(fleet.names());
    case 'namespace': return opts(union(clusters, (q) => keyValues(q, range, 'namespace')));
    case 'service': return opts(union(clusters, (q) => keyValues(q, range, 'service', undefined, ns)));
    case 'host': return opts(union(clusters, (q) => keyValues(q, range, 'host', undefined, ns)));
    case 'port': return opts(union(clusters, (q) => selectServices(q, range, ns, lenientNames(payload['service']), adHocFilters({}))
      .flatMap((s) => s.ports.map((p) => p.name || String(p.port)))));
    case 'conditions': return opts(['ready', 'serving', 'terminating']);
    case 'reduce': return opts(REDUCES);
    default: throw new RequestError('BAD_REQUEST', `metric-payload-options: payload field '${name.slice(0, 40)}' has no options`);
  }
}

function variable(body: Json, fleet: Fleet): { __text: string; __value: string }[] {
  const payload = body['payload'];
  if (!isObject(payload)) throw new RequestError('BAD_REQUEST', 'variable: payload must be an object {target, ...}');
  const target = payload['target'];
  if (typeof target !== 'string' || target.trim() === '') {
    throw new RequestError('BAD_REQUEST', `variable: payload.target is required (${VARIABLE_QUERIES.join(', ')})`);
  }
  const range = timeRange(body, fleet.now());
  const { cluster, ...rest } = payload;
  return variableValues(fleet, range, target, rest['namespace'], adHocFilters(rest), cluster).map((v) => ({ __text: v, __value: v }));
}

function tagValues(body: Json, fleet: Fleet): { text: string }[] {
  const key = body['key'];
  if (typeof key !== 'string' || !(FILTER_KEYS as readonly string[]).includes(key)) {
    throw new RequestError('BAD_REQUEST', `tag-values: key must be one of ${FILTER_KEYS.join(', ')}`);
  }
  const range = timeRange(body, fleet.now(), 'timeRange');
  const filters = adHocFilters(body, { lenientKeys: true });
  const clusters = fleet.each().filter((c) => filters.test('cluster', c.cluster));
  if (key === 'cluster') return clusters.map((c) => ({ text: c.cluster }));
  return union(clusters, (q) => keyValues(q, range, key as Exclude<AdHocKey, 'cluster'>, filters)).map((text) => ({ text }));
}

const POST: Readonly<Record<string, PostHandler>> = {
  '/query': query,
  '/metrics': () => metricConfigs(),
  '/metric-payload-options': payloadOptions,
  '/variable': variable,
  '/tag-keys': (_body, fleet) => [...AD_HOC_KEYS, ...(fleet.names().length > 1 ? ['cluster'] : [])].map((text) => ({ type: 'string', text })),
  '/tag-values': tagValues,
  '/search': () => [...METRIC_NAMES],
};

// ---- Infinity: GET endpoints with query parameters

/** Checked query parameters; unknown or repeated parameters are client mistakes. */
class Params {
  private readonly values = new Map<string, string>();

  constructor(url: URL, allowed: readonly string[], private readonly now: number) {
    for (const [k, v] of url.searchParams) {
      if (!allowed.includes(k)) throw new RequestError('BAD_REQUEST', `unknown parameter '${k.slice(0, 40)}' (parameters: ${allowed.join(', ')})`);
      if (this.values.has(k)) throw new RequestError('BAD_REQUEST', `parameter '${k}' given twice`);
      this.values.set(k, v);
    }
  }

  payload(keys: readonly string[]): Json {
    const out: Json = {};
    for (const k of keys) if (this.values.has(k)) out[k] = this.values.get(k);
    return out;
  }

  time(name: string): Date | undefined {
    return checkTime(this.values.get(name), name, this.now);
  }

  range(): TimeRange {
    const to = this.time('to') ?? new Date(this.now);
    const from = this.time('from') ?? new Date(to.getTime() - 6 * 3_600_000);
    if (from > to) throw new QueryError('BAD_USER_INPUT', 'from: must not be after to');
    return { from, to };
  }

  number(name: string): number | undefined {
    return positiveNumber(Object.fromEntries(this.values), name);
  }
}

const SELECT = ['namespace', 'service', 'port'];

/**
 * Rows of `rowsOf` for each cluster the `cluster` parameter selects (`everyByDefault`: every cluster when
 * it is absent, for host questions), each row naming its cluster first when the history holds several.
 */
async function perCluster(p: Params, fleet: Fleet, rowsOf: (queries: Queries) => Json[] | Promise<Json[]>, everyByDefault = false): Promise<Json[]> {
  const value = p.payload(['cluster'])['cluster'];
  const clusters = everyByDefault && (value === undefined || value === '') ? fleet.each() : selectClusters(fleet, value, 'cluster');
  const name = fleet.names().length > 1;
  const out: Json[] = [];
  for (const c of clusters) for (const row of await rowsOf(c.queries)) out.push(name ? { cluster: c.cluster, ...row } : row);
  return out;
}

const GET: Readonly<Record<string, { params: readonly string[]; handle: GetHandler }>> = {
  '/infinity/endpoint-series': {
    params: [...SELECT, 'from', 'to', 'stepMs', 'maxDataPoints', 'reduce', 'cluster'],
    async handle(p, fleet) {
      const range = p.range();
      const f = new PayloadFields(p.payload([...SELECT, 'reduce']), 'endpoint-series', [...SELECT, 'reduce']);
      const reduce: Reduce | undefined = f.reduce();
      const rows = await perCluster(p, fleet, (queries) => {
        const services = selectServices(queries, range, f.names('namespace'), f.names('service'), adHocFilters({}));
        const { series } = endpointSeries(queries.state, {
          services, states: ['ready', 'not_ready', 'terminating'], from: range.from, to: range.to,
          intervalMs: p.number('stepMs'), maxDataPoints: p.number('maxDataPoints'), port: f.port(), reduce,
        });
        const out: Json[] = [];
        for (let i = 0; i < series.length; i += 3) {
          const [ready, notReady, terminating] = [series[i]!, series[i + 1]!, series[i + 2]!];
          ready.points.forEach(([v, t], k) => {
            out.push({ time: t, namespace: ready.namespace, service: ready.service, port: ready.port, ready: v, notReady: notReady.points[k]![0], terminating: terminating.points[k]![0] });
          });
        }
        return out;
      });
      return rows.sort((a, b) => (a['time'] as number) - (b['time'] as number));
    },
  },
  '/infinity/endpoints': {
    params: [...SELECT, 'at', 'cluster'],
    handle(p, fleet) {
      const f = new PayloadFields(p.payload(SELECT), 'endpoints', SELECT);
      const at = p.time('at') ?? new Date(fleet.now());
      return perCluster(p, fleet, (queries) => {
        const services = selectServices(queries, { from: at, to: at }, f.names('namespace'), f.names('service'), adHocFilters({}));
        return endpointTable(queries, { services, at, port: f.port() }).rows as unknown as Json[];
      });
    },
  },
  '/infinity/endpoint-changes': {
    params: [...SELECT, 'from', 'to', 'limit', 'cluster'],
    handle(p, fleet) {
      const range = p.range();
      const f = new PayloadFields(p.payload([...SELECT, 'limit']), 'endpoint-changes', [...SELECT, 'limit']);
      return perCluster(p, fleet, async (queries) => {
        const services = selectServices(queries, range, f.names('namespace'), f.names('service'), adHocFilters({}));
        const { rows } = await endpointChanges(queries.state, { services, from: range.from, to: range.to, port: f.port(), limit: f.integer('limit', 1, 10_000) });
        return rows.map((r) => ({ time: r.time, timeEnd: r.timeEnd, title: r.title, text: r.text, tags: r.tags.join(','), namespace: r.namespace, service: r.service, type: r.type }));
      });
    },
  },
  '/infinity/route': {
    params: ['host', 'port', 'path', 'method', 'headers', 'at', 'cluster'],
    handle(p, fleet) {
      const payload = p.payload(['host', 'port', 'path', 'method', 'headers']);
      const f = new PayloadFields(payload, 'route', ['host', 'port', 'path', 'method', 'headers']);
      const host = f.text('host');
      if (host === undefined) throw new RequestError('BAD_REQUEST', 'route: host is required');
      const port = f.port();
      if (typeof port === 'string') throw new RequestError('BAD_REQUEST', 'route: port must be a number');
      return perCluster(p, fleet, (queries) => {
        const { answer, at } = queries.routes.route({ host, port: port ?? null, path: f.text('path') ?? null, method: f.text('method') ?? null, headers: headersField(payload['headers'], 'route'), at: p.time('at') });
        const base = { at: at.getTime(), host, verdict: answer.verdict, ingress: answer.ingress ? `${answer.ingress.namespace}/${answer.ingress.name}` : null,
          service: answer.service ? `${answer.service.namespace}/${answer.service.name}` : null, servicePort: answer.service?.port ?? null,
          findings: answer.findings.map((x) => `${x.severity}: ${x.message}`).join(' | '), ...gatewayCells(answer) };
        if (answer.endpoints.length === 0) return [{ ...base, address: null, endpointPort: null, pod: null, node: null, ready: null, selected: null, reason: null }];
        return answer.endpoints.map((e) => ({ ...base, address: e.address, endpointPort: e.port, pod: e.pod ? `${e.pod.namespace}/${e.pod.name}` : null, node: e.node, ready: e.conditions.ready, selected: e.selected, reason: e.reason }));
      }, true);
    },
  },
  ...Object.fromEntries(VARIABLE_QUERIES.map((name) => [`/infinity/${name}`, {
    params: ['namespace', 'from', 'to', 'cluster'],
    handle(p: Params, fleet: Fleet) {
      const v = p.payload(['namespace', 'cluster']);
      return variableValues(fleet, p.range(), name, v['namespace'], adHocFilters({}), v['cluster']).map((x) => ({ __text: x, __value: x }));
    },
  }])),
};

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { message, code });
}

export function grafanaRoutes(fleet: Fleet, log: Logger): Route[] {
  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const sub = url.pathname.slice(GRAFANA_PREFIX.length).replace(/\/+$/, '');
    try {
      if (sub === '') {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET');
          return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
        }
        return sendJson(res, 200, { status: 'ok', datasource: 'routetrace', metrics: METRIC_NAMES });
      }
      const post = POST[sub], get = GET[sub];
      if (!post && !get) return sendError(res, 404, 'NOT_FOUND', `no Grafana endpoint ${url.pathname}`);
      if (post && req.method === 'POST') return sendJson(res, 200, await post(await jsonBody(req), fleet));
      if (get && (req.method === 'GET' || req.method === 'HEAD')) {
        return sendJson(res, 200, await get.handle(new Params(url, get.params, fleet.now()), fleet));
      }
      res.setHeader('allow', post ? 'POST' : 'GET');
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
    } catch (err) {
      const e = toClientError(err);
      if (!e.known) log.log('error', 'grafana.request_failed', { path: url.pathname, error: errorText(err) });
      if (!res.headersSent) return sendError(res, e.status, e.code, e.message);
      res.destroy();
    }
  };
  return [{ method: '*', path: GRAFANA_PREFIX, prefix: true, handler }];
}
