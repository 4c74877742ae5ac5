/**
 * clusterStatus: what the history says about one stored cluster: per kind whether it was ever synced (its
 * first list stored) and when a report of it was last stored, and the watch gaps recorded for it.
 *
 * A kind without a WatchProgress row has never been listed into this history (synced: false). The cluster
 * is synced when every watched kind is. `lastObservedAt` is the newest of its kinds' times: a cluster whose
 * writer stopped shows it standing still (the gap of the outage is only recorded when its writer restarts).
 * Gaps overlapping [from, to] are listed oldest first (default: every stored gap).
 */
import { KINDS } from '../model/objects.js';
import type { HistoryReader, StoredGap } from '../history/HistoryReader.js';

export interface KindSync {
  readonly kind: string;
  readonly synced: boolean;
  readonly lastObservedAt: Date | null;
}

export interface ClusterStatus {
  readonly name: string;
  /** This process watches the cluster (serve); false in a read-only API and for other clusters. */
  readonly watchedHere: boolean;
  readonly synced: boolean;
  readonly lastObservedAt: Date | null;
  readonly kinds: readonly KindSync[];
  readonly gaps: readonly StoredGap[];
}

export interface GapRange {
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

const EARLIEST = new Date(-8.64e15);
const LATEST = new Date(8.64e15);

export async function clusterStatus(reader: HistoryReader, name: string, watchedHere: boolean, range: GapRange = {}): Promise<ClusterStatus> {
  const [progress, gaps] = await Promise.all([reader.progress(name), reader.gaps(name, range.from ?? EARLIEST, range.to ?? LATEST)]);
  const byKind = new Map(progress.map((p) => [p.kind, p.lastObservedAt]));
  const kinds: KindSync[] = KINDS.map((kind) => ({ kind, synced: byKind.has(kind), lastObservedAt: byKind.get(kind) ?? null }));
  const times = progress.map((p) => p.lastObservedAt.getTime());
  return {
    name,
    watchedHere,
    synced: kinds.every((k) => k.synced),
    lastObservedAt: times.length ? new Date(Math.max(...times)) : null,
    kinds,
    gaps,
  };
}
