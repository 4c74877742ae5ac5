/**
 * ClusterState: where the read use cases get a cluster state from, for "now" or for a past instant.
 *
 *  - now (`at` undefined): the live snapshot fed by the watchers (LiveSnapshot) once it has synced; without
 *    one (CLI on a database file) or before it has synced, the history's state at the current time;
 *  - a given `at`: the history database's snapshot as of `at` (HistoryReader.snapshotAt), indexed once;
 *    for forward questions only the objects the question can involve (forwardStateAt).
 *    Indexes of instants older than `stableAfterMs` are cached (LRU, `cacheSize` entries): history before
 *    the last write cannot change any more, so repeated questions about one incident instant are cheap.
 * The history is attached after construction because serve opens the database after HTTP listens.
 * A missing source is a QueryError (HISTORY_UNAVAILABLE / NOT_READY), never a crash.
 */
import { KINDS, type Kind, type Snapshot } from '../model/objects.js';
import type { ForwardQuestion } from '../model/route.js';
import { canonicalIP } from '../resolver/canonicalIP.js';
import { resolve } from '../resolver/resolve.js';
import { buildIndex, type SnapshotIndex } from '../resolver/SnapshotIndex.js';
import type { HistoryReader } from '../history/HistoryReader.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import type { LiveSnapshot } from '../state/LiveSnapshot.js';
import { QueryError } from './QueryError.js';
import { lastChangeAt } from '../history/lastChangeAt.js';
import { namespacesOf } from './inputs.js';
import { namespaceUsedAt, snapshotOfKindsAt } from '../history/snapshotOfKindsAt.js';
import { clusterIdOf } from '../history/clusterIdOf.js';

const ROUTING_KINDS: readonly Kind[] = ['Service', 'Ingress', 'IngressClass'];
const BACKEND_KINDS: readonly Kind[] = ['Pod', 'EndpointSlice', 'Endpoints'];
const IP_LIKE = /^[0-9a-fA-F.:]+$/;

export interface AttachedHistory {
  readonly reader: HistoryReader;
  readonly database: HistoryDatabase;
  readonly cluster: string;
}

export interface StateAt {
  readonly index: SnapshotIndex;
  /** The instant the state is for. */
  readonly at: Date;
  readonly source: 'live' | 'history';
}

export interface ClusterStateOptions {
  readonly live?: LiveSnapshot;
  readonly history?: AttachedHistory;
  readonly now?: () => number;
  readonly cacheSize?: number;
  readonly stableAfterMs?: number;
}

export class ClusterState {
  private historySource: AttachedHistory | undefined;
  private readonly cache = new Map<string, SnapshotIndex | null>();
  readonly now: () => number;
  private readonly cacheSize: number;
  private readonly stableAfterMs: number;

  constructor(private readonly options: ClusterStateOptions = {}) {
    this.historySource = options.history;
    this.now = options.now ?? Date.now;
    this.cacheSize = options.cacheSize ?? 16;
    this.stableAfterMs = options.stableAfterMs ?? 10_000;
  }

  attachHistory(history: AttachedHistory): void {
    this.historySource = history;
    this.cache.clear();
  }

  detachHistory(): void {
    this.historySource = undefined;
    this.cache.clear();
  }

  get live(): LiveSnapshot | undefined {
    return this.options.live;
  }

  /** The history, or HISTORY_UNAVAILABLE. */
  history(): AttachedHistory {
    if (!this.historySource) throw new QueryError('HISTORY_UNAVAILABLE', 'the history database is not open (yet)');
    return this.historySource;
  }

  get hasHistory(): boolean {
    return this.historySource !== undefined;
  }

  /** The state at `at` (undefined: now). */
  stateAt(at: Date | undefined): StateAt {
    if (at === undefined) {
      const live = this.options.live;
      if (live?.ready) return { index: live.index(), at: new Date(this.now()), source: 'live' };
      if (!this.historySource) {
        throw new QueryError(live ? 'NOT_READY' : 'HISTORY_UNAVAILABLE', live ? 'the live state has not synced with the cluster yet' : 'no cluster state is available');
      }
      const now = new Date(this.now());
      return { index: this.historyIndex(now), at: now, source: 'history' };
    }
    return { index: this.historyIndex(at), at, source: 'history' };
  }

  /**
   * Objects of `kinds` (of one namespace, when given) for listings that need no resolver: now, the live
   * snapshot (all of it; callers filter); at a past instant, only those objects read from history.
   */
  objectsAt(at: Date | undefined, kinds: readonly Kind[], namespace?: string): { snapshot: Snapshot; at: Date } {
    if (at === undefined && this.options.live?.ready) return { snapshot: this.options.live.snapshot(), at: new Date(this.now()) };
    const when = at ?? new Date(this.now());
    if (at === undefined && !this.historySource) throw new QueryError(this.options.live ? 'NOT_READY' : 'HISTORY_UNAVAILABLE', this.options.live ? 'the live state has not synced with the cluster yet' : 'no cluster state is available');
    return { snapshot: this.subset(when, kinds, namespace), at: when };
  }

