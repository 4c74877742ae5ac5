/**
 * grafanaMetrics: routetrace's metrics for the simPod JSON datasource: what /metrics lists, and how one
 * target of /query is answered (as timeseries or table elements, each carrying the target's refId).
 *
 *   ready_endpoints, not_ready_endpoints, terminating_endpoints
 *       timeseries, one per Service port: {target, refId, tags, datapoints: [[count, epoch ms], ...]} on the
 *       request's bucket grid (intervalMs, maxDataPoints); see queries/endpointSeries.
 *       payload: namespace, service, port, conditions, reduce (min|max|avg|last), limit (series, default 100)
 *   endpoints           table at the range end: namespace, service, port, address, endpoint port, conditions,
 *                       ready, serving, terminating, node, zone, pod, slice, selected, reason
 *       payload: namespace, service, port, conditions
 *   endpoint_changes    table usable as annotations: time, timeEnd, title, text, tags (comma-separated),
 *                       namespace, service, type (queries/endpointChanges); payload: namespace, service, port,
 *                       limit (rows, default 1000, the newest kept)
 *   route               table of the resolved route of host:port/path at the range end, one row per endpoint
 *                       (or one row without endpoint when there is none); payload: host (required), port, path
 * namespace/service select Services (nameSelector forms); ad hoc filters on namespace and service narrow
 * that choice, on zone and node the endpoints counted or listed (route ignores ad hoc filters). Series for
 * more Services than `limit` allows are cut to the first `limit` (by namespace, name, port) with a warning
 * notice in the first element's meta. Each metric answers for one cluster (MetricContext.queries); the
 * `cluster` payload field is read by the route handler (grafanaRoutes), which runs a target once per
 * cluster and merges the answers (mergeClusterElements).
 */
import { conditionText, endpointTable } from '../../queries/endpointTable.js';
import { endpointChanges } from '../../queries/endpointChanges.js';
import { endpointSeries, type EndpointState } from '../../queries/endpointSeries.js';
import type { EndpointInterval } from '../../history/endpointRowsInRange.js';
import type { Queries } from '../../queries/Queries.js';
import { servicesInRange, type CatalogService } from '../../queries/serviceCatalog.js';
import { RequestError } from '../errors.js';
import { GATEWAY_COLUMNS, gatewayCells, headersField } from './gatewayColumns.js';
import type { AdHocFilters } from './adHocFilters.js';
import type { NameSelector } from './nameSelector.js';
import { MAX_SERIES_LIMIT, PayloadFields, type Condition } from './payloadFields.js';
import type { TimeRange } from './grafanaRequest.js';

export interface TimeseriesElement {
  target: string;
  refId: string;
  tags: Record<string, string>;
  datapoints: [number, number][];
  meta?: { notices: { severity: string; text: string }[] };
}

export interface TableColumn {
  text: string;
  type: 'time' | 'number' | 'string' | 'boolean';
}

export interface TableElement {
  type: 'table';
  refId: string;
  name: string;
  columns: TableColumn[];
  rows: unknown[][];
  meta?: { notices: { severity: string; text: string }[] };
}

export type QueryElement = TimeseriesElement | TableElement;

export interface MetricContext {
  readonly queries: Queries;
  readonly range: TimeRange;
  readonly intervalMs?: number | undefined;
  readonly maxDataPoints?: number | undefined;
  readonly filters: AdHocFilters;
  readonly refId: string;
}

const SERIES: Readonly<Record<string, EndpointState>> = {
  ready_endpoints: 'ready',
  not_ready_endpoints: 'not_ready',
  terminating_endpoints: 'terminating',
};

const STATE_WORD: Readonly<Record<EndpointState, string>> = { ready: 'ready', not_ready: 'not ready', terminating: 'terminating' };

export const DEFAULT_SERIES_LIMIT = 100;

/** Metric names, in the order /metrics lists them. */
export const METRIC_NAMES = ['ready_endpoints', 'not_ready_endpoints', 'terminating_endpoints', 'endpoints', 'endpoint_changes', 'route'] as const;

