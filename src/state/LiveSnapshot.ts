/**
 * LiveSnapshot: the in-memory current state of the watched cluster, kept up to date as a ChangeSink tee
 * beside the history writer (same reports, same projection).
 *
 * It keeps, per kind and namespace/name, the projection (src/model/project.ts) the history writer would
 * store, with the writer's no-op rules: a report whose projection equals the kept one (or has the same uid
 * and resourceVersion) changes nothing, so the kept resourceVersion is that of the report that opened the
 * state, exactly as in history. Hence `snapshot()` equals HistoryReader.currentSnapshot() once the writer
 * has flushed, and the resolver gives identical answers from either (index(): bounded staleness when
 * rebuilding is expensive).
 *
 * `listed` replaces the kind's whole content; `gap` changes nothing (the next list reconciles). A kind is
 * synced once it has been listed; `ready` when every watched kind has been. The snapshot and its index
 * are built lazily and cached until the next change (the index is built once per state, not per query).
 * Never fails: an object that cannot be projected is a bug in the projection and throws to the caller.
 */
import { KINDS, SNAPSHOT_FIELD, type Kind, type KubeObject, type Snapshot } from '../model/objects.js';
import { canonicalJson, project } from '../model/project.js';
import { buildIndex, type SnapshotIndex } from '../resolver/SnapshotIndex.js';
import type { ChangeSink, WatchEventType } from '../watch/ChangeSink.js';

interface Kept {
  readonly object: KubeObject;
  /** Canonical JSON without resourceVersion (equal exactly when the writer's stored body is equal); computed when first compared. */
  body?: string;
}

/** How long (in multiples of its own build time) a superseded index may keep answering. */
const STALENESS_FACTOR = 2;

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;

function bodyOf(p: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = p.metadata;
  return canonicalJson({ ...p, metadata: meta });
}

function byNamespaceName(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export class LiveSnapshot implements ChangeSink {
  private readonly objects = new Map<Kind, Map<string, Kept>>();
  private readonly listedKinds = new Set<Kind>();
  private version = 0;
  private cached: { version: number; snapshot: Snapshot; index?: SnapshotIndex } | null = null;
  private built: { index: SnapshotIndex; at: number; ms: number } | null = null;
  private readonly clock: () => number;
  /** Last time a report changed the state (routetrace's clock). */
  lastChangeAt: Date | null = null;

  constructor(
    private readonly kinds: readonly Kind[] = KINDS,
    options: { clock?: () => number } = {},
  ) {
    for (const k of KINDS) this.objects.set(k, new Map());
    this.clock = options.clock ?? (() => performance.now());
  }

  event(kind: Kind, type: WatchEventType, object: KubeObject, observedAt: Date): void {
    const p = project(kind, object);
    const m = this.objects.get(kind)!;
    const key = keyOf(p);
    const cur = m.get(key);
    if (type === 'DELETED') {
      const uid = p.metadata.uid;
      if (!cur || (uid && cur.object.metadata.uid && uid !== cur.object.metadata.uid)) return;
      m.delete(key);
      this.changed(observedAt);
      return;
    }
    if (this.put(m, key, cur, p)) this.changed(observedAt);
  }

  listed(kind: Kind, objects: readonly KubeObject[], observedAt: Date, namespace?: string): void {
    const m = this.objects.get(kind)!;
    const seen = new Set<string>();
    let changed = false;
    for (const o of objects) {
      const p = project(kind, o);
      const key = keyOf(p);
      seen.add(key);
      if (this.put(m, key, m.get(key), p)) changed = true;
    }
    const scope = namespace === undefined ? undefined : `${namespace}\u0000`;
    for (const key of [...m.keys()]) {
      if (!seen.has(key) && (scope === undefined || key.startsWith(scope))) {
        m.delete(key);
        changed = true;
      }
    }
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

  /** The current state as a Snapshot (objects sorted by namespace then name; do not mutate). */
  snapshot(): Snapshot {
    if (this.cached?.version === this.version) return this.cached.snapshot;
    const groups: Record<keyof Snapshot, KubeObject[]> = {
      services: [], endpoints: [], endpointSlices: [], pods: [], ingresses: [], ingressClasses: [],
    };
    for (const [kind, m] of this.objects) {
      const list = groups[SNAPSHOT_FIELD[kind]];
      for (const k of m.values()) list.push(k.object);
      list.sort(byNamespaceName);
    }
    this.cached = { version: this.version, snapshot: groups as unknown as Snapshot };
    return this.cached.snapshot;
  }

  /**
   * The resolver index of the current state, built once per state, and at most about a third of the time:
   * after a change, the previous index keeps answering until STALENESS_FACTOR times its build time has
   * passed since it was built. A small cluster (build well under a millisecond) is always answered exactly;
   * a 60k-object cluster under churn (build ~0.4 s) answers from a state at most ~1 s old instead of
   * rebuilding for every query (the kube-proxy bounded-frequency idea, on the read path).
   */
  index(): SnapshotIndex {
    if (this.cached?.version === this.version && this.cached.index) return this.cached.index;
    const now = this.clock();
    if (this.built && now - this.built.at < STALENESS_FACTOR * this.built.ms) return this.built.index;
    const snapshot = this.snapshot();
    const c = this.cached!;
    c.index = buildIndex(snapshot);
    const end = this.clock();
    this.built = { index: c.index, at: end, ms: end - now };
    return c.index;
  }

  private put(m: Map<string, Kept>, key: string, cur: Kept | undefined, p: KubeObject): boolean {
    if (cur && cur.object.metadata.uid === p.metadata.uid) {
      const rv = p.metadata.resourceVersion;
      if (rv !== undefined && rv !== '' && rv === cur.object.metadata.resourceVersion) return false;
      const body = bodyOf(p);
      cur.body ??= bodyOf(cur.object);
      if (body === cur.body) return false;
      m.set(key, { object: p, body });
      return true;
    }
    m.set(key, { object: p });
    return true;
  }

  private changed(at: Date): void {
    this.version++;
    this.lastChangeAt = at;
  }
}
