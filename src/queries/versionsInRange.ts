/**
 * versionsInRange: the stored versions of one kind in one namespace (optionally one name) whose validity
 * overlaps [from, to], oldest first per object. The timeline's read.
 *
 * HistoryReader answers "the state at t" and "every version of one name"; the timeline needs "every version
 * of the EndpointSlices / Ingresses of a namespace during an interval", which it does not offer yet, so this
 * read lives here. It runs one raw SQL statement on the history's better-sqlite3 connection, served by the
 * (clusterId, kind, namespace, name, uid) unique index and the (objectId, validFrom) index, and rebuilds
 * objects with the store's own decodeBody and joinBody. It belongs in HistoryReader (and its SQL in sqliteDialect) and
 * should move there.
 */
import type { Kind, KubeObject } from '../model/objects.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import { SQL } from '../history/sqliteDialect.js';
import { decodeBody } from '../history/bodyCodec.js';
import { joinBody } from '../history/storedBody.js';

export interface RangeVersion {
  readonly objectId: number;
  readonly versionId: number;
  readonly kind: Kind;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly validFrom: number;
  readonly validTo: number | null;
  readonly changeTime: number | null;
  readonly endChangeTime: number | null;
  readonly observedTime: number;
  readonly object: KubeObject;
}

const RANGE_SQL = `SELECT o.id AS objectId, o.name, o.uid, v.id AS versionId, v.resourceVersion, v.validFrom, v.validTo,
    v.changeTime, v.endChangeTime, v.observedTime, v.body
  FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
  WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND (? IS NULL OR o.name = ?)
    AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?)
  ORDER BY o.name, v.validFrom, v.id`;

interface Row {
  objectId: number; name: string; uid: string; versionId: number; resourceVersion: string;
  validFrom: number; validTo: number | null; changeTime: number | null; endChangeTime: number | null;
  observedTime: number; body: Uint8Array | string;
}

export function clusterIdOf(database: HistoryDatabase, cluster: string): number | null {
  const row = database.db.prepare(SQL.clusterId).get(cluster) as { id: number } | undefined;
  return row ? row.id : null;
}

export function versionsInRange(
  database: HistoryDatabase,
  clusterId: number,
  kind: Kind,
  namespace: string,
  name: string | null,
  from: number,
  to: number,
): RangeVersion[] {
  const rows = database.db.prepare(RANGE_SQL).all(clusterId, kind, namespace, name, name, to, from) as Row[];
  return rows.map((r) => ({
    objectId: r.objectId,
    versionId: r.versionId,
    kind,
    namespace,
    name: r.name,
    uid: r.uid,
    validFrom: r.validFrom,
    validTo: r.validTo,
    changeTime: r.changeTime,
    endChangeTime: r.endChangeTime,
    observedTime: r.observedTime,
    object: joinBody(kind, { namespace, name: r.name, uid: r.uid, resourceVersion: r.resourceVersion, body: decodeBody(r.body) }),
  }));
}

const ANY_SQL = `SELECT 1 FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
  WHERE o.clusterId = ? AND o.kind = ? AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?) LIMIT 1`;

/** Whether any object of `kind` (any namespace) was stored as valid at some time in [from, to]. */
export function kindStoredInRange(database: HistoryDatabase, clusterId: number, kind: Kind, from: number, to: number): boolean {
  return database.db.prepare(ANY_SQL).get(clusterId, kind, to, from) !== undefined;
}