const CLUSTER_FIELD = { name: 'cluster', label: 'Cluster', type: 'select', placeholder: 'the only cluster', reloadMetric: true };
const SELECT_FIELDS = [
  CLUSTER_FIELD,
  { name: 'namespace', label: 'Namespace', type: 'select', placeholder: 'all namespaces', reloadMetric: true },
  { name: 'service', label: 'Service', type: 'multi-select', placeholder: 'all services' },
  { name: 'port', label: 'Port', type: 'input', placeholder: 'all ports (number or name)', width: 16 },
];
const CONDITION_FIELD = {
  name: 'conditions', label: 'Conditions', type: 'multi-select', placeholder: 'count only endpoints with these conditions',
  options: [{ label: 'ready', value: 'ready' }, { label: 'serving', value: 'serving' }, { label: 'terminating', value: 'terminating' }],
};

/** The /metrics answer: MetricConfig[] for the query builder. */
export function metricConfigs(): unknown[] {
  const series = (value: string, label: string) => ({
    label, value,
    payloads: [
      ...SELECT_FIELDS, CONDITION_FIELD,
      { name: 'reduce', label: 'Per bucket', type: 'select', placeholder: 'worst (min for ready, max otherwise)',
        options: [{ label: 'min', value: 'min' }, { label: 'max', value: 'max' }, { label: 'avg (time-weighted)', value: 'avg' }, { label: 'last', value: 'last' }] },
      { name: 'limit', label: 'Max series', type: 'input', placeholder: String(DEFAULT_SERIES_LIMIT), width: 10 },
    ],
  });
  return [
    series('ready_endpoints', 'Ready endpoints'),
    series('not_ready_endpoints', 'Not ready endpoints'),
    series('terminating_endpoints', 'Terminating endpoints'),
    { label: 'Endpoints (table at range end)', value: 'endpoints', payloads: [...SELECT_FIELDS, CONDITION_FIELD] },
    { label: 'Endpoint changes (annotations)', value: 'endpoint_changes', payloads: [...SELECT_FIELDS, { name: 'limit', label: 'Max rows', type: 'input', placeholder: '1000', width: 10 }] },
    { label: 'Route (table at range end)', value: 'route', payloads: [
      { ...CLUSTER_FIELD, placeholder: 'every cluster' },
      { name: 'host', label: 'Host', type: 'select', placeholder: 'Ingress host, Service DNS name or IP' },
      { name: 'port', label: 'Port', type: 'input', placeholder: '80', width: 10 },
      { name: 'path', label: 'Path', type: 'input', placeholder: '/', width: 24 },
      { name: 'method', label: 'Method', type: 'input', placeholder: 'GET', width: 10 },
      { name: 'headers', label: 'Headers (JSON)', type: 'input', placeholder: '{"x-canary":"yes"}', width: 30 },
    ] },
  ];
}

/** Services existing during the range that the payload selectors and the ad hoc filters keep. */
export function selectServices(queries: Queries, range: TimeRange, namespaces: NameSelector, services: NameSelector, filters: AdHocFilters): CatalogService[] {
  return servicesInRange(queries.state, range.from, range.to).filter(
    (s) => namespaces.test(s.namespace) && services.test(s.name) && filters.test('namespace', s.namespace) && filters.test('service', s.name),
  );
}

function conditionsHold(c: { ready: boolean | null; serving: boolean | null; terminating: boolean | null }, wanted: readonly Condition[]): boolean {
  // EndpointSlice API defaults: ready and serving unset mean true, terminating unset means false.
  const ready = c.ready !== false, serving = c.serving ?? ready, terminating = c.terminating === true;
  return wanted.every((w) => (w === 'ready' ? ready : w === 'serving' ? serving : terminating));
}

function rowFilter(filters: AdHocFilters, conditions: readonly Condition[]): ((r: EndpointInterval) => boolean) | undefined {
  if (!filters.has('zone') && !filters.has('node') && conditions.length === 0) return undefined;
  return (r) => filters.test('zone', r.zone) && filters.test('node', r.node) && conditionsHold(r, conditions);
}

