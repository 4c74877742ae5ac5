/**
 * ClusterState: where the read use cases get a cluster state from, for "now" or for a past instant.
 *
 *  - viewAt(at): the ClusterView a question is answered from. Now (`at` undefined): the live state fed
 *    by the watchers (LiveSnapshot) once it has synced, as a HistoryViewAt over its in-memory lookups
 *    (one view per state version: a view memoises, so it never outlives a change); without one (CLI on a
 *    database file) or before it has synced, the history at the current time. A given `at`: the history
 *    at that instant as a HistoryViewAt, which reads only the rows the question touches (cost follows the
 *    answer, not the cluster). Views of instants older than `stableAfterMs` are kept from the second
 *    question about their instant (LRU, `cacheSize` entries): history before the last write cannot change
 *    any more, so repeated questions about one incident instant reuse what the earlier ones read.
 *  - reverseViewAt(at): the same, except that a state without any EndpointSlice (E4: slices derived from
 *    every Service's Pods) is answered from the whole snapshot, as HistoryViewAt cannot.
 *  - stateAt(at): the whole snapshot at `at`, indexed (for comparisons and whole-cluster listings).
 * The history is attached after construction because serve opens the database after HTTP listens.
 * A missing source is a QueryError (HISTORY_UNAVAILABLE / NOT_READY), never a crash.
 */
import { KINDS, type Kind, type Snapshot } from '../model/objects.js';
import type { ClusterView } from '../resolver/ClusterView.js';
import { buildIndex, type SnapshotIndex } from '../resolver/SnapshotIndex.js';
import type { HistoryReader } from '../history/HistoryReader.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import type { LiveSnapshot } from '../state/LiveSnapshot.js';
import { QueryError } from './QueryError.js';
import { lastChangeAt } from '../history/lastChangeAt.js';
import { namespaceUsedAt, snapshotOfKindsAt } from '../history/snapshotOfKindsAt.js';
import { clusterIdOf } from '../history/clusterIdOf.js';
import { InstantReader } from '../history/InstantReader.js';
import { HistoryViewAt } from './HistoryViewAt.js';

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

export interface ViewAt {
  readonly view: ClusterView;
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

/** How many once-asked view keys cached() remembers. */
const ASKED_KEYS = 1024;

export class ClusterState {
  private historySource: AttachedHistory | undefined;
  private readonly cache = new Map<string, SnapshotIndex | HistoryViewAt>();
  private liveViewCache: { version: number; view: HistoryViewAt } | null = null;
  /** Keys of views asked for once (cached() keeps a view from its second question). */
  private readonly asked = new Set<string>();
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
    this.asked.clear();
  }

  detachHistory(): void {
    this.historySource = undefined;
    this.cache.clear();
    this.asked.clear();
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

  /** The live state when `at` is now and it has synced; null otherwise (or NOT_READY / HISTORY_UNAVAILABLE). */
  private liveAt(at: Date | undefined): LiveSnapshot | null {
    if (at !== undefined) return null;
    const live = this.options.live;
    if (live?.ready) return live;
    if (!this.historySource) {
      throw new QueryError(live ? 'NOT_READY' : 'HISTORY_UNAVAILABLE', live ? 'the live state has not synced with the cluster yet' : 'no cluster state is available');
    }
    return null;
  }

  /** The view of the live state's current version (made once per version: views memoise their reads). */
  private liveView(live: LiveSnapshot): HistoryViewAt {
    if (this.liveViewCache?.version !== live.version) this.liveViewCache = { version: live.version, view: new HistoryViewAt(live.lookups) };
    return this.liveViewCache.view;
  }

  /** The view a question about `at` (undefined: now) is answered from. */
  viewAt(at: Date | undefined): ViewAt {
    const live = this.liveAt(at);
    if (live) return { view: this.liveView(live), at: new Date(this.now()), source: 'live' };
    const when = at ?? new Date(this.now());
    return { view: this.historyView(when), at: when, source: 'history' };
  }

  /** viewAt for reverse lookups: a state without EndpointSlices is read whole (see HistoryViewAt). */
  reverseViewAt(at: Date | undefined): ViewAt {
    const v = this.viewAt(at);
    if (v.view.hasEndpointSlices) return v;
    if (v.source === 'live') return { view: this.options.live!.index(), at: v.at, source: 'live' };
    return { view: this.historyIndex(v.at), at: v.at, source: 'history' };
  }

  /** The whole state at `at` (undefined: now), indexed. */
  stateAt(at: Date | undefined): StateAt {
    const live = this.liveAt(at);
    if (live) return { index: live.index(), at: new Date(this.now()), source: 'live' };
    const when = at ?? new Date(this.now());
    return { index: this.historyIndex(when), at: when, source: 'history' };
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
    if (at === undefined && this.options.live?.ready) return this.options.live.hasNamespace(namespace);
    const h = this.history();
    return namespaceUsedAt(h.database, clusterIdOf(h.database, h.cluster), at ?? new Date(this.now()), namespace);
  }

  /** The history snapshot at `at`, unindexed (for listings that need no resolver). */
  historySnapshot(at: Date): Snapshot {
    const h = this.history();
    return h.reader.snapshotAt(h.cluster, at);
  }

  private subset(at: Date, kinds: readonly Kind[], namespace?: string): Snapshot {
    const h = this.history();
    return snapshotOfKindsAt(h.database, clusterIdOf(h.database, h.cluster), at, kinds, namespace);
  }

  private historyView(at: Date): HistoryViewAt {
    const h = this.history();
    return this.cached(`view@${at.getTime()}`, at, () => new HistoryViewAt(new InstantReader(h.database, clusterIdOf(h.database, h.cluster), at.getTime())), true);
  }

  private historyIndex(at: Date): SnapshotIndex {
    const h = this.history();
    const last = lastChangeAt(h.database, clusterIdOf(h.database, h.cluster), at.getTime(), KINDS);
    return this.cached(`all#${last}`, at, () => buildIndex(this.historySnapshot(at)));
  }

  /**
   * LRU of states of instants older than stableAfterMs (history before the last write cannot change).
   * Whole-snapshot keys name the state, not the instant (`#lastChangeAt`): every instant of a quiet period
   * shares one entry; views are per instant. A view (cheap to make) is kept only from the second question
   * about its instant (`onRepeat`): questions about ever new instants (a dashboard scrubbing through time)
   * would otherwise fill the cache with views used once, which the garbage collector then copies around.
   */
  private cached<T extends SnapshotIndex | HistoryViewAt>(key: string, at: Date, build: () => T, onRepeat = false): T {
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit as T;
    }
    const value = build();
    if (onRepeat && !this.asked.has(key)) {
      this.asked.add(key);
      if (this.asked.size > ASKED_KEYS) this.asked.delete(this.asked.values().next().value!);
      return value;
    }
    if (at.getTime() < this.now() - this.stableAfterMs) {
      this.cache.set(key, value);
      while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return value;
  }
}