  /** Whether any object lives in `namespace` at `at` (undefined: now), as namespacesOf(snapshotAt) says. */
  namespaceExists(namespace: string, at: Date | undefined): boolean {
    if (at === undefined && this.options.live?.ready) return namespacesOf(this.options.live.snapshot()).has(namespace);
    const h = this.history();
    return namespaceUsedAt(h.database, clusterIdOf(h.database, h.cluster), at ?? new Date(this.now()), namespace);
  }

  /** The history snapshot at `at`, unindexed (for listings that need no resolver). */
  historySnapshot(at: Date): Snapshot {
    const h = this.history();
    return h.reader.snapshotAt(h.cluster, at);
  }

  /**
   * The state a forward question needs. Now (live) and questions that may read the whole cluster use
   * stateAt. From history, a question that names a Service (or reaches one through an Ingress host, a
   * cluster DNS name or a Service IP) only reads the routing objects (Services, Ingresses, IngressClasses,
   * all namespaces) and the Pods, EndpointSlices and Endpoints of that Service's namespace, so only those
   * are rebuilt. Whole-cluster reads remain for: client context (node/zone facts come from every slice),
   * IP hosts that are not a Service IP (node and Pod IPs), unresolved hosts, and a namespace without
   * EndpointSlices (the "no slices at all" rule E4 is cluster-wide). Tests check both give the same answer.
   */
  forwardStateAt(question: ForwardQuestion, at: Date | undefined): StateAt {
    const wholeOnly = at === undefined && (this.options.live?.ready || !this.historySource);
    if (wholeOnly || question.clientNode !== undefined || question.clientZone !== undefined) return this.stateAt(at);
    const when = at ?? new Date(this.now());
    const h = this.history();
    const clusterId = clusterIdOf(h.database, h.cluster);
    const t = when.getTime();
    const routing = this.cached(`routing#${lastChangeAt(h.database, clusterId, t, ROUTING_KINDS)}`, when, () => buildIndex(this.subset(when, ROUTING_KINDS)));
    let namespace: string | null;
    if (question.kind === 'service') {
      namespace = question.namespace;
    } else {
      const host = question.host.trim().replace(/^\[|\](:\d+)?$/g, '').replace(/^([0-9.]+):\d+$/, '$1');
      if (IP_LIKE.test(host)) {
        const ip = canonicalIP(host);
        if (ip === null || !routing.servicesByIP.has(ip)) return this.stateAt(at);
      }
      namespace = resolve(routing, question).service?.namespace ?? null;
    }
    if (namespace === null) return this.stateAt(at);
    const ns = namespace;
    const index = this.cached(`ns:${ns}#${lastChangeAt(h.database, clusterId, t, BACKEND_KINDS, ns)}#${lastChangeAt(h.database, clusterId, t, ROUTING_KINDS)}`, when, () => {
      const backends = this.subset(when, BACKEND_KINDS, ns);
      if (backends.endpointSlices.length === 0) return null;
      const r = routing.snapshot;
      return buildIndex({ ...backends, services: r.services, ingresses: r.ingresses, ingressClasses: r.ingressClasses });
    });
    return index ? { index, at: when, source: 'history' } : this.stateAt(at);
  }

  private subset(at: Date, kinds: readonly Kind[], namespace?: string): Snapshot {
    const h = this.history();
    return snapshotOfKindsAt(h.database, clusterIdOf(h.database, h.cluster), at, kinds, namespace);
  }

  private historyIndex(at: Date): SnapshotIndex {
    const h = this.history();
    const last = lastChangeAt(h.database, clusterIdOf(h.database, h.cluster), at.getTime(), KINDS);
    return this.cached(`all#${last}`, at, () => buildIndex(this.historySnapshot(at)));
  }

  /**
   * LRU of indexes of instants older than stableAfterMs (history before the last write cannot change).
   * Keys name the state, not the instant, where they can (`#lastChangeAt`): every instant of a quiet period
   * shares one entry.
   */
  private cached<T extends SnapshotIndex | null>(key: string, at: Date, build: () => T): T {
    if (this.cache.has(key)) {
      const hit = this.cache.get(key) as T;
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const value = build();
    if (at.getTime() < this.now() - this.stableAfterMs) {
      this.cache.set(key, value);
      while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return value;
  }
}
