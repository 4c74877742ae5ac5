/**
 * LiveSnapshot: the in-memory current state of the watched cluster, kept up to date as a ChangeSink tee
 * beside the history writer (same reports, same projection).
 *
 * It keeps, per kind and namespace/name, the projection (src/model/project.ts) the history writer would
 * store, with the writer's no-op rules: a report whose projection equals the kept one apart from its
 * resourceVersion (sameProjection), or has the same uid and resourceVersion, changes nothing, so the kept
 * resourceVersion is that of the report that opened the state, exactly as in history. Hence `snapshot()`
 * equals HistoryReader.currentSnapshot() once the writer has flushed, and the resolver gives identical
 * answers from either. Reports may be raw API objects or projections already (project() is idempotent);
 * with `projected: true` they are trusted to be projections and not projected again (serve's main thread:
 * the ingest thread projects each object once, on receipt).
 *
 * The objects are filed in `lookups` (LiveObjects: by name, by lookup term, by namespace), updated per
 * changed object in O(its terms), never rebuilt: a view over them (HistoryViewAt, made by ClusterState per
 * `version`) answers "now" with reads of only what a question touches. `version` grows with every change;
 * a view must not outlive the version it was made for (it memoises). `snapshot()` (whole listings,
 * comparisons) is built lazily and cached per version; `index()` (the whole SnapshotIndex, for whole-state
 * uses only) lazily and with bounded staleness.
 *
 * `listed` replaces the kind's whole content (in `namespace` when given); `gap` changes nothing (the next list reconciles). A kind is
 * synced once it has been listed; `ready` when every watched kind has been.
 * Never fails: an object that cannot be projected is a bug in the projection and throws to the caller.
 */
import { emptySnapshot, KINDS, SNAPSHOT_FIELD, type Kind, type KubeObject, type Snapshot } from '../model/objects.js';
import { project } from '../model/project.js';
import { sameProjection } from '../model/sameProjection.js';
import { buildIndex, type SnapshotIndex } from '../resolver/SnapshotIndex.js';
import type { ObjectLookups } from '../resolver/ObjectLookups.js';
import type { ChangeSink, WatchEventType } from '../watch/ChangeSink.js';
import { LiveObjects } from './LiveObjects.js';

/** How long (in multiples of its own build time) a superseded index may keep answering. */
const STALENESS_FACTOR = 2;

/** Namespaced kinds whose objects make a namespace known (as namespacesOf counts them). */
const NAMESPACED: readonly Kind[] = ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Ingress'];

function byNamespaceName(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export class LiveSnapshot implements ChangeSink {
  private readonly objects = new LiveObjects();
  private readonly listedKinds = new Set<Kind>();
  private changes = 0;
  private cached: { version: number; snapshot: Snapshot; index?: SnapshotIndex } | null = null;
  private built: { index: SnapshotIndex; at: number; ms: number } | null = null;
  private readonly clock: () => number;
  /** Last time a report changed the state (routetrace's clock). */
  lastChangeAt: Date | null = null;

  private readonly projected: boolean;

  constructor(
    private readonly kinds: readonly Kind[] = KINDS,
    options: { clock?: () => number; projected?: boolean } = {},
  ) {
    this.clock = options.clock ?? (() => performance.now());
    this.projected = options.projected ?? false;
  }

  /** The kept objects, filed for a view's reads (see ObjectLookups); valid for the current `version`. */
  get lookups(): ObjectLookups {
    return this.objects;
  }

  /** Grows with every change of the state (a view made at one version must not be used at another). */
  get version(): number {
    return this.changes;
  }

  event(kind: Kind, type: WatchEventType, object: KubeObject, observedAt: Date): void {
    const p = this.projected ? object : project(kind, object);
    const namespace = p.metadata.namespace ?? '';
    const cur = this.objects.get(kind, namespace, p.metadata.name);
    if (type === 'DELETED') {
      const uid = p.metadata.uid;
      if (!cur || (uid && cur.uid && uid !== cur.uid)) return;
      this.objects.delete(kind, namespace, p.metadata.name);
      this.changed(observedAt);
      return;
    }
    if (this.put(kind, p)) this.changed(observedAt);
  }

  listed(kind: Kind, objects: readonly KubeObject[], observedAt: Date, namespace?: string): void {
    const seen = new Map<string, Set<string>>();
    let changed = false;
    for (const o of objects) {
      const p = this.projected ? o : project(kind, o);
      const ns = p.metadata.namespace ?? '';
      let names = seen.get(ns);
      if (!names) seen.set(ns, (names = new Set()));
      names.add(p.metadata.name);
      if (this.put(kind, p)) changed = true;
    }
    const gone = [...this.objects.entries(kind)].filter((e) => (namespace === undefined || e.namespace === namespace) && !seen.get(e.namespace)?.has(e.name));
    for (const e of gone) this.objects.delete(kind, e.namespace, e.name);
    if (gone.length > 0) changed = true;
    this.listedKinds.add(kind);
    if (changed) this.changed(observedAt);
  }

  gap(): void {}

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** True once every watched kind has been listed at least once. */
  get ready(): boolean {
    return this.kinds.every((k) => this.listedKinds.has(k));
  }

  /** Whether some namespaced object lives in `namespace` (as namespacesOf(snapshot()) would say). */
  hasNamespace(namespace: string): boolean {
    return namespace !== '' && NAMESPACED.some((k) => this.objects.exists(k, namespace));
  }

  /** The current state as a Snapshot (objects sorted by namespace then name; do not mutate). */
  snapshot(): Snapshot {
    if (this.cached?.version === this.changes) return this.cached.snapshot;
    const groups = emptySnapshot() as unknown as Record<keyof Snapshot, KubeObject[]>;
    for (const kind of KINDS) {
      const list = groups[SNAPSHOT_FIELD[kind]];
      for (const e of this.objects.entries(kind)) list.push(e.object);
      list.sort(byNamespaceName);
    }
    this.cached = { version: this.changes, snapshot: groups as unknown as Snapshot };
    return this.cached.snapshot;
  }

  /**
   * The whole resolver index of the current state, for uses that need the whole state (questions about
   * "now" are answered from a view over `lookups`, which never waits for this). Built once per state, and
   * at most about a third of the time: after a change, the previous index keeps answering until
   * STALENESS_FACTOR times its build time has passed since it was built (a 60k-object cluster under churn,
   * build ~0.4 s, answers from a state at most ~1 s old).
   */
  index(): SnapshotIndex {
    if (this.cached?.version === this.changes && this.cached.index) return this.cached.index;
    const now = this.clock();
    if (this.built && now - this.built.at < STALENESS_FACTOR * this.built.ms) return this.built.index;
    const snapshot = this.snapshot();
    const c = this.cached!;
    c.index = buildIndex(snapshot);
    const end = this.clock();
    this.built = { index: c.index, at: end, ms: end - now };
    return c.index;
  }

  /** Keeps projection `p` unless the writer would see it as a no-op; true when the state changed. */
  private put(kind: Kind, p: KubeObject): boolean {
    const cur = this.objects.get(kind, p.metadata.namespace ?? '', p.metadata.name);
    if (cur && cur.object.metadata.uid === p.metadata.uid) {
      const rv = p.metadata.resourceVersion;
      if (rv !== undefined && rv !== '' && rv === cur.object.metadata.resourceVersion) return false;
      if (sameProjection(cur.object, p)) return false;
    }
    this.objects.set(kind, p);
    return true;
  }

  private changed(at: Date): void {
    this.changes++;
    this.lastChangeAt = at;
  }
}
