/**
 * endpointSeries: how many endpoints of each Service port were ready, not ready or terminating over
 * [from, to], as chart series computed from the stored endpoint rows (their validity intervals), on the
 * bucket grid of stepSeries (intervalMs / maxDataPoints).
 *
 * Rules:
 *  - A Service's endpoints are its EndpointSlices' rows (label kubernetes.io/service-name); the rows of its
 *    Endpoints object count only when no slice was labelled for the Service during the range (the
 *    timeline's rule, history/serviceEndpointObjects), so mirrored objects are not counted twice.
 *  - States partition the rows: terminating = conditions.terminating true; ready = not terminating and
 *    conditions.ready not false (unset means ready, as the EndpointSlice API says); not_ready = the rest.
 *  - One series per Service and port name (slice ports carry the Service port's name; '' for an unnamed
 *    port): every port the Service had during the range gets a series, so a Service without endpoints
 *    charts as 0. `port` keeps one port: a name, or a number (the Service port number, or the endpoint
 *    port number).
 *  - `rowFilter` narrows the rows (zone, node, conditions); `reduce` chooses what a bucket shows (default:
 *    the worst value in the bucket, min for ready and max for not_ready / terminating, so a dip shorter
 *    than a bucket still shows).
 * Every row is counted, also an address listed by two slices at once (kube-proxy would merge those; it
 * happens only briefly while an endpoint moves between slices).
 */
import type { CatalogService } from './serviceCatalog.js';
import type { ClusterState } from './ClusterState.js';
import { endpointIntervalsInRange, type EndpointInterval } from '../history/endpointRowsInRange.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import { stepGrid, stepSeries, type Interval, type Reduce, type StepGrid } from './stepSeries.js';
import { clusterIdOf } from '../history/clusterIdOf.js';

export type EndpointState = 'ready' | 'not_ready' | 'terminating';

export interface EndpointSeriesInput {
  readonly services: readonly CatalogService[];
  /** One series per Service port and state, states in this order within a port. */
  readonly states: readonly EndpointState[];
  readonly from: Date;
  readonly to: Date;
  readonly intervalMs?: number | undefined;
  readonly maxDataPoints?: number | undefined;
  readonly port?: number | string | undefined;
  readonly reduce?: Reduce | undefined;
  readonly rowFilter?: ((row: EndpointInterval) => boolean) | undefined;
}

export interface EndpointSeries {
  readonly namespace: string;
  readonly service: string;
  /** Port name, or the port number as text for an unnamed port ('' when the Service has no port). */
  readonly port: string;
  readonly state: EndpointState;
  /** [value, epoch ms], ascending, one per grid bucket. */
  readonly points: [number, number][];
}

export function stateOf(row: Pick<EndpointInterval, 'ready' | 'terminating'>): EndpointState {
  if (row.terminating === true) return 'terminating';
  return row.ready === false ? 'not_ready' : 'ready';
}

export function defaultReduce(state: EndpointState): Reduce {
  return state === 'ready' ? 'min' : 'max';
}

type RowRead<T> = (database: HistoryDatabase, clusterId: number, namespace: string, services: readonly string[], from: number, to: number) => T[];

/**
 * Rows of the selected Services in range, by "namespace/name" (the slices-else-Endpoints rule is the
 * read's), read with `read` (endpointIntervalsInRange by default).
 */
export function serviceRowsInRange<T extends EndpointInterval = EndpointInterval>(
  state: ClusterState, services: readonly CatalogService[], from: Date, to: Date,
  read: RowRead<T> = endpointIntervalsInRange as unknown as RowRead<T>,
): Map<string, T[]> {
  const h = state.history();
  const clusterId = clusterIdOf(h.database, h.cluster);
  const out = new Map<string, T[]>();
  for (const s of services) out.set(`${s.namespace}/${s.name}`, []);
  if (clusterId === null) return out;
  const byNamespace = new Map<string, string[]>();
  for (const s of services) byNamespace.set(s.namespace, [...(byNamespace.get(s.namespace) ?? []), s.name]);
  for (const [ns, names] of byNamespace) {
    for (const r of read(h.database, clusterId, ns, names, from.getTime(), to.getTime())) {
      out.get(`${ns}/${r.service}`)?.push(r);
    }
  }
  return out;
}

