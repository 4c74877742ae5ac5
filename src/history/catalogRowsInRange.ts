/**
 * catalogRowsInRange: the raw rows behind the service catalog (what existed in the stored history during
 * [from, to], epoch ms, for pickers and filters), read from the derived tables without decoding bodies:
 *
 *  - servicePortRowsInRange: one row per (Service version valid at some instant of [from, to], ServicePort
 *    row), with null port cells for a version without ports (sqliteDialect.servicePortsInRange);
 *  - ingressHostRowsInRange: distinct (namespace, host) of the Ingress rules of Ingress versions valid
 *    during [from, to] (sqliteDialect.ingressHostsInRange);
 *  - endpointValueRowsInRange: distinct (namespace, service, zone or node) of the endpoint rows valid during
 *    [from, to] (sqliteDialect.endpointZonesInRange / endpointNodesInRange).
 * Rows come in no particular order; callers group, filter and sort. Served by the (objectId, validFrom) and
 * (clusterId, serviceName, validFrom) indexes.
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';

export interface ServicePortRow {
  namespace: string;
  name: string;
  portName: string | null;
  port: number | null;
  protocol: string | null;
}

export interface EndpointValueRow {
  namespace: string;
  service: string | null;
  value: string | null;
}

export function servicePortRowsInRange(database: HistoryDatabase, clusterId: number, from: number, to: number): ServicePortRow[] {
  return database.db.stmt('servicePortsInRange').all(clusterId, to, from) as ServicePortRow[];
}

export function ingressHostRowsInRange(database: HistoryDatabase, clusterId: number, from: number, to: number): { namespace: string; host: string }[] {
  return database.db.stmt('ingressHostsInRange').all(clusterId, to, from) as { namespace: string; host: string }[];
}

export function endpointValueRowsInRange(
  database: HistoryDatabase, clusterId: number, column: 'zone' | 'node', from: number, to: number,
): EndpointValueRow[] {
  return database.db.stmt(column === 'zone' ? 'endpointZonesInRange' : 'endpointNodesInRange').all(clusterId, to, from) as EndpointValueRow[];
}
