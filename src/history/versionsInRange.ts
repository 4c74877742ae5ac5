/**
 * versionsInRange: the stored versions of one kind in one namespace (optionally one name) whose validity
 * overlaps [from, to] (epoch ms), oldest first per object (objects by name). The timeline's read.
 *
 * HistoryReader answers "the state at t" and "every version of one name"; the timeline needs "every version
 * of the EndpointSlices / Ingresses of a namespace during an interval". One raw SQL statement
 * (sqliteDialect.versionsInRange), served by the (clusterId, kind, namespace, name, uid) unique index and
 * the (objectId, validFrom) index; objects are rebuilt with the store's own decodeBody and joinBody.
 *
 * kindStoredInRange: whether any object of a kind (any namespace) was stored as valid at some time in
 * [from, to].
 */
import type { Kind, KubeObject } from '../model/objects.js';
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { decodeBody } from './bodyCodec.js';
import { preparedStatement } from './preparedStatement.js';
import { SQL } from './sqliteDialect.js';
import { joinBody } from './storedBody.js';

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

interface Row {
  objectId: number; name: string; uid: string; versionId: number; resourceVersion: string;
  validFrom: number; validTo: number | null; changeTime: number | null; endChangeTime: number | null;
  observedTime: number; body: Uint8Array | string;
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
  const rows = preparedStatement(database.db, SQL.versionsInRange).all(clusterId, kind, namespace, name, name, to, from) as Row[];
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

/** Whether any object of `kind` (any namespace) was stored as valid at some time in [from, to]. */
export function kindStoredInRange(database: HistoryDatabase, clusterId: number, kind: Kind, from: number, to: number): boolean {
  return preparedStatement(database.db, SQL.kindStoredInRange).get(clusterId, kind, to, from) !== undefined;
}