/** Port names of `service` that `port` selects (all when undefined). */
export function selectedPortNames(service: CatalogService, port: number | string | undefined): (row: Pick<EndpointInterval, 'portName' | 'port'>) => boolean {
  if (port === undefined) return () => true;
  if (typeof port === 'string') return (r) => (r.portName ?? '') === port;
  const names = new Set(service.ports.filter((p) => p.port === port).map((p) => p.name));
  return (r) => names.has(r.portName ?? '') || r.port === port;
}

function portLabel(service: CatalogService, name: string, rows: readonly EndpointInterval[]): string {
  if (name !== '') return name;
  const unnamed = service.ports.filter((p) => p.name === '');
  if (unnamed.length === 1) return String(unnamed[0]!.port);
  const r = rows.find((x) => x.port !== null);
  return r ? String(r.port) : '';
}

/** Series `svc` would get without reading rows: one per kept Service port and state. */
function declaredSeries(svc: CatalogService, port: number | string | undefined, states: number): number {
  const keep = selectedPortNames(svc, port);
  return new Set(svc.ports.filter((p) => keep({ portName: p.name, port: p.port })).map((p) => p.name)).size * states;
}

/**
 * The series of `input.services`, in order. With `limit`, rows are read only for the first Services until
 * `limit` series are made (the cost follows the answer, not the number of Services matched); `total` then
 * counts the series of the Services not read from their declared ports (a port only their rows name is not
 * counted).
 */
export function endpointSeries(state: ClusterState, input: EndpointSeriesInput & { readonly limit?: number | undefined }): { grid: StepGrid; series: EndpointSeries[]; total: number } {
  const from = input.from.getTime(), to = input.to.getTime();
  const grid = stepGrid(from, to, input.intervalMs, input.maxDataPoints);
  const limit = input.limit ?? Infinity;
  const series: EndpointSeries[] = [];
  let total = 0;
  let next = 0;
  while (next < input.services.length && series.length < limit) {
    // Read the rows of the next Services that should make up the missing series (one read per namespace).
    const batch: CatalogService[] = [];
    let expected = 0;
    while (next < input.services.length && (batch.length === 0 || series.length + expected < limit)) {
      const svc = input.services[next++]!;
      batch.push(svc);
      expected += declaredSeries(svc, input.port, input.states.length);
    }
    const rowsByService = serviceRowsInRange(state, batch, input.from, input.to);
    for (const svc of batch) {
      const made = serviceSeries(svc, rowsByService.get(`${svc.namespace}/${svc.name}`) ?? [], input, grid);
      series.push(...made);
      total += made.length;
    }
  }
  for (; next < input.services.length; next++) total += declaredSeries(input.services[next]!, input.port, input.states.length);
  return { grid, series: Number.isFinite(limit) ? series.slice(0, limit) : series, total };
}

function serviceSeries(svc: CatalogService, serviceRows: readonly EndpointInterval[], input: EndpointSeriesInput, grid: StepGrid): EndpointSeries[] {
  const series: EndpointSeries[] = [];
  const keep = selectedPortNames(svc, input.port);
  const rows = serviceRows.filter((r) => keep(r) && (!input.rowFilter || input.rowFilter(r)));
  const byPort = new Map<string, EndpointInterval[]>();
  for (const p of svc.ports) if (keep({ portName: p.name, port: p.port })) byPort.set(p.name, []);
  for (const r of rows) {
    const k = r.portName ?? '';
    const list = byPort.get(k);
    if (list) list.push(r);
    else byPort.set(k, [r]);
  }
  for (const [name, list] of [...byPort].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const port = portLabel(svc, name, list);
    for (const state of input.states) {
      const intervals: Interval[] = list.filter((r) => stateOf(r) === state).map((r) => [r.validFrom, r.validTo]);
      series.push({ namespace: svc.namespace, service: svc.name, port, state, points: stepSeries(intervals, grid, input.reduce ?? defaultReduce(state)) });
    }
  }
  return series;
}
