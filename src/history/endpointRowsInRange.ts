/**
 * endpointRowsInRange: the derived endpoint rows (EndpointRow: one per address and port of an EndpointSlice
 * or Endpoints object, with its own validity) of some Services of one namespace whose validity overlaps
 * [from, to], with the kind of the object they come from. The read behind the Grafana endpoint series,
 * annotations and tables.
 *
 * HistoryReader offers endpoint rows of one service at one instant (endpointsAt); charts
 * need "every row of these Services over an interval". Two forms: endpointIntervalsInRange reads only what
 * counting needs (validity, port, conditions, node, zone: a week of one busy Service is ~100k rows, and
 * every column read costs), endpointRowsInRange every column. Raw SQL (sqliteDialect.endpointIntervalsInRange
 * / endpointRowsInRange), one range scan of the (clusterId, serviceName, validFrom) index per Service name;
 * the namespace is checked against the ids of the namespace's EndpointSlice and Endpoints objects. Rows
 * come in no particular order. Times are epoch ms; validTo null = still valid.
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { preparedStatement } from './preparedStatement.js';
import { SQL } from './sqliteDialect.js';

export interface EndpointInterval {
  readonly service: string;
  /** 'EndpointSlice' or 'Endpoints'. */
  readonly kind: string;
  readonly validFrom: number;
  readonly validTo: number | null;
  readonly portName: string | null;
  readonly port: number | null;
  readonly ready: boolean | null;
  readonly serving: boolean | null;
  readonly terminating: boolean | null;
  readonly node: string | null;
  readonly zone: string | null;
}

export interface RangeEndpointRow extends EndpointInterval {
  readonly namespace: string;
  /** Name of the EndpointSlice or Endpoints object. */
  readonly object: string;
  readonly address: string;
  readonly protocol: string | null;
  readonly targetKind: string | null;
  readonly targetName: string | null;
}

const flag = (v: unknown): boolean | null => (v === null ? null : v === 1);

type Cells = [number, number, number | null, string | null, number | null, number | null, number | null, number | null, string | null, string | null, string, string | null, string | null, string | null];

function read<T>(
  database: HistoryDatabase, sql: string, clusterId: number, namespace: string, services: readonly string[], from: number, to: number,
  make: (c: Cells, service: string, object: { kind: string; name: string }) => T,
): T[] {
  const objects = new Map<number, { kind: string; name: string }>();
  for (const o of preparedStatement(database.db, SQL.endpointObjects).all(clusterId, namespace) as { id: number; kind: string; name: string }[]) objects.set(o.id, o);
  const stmt = preparedStatement(database.db, sql, 'raw');
  const out: T[] = [];
  for (const service of [...new Set(services)].sort()) {
    for (const c of stmt.all(clusterId, service, to, from, clusterId, namespace) as Cells[]) out.push(make(c, service, objects.get(c[0])!));
  }
  return out;
}

/** The counting columns of the rows of `services` (names) in `namespace` valid at some instant of [from, to]. */
export function endpointIntervalsInRange(
  database: HistoryDatabase, clusterId: number, namespace: string, services: readonly string[], from: number, to: number,
): EndpointInterval[] {
  return read(database, SQL.endpointIntervalsInRange, clusterId, namespace, services, from, to, (c, service, o) => ({
    service, kind: o.kind, validFrom: c[1], validTo: c[2], portName: c[3], port: c[4],
    ready: flag(c[5]), serving: flag(c[6]), terminating: flag(c[7]), node: c[8], zone: c[9],
  }));
}

/** Every column of the rows of `services` (names) in `namespace` valid at some instant of [from, to]. */
export function endpointRowsInRange(
  database: HistoryDatabase, clusterId: number, namespace: string, services: readonly string[], from: number, to: number,
): RangeEndpointRow[] {
  return read(database, SQL.endpointRowsInRange, clusterId, namespace, services, from, to, (c, service, o) => ({
    namespace, service, kind: o.kind, object: o.name, validFrom: c[1], validTo: c[2], portName: c[3], port: c[4],
    ready: flag(c[5]), serving: flag(c[6]), terminating: flag(c[7]), node: c[8], zone: c[9],
    address: c[10], protocol: c[11], targetKind: c[12], targetName: c[13],
  }));
}
