/**
 * Ingest: the running watch-to-history pipeline of serve, as the composition root drives it.
 *
 * Two implementations: in the same thread (the watchers report to a store the caller opened; tests and
 * embedders use it) and on a worker thread (IngestWorker: watchers, projection and the history writer on
 * their own event loop and SQLite connection, so queries never wait behind a batch). Both give the same
 * contract:
 *  - status(): the watchers' state (readiness per kind, streams, failure), at most a moment old;
 *  - onFatal(): told once when storing failed (the pipeline has stopped for good);
 *  - stop(): stops the streams, writes what is queued, closes the store; rejects when storing failed at
 *    any point, so the caller can exit non-zero.
 */
import type { KubeConfigEnvironment } from '../k8s/loadKubeConfig.js';
import type { SupervisedInformerOptions } from '../k8s/SupervisedInformer.js';
import type { WatcherSetStatus } from '../watch/WatcherSet.js';
import type { Logger } from '../watch/Logger.js';

export interface Ingest {
  status(): WatcherSetStatus;
  onFatal(listener: (err: unknown) => void): void;
  stop(): Promise<void>;
}

/** What an ingest pipeline is started with (plain data, so it can cross to a worker thread). */
export interface IngestSettings {
  readonly kube: { readonly kubeconfig?: string; readonly context?: string; readonly server?: string };
  readonly kubeEnvironment?: KubeConfigEnvironment;
  readonly file: string;
  /** PostgreSQL URL: when set, the history is there instead of `file`. */
  readonly url?: string;
  readonly cluster: string;
  readonly retentionMs: number;
  readonly maxDbSizeBytes: number;
  readonly namespaces: readonly string[];
  readonly informer?: Partial<Omit<SupervisedInformerOptions, 'log' | 'random'>>;
  readonly flushIntervalMs?: number;
}

export interface IngestRequest extends IngestSettings {
  readonly log: Logger;
}
