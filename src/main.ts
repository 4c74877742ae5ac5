/**
 * main: the composition root of `routetrace serve`. Only this file knows every module.
 *
 * Start order (each step only after the previous one succeeded):
 *  1. kubeconfig: find the cluster (kubectl's rules); no cluster configured → NoClusterConfiguredError
 *     before anything is opened;
 *  2. HTTP: listen, so /healthz answers from the start (/readyz is 503 "starting");
 *  3. ingest (src/ingest): the history database opened (migrations applied) for the cluster name, then
 *     the watchers, one supervised list+watch per kind (and namespace); /readyz turns 200 once every
 *     kind's first list is flushed to the database. In production the ingest runs on a worker thread
 *     (IngestWorker: its own event loop and SQLite connection), so API requests never queue behind a
 *     batch; with an injected store (`openHistory`) it runs on this thread.
 *
 * Shutdown order (SIGTERM/SIGINT, or a storage failure): stop the watchers (no more reports, no open
 * watch), flush the history (the final flush), close the database, close HTTP. The exit code is 0 for a
 * clean stop and 1 when storing failed at any point (fail loudly: /readyz turns 503 at once and the
 * process exits rather than run on without recording).
 */
import { createApi } from './api/createApi.js';
import type { ServeConfig } from './config.js';
import { openHistoryDatabase, type HistoryDatabase } from './history/openHistoryDatabase.js';
import { redactedUrl } from './history/postgresConnection.js';
import type { Ingest, IngestRequest } from './ingest/Ingest.js';
import { IngestWorker } from './ingest/IngestWorker.js';
import { reportApplier } from './ingest/reportApplier.js';
import { watchIntoStore } from './ingest/watchIntoStore.js';
import { historyState } from './ops/historyState.js';
import type { SupervisedInformerOptions } from './k8s/SupervisedInformer.js';
import { loadKubeConfig, type KubeConfigEnvironment, type LoadedKubeConfig } from './k8s/loadKubeConfig.js';
import type { Metrics } from './ops/Metrics.js';
import { createOperability } from './ops/operability.js';
import { registerSubscriptionMetrics } from './ops/subscriptionMetrics.js';
import type { OpsConfig } from './ops/opsConfig.js';
import type { RequestFilter, Route } from './http/Route.js';
import { HttpServer, healthRoutes, type Readiness } from './server.js';
import { LiveSnapshot } from './state/LiveSnapshot.js';
import type { ChangeSink } from './watch/ChangeSink.js';
import { errorText, type Logger } from './watch/Logger.js';

/** What serve needs from the history store: a ChangeSink it can close. */
export interface HistoryStore extends ChangeSink {
  close(): Promise<void>;
}

export interface OpenHistoryRequest {
  readonly file: string;
  readonly cluster: string;
  readonly retentionMs: number;
  readonly maxDbSizeBytes: number;
  readonly log: Logger;
}

export interface ServeDependencies {
  readonly log: Logger;
  /** Starts the ingest pipeline (production: on a worker thread). Without it, `openHistory` is required. */
  readonly startIngest?: (request: IngestRequest) => Promise<Ingest>;
  /** A store for an ingest on this thread (used when `startIngest` is not given). */
  readonly openHistory?: (request: OpenHistoryRequest) => Promise<HistoryStore>;
  /** Where kubeconfig is looked for (tests pass an empty home). */
  readonly kubeEnvironment?: KubeConfigEnvironment;
  readonly informer?: Partial<Omit<SupervisedInformerOptions, 'log' | 'random'>>;
  readonly flushIntervalMs?: number;
  /** Extra routes (the API modules). */
  readonly routes?: readonly Route[];
  /** Request filters, run in this order before routing (metrics, CORS, access control). */
  readonly filters?: readonly RequestFilter[];
  /** Told where to read the watchers' state (readiness) at scrape time. */
  readonly metrics?: Pick<Metrics, 'observeWatchers'>;
}

type Phase = 'starting' | 'opening-database' | 'watching' | 'stopping' | 'stopped' | 'failed';

