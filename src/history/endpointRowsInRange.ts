/**
 * endpointRowsInRange: the derived endpoint rows (EndpointRow: one per address and port of an EndpointSlice
 * or Endpoints object, with its own validity) of some Services of one namespace whose validity overlaps
 * [from, to], with the kind of the object they come from. The read behind the Grafana endpoint series,
 * annotations and tables.
 *
 * A Service's rows are those of the objects serviceEndpointObjects names for the range (its labelled
 * slices, else its Endpoints object). Per object, two ranges of the (objectId, validTo) index: rows still
 * open and rows that ended after `from`, so the cost follows the rows of the range (and those that began
 * later), never the history before it. Two forms: endpointIntervalsInRange reads only what counting needs
 * (validity, port, conditions, node, zone: every column read costs), endpointRowsInRange every column.
 * Rows come in no particular order. Times are epoch ms; validTo null = still valid.
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { serviceEndpointObjects } from './serviceEndpointObjects.js';
import { sqlFlag } from './SqlConnection.js';

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

const flag = sqlFlag;

type Cells = [number, number | null, string | null, number | null, number | null, number | null, number | null, string | null, string | null, string, string | null, string | null, string | null];

function read<T>(
  database: HistoryDatabase, key: 'endpointIntervalsOfObjectInRange' | 'endpointRowsOfObjectInRange', clusterId: number, namespace: string, services: readonly string[], from: number, to: number,
  make: (c: Cells, service: string, object: { kind: string; name: string }) => T,
): T[] {
  const stmt = database.db.stmt(key);
  const out: T[] = [];
  for (const service of [...new Set(services)].sort()) {
    const { kind, objects } = serviceEndpointObjects(database, clusterId, namespace, service, from, to);
    for (const o of objects) {
      const object = { kind: kind!, name: o.name };
      for (const c of stmt.raw(o.objectId, from, to, service, o.objectId, to, service) as Cells[]) out.push(make(c, service, object));
    }
  }
  return out;
}

/** The counting columns of the rows of `services` (names) in `namespace` valid at some instant of [from, to]. */
export function endpointIntervalsInRange(
  database: HistoryDatabase, clusterId: number, namespace: string, services: readonly string[], from: number, to: number,
): EndpointInterval[] {
  return read(database, 'endpointIntervalsOfObjectInRange', clusterId, namespace, services, from, to, (c, service, o) => ({
    service, kind: o.kind, validFrom: c[0], validTo: c[1], portName: c[2], port: c[3],
    ready: flag(c[4]), serving: flag(c[5]), terminating: flag(c[6]), node: c[7], zone: c[8],
  }));
}

/** Every column of the rows of `services` (names) in `namespace` valid at some instant of [from, to]. */
export function endpointRowsInRange(
  database: HistoryDatabase, clusterId: number, namespace: string, services: readonly string[], from: number, to: number,
): RangeEndpointRow[] {
  return read(database, 'endpointRowsOfObjectInRange', clusterId, namespace, services, from, to, (c, service, o) => ({
    namespace, service, kind: o.kind, object: o.name, validFrom: c[0], validTo: c[1], portName: c[2], port: c[3],
    ready: flag(c[4]), serving: flag(c[5]), terminating: flag(c[6]), node: c[7], zone: c[8],
    address: c[9], protocol: c[10], targetKind: c[11], targetName: c[12],
  }));
}
