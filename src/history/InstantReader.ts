/**
 * InstantReader: the stored objects of one cluster as they were at one instant, read by index, a few at a
 * time: by name, by lookup term (LookupKey), by kind and namespace. The reads behind the history view
 * (src/queries/HistoryViewAt.ts), each a range scan of one index, never a scan of the cluster.
 *
 * An object's state at t is its version valid at t (validFrom <= t < validTo), found as the latest version
 * that started by t (the (objectId, validFrom) index, read backwards: one seek per object); its projection
 * is rebuilt with the store's own decodeBody/joinBody, so it equals what HistoryReader.snapshotAt returns.
 * Decoded objects are kept for the reader's lifetime (one instant), so each is decoded once and the same
 * object is returned to every lookup. Namespaces are the stored ones ('' for objects stored without one).
 * The reader never writes; an unknown cluster (null id) reads as empty.
 */
import type { Kind, KubeObject } from '../model/objects.js';
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { decodeBody } from './bodyCodec.js';
import { preparedStatement } from './preparedStatement.js';
import { SQL } from './sqliteDialect.js';
import { joinBody } from './storedBody.js';

/** An object's identity row. */
export interface StoredName {
  readonly objectId: number;
  readonly kind: Kind;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

interface VersionCells {
  resourceVersion: string;
  validTo: number | null;
  body: Uint8Array | string;
}

export class InstantReader {
  private readonly objects = new Map<number, KubeObject | null>();

  constructor(
    private readonly database: HistoryDatabase,
    private readonly clusterId: number | null,
    readonly at: number,
  ) {}

  /** The state at t of a stored object (null: no version valid at t). */
  object(o: StoredName): KubeObject | null {
    let hit = this.objects.get(o.objectId);
    if (hit !== undefined) return hit;
    const v = preparedStatement(this.database.db, SQL.versionStartedBy).get(o.objectId, this.at) as VersionCells | undefined;
    hit = v && (v.validTo === null || v.validTo > this.at)
      ? joinBody(o.kind, { namespace: o.namespace, name: o.name, uid: o.uid, resourceVersion: v.resourceVersion, body: decodeBody(v.body) })
      : null;
    this.objects.set(o.objectId, hit);
    return hit;
  }

  /** Identities of the objects of `kind` that had the term (hash) at t (no body is read). */
  namesWithTerm(kind: Kind, term: number): StoredName[] {
    if (this.clusterId === null) return [];
    const rows = preparedStatement(this.database.db, SQL.objectsWithTermAt).all(this.clusterId, term, this.at, this.at, kind) as Omit<StoredName, 'kind'>[];
    return rows.map((r) => ({ ...r, kind }));
  }

  /** Objects of `kind` that had the term (hash) at t. */
  withTerm(kind: Kind, term: number): KubeObject[] {
    return this.present(this.namesWithTerm(kind, term));
  }

  /** The object of `kind` named namespace/name at t, if any (of all its uids, the one valid at t). */
  named(kind: Kind, namespace: string, name: string): KubeObject | undefined {
    if (this.clusterId === null) return undefined;
    const rows = preparedStatement(this.database.db, SQL.objectsNamed).all(this.clusterId, kind, namespace, name) as Omit<StoredName, 'kind' | 'namespace' | 'name'>[];
    for (const r of rows) {
      const o = this.object({ ...r, kind, namespace, name });
      if (o) return o;
    }
    return undefined;
  }

  /** Identities of the objects of `kind` in a namespace valid at t (no body is read). */
  namesIn(kind: Kind, namespace: string): StoredName[] {
    if (this.clusterId === null) return [];
    const rows = preparedStatement(this.database.db, SQL.objectsInNamespaceAt).all(this.at, this.clusterId, kind, namespace, this.at) as Omit<StoredName, 'kind' | 'namespace'>[];
    return rows.map((r) => ({ ...r, kind, namespace }));
  }

  /** Objects of `kind` in a namespace at t. */
  objectsIn(kind: Kind, namespace: string): KubeObject[] {
    return this.present(this.namesIn(kind, namespace));
  }

  /** Every object of `kind` at t (for kinds with few objects: IngressClass). */
  objectsOfKind(kind: Kind): KubeObject[] {
    if (this.clusterId === null) return [];
    const rows = preparedStatement(this.database.db, SQL.objectsOfKindAt).all(this.at, this.clusterId, kind, this.at) as Omit<StoredName, 'kind'>[];
    return this.present(rows.map((r) => ({ ...r, kind })));
  }

  /** Whether any object of `kind` (in `namespace`, when given) is valid at t. */
  exists(kind: Kind, namespace?: string): boolean {
    if (this.clusterId === null) return false;
    return namespace === undefined
      ? preparedStatement(this.database.db, SQL.kindExistsAt).get(this.clusterId, kind, this.at, this.at) !== undefined
      : preparedStatement(this.database.db, SQL.namespaceUsedAt).get(this.clusterId, kind, namespace, this.at, this.at) !== undefined;
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
