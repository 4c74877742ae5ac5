/**
 * Store: the simulator's object store, its one cluster-wide resourceVersion, and a bounded event log per
 * collection (kind).
 *
 * Contract:
 *  - Every write (`put`, `remove`) takes the next global resourceVersion (strictly increasing, shared by
 *    all kinds, like an etcd revision) and stamps it into the stored object's `metadata.resourceVersion`.
 *  - Stored objects are never mutated after being stored: a write stores a new object. Readers may keep
 *    references but must not modify them.
 *  - A DELETED event carries the object's last state stamped with the deletion's resourceVersion.
 *  - Each kind keeps its last `historyWindow` events. `replayableFrom(kind, rv)` says whether every event of
 *    that kind with a version above `rv` is still in the log; `compact()` drops all logs at once (the next
 *    watch from an older version must then get 410 Expired).
 *  - Listeners run synchronously inside the write, in registration order; a watch handler that replays
 *    with `eventsAfter` and subscribes in the same tick can neither miss nor duplicate an event.
 *  - `changes()` is the record of every write (for tests rebuilding state at any time), bounded by
 *    `changeLogLimit` entries (oldest dropped first); asking for changes older than what is kept throws,
 *    so a caller never gets a silently partial record.
 */
import type { KubeObject, ObjectMeta } from '../model/objects.js';
import { RESOURCES, type SimKind } from './resources.js';
import { RvLog } from './RvLog.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A stored object: a Kubernetes object with apiVersion, kind and metadata always present. */
export interface SimObject extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { [field: string]: unknown };
  [field: string]: unknown;
}

/** One change, as stored in the logs and the change record. */
export interface StoredEvent {
  readonly rv: number;
  readonly type: EventType;
  readonly kind: SimKind;
  readonly namespace: string;
  readonly name: string;
  /** The object after the change (for DELETED: its last state, stamped with the deletion version). */
  readonly object: SimObject;
  /** The object before the change (undefined for ADDED). */
  readonly prev: SimObject | undefined;
  /** When the change happened, on the simulator's clock. */
  readonly at: Date;
}

export type StoreListener = (event: StoredEvent) => void;

class Collection {
  readonly objects = new Map<string, SimObject>();
  sortedKeys: string[] | null = null;
  readonly listeners = new Set<StoreListener>();

  /** This kind's watch-replay window; versions up to log.droppedRv may be missing. */
  constructor(readonly log: RvLog<StoredEvent>) {}
}

export function storeKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class Store {
  private rvCounter: number;
  private readonly collections = new Map<SimKind, Collection>();
  private readonly globalListeners: StoreListener[] = [];
  private readonly record: RvLog<StoredEvent>;

  constructor(
    private readonly historyWindow: number,
    private readonly now: () => Date,
    startRv = 0,
    private readonly changeLogLimit = Infinity,
  ) {
    if (!(historyWindow >= 1)) throw new Error(`Store: historyWindow must be >= 1, got ${historyWindow}`);
    this.rvCounter = startRv;
    this.record = new RvLog<StoredEvent>(changeLogLimit);
    for (const r of RESOURCES) this.collections.set(r.kind, new Collection(new RvLog<StoredEvent>(historyWindow)));
  }

  /** The current global resourceVersion (the version of the latest write). */
  get rv(): number {
    return this.rvCounter;
  }

  private coll(kind: SimKind): Collection {
    const c = this.collections.get(kind);
    if (!c) throw new Error(`Store: unknown kind ${kind}`);
    return c;
  }

  get(kind: SimKind, namespace: string | undefined, name: string): SimObject | undefined {
    return this.coll(kind).objects.get(storeKey(namespace, name));
  }

  /** All objects of a kind, sorted by namespace/name (the API server's list order). */
  list(kind: SimKind): SimObject[] {
    const c = this.coll(kind);
    if (!c.sortedKeys) c.sortedKeys = [...c.objects.keys()].sort();
    return c.sortedKeys.map((k) => c.objects.get(k)!);
  }

  /** Unordered iteration over a kind (cheaper than list()). */
  values(kind: SimKind): IterableIterator<SimObject> {
    return this.coll(kind).objects.values();
  }

  count(kind: SimKind): number {
    return this.coll(kind).objects.size;
  }

  /**
   * Stores `object` (create or replace), stamping the next resourceVersion. The caller hands over
   * ownership: `object` must not be modified afterwards. Returns the event.
   */
  put(object: SimObject): StoredEvent {
    const kind = object.kind as SimKind;
    const c = this.coll(kind);
    const key = storeKey(object.metadata.namespace, object.metadata.name);
    const prev = c.objects.get(key);
    const rv = ++this.rvCounter;
    object.metadata.resourceVersion = String(rv);
    c.objects.set(key, object);
    if (!prev) c.sortedKeys = null;
    return this.emit(c, { rv, type: prev ? 'MODIFIED' : 'ADDED', kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name, object, prev, at: this.now() });
  }

  /** Deletes an object; returns the DELETED event, or undefined when it did not exist. */
  remove(kind: SimKind, namespace: string | undefined, name: string): StoredEvent | undefined {
    const c = this.coll(kind);
    const key = storeKey(namespace, name);
    const prev = c.objects.get(key);
    if (!prev) return undefined;
    c.objects.delete(key);
    c.sortedKeys = null;
    const rv = ++this.rvCounter;
    const object: SimObject = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(rv) } };
    return this.emit(c, { rv, type: 'DELETED', kind, namespace: namespace ?? '', name, object, prev, at: this.now() });
  }

  private emit(c: Collection, event: StoredEvent): StoredEvent {
    c.log.push(event);
    this.record.push(event);
    for (const l of c.listeners) l(event);
    for (const l of this.globalListeners) l(event);
    return event;
  }

  /** Live events of one kind. Returns the unsubscribe function. */
  subscribe(kind: SimKind, listener: StoreListener): () => void {
    const c = this.coll(kind);
    c.listeners.add(listener);
    return () => c.listeners.delete(listener);
  }

  /** Every write of every kind, after the kind's own subscribers. */
  onChange(listener: StoreListener): void {
    this.globalListeners.push(listener);
  }

  /** True when every event of `kind` with a version above `rv` is still in the log. */
  replayableFrom(kind: SimKind, rv: number): boolean {
    return rv >= this.coll(kind).log.droppedRv && rv <= this.rvCounter;
  }

  /** The oldest version a watch of `kind` may start from. */
  oldestReplayable(kind: SimKind): number {
    return this.coll(kind).log.droppedRv;
  }

  /** Logged events of `kind` with a version above `rv`, oldest first. */
  eventsAfter(kind: SimKind, rv: number): StoredEvent[] {
    return this.coll(kind).log.after(rv);
  }

  /** Drops every kind's event log: a watch from any version older than the current one gets 410. */
  compact(): void {
    for (const c of this.collections.values()) {
      c.log.clear(this.rvCounter);
    }
  }

  /** Every change so far (oldest first), optionally only those with a version above `sinceRv`. */
  changes(sinceRv = 0): StoredEvent[] {
    if (sinceRv < this.record.droppedRv) {
      throw new Error(`Store: changes up to resourceVersion ${this.record.droppedRv} were dropped (change log limit ${this.changeLogLimit}); asked for changes after ${sinceRv}`);
    }
    return this.record.after(sinceRv);
  }
}