function notice(text: string) {
  return { notices: [{ severity: 'warning', text }] };
}

function seriesMetric(ctx: MetricContext, metric: string, state: EndpointState, payload: Readonly<Record<string, unknown>>): QueryElement[] {
  const f = new PayloadFields(payload, `target ${ctx.refId} (${metric})`, ['namespace', 'service', 'port', 'conditions', 'reduce', 'limit']);
  const services = selectServices(ctx.queries, ctx.range, f.names('namespace'), f.names('service'), ctx.filters);
  const limit = f.integer('limit', 1, MAX_SERIES_LIMIT) ?? DEFAULT_SERIES_LIMIT;
  const { series, total } = endpointSeries(ctx.queries.state, {
    services, states: [state], from: ctx.range.from, to: ctx.range.to, intervalMs: ctx.intervalMs, maxDataPoints: ctx.maxDataPoints,
    port: f.port(), reduce: f.reduce(), rowFilter: rowFilter(ctx.filters, f.conditions()), limit,
  });
  const namespaces = new Set(series.map((s) => s.namespace));
  const out: TimeseriesElement[] = series.slice(0, limit).map((s) => ({
    target: `${namespaces.size > 1 ? `${s.namespace}/` : ''}${s.service}${s.port ? `:${s.port}` : ''} ${STATE_WORD[state]}`,
    refId: ctx.refId,
    tags: { namespace: s.namespace, service: s.service, port: s.port, state },
    datapoints: s.points,
  }));
  if (total > limit) out[0]!.meta = notice(`${total} series match; showing the first ${limit} (raise the payload field limit, at most ${MAX_SERIES_LIMIT}, or narrow namespace/service)`);
  return out;
}

function table(ctx: MetricContext, name: string, columns: [string, TableColumn['type']][], rows: unknown[][]): TableElement {
  return { type: 'table', refId: ctx.refId, name, columns: columns.map(([text, type]) => ({ text, type })), rows };
}

function endpointsMetric(ctx: MetricContext, payload: Readonly<Record<string, unknown>>): QueryElement[] {
  const f = new PayloadFields(payload, `target ${ctx.refId} (endpoints)`, ['namespace', 'service', 'port', 'conditions']);
  const services = selectServices(ctx.queries, ctx.range, f.names('namespace'), f.names('service'), ctx.filters);
  const conditions = f.conditions();
  const { rows } = endpointTable(ctx.queries, { services: services.map((s) => ({ namespace: s.namespace, name: s.name })), at: ctx.range.to, port: f.port() });
  const kept = rows.filter((r) => ctx.filters.test('zone', r.zone) && ctx.filters.test('node', r.node) && conditionsHold(r, conditions));
  return [table(ctx, 'endpoints', [
    ['namespace', 'string'], ['service', 'string'], ['port', 'number'], ['portName', 'string'], ['address', 'string'], ['endpointPort', 'number'],
    ['conditions', 'string'], ['ready', 'boolean'], ['serving', 'boolean'], ['terminating', 'boolean'], ['node', 'string'], ['zone', 'string'],
    ['pod', 'string'], ['slice', 'string'], ['selected', 'boolean'], ['reason', 'string'],
  ], kept.map((r) => [r.namespace, r.service, r.servicePort, r.portName, r.address, r.port, r.conditions, r.ready, r.serving, r.terminating, r.node, r.zone, r.pod, r.slice, r.selected, r.reason]))];
}

