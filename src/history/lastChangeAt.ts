/**
 * lastChangeAt: the latest instant <= t at which any stored version of the given kinds (optionally in one
 * namespace) began or ended, or null when there is none (or the cluster id is null). Two instants with the
 * same last change see the same objects of those kinds, so ClusterState keys its index cache by it:
 * questions about many instants of a quiet period rebuild nothing. Raw SQL on the store's indexes
 * (sqliteDialect.lastChange / lastChangeInNamespace).
 */
import type { Kind } from '../model/objects.js';
import type { HistoryDatabase } from './openHistoryDatabase.js';

export function lastChangeAt(database: HistoryDatabase, clusterId: number | null, t: number, kinds: readonly Kind[], namespace?: string): number | null {
  if (clusterId === null) return null;
  let last: number | null = null;
  const stmt = database.db.stmt(namespace === undefined ? 'lastChange' : 'lastChangeInNamespace');
  for (const kind of kinds) {
    const row = (namespace === undefined
      ? stmt.get(clusterId, kind, t, clusterId, kind, t)
      : stmt.get(clusterId, kind, namespace, t, clusterId, kind, namespace, t)) as { b: number | null };
    if (row.b !== null && (last === null || row.b > last)) last = row.b;
  }
  return last;
}