/** A running serve: its address, its state, and how to stop it. */
export class ServeRuntime {
  private phase: Phase = 'starting';
  private ingest: Ingest | undefined;
  private failure: unknown;
  private shuttingDown: Promise<number> | undefined;
  private resolveDone!: (code: number) => void;
  /** Resolves with the exit code once the runtime has shut down (after a signal, stop(), or a failure). */
  readonly done: Promise<number> = new Promise((resolve) => (this.resolveDone = resolve));
  url = '';
  clusterName = '';

  private constructor(
    private readonly config: ServeConfig,
    private readonly deps: ServeDependencies,
    private readonly http: HttpServer,
  ) {}

  /** Runs start steps 1–4. Throws (having closed what it opened) if a step fails. */
  static async start(config: ServeConfig, deps: ServeDependencies): Promise<ServeRuntime> {
    const log = deps.log;
    const kube: LoadedKubeConfig = loadKubeConfig(
      { ...(config.kubeconfig !== undefined ? { kubeconfig: config.kubeconfig } : {}), ...(config.context !== undefined ? { context: config.context } : {}), ...(config.server !== undefined ? { server: config.server } : {}) },
      deps.kubeEnvironment,
    );
    const http = new HttpServer([], log);
    const rt = new ServeRuntime(config, deps, http);
    rt.clusterName = config.cluster ?? kube.defaultClusterName;
    for (const r of healthRoutes(() => rt.readiness())) http.addRoute(r);
    for (const r of deps.routes ?? []) http.addRoute(r);
    for (const f of deps.filters ?? []) http.addFilter(f);
    deps.metrics?.observeWatchers(() => rt.readiness());
    const bound = await http.listen(config.listen);
    rt.url = bound.url;
    log.log('info', 'serve.start', {
      listen: bound.url,
      apiServer: kube.server,
      kubeconfig: kube.source,
      context: kube.contextName,
      cluster: rt.clusterName,
      db: config.database !== undefined ? redactedUrl(config.database) : config.db,
      namespaces: config.namespaces.length ? config.namespaces : 'all',
      pid: process.pid,
    });
    try {
      rt.phase = 'opening-database';
      const request: IngestRequest = {
        kube: { ...(config.kubeconfig !== undefined ? { kubeconfig: config.kubeconfig } : {}), ...(config.context !== undefined ? { context: config.context } : {}), ...(config.server !== undefined ? { server: config.server } : {}) },
        ...(deps.kubeEnvironment ? { kubeEnvironment: deps.kubeEnvironment } : {}),
        file: config.db,
        ...(config.database !== undefined ? { url: config.database } : {}),
        cluster: rt.clusterName,
        retentionMs: config.retentionMs,
        maxDbSizeBytes: config.maxDbSizeBytes,
        namespaces: config.namespaces,
        ...(deps.informer ? { informer: deps.informer } : {}),
        ...(deps.flushIntervalMs !== undefined ? { flushIntervalMs: deps.flushIntervalMs } : {}),
        log,
      };
      if (deps.startIngest) rt.ingest = await deps.startIngest(request);
      else if (deps.openHistory) rt.ingest = await startIngestHere(request, kube, deps.openHistory);
      else throw new Error('ServeRuntime: neither startIngest nor openHistory was given');
      rt.phase = 'watching';
      rt.ingest.onFatal((err) => {
        rt.failure ??= err;
        void rt.stop('storage failed');
      });
    } catch (err) {
      rt.failure = err;
      rt.phase = 'failed';
      log.log('error', 'serve.start_failed', { error: errorText(err) });
      await http.close();
      throw err;
    }
    return rt;
  }

  readiness(): Readiness {
    const w = this.ingest?.status();
    const failed = this.failure !== undefined ? errorText(this.failure) : w?.failed;
    return {
      ready: this.phase === 'watching' && !!w?.ready && failed === undefined,
      phase: this.phase,
      cluster: this.clusterName,
      ...(failed !== undefined ? { failed } : {}),
      kinds: w?.kinds ?? {},
    };
  }

  /** Shutdown in the documented order; resolves with the exit code (also delivered through `done`). */
  stop(reason: string): Promise<number> {
    this.shuttingDown ??= this.shutdown(reason);
    return this.shuttingDown;
  }

