/**
 * endpointRowStartAfter: when the n-th endpoint row (0-based) of a service name opened after t (epoch ms),
 * or null when fewer than n + 1 did. Rows of every namespace with that service name count: the answer sizes a
 * window of history to read (the timeline reads its pages window by window), it is not a result. One range
 * scan of n entries of the (clusterId, serviceName, validFrom) index.
 */
import type { HistoryDatabase } from './openHistoryDatabase.js';

export function endpointRowStartAfter(database: HistoryDatabase, clusterId: number, service: string, t: number, n: number): number | null {
  const row = database.db.stmt('endpointRowStartAfter').get(clusterId, service, t, n) as { validFrom: number } | undefined;
  return row ? row.validFrom : null;
}
