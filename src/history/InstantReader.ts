/**
 * InstantReader: the stored objects of one cluster as they were at one instant, read by index, a few at a
 * time: by name, by lookup term (LookupKey), by kind and namespace. The reads behind the history view
 * (src/queries/HistoryViewAt.ts), each a range scan of one index, never a scan of the cluster.
 *
 * An object's state at t is its version valid at t (validFrom <= t < validTo), found as the latest version
 * that started by t (the (objectId, validFrom) index, read backwards: one seek per object); its projection
 * is rebuilt with the store's own decodeBody/joinBody, so it equals what HistoryReader.snapshotAt returns.
 * Reads by term and by name return each object with its version in one statement (objectsOf reads many
 * objects' versions in one). Decoded objects are kept for the reader's lifetime (one instant), by id and by
 * name (at one instant a name holds one object), so each is decoded once and the same object is returned
 * to every lookup. Namespaces are the stored ones ('' for objects stored without one).
 * The reader never writes; an unknown cluster (null id) reads as empty. It is the history's ObjectLookups
 * (src/resolver/ObjectLookups.ts); LiveObjects (src/state) answers the same reads for the live state.
 */
import type { Kind, KubeObject } from '../model/objects.js';
import type { ObjectLookups, StoredName } from '../resolver/ObjectLookups.js';
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { decodeBody } from './bodyCodec.js';
import { joinBody } from './storedBody.js';

export type { StoredName } from '../resolver/ObjectLookups.js';

interface VersionCells {
  resourceVersion: string;
  validTo: number | null;
  body: Uint8Array | string;
  chain: string | null;
}

/** A version's cells, null when the object had none started by t. */
type MaybeVersionCells = { [K in keyof VersionCells]: VersionCells[K] | null };

export class InstantReader implements ObjectLookups {
  private readonly objects = new Map<number, KubeObject | null>();
  /** Objects found present at t by kind, namespace and name: at one instant a name holds one object. */
  private readonly byName = new Map<string, KubeObject>();

  constructor(
    private readonly database: HistoryDatabase,
    private readonly clusterId: number | null,
    readonly at: number,
  ) {}

  /** The object of version cells (the latest version of `o` started by t), null when it is not valid at t. */
  private decoded(o: StoredName, v: MaybeVersionCells | undefined): KubeObject | null {
    let hit = this.objects.get(o.objectId);
    if (hit !== undefined) return hit;
    hit = v && v.body !== null && v.resourceVersion !== null && (v.validTo === null || v.validTo > this.at)
      ? joinBody(o.kind, { namespace: o.namespace, name: o.name, uid: o.uid, resourceVersion: v.resourceVersion, body: decodeBody(v.body, v.chain) })
      : null;
    this.objects.set(o.objectId, hit);
    if (hit) this.byName.set(nameKey(o.kind, o.namespace, o.name), hit);
    return hit;
  }

  /** The state at t of a stored object (null: no version valid at t). */
  object(o: StoredName): KubeObject | null {
    const hit = this.objects.get(o.objectId);
    if (hit !== undefined) return hit;
    return this.decoded(o, this.database.db.stmt('versionStartedBy').get(o.objectId, this.at) as VersionCells | undefined);
  }

  /** The states at t of several stored objects (one statement for those not read yet), present ones in order. */
  objectsOf(names: readonly StoredName[]): KubeObject[] {
    const missing = names.filter((n) => !this.objects.has(n.objectId));
    if (missing.length > 0) {
      const cells = new Map<number, VersionCells>();
      const rows = this.database.db.stmt('versionsStartedByOfIds').all(JSON.stringify(missing.map((n) => n.objectId)), this.at) as (VersionCells & { objectId: number })[];
      for (const r of rows) cells.set(r.objectId, r);
      for (const n of missing) this.decoded(n, cells.get(n.objectId));
    }
    return this.present(names);
  }

  /** Identities of the objects of `kind` that had the term (hash) at t (no body is read). */
  namesWithTerm(kind: Kind, term: number): StoredName[] {
    if (this.clusterId === null) return [];
    const rows = this.database.db.stmt('objectsWithTermAt').all(this.clusterId, term, this.at, this.at, kind) as Omit<StoredName, 'kind'>[];
    return rows.map((r) => ({ ...r, kind }));
  }

  /** Objects of `kind` that had the term (hash) at t, read with their versions in one statement. */
  withTerm(kind: Kind, term: number): KubeObject[] {
    if (this.clusterId === null) return [];
    const rows = this.database.db.stmt('objectsWithTermAtVersions').all(this.at, this.clusterId, term, this.at, this.at, kind) as (Omit<StoredName, 'kind'> & MaybeVersionCells)[];
    const out: KubeObject[] = [];
    for (const r of rows) {
      const o = this.decoded({ objectId: r.objectId, kind, namespace: r.namespace, name: r.name, uid: r.uid }, r);
      if (o) out.push(o);
    }
    return out;
  }

  /** The object of `kind` named namespace/name at t, if any (of all its uids, the one valid at t). */
  named(kind: Kind, namespace: string, name: string): KubeObject | undefined {
    if (this.clusterId === null) return undefined;
    const known = this.byName.get(nameKey(kind, namespace, name));
    if (known) return known;
    const rows = this.database.db.stmt('objectsNamedAtVersions').all(this.at, this.clusterId, kind, namespace, name) as (Pick<StoredName, 'objectId' | 'uid'> & MaybeVersionCells)[];
    for (const r of rows) {
      const o = this.decoded({ objectId: r.objectId, kind, namespace, name, uid: r.uid }, r);
      if (o) return o;
    }
    return undefined;
  }

  /** Identities of the objects of `kind` in a namespace valid at t (no body is read). */
  namesIn(kind: Kind, namespace: string): StoredName[] {
    if (this.clusterId === null) return [];
    const rows = this.database.db.stmt('objectsInNamespaceAt').all(this.at, this.clusterId, kind, namespace, this.at) as Omit<StoredName, 'kind' | 'namespace'>[];
    return rows.map((r) => ({ ...r, kind, namespace }));
  }

  /** Objects of `kind` in a namespace at t. */
  objectsIn(kind: Kind, namespace: string): KubeObject[] {
    return this.objectsOf(this.namesIn(kind, namespace));
  }

  /** Every object of `kind` at t (for kinds with few objects: IngressClass). */
  objectsOfKind(kind: Kind): KubeObject[] {
    if (this.clusterId === null) return [];
    const rows = this.database.db.stmt('objectsOfKindAt').all(this.at, this.clusterId, kind, this.at) as Omit<StoredName, 'kind'>[];
    return this.objectsOf(rows.map((r) => ({ ...r, kind })));
  }

  /** Whether any object of `kind` (in `namespace`, when given) is valid at t. */
  exists(kind: Kind, namespace?: string): boolean {
    if (this.clusterId === null) return false;
    return namespace === undefined
      ? this.database.db.stmt('kindExistsAt').get(this.clusterId, kind, this.at, this.at) !== undefined
      : this.database.db.stmt('namespaceUsedAt').get(this.clusterId, kind, namespace, this.at, this.at) !== undefined;
  }

  private present(names: readonly StoredName[]): KubeObject[] {
    const out: KubeObject[] = [];
    for (const n of names) {
      const o = this.object(n);
      if (o) out.push(o);
    }
    return out;
  }
}

function nameKey(kind: Kind, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}
