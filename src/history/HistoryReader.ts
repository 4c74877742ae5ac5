/**
 * HistoryReader: reads a cluster's stored history.
 *
 *  - snapshotAt(cluster, at, filter?): every object valid at `at` (validFrom <= at < validTo), as the
 *    projections that were written, grouped into a Snapshot (objects sorted by namespace, then name).
 *    Dialect SQL (versionsAt) served by the (clusterId, validTo) index; the identity fields come
 *    from KubeObject and the version's resourceVersion (the one of the report that opened the version:
 *    later reports that changed nothing stored do not change it).
 *  - currentSnapshot(cluster): the open versions.
 *  - history(cluster, kind, namespace, name): every stored version of that name, oldest first.
 *  - gaps(cluster, from, to): gap records overlapping [from, to].
 *  - progress(cluster): per kind, the last time a report of it was stored (WatchProgress). A kind gets its
 *    row with its first stored list, so a kind without one has never been synced.
 *  - endpointsAt(cluster, namespace, service, at): the endpoint rows (from EndpointSlices and Endpoints)
 *    of that namespace naming that service, valid at `at`, from the derived EndpointRow table (raw SQL, index-backed).
 * An unknown cluster name reads as empty history.
 */
import type { Kind, KubeObject, Snapshot } from '../model/objects.js';
import { emptySnapshot, SNAPSHOT_FIELD } from '../model/objects.js';
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { decodeBody } from './bodyCodec.js';
import { clusterIdOf } from './clusterIdOf.js';
import { sqlFlag } from './SqlConnection.js';
import { joinBody } from './storedBody.js';

export interface SnapshotFilter {
  kinds?: readonly Kind[];
  namespace?: string;
}

export interface StoredVersion {
  uid: string;
  resourceVersion: string;
  validFrom: Date;
  validTo: Date | null;
  changeTime: Date | null;
  endChangeTime: Date | null;
  observedTime: Date;
  object: KubeObject;
}

export interface EndpointAt {
  address: string;
  portName: string | null;
  port: number | null;
  protocol: string | null;
  ready: boolean | null;
  serving: boolean | null;
  terminating: boolean | null;
  node: string | null;
  zone: string | null;
  targetKind: string | null;
  targetName: string | null;
}

export interface KindProgress {
  kind: string;
  lastObservedAt: Date;
}

export interface StoredGap {
  kind: string;
  from: Date;
  to: Date;
  reason: string;
}

function byNamespaceName(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export class HistoryReader {
  constructor(private readonly database: HistoryDatabase) {}

  private clusterId(name: string): number | null {
    return clusterIdOf(this.database, name);
  }

  snapshotAt(cluster: string, at: Date, filter: SnapshotFilter = {}): Snapshot {
    const id = this.clusterId(cluster);
    if (id === null) return emptySnapshot();
    const t = at.getTime();
    const kinds = filter.kinds ? new Set<string>(filter.kinds) : null;
    const groups = emptySnapshot() as unknown as Record<keyof Snapshot, KubeObject[]>;
    const rows = this.database.db.stmt('versionsAt').iterate(id, t, t, id, t) as IterableIterator<{
      kind: Kind; namespace: string; name: string; uid: string; resourceVersion: string; body: Buffer; chain: string | null;
    }>;
    for (const r of rows) {
      if (kinds && !kinds.has(r.kind)) continue;
      if (filter.namespace !== undefined && r.namespace !== filter.namespace) continue;
      const field = SNAPSHOT_FIELD[r.kind];
      if (!field) continue;
      groups[field].push(joinBody(r.kind, { ...r, body: decodeBody(r.body, r.chain) }));
    }
    for (const list of Object.values(groups)) list.sort(byNamespaceName);
    return groups as unknown as Snapshot;
  }

  currentSnapshot(cluster: string, filter: SnapshotFilter = {}): Snapshot {
    return this.snapshotAt(cluster, new Date(8.64e15), filter);
  }

  async history(cluster: string, kind: Kind, namespace: string, name: string): Promise<StoredVersion[]> {
    const rows = this.database.db.stmt('objectHistory').all(cluster, kind, namespace, name) as {
      uid: string; resourceVersion: string; validFrom: number; validTo: number | null; changeTime: number | null;
      endChangeTime: number | null; observedTime: number; body: Buffer; chain: string | null;
    }[];
    const date = (t: number | null) => (t === null ? null : new Date(t));
    return rows.map((r) => ({
      uid: r.uid,
      resourceVersion: r.resourceVersion,
      validFrom: new Date(r.validFrom),
      validTo: date(r.validTo),
      changeTime: date(r.changeTime),
      endChangeTime: date(r.endChangeTime),
      observedTime: new Date(r.observedTime),
      object: joinBody(kind, { namespace, name, uid: r.uid, resourceVersion: r.resourceVersion, body: decodeBody(r.body, r.chain) }),
    }));
  }

  endpointsAt(cluster: string, namespace: string, service: string, at: Date): EndpointAt[] {
    const id = this.clusterId(cluster);
    if (id === null) return [];
    const t = at.getTime();
    return (this.database.db.stmt('endpointRowsAt').all(id, namespace, service, t, t) as Record<string, unknown>[]).map((r) => ({
      ...(r as unknown as EndpointAt), ready: sqlFlag(r.ready), serving: sqlFlag(r.serving), terminating: sqlFlag(r.terminating),
    }));
  }

  async gaps(cluster: string, from: Date, to: Date): Promise<StoredGap[]> {
    const rows = this.database.db.stmt('gapsInRange').all(cluster, to.getTime(), from.getTime()) as {
      kind: string; fromTime: number; toTime: number; reason: string;
    }[];
    return rows.map((g) => ({ kind: g.kind, from: new Date(g.fromTime), to: new Date(g.toTime), reason: g.reason }));
  }

  async progress(cluster: string): Promise<KindProgress[]> {
    const rows = this.database.db.stmt('progressOfCluster').all(cluster) as { kind: string; lastObservedAt: number }[];
    return rows.map((r) => ({ kind: r.kind, lastObservedAt: new Date(r.lastObservedAt) }));
  }
}
