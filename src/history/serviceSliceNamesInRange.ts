/**
 * serviceSliceNamesInRange: the names of the EndpointSlices of one namespace that held an endpoint of one
 * Service (label kubernetes.io/service-name, as stored in EndpointRow.serviceName) at some instant of
 * [from, to] (epoch ms), in versionsInRange's object order. Lets the timeline read the versions of those
 * slices only instead of every slice of the namespace; a slice version without endpoints has no rows and is
 * not found here. One raw SQL statement (sqliteDialect.serviceSliceNamesInRange), a range scan of the
 * (clusterId, serviceName, validFrom) index.
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { preparedStatement } from './preparedStatement.js';
import { SQL } from './sqliteDialect.js';

export function serviceSliceNamesInRange(
  database: HistoryDatabase, clusterId: number, namespace: string, service: string, from: number, to: number,
): string[] {
  const rows = preparedStatement(database.db, SQL.serviceSliceNamesInRange).all(clusterId, service, to, from, namespace) as { name: string }[];
  return rows.map((r) => r.name);
}
