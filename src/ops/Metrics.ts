/**
 * Metrics: routetrace's Prometheus metrics (prom-client), behind narrow observer interfaces so the other
 * modules never import prom-client: the metered sink reports ingest (IngestObserver), the HTTP filter
 * reports requests (HttpObserver), and state that already exists elsewhere (stream counters, the
 * database) is read at scrape time through the `observe*` callbacks. Every name starts `routetrace_`.
 *
 * Ingest
 *   routetrace_watch_events_received_total{kind,type}     watch events (ADDED, MODIFIED, DELETED)
 *   routetrace_watch_lists_received_total{kind}           complete lists (initial list and relists)
 *   routetrace_watch_list_objects_received_total{kind}    objects in those lists
 *   routetrace_watch_gaps_total{kind}                     times a watcher could not see changes (gap reports)
 *   routetrace_watch_restarts_total{kind}                 stream restarts after a failure   (scrape time)
 *   routetrace_watch_relists_total{kind}                  relists after the first list      (scrape time)
 *   routetrace_kind_synced{kind}                          1 once the kind's first list is stored
 *   routetrace_ready                                      1 while /readyz answers 200
 *   routetrace_ingest_lag_seconds{kind}                   observed time minus the object's creationTimestamp,
 *                                                         for watch ADDED events (second precision in Kubernetes)
 *   routetrace_ingest_durable_seconds                     report received until confirmed stored (per report)
 * History
 *   routetrace_history_versions_written_total             versions written by this process
 *   routetrace_history_gaps_recorded_total                gap records written by this process
 *   routetrace_history_pending_reports                    reports received, not yet committed
 *   routetrace_db_size_bytes                              database file plus its write-ahead log
 * HTTP
 *   routetrace_http_request_duration_seconds{group,code}  per route group: graphql, api, grafana, health,
 *                                                         metrics, other
 * Process: prom-client's default metrics, prefixed routetrace_ (CPU, memory, event loop lag, GC, handles).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Kind } from '../model/objects.js';
import type { WatchEventType } from '../watch/ChangeSink.js';
import type { RouteGroup } from './routeGroup.js';

export interface IngestObserver {
  eventReceived(kind: Kind, type: WatchEventType): void;
  listReceived(kind: Kind, objects: number): void;
  gapReported(kind: Kind): void;
  ingestLag(kind: Kind, seconds: number): void;
  durable(seconds: number): void;
}

export interface HttpObserver {
  requestServed(group: RouteGroup, status: number, seconds: number): void;
}

/**
 * What the watchers already count, as serve's readiness (/readyz) reports it: `ready`, and `kinds`
 * mapping each kind to `{ state, streams: [{ restarts, relists }] }` (read defensively).
 */
export interface WatchState {
  readonly ready: boolean;
  readonly [key: string]: unknown;
}

interface KindLike {
  readonly state?: string;
  readonly streams?: readonly { readonly restarts?: number; readonly relists?: number; readonly state?: string }[];
}

function kindsOf(state: WatchState | undefined): [string, KindLike][] {
  const kinds = state?.['kinds'];
  return kinds && typeof kinds === 'object' ? Object.entries(kinds as Record<string, KindLike>) : [];
}

/** Read at scrape time; undefined while the database is not open. */
export interface HistoryState {
  readonly versionsWritten: number;
  readonly gapsRecorded: number;
  readonly pendingReports: number;
  readonly dbBytes: number;
}

