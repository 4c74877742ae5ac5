/**
 * ingestMessages: what the ingest worker thread and serve's main thread tell each other.
 *
 * Main → worker: `stop` (stop the streams, write what is queued, close the database, then answer
 * `stopped`). Worker → main, in this order over a run: `log` lines at any time; `opened` once the history
 * database is open and migrated (main then opens its own read connection); `changes` (the projections of
 * every report, in report order, batched per turn of the worker's event loop) and `observed` (ingest
 * counters for /metrics) while watching; `status` (the watchers' state and the reports not yet written)
 * whenever it may have changed and at least every STATUS_INTERVAL_MS; `fatal` once if storing failed;
 * `startFailed` instead of `opened` if opening failed; `stopped` last (error set if storing failed).
 */
import type { Kind, KubeObject } from '../model/objects.js';
import type { WatchEventType } from '../watch/ChangeSink.js';
import type { LogLevel } from '../watch/Logger.js';
import type { WatcherSetStatus } from '../watch/WatcherSet.js';

export const STATUS_INTERVAL_MS = 250;

/** Objects of a list sent per message at most (a 50k-Pod list crosses in parts: neither thread holds it
 * serialized whole, and the main thread answers requests between the parts). */
export const LIST_PART_SIZE = 2000;

/**
 * One report as the live state needs it: projections (src/model/project.ts), times in ms. A list longer
 * than LIST_PART_SIZE comes as `listPart` reports (in order) followed by its `listed` report, whose
 * objects are the last part: the list is the concatenation.
 */
export type ChangeReport =
  | { readonly t: 'event'; readonly kind: Kind; readonly type: WatchEventType; readonly object: KubeObject; readonly at: number }
  | { readonly t: 'listPart'; readonly kind: Kind; readonly objects: readonly KubeObject[] }
  | { readonly t: 'listed'; readonly kind: Kind; readonly objects: readonly KubeObject[]; readonly at: number; readonly namespace?: string };

/** A call on the ingest observer (src/ops/Metrics.ts IngestObserver), replayed on the main thread. */
export type ObservedCall =
  | readonly ['eventReceived', Kind, WatchEventType]
  | readonly ['listReceived', Kind, number]
  | readonly ['gapReported', Kind]
  | readonly ['ingestLag', Kind, number]
  | readonly ['durable', number];

export type FromWorker =
  | { readonly t: 'log'; readonly level: LogLevel; readonly event: string; readonly fields?: Record<string, unknown> }
  | { readonly t: 'opened'; readonly location: string; readonly appliedMigrations: readonly string[] }
  | { readonly t: 'startFailed'; readonly error: string }
  | { readonly t: 'changes'; readonly reports: readonly ChangeReport[] }
  | { readonly t: 'observed'; readonly calls: readonly ObservedCall[] }
  | { readonly t: 'status'; readonly status: WatcherSetStatus; readonly pendingReports: number; readonly heapUsedBytes: number }
  | { readonly t: 'fatal'; readonly error: string }
  | { readonly t: 'stopped'; readonly error?: string };

export type ToWorker = { readonly t: 'stop' };
