/**
 * versionsInRange: the stored versions of one kind in one namespace (optionally one name) whose validity
 * overlaps [from, to] (epoch ms), oldest first per object (objects by name). The timeline's read.
 *
 * With a name (or one object: objectVersionsInRange) the read costs what it returns: per object, one seek
 * for the version valid at `from` and one range scan of the versions that began in (from, to], both on the
 * (objectId, validFrom) index, however long the object's history. Without a name (every object of a kind in
 * a namespace: the E4 Pod read) one raw SQL statement (sqliteDialect.versionsInRange). Objects are rebuilt
 * with the store's own decodeBody and joinBody.
 *
 * objectLivedIn: whether one object had a version valid at some instant of [from, to].
 * kindStoredInRange: whether any object of a kind (any namespace) was stored as valid at some time in
 * [from, to].
 */
import type { Kind, KubeObject } from '../model/objects.js';
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { decodeBody, decodeBodyAfter, decodeBodyBytes } from './bodyCodec.js';
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
  observedTime: number; body: Uint8Array | string; chain: string | null;
}

/** An object's identity, as StoredName (InstantReader) and the term reads give it. */
export interface ObjectIdentity {
  readonly objectId: number;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

type VersionRow = Omit<Row, 'objectId' | 'name' | 'uid'>;

function rangeVersion(kind: Kind, namespace: string, o: { objectId: number; name: string; uid: string }, r: VersionRow, json?: string): RangeVersion {
  return {
    objectId: o.objectId,
    versionId: r.versionId,
    kind,
    namespace,
    name: o.name,
    uid: o.uid,
    validFrom: r.validFrom,
    validTo: r.validTo,
    changeTime: r.changeTime,
    endChangeTime: r.endChangeTime,
    observedTime: r.observedTime,
    object: joinBody(kind, { namespace, name: o.name, uid: o.uid, resourceVersion: r.resourceVersion, body: json ?? decodeBody(r.body, r.chain) }),
  };
}

/** The version of an object valid at t: its latest version started by t (InstantReader's rule), unless it ended by t. */
function versionAt(database: HistoryDatabase, objectId: number, t: number): VersionRow | undefined {
  const v = database.db.stmt('versionStartedBy').get(objectId, t) as VersionRow | undefined;
  return v && (v.validTo === null || v.validTo > t) ? v : undefined;
}

/**
 * The versions of one object overlapping [from, to], oldest first: two index seeks, whatever its history.
 * The versions started in the range are consecutive versions of the object, so each is decoded from the
 * one before it (decodeBodyAfter); only the first needs its delta chain.
 */
export function objectVersionsInRange(database: HistoryDatabase, kind: Kind, object: ObjectIdentity, from: number, to: number): RangeVersion[] {
  const out: RangeVersion[] = [];
  const first = versionAt(database, object.objectId, from);
  let previous: Buffer | undefined;
  if (first) {
    previous = decodeBodyBytes(first.body, first.chain);
    out.push(rangeVersion(kind, object.namespace, object, first, previous.toString('utf8')));
  }
  for (const r of database.db.stmt('objectVersionsStartedIn').all(object.objectId, from, to) as Omit<VersionRow, 'chain'>[]) {
    const json = previous !== undefined
      ? decodeBodyAfter(previous, r.body)
      : decodeBodyBytes(r.body, (database.db.stmt('versionChain').get(r.versionId) as { chain: string | null }).chain);
    previous = json;
    out.push(rangeVersion(kind, object.namespace, object, { ...r, chain: null }, json.toString('utf8')));
  }
  return out;
}

/** Whether the object had a version valid at some instant of [from, to]. */
export function objectLivedIn(database: HistoryDatabase, objectId: number, from: number, to: number): boolean {
  return versionAt(database, objectId, from) !== undefined
    || database.db.stmt('objectChangedIn').get(objectId, from, to) !== undefined;
}

/** The objects of `kind` named namespace/name (every uid). */
export function objectsNamed(database: HistoryDatabase, clusterId: number, kind: Kind, namespace: string, name: string): ObjectIdentity[] {
  const rows = database.db.stmt('objectsNamed').all(clusterId, kind, namespace, name) as { objectId: number; uid: string }[];
  return rows.map((r) => ({ objectId: r.objectId, namespace, name, uid: r.uid }));
}

const byStart = (a: RangeVersion, b: RangeVersion) => a.validFrom - b.validFrom || a.versionId - b.versionId;

export function versionsInRange(
  database: HistoryDatabase,
  clusterId: number,
  kind: Kind,
  namespace: string,
  name: string | null,
  from: number,
  to: number,
): RangeVersion[] {
  if (name !== null) {
    return objectsNamed(database, clusterId, kind, namespace, name).flatMap((o) => objectVersionsInRange(database, kind, o, from, to)).sort(byStart);
  }
  const rows = database.db.stmt('versionsInRange').all(clusterId, kind, namespace, to, from) as Row[];
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
    object: joinBody(kind, { namespace, name: r.name, uid: r.uid, resourceVersion: r.resourceVersion, body: decodeBody(r.body, r.chain) }),
  }));
}

/** Whether any object of `kind` (any namespace) was stored as valid at some time in [from, to]. */
export function kindStoredInRange(database: HistoryDatabase, clusterId: number, kind: Kind, from: number, to: number): boolean {
  return database.db.stmt('kindStoredInRange').get(clusterId, kind, to, from) !== undefined;
}
