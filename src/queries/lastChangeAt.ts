/**
 * lastChangeAt: the latest instant <= t at which any stored version of the given kinds (optionally in one
 * namespace) began or ended, or null when there is none. Two instants with the same last change see the
 * same objects of those kinds, so ClusterState keys its index cache by it: questions about many instants
 * of a quiet period rebuild nothing. Raw SQL on the store's indexes, like snapshotOfKindsAt (and, like
 * it, to move into HistoryReader).
 */
import type { Kind } from '../model/objects.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';

const SQL_ALL = `SELECT max(x) AS b FROM (
    SELECT max(v.validFrom) AS x FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
      WHERE o.clusterId = ? AND o.kind = ? AND v.validFrom <= ?
    UNION ALL
    SELECT max(v.validTo) AS x FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
      WHERE o.clusterId = ? AND o.kind = ? AND v.validTo <= ?)`;
const SQL_NS = `SELECT max(x) AS b FROM (
    SELECT max(v.validFrom) AS x FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
      WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND v.validFrom <= ?
    UNION ALL
    SELECT max(v.validTo) AS x FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
      WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND v.validTo <= ?)`;

export function lastChangeAt(database: HistoryDatabase, clusterId: number | null, t: number, kinds: readonly Kind[], namespace?: string): number | null {
  if (clusterId === null) return null;
  let last: number | null = null;
  const stmt = database.db.prepare(namespace === undefined ? SQL_ALL : SQL_NS);
  for (const kind of kinds) {
    const row = (namespace === undefined
      ? stmt.get(clusterId, kind, t, clusterId, kind, t)
      : stmt.get(clusterId, kind, namespace, t, clusterId, kind, namespace, t)) as { b: number | null };
    if (row.b !== null && (last === null || row.b > last)) last = row.b;
  }
  return last;
}
