/**
 * ObjectLookups: the few reads of one cluster state that a view over it (src/queries/HistoryViewAt.ts)
 * answers every ClusterView lookup with: by name, by lookup term hash (lookupTerms.ts), by kind and
 * namespace. Two implementations:
 *  - InstantReader (src/history): the history database at one instant, each read an indexed SQL read;
 *  - LiveObjects (src/state): the live state in memory, maps kept up to date per changed object.
 * Both give the same answers for the same state: objects are projections as stored (namespace '' for objects
 * without one), identities are stable for the reader's lifetime (objectId names one object of one uid),
 * namesIn is sorted by name and objectsOfKind by namespace then name; term reads are in no particular
 * order (the view sorts). A term is a superset test: the view applies each lookup's exact rule.
 * Returned lists are new arrays the caller may sort; the objects in them must not be mutated.
 */
import type { Kind, KubeObject } from '../model/objects.js';

/** An object's identity. */
export interface StoredName {
  readonly objectId: number;
  readonly kind: Kind;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface ObjectLookups {
  /** The state of a known object (null: it is not present). */
  object(name: StoredName): KubeObject | null;
  /** The states of several known objects, present ones in the order given. */
  objectsOf(names: readonly StoredName[]): KubeObject[];
  /** Identities of the objects of `kind` that have the term (hash). */
  namesWithTerm(kind: Kind, term: number): StoredName[];
  /** Objects of `kind` that have the term (hash). */
  withTerm(kind: Kind, term: number): KubeObject[];
  /** The object of `kind` named namespace/name (stored namespace), if any. */
  named(kind: Kind, namespace: string, name: string): KubeObject | undefined;
  /** Identities of the objects of `kind` in a (stored) namespace, by name. */
  namesIn(kind: Kind, namespace: string): StoredName[];
  /** Objects of `kind` in a (stored) namespace, by name. */
  objectsIn(kind: Kind, namespace: string): KubeObject[];
  /** Every object of `kind`, by namespace then name (for kinds with few objects: IngressClass). */
  objectsOfKind(kind: Kind): KubeObject[];
  /** Whether any object of `kind` (in the stored `namespace`, when given) is present. */
  exists(kind: Kind, namespace?: string): boolean;
}