  private async shutdown(reason: string): Promise<number> {
    const log = this.deps.log;
    const failedBefore = this.failure !== undefined;
    this.phase = failedBefore ? 'failed' : 'stopping';
    log.log(failedBefore ? 'error' : 'info', 'serve.stopping', { reason, ...(failedBefore ? { error: errorText(this.failure) } : {}) });
    try {
      await this.ingest?.stop(); // stops streams, the final flush, closes the store; rejects if storing failed
    } catch (err) {
      this.failure ??= err;
    }
    await this.http.close();
    const code = this.failure !== undefined ? 1 : 0;
    this.phase = code ? 'failed' : 'stopped';
    log.log(code ? 'error' : 'info', 'serve.stopped', { exitCode: code, ...(code ? { error: errorText(this.failure) } : {}) });
    this.resolveDone(code);
    return code;
  }
}

/**
 * Runs serve until SIGTERM/SIGINT or a storage failure; resolves with the exit code. A second signal
 * while stopping exits at once with 1.
 */
export async function runServe(config: ServeConfig, deps: ServeDependencies): Promise<number> {
  const rt = await ServeRuntime.start(config, deps);
  const onSignal = (signal: NodeJS.Signals) => {
    if (rt.readiness().phase === 'stopping') {
      deps.log.log('error', 'serve.forced_exit', { signal });
      process.exit(1);
    }
    void rt.stop(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    return await rt.done;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** The ingest pipeline on this thread: the watchers reporting to a store the caller opens. */
async function startIngestHere(request: IngestRequest, kube: LoadedKubeConfig, openHistory: NonNullable<ServeDependencies['openHistory']>): Promise<Ingest> {
  const { log } = request;
  const history = await openHistory({ file: request.file, cluster: request.cluster, retentionMs: request.retentionMs, maxDbSizeBytes: request.maxDbSizeBytes, log });
  try {
    return watchIntoStore(kube.kc, request, history, log);
  } catch (err) {
    await history.close().catch(() => {});
    throw err;
  }
}

/**
 * The dependencies of a real `serve`: the ingest on a worker thread (watchers and history writer), its
 * reports applied to the API's live snapshot on this thread, the API routes (/graphql, /api/v1) reading
 * the history through this thread's own connection once the worker has opened the file, and /metrics fed
 * with the worker's ingest counters.
 */
export function productionDependencies(log: Logger, ops: Pick<OpsConfig, 'authToken' | 'corsOrigins'> = { corsOrigins: [] }): ServeDependencies {
  const api = createApi(log, { live: new LiveSnapshot(undefined, { projected: true }), subscriptions: { ...(ops.authToken !== undefined ? { authToken: ops.authToken } : {}), corsOrigins: ops.corsOrigins } });
  const operability = createOperability(ops);
  registerSubscriptionMetrics(operability.metrics.registry, () => api.subscriptions.stats());
  return {
    log,
    routes: [...api.routes, ...operability.routes],
    filters: operability.filters,
    metrics: operability.metrics,
    startIngest: async (request) => {
      let database: HistoryDatabase | undefined;
      let worker: IngestWorker | undefined;
      const closeReaders = async () => {
        api.detachHistory();
        await api.stop().catch(() => {});
        await database?.close();
        database = undefined;
      };
      try {
        worker = await IngestWorker.start(request, {
          async opened(location, appliedMigrations) {
            database = await openHistoryDatabase(request.url !== undefined ? { url: request.url } : { file: request.file });
            log.log('info', 'history.open', { database: location, cluster: request.cluster, migrationsApplied: appliedMigrations });
            api.attachHistory(database, request.cluster);
            operability.metrics.observeHistory(historyState(database, () => worker?.pendingReports ?? 0));
            operability.metrics.observeIngestThread(() => worker?.heapUsedBytes);
          },
          changes: reportApplier(api.live),
          observer: operability.metrics,
        });
      } catch (err) {
        await closeReaders().catch(() => {});
        throw err;
      }
      const running = worker;
      return {
        status: () => running.status(),
        onFatal: (listener) => running.onFatal(listener),
        async stop() {
          try {
            await running.stop();
          } finally {
            await closeReaders();
          }
        },
      };
    },
  };
}
