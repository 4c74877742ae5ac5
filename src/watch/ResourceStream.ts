/**
 * ResourceStream: one supervised list+watch of one kind in one scope (all namespaces, or one namespace),
 * as the watcher set sees it. The Kubernetes adapter (src/k8s) implements it with SupervisedInformer;
 * the watcher set (WatcherSet) composes streams into per-kind reports to a ChangeSink.
 *
 * Contract for implementations:
 *  - every successful (re)list calls `report.listed` with the complete list of the scope, before any
 *    watch event that follows it; add/update/delete from the watch call `report.event`;
 *  - a stream that fails restarts itself (with back-off) until `stop()`; the time it could not see is
 *    reported once through `report.gap` when it sees again;
 *  - `report.*` may throw (storage failed): the stream must then stop and pass the error to
 *    `report.fatal`, never swallow it;
 *  - after `stop()` resolves, no report is made and no connection stays open.
 */
import type { KubeObject, Kind } from '../model/objects.js';
import type { WatchEventType } from './ChangeSink.js';

export interface StreamReport {
  listed(objects: readonly KubeObject[], observedAt: Date, relist: boolean): void;
  event(type: WatchEventType, object: KubeObject, observedAt: Date): void;
  gap(from: Date, to: Date, reason: string): void;
  fatal(err: unknown): void;
}

export interface StreamStats {
  /**
   * 'starting' until the first watch is open, 'watching' while a watch is open, 'reconnecting' after a
   * stream ended until the next watch is open, 'down' between a failure and recovery; 'absent' while the
   * cluster does not serve an optional kind (its CRD is not installed: listed as empty, probed again later).
   */
  readonly state: 'starting' | 'watching' | 'reconnecting' | 'down' | 'stopped' | 'absent';
  /** For an optional kind: the version the cluster serves, once discovered. */
  readonly servedVersion?: string;
  readonly restarts: number;
  readonly relists: number;
  readonly gaps: number;
  readonly events: number;
  readonly lastError?: string;
}

export interface ResourceStream {
  readonly kind: Kind;
  /** undefined: all namespaces (or a cluster-scoped kind). */
  readonly namespace: string | undefined;
  start(): void;
  stop(): Promise<void>;
  stats(): StreamStats;
}

export type StreamFactory = (kind: Kind, namespace: string | undefined, report: StreamReport) => ResourceStream;
