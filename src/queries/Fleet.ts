/**
 * Fleet: the clusters one history holds, each with its read use cases, for the API and the CLI.
 *
 * Every question may name its cluster. `queries(cluster)` picks the cluster's Queries:
 *  - a named cluster must be stored in the history (or be the one this process watches): else UNKNOWN_CLUSTER,
 *    naming the clusters there are;
 *  - no name: the only cluster of the history; with several, CLUSTER_REQUIRED naming the choices; with none
 *    yet, HISTORY_UNAVAILABLE.
 * `each(cluster)` is for questions answered per cluster (a host question without a cluster): the named
 * cluster, or every cluster, sorted by name. `select(names)` keeps the clusters a Grafana-style selector
 * matches.
 *
 * The cluster `serve` watches (`attachHistory(database, watched)`) is answered from the live state for
 * "now" (the `primary` Queries, which exists before the history is open and then answers NOT_READY /
 * HISTORY_UNAVAILABLE, whatever cluster is named); every other stored cluster is answered from the history alone, through a
 * ClusterState made when first asked. A read-only API process attaches the history without a watched cluster.
 */
import { clusterNames } from '../history/clusterNames.js';
import { HistoryReader } from '../history/HistoryReader.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import type { LiveSnapshot } from '../state/LiveSnapshot.js';
import { ClusterState } from './ClusterState.js';
import { clusterStatus, type ClusterStatus, type GapRange } from './clusterStatus.js';
import { Queries } from './Queries.js';
import { QueryError } from './QueryError.js';

export interface FleetOptions {
  /** The live state of the cluster this process watches. */
  readonly live?: LiveSnapshot;
  readonly now?: () => number;
  /** How error messages name the cluster argument (`cluster` in the APIs, `--cluster` in the CLI). */
  readonly argument?: string;
}

export interface ClusterQueries {
  readonly cluster: string;
  readonly queries: Queries;
}

export class Fleet {
  /** The Queries of the watched cluster (live state first); the only one before the history is open. */
  readonly primary: Queries;
  readonly now: () => number;
  private readonly argument: string;
  private history: { readonly database: HistoryDatabase; readonly reader: HistoryReader } | undefined;
  private watched: string | undefined;
  private readonly others = new Map<string, Queries>();

  constructor(options: FleetOptions = {}) {
    this.now = options.now ?? Date.now;
    this.argument = options.argument ?? 'cluster';
    this.primary = new Queries(new ClusterState({ ...(options.live ? { live: options.live } : {}), now: this.now }));
  }

  attachHistory(database: HistoryDatabase, watched?: string): void {
    const reader = new HistoryReader(database);
    this.history = { database, reader };
    this.watched = watched;
    this.others.clear();
    if (watched !== undefined) this.primary.state.attachHistory({ reader, database, cluster: watched });
  }

  detachHistory(): void {
    this.primary.state.detachHistory();
    this.history = undefined;
    this.others.clear();
  }

  /** The cluster this process watches ('' when it watches none: a read-only API process). */
  get watchedCluster(): string {
    return this.watched ?? '';
  }

  /** The clusters there are, sorted (the history's, and the watched one even before its first write). */
  names(): string[] {
    if (!this.history) return this.watched !== undefined ? [this.watched] : [];
    const names = clusterNames(this.history.database);
    if (this.watched !== undefined && !names.includes(this.watched)) names.push(this.watched);
    return names.sort();
  }

  /** The cluster a question is about: `cluster`, or the only one (see the contract above). */
  clusterOf(cluster?: string | null): string {
    // Before the history is open only the primary state answers (NOT_READY / HISTORY_UNAVAILABLE, or live).
    if (!this.history) return this.watched ?? '';
    const names = this.names();
    if (cluster !== undefined && cluster !== null) {
      if (!names.includes(cluster)) {
        throw new QueryError('UNKNOWN_CLUSTER', `${this.argument}: no cluster '${cluster.slice(0, 253)}' in the history (${names.length ? `clusters: ${names.join(', ')}` : 'it holds none yet'})`);
      }
      return cluster;
    }
    if (names.length === 1) return names[0]!;
    if (names.length === 0) throw new QueryError('HISTORY_UNAVAILABLE', 'the history holds no cluster yet');
    throw new QueryError('CLUSTER_REQUIRED', `the history holds several clusters: choose one with ${this.argument} (${names.join(', ')})`);
  }

  /** The read use cases of `cluster` (or of the only cluster). */
  queries(cluster?: string | null): Queries {
    if (!this.history) return this.primary;
    return this.queriesOf(this.clusterOf(cluster));
  }

  /** The named cluster, or every cluster: for questions answered per cluster. */
  each(cluster?: string | null): ClusterQueries[] {
    if (!this.history) return [{ cluster: this.watched ?? '', queries: this.primary }];
    if (cluster !== undefined && cluster !== null) return [{ cluster: this.clusterOf(cluster), queries: this.queriesOf(cluster) }];
    const names = this.names();
    if (names.length === 0) throw new QueryError('HISTORY_UNAVAILABLE', 'the history holds no cluster yet');
    return names.map((name) => ({ cluster: name, queries: this.queriesOf(name) }));
  }

  /**
   * The clusters a selector keeps (`test`, e.g. a Grafana multi-value), each named one checked to exist;
   * with no selector (`names` null), the only cluster or CLUSTER_REQUIRED.
   */
  select(selector: { readonly names: readonly string[] | null; test(name: string): boolean } | null): ClusterQueries[] {
    if (!this.history) return this.each();
    if (selector === null) {
      const name = this.clusterOf(undefined);
      return [{ cluster: name, queries: this.queriesOf(name) }];
    }
    for (const n of selector.names ?? []) this.clusterOf(n);
    return this.names().filter((n) => selector.test(n)).map((name) => ({ cluster: name, queries: this.queriesOf(name) }));
  }

  /** Sync state and gaps of the named cluster, or of every cluster. */
  async status(cluster?: string | null, gaps: GapRange = {}): Promise<ClusterStatus[]> {
    const h = this.history;
    if (!h) throw new QueryError('HISTORY_UNAVAILABLE', 'the history database is not open (yet)');
    const names = cluster !== undefined && cluster !== null ? [this.clusterOf(cluster)] : this.names();
    return Promise.all(names.map((name) => clusterStatus(h.reader, name, name === this.watched, gaps)));
  }

  private queriesOf(name: string): Queries {
    if (name === this.watched) return this.primary;
    let q = this.others.get(name);
    if (!q) {
      const h = this.history!;
      q = new Queries(new ClusterState({ history: { reader: h.reader, database: h.database, cluster: name }, now: this.now }));
      this.others.set(name, q);
    }
    return q;
  }
}
