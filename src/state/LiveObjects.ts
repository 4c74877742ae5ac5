/**
 * LiveObjects: the objects of the live state, filed for the reads a view makes of them (ObjectLookups,
 * src/resolver/ObjectLookups.ts): by kind, namespace and name, by lookup term hash (lookupTerms.ts), by id.
 *
 * The in-memory twin of the history's InstantReader: the same reads, the same answers and orders for the
 * same state, so one view (src/queries/HistoryViewAt.ts) answers "now" from here and a past instant from
 * the database. LiveSnapshot owns it and decides what changes (the writer's no-op rules); `set` and
 * `delete` file one object in O(its terms): the terms of its previous state that it no longer has are
 * unfiled, new ones filed, nothing else is touched. An object keeps its objectId while its uid stays the
 * same; a new uid under the same name is a new object. Objects are kept as given (projections) and shared
 * with every reader: they must not be mutated.
 */
import type { Kind, KubeObject } from '../model/objects.js';
import { KINDS } from '../model/objects.js';
import { lookupTermHashes } from '../resolver/lookupTerms.js';
import type { ObjectLookups, StoredName } from '../resolver/ObjectLookups.js';

/** One kept object: its identity, current state and the term hashes it is filed under (sorted). */
export interface LiveEntry extends StoredName {
  readonly object: KubeObject;
  readonly terms: readonly number[];
}

interface MutableEntry extends LiveEntry {
  object: KubeObject;
  terms: readonly number[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class LiveObjects implements ObjectLookups {
  /** kind → stored namespace → name → entry (empty namespaces are removed). */
  private readonly byName = new Map<Kind, Map<string, Map<string, MutableEntry>>>();
  private readonly counts = new Map<Kind, number>();
  /** term hash → its one object, or a Set when several have it (most terms name one: IPs, hosts). */
  private readonly byTerm = new Map<number, MutableEntry | Set<MutableEntry>>();
  private readonly byId = new Map<number, MutableEntry>();
  private nextId = 1;

  constructor() {
    for (const k of KINDS) {
      this.byName.set(k, new Map());
      this.counts.set(k, 0);
    }
  }

  /** The entry of kind/namespace/name (stored namespace: '' for objects without one). */
  get(kind: Kind, namespace: string, name: string): LiveEntry | undefined {
    return this.byName.get(kind)!.get(namespace)?.get(name);
  }

  /** How many objects of `kind` are kept. */
  count(kind: Kind): number {
    return this.counts.get(kind)!;
  }

  /** Every entry of `kind`, in no particular order. */
  *entries(kind: Kind): IterableIterator<LiveEntry> {
    for (const names of this.byName.get(kind)!.values()) yield* names.values();
  }

  /** Keeps `object` as the state of its kind/namespace/name (the same object while its uid is the same). */
  set(kind: Kind, object: KubeObject): void {
    const namespace = object.metadata.namespace ?? '';
    const name = object.metadata.name;
    const uid = object.metadata.uid ?? '';
    const spaces = this.byName.get(kind)!;
    let names = spaces.get(namespace);
    const cur = names?.get(name);
    const terms = lookupTermHashes(kind, object);
    if (cur && cur.uid === uid) {
      this.refile(cur, cur.terms, terms);
      cur.object = object;
      cur.terms = terms;
      return;
    }
    if (cur) {
      this.drop(kind, cur);
      names = spaces.get(namespace); // dropping the last object of a namespace removes its map
    }
    if (!names) spaces.set(namespace, (names = new Map()));
    const entry: MutableEntry = { objectId: this.nextId++, kind, namespace, name, uid, object, terms };
    names.set(name, entry);
    this.byId.set(entry.objectId, entry);
    this.counts.set(kind, this.counts.get(kind)! + 1);
    this.refile(entry, [], terms);
  }

  /** Removes kind/namespace/name; false when nothing was kept under it. */
  delete(kind: Kind, namespace: string, name: string): boolean {
    const cur = this.byName.get(kind)!.get(namespace)?.get(name);
    if (!cur) return false;
    this.drop(kind, cur);
    return true;
  }

  // ---------------------------------------------------------------- ObjectLookups

  object(n: StoredName): KubeObject | null {
    return this.byId.get(n.objectId)?.object ?? null;
  }

  objectsOf(names: readonly StoredName[]): KubeObject[] {
    const out: KubeObject[] = [];
    for (const n of names) {
      const e = this.byId.get(n.objectId);
      if (e) out.push(e.object);
    }
    return out;
  }

  namesWithTerm(kind: Kind, term: number): StoredName[] {
    const out: StoredName[] = [];
    const hit = this.byTerm.get(term);
    if (hit instanceof Set) {
      for (const e of hit) if (e.kind === kind) out.push(e);
    } else if (hit?.kind === kind) out.push(hit);
    return out;
  }

  withTerm(kind: Kind, term: number): KubeObject[] {
    const out: KubeObject[] = [];
    const hit = this.byTerm.get(term);
    if (hit instanceof Set) {
      for (const e of hit) if (e.kind === kind) out.push(e.object);
    } else if (hit?.kind === kind) out.push(hit.object);
    return out;
  }

  named(kind: Kind, namespace: string, name: string): KubeObject | undefined {
    return this.byName.get(kind)!.get(namespace)?.get(name)?.object;
  }

  namesIn(kind: Kind, namespace: string): StoredName[] {
    const names = this.byName.get(kind)!.get(namespace);
    return names ? [...names.values()].sort((a, b) => cmp(a.name, b.name)) : [];
  }

  objectsIn(kind: Kind, namespace: string): KubeObject[] {
    return this.namesIn(kind, namespace).map((n) => (n as LiveEntry).object);
  }

  objectsOfKind(kind: Kind): KubeObject[] {
    const all = [...this.entries(kind)];
    all.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
    return all.map((e) => e.object);
  }

  exists(kind: Kind, namespace?: string): boolean {
    return namespace === undefined ? this.counts.get(kind)! > 0 : this.byName.get(kind)!.has(namespace);
  }

  // ---------------------------------------------------------------- filing

  private drop(kind: Kind, e: MutableEntry): void {
    const spaces = this.byName.get(kind)!;
    const names = spaces.get(e.namespace)!;
    names.delete(e.name);
    if (names.size === 0) spaces.delete(e.namespace);
    this.byId.delete(e.objectId);
    this.counts.set(kind, this.counts.get(kind)! - 1);
    this.refile(e, e.terms, []);
  }

  /** Moves `e` from the terms `before` to the terms `after` (both sorted, no duplicates). */
  private refile(e: MutableEntry, before: readonly number[], after: readonly number[]): void {
    let i = 0;
    let j = 0;
    while (i < before.length || j < after.length) {
      const b = i < before.length ? before[i]! : Infinity;
      const a = j < after.length ? after[j]! : Infinity;
      if (b === a) {
        i++;
        j++;
      } else if (b < a) {
        this.unfile(b, e);
        i++;
      } else {
        this.file(a, e);
        j++;
      }
    }
  }

  private file(term: number, e: MutableEntry): void {
    const hit = this.byTerm.get(term);
    if (hit === undefined) this.byTerm.set(term, e);
    else if (hit instanceof Set) hit.add(e);
    else if (hit !== e) this.byTerm.set(term, new Set([hit, e]));
  }

  private unfile(term: number, e: MutableEntry): void {
    const hit = this.byTerm.get(term);
    if (hit === e) this.byTerm.delete(term);
    else if (hit instanceof Set) {
      hit.delete(e);
      if (hit.size === 1) this.byTerm.set(term, hit.values().next().value!);
    }
  }
}