async function changesMetric(ctx: MetricContext, payload: Readonly<Record<string, unknown>>): Promise<QueryElement[]> {
  const f = new PayloadFields(payload, `target ${ctx.refId} (endpoint_changes)`, ['namespace', 'service', 'port', 'limit']);
  const services = selectServices(ctx.queries, ctx.range, f.names('namespace'), f.names('service'), ctx.filters);
  const limit = f.integer('limit', 1, 10_000);
  const { rows, truncated } = await endpointChanges(ctx.queries.state, {
    services, from: ctx.range.from, to: ctx.range.to, port: f.port(), limit, rowFilter: rowFilter(ctx.filters, []),
  });
  const t = table(ctx, 'endpoint_changes', [
    ['time', 'time'], ['timeEnd', 'time'], ['title', 'string'], ['text', 'string'], ['tags', 'string'], ['namespace', 'string'], ['service', 'string'], ['type', 'string'],
  ], rows.map((r) => [r.time, r.timeEnd, r.title, r.text, r.tags.join(','), r.namespace, r.service, r.type]));
  if (truncated) t.meta = notice(`more than ${limit ?? 1000} changes in the range; showing the newest (narrow the range or raise limit)`);
  return [t];
}

function routeMetric(ctx: MetricContext, payload: Readonly<Record<string, unknown>>): QueryElement[] {
  const where = `target ${ctx.refId} (route)`;
  const f = new PayloadFields(payload, where, ['host', 'port', 'path', 'method', 'headers']);
  const host = f.text('host');
  if (host === undefined) throw new RequestError('BAD_REQUEST', `target ${ctx.refId} (route): payload field 'host' is required`);
  const port = f.port();
  if (typeof port === 'string') throw new RequestError('BAD_REQUEST', `target ${ctx.refId} (route): payload field 'port' must be a number`);
  const now = ctx.queries.state.now();
  const at = ctx.range.to.getTime() >= now ? undefined : ctx.range.to;
  const { answer } = ctx.queries.routes.route({ host, port: port ?? null, path: f.text('path') ?? null, method: f.text('method') ?? null, headers: headersField(payload['headers'], where), at });
  const ing = answer.ingress, svc = answer.service;
  const gw = Object.values(gatewayCells(answer));
  const findings = answer.findings.map((x) => `${x.severity}: ${x.message}`).join(' | ');
  const common = [
    host, port ?? null, f.text('path') ?? '/', answer.verdict,
    ing ? `${ing.namespace}/${ing.name}` : null, ing ? (ing.defaultBackend ? '(default backend)' : `${ing.path ?? ''} (${ing.pathType ?? ''})`) : null,
    svc ? `${svc.namespace}/${svc.name}` : answer.externalName, svc?.port ?? null, svc?.portName ?? null,
  ];
  const rows = answer.endpoints.length
    ? answer.endpoints.map((e) => [...common, e.address, e.port, e.pod ? `${e.pod.namespace}/${e.pod.name}` : null, e.node, conditionText(e.conditions), e.selected, e.reason, findings, ...gw])
    : [[...common, null, null, null, null, null, null, null, findings, ...gw]];
  return [table(ctx, 'route', [
    ['host', 'string'], ['port', 'number'], ['path', 'string'], ['verdict', 'string'], ['ingress', 'string'], ['rule', 'string'],
    ['service', 'string'], ['servicePort', 'number'], ['servicePortName', 'string'],
    ['address', 'string'], ['endpointPort', 'number'], ['pod', 'string'], ['node', 'string'], ['conditions', 'string'], ['selected', 'boolean'], ['reason', 'string'],
    ['findings', 'string'], ...GATEWAY_COLUMNS,
  ], rows)];
}

/** The elements answering one metric of one target. */
export async function runMetric(ctx: MetricContext, metric: string, payload: Readonly<Record<string, unknown>>): Promise<QueryElement[]> {
  const state = SERIES[metric];
  if (state) return seriesMetric(ctx, metric, state, payload);
  switch (metric) {
    case 'endpoints': return endpointsMetric(ctx, payload);
    case 'endpoint_changes': return changesMetric(ctx, payload);
    case 'route': return routeMetric(ctx, payload);
    default:
      throw new RequestError('BAD_REQUEST', `target ${ctx.refId}: unknown metric '${metric.slice(0, 60)}' (metrics: ${METRIC_NAMES.join(', ')})`);
  }
}