const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800];
const DURABLE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics implements IngestObserver, HttpObserver {
  private ingestHeap: () => number | undefined = () => undefined;
  readonly registry = new Registry();
  private watchState: () => WatchState | undefined = () => undefined;
  private historyState: () => HistoryState | undefined = () => undefined;

  private readonly events: Counter<'kind' | 'type'>;
  private readonly lists: Counter<'kind'>;
  private readonly listObjects: Counter<'kind'>;
  private readonly gaps: Counter<'kind'>;
  private readonly lag: Histogram<'kind'>;
  private readonly durableSeconds: Histogram;
  private readonly http: Histogram<'group' | 'code'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const self = () => this;
    this.events = new Counter({ name: 'routetrace_watch_events_received_total', help: 'Watch events received, by kind and type', labelNames: ['kind', 'type'], registers });
    this.lists = new Counter({ name: 'routetrace_watch_lists_received_total', help: 'Complete lists received (initial list and relists)', labelNames: ['kind'], registers });
    this.listObjects = new Counter({ name: 'routetrace_watch_list_objects_received_total', help: 'Objects received in complete lists', labelNames: ['kind'], registers });
    this.gaps = new Counter({ name: 'routetrace_watch_gaps_total', help: 'Times a watcher reported it could not see changes (stream lost, API unreachable)', labelNames: ['kind'], registers });
    this.lag = new Histogram({ name: 'routetrace_ingest_lag_seconds', help: "Observed time minus the object's creationTimestamp, for watch ADDED events", labelNames: ['kind'], buckets: LAG_BUCKETS, registers });
    this.durableSeconds = new Histogram({ name: 'routetrace_ingest_durable_seconds', help: 'Time from receiving a report to its confirmed storage', buckets: DURABLE_BUCKETS, registers });
    this.http = new Histogram({ name: 'routetrace_http_request_duration_seconds', help: 'HTTP request duration by route group and status code', labelNames: ['group', 'code'], buckets: HTTP_BUCKETS, registers });

    const perKindStreamTotal = (field: 'restarts' | 'relists') =>
      function (this: Counter<'kind'>) {
        this.reset();
        for (const [kind, k] of kindsOf(self().watchState())) this.inc({ kind }, (k.streams ?? []).reduce((n, s) => n + (s[field] ?? 0), 0));
      };
    new Counter({ name: 'routetrace_watch_restarts_total', help: 'Watch stream restarts after a failure', labelNames: ['kind'], registers, collect: perKindStreamTotal('restarts') });
    new Counter({ name: 'routetrace_watch_relists_total', help: 'Relists after the first list (a watch could not resume)', labelNames: ['kind'], registers, collect: perKindStreamTotal('relists') });
    new Gauge({
      name: 'routetrace_kind_synced',
      help: "1 once the kind's first complete list is stored",
      labelNames: ['kind'],
      registers,
      collect(this: Gauge<'kind'>) {
        this.reset();
        for (const [kind, k] of kindsOf(self().watchState())) this.set({ kind }, k.state === 'synced' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'routetrace_kind_served',
      help: '1 when the cluster serves the kind, 0 while its API is absent (an optional kind whose CRD is not installed)',
      labelNames: ['kind'],
      registers,
      collect(this: Gauge<'kind'>) {
        this.reset();
        for (const [kind, k] of kindsOf(self().watchState())) this.set({ kind }, (k.streams ?? []).some((s) => s.state === 'absent') ? 0 : 1);
      },
    });
    new Gauge({
      name: 'routetrace_ready',
      help: '1 while serve is ready (/readyz 200)',
      registers,
      collect(this: Gauge) {
        this.set(self().watchState()?.ready ? 1 : 0);
      },
    });
    const fromHistory = (field: keyof HistoryState) =>
      function (this: Counter | Gauge) {
        const h = self().historyState();
        this.reset();
        if (h) (this as Counter).inc(h[field]);
      };
    new Counter({ name: 'routetrace_history_versions_written_total', help: 'Object versions written by this process', registers, collect: fromHistory('versionsWritten') });
    new Counter({ name: 'routetrace_history_gaps_recorded_total', help: 'Gap records written by this process', registers, collect: fromHistory('gapsRecorded') });
    new Gauge({ name: 'routetrace_history_pending_reports', help: 'Reports received and not yet committed', registers, collect: fromHistory('pendingReports') });
    new Gauge({ name: 'routetrace_db_size_bytes', help: 'Size of the history database file and its write-ahead log', registers, collect: fromHistory('dbBytes') });
    const ingestHeap = () => this.ingestHeap();
    new Gauge({
      name: 'routetrace_ingest_thread_heap_used_bytes',
      help: 'Heap used by the ingest worker thread (the process heap metrics cover the main thread)',
      registers,
      collect(this: Gauge) {
        const v = ingestHeap();
        if (v === undefined) this.reset();
        else this.set(v);
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'routetrace_' });
  }

  /** Where restarts, relists and readiness are read from at scrape time. */
  observeWatchers(state: () => WatchState | undefined): void {
    this.watchState = state;
  }

  /** Where the history figures are read from at scrape time. */
  observeHistory(state: () => HistoryState | undefined): void {
    this.historyState = state;
  }

  /** Where the ingest thread's heap size is read from at scrape time (serve with an ingest worker). */
  observeIngestThread(heapUsedBytes: () => number | undefined): void {
    this.ingestHeap = heapUsedBytes;
  }

  eventReceived(kind: Kind, type: WatchEventType): void {
    this.events.inc({ kind, type });
  }

  listReceived(kind: Kind, objects: number): void {
    this.lists.inc({ kind });
    this.listObjects.inc({ kind }, objects);
  }

  gapReported(kind: Kind): void {
    this.gaps.inc({ kind });
  }

  ingestLag(kind: Kind, seconds: number): void {
    this.lag.observe({ kind }, Math.max(0, seconds));
  }

  durable(seconds: number): void {
    this.durableSeconds.observe(Math.max(0, seconds));
  }

  requestServed(group: RouteGroup, status: number, seconds: number): void {
    this.http.observe({ group, code: String(status) }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
