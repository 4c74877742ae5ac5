/**
 * operability: what `serve` adds for running in production, assembled from the operational settings:
 * the Prometheus metrics and their /metrics route, the request filters in their order (request timing
 * first so every answer is measured, then CORS so preflights are answered without credentials, then
 * bearer-token access control), and `meter`, which wraps the history store so ingest is counted and
 * exposes the database's figures.
 *
 * The composition root (src/main.ts) adds `routes` and `filters` to the HTTP server, calls
 * `metrics.observeWatchers` with serve's readiness, and passes the opened store through `meter`.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { RequestFilter, Route } from '../http/Route.js';
import { bearerAuth } from './bearerAuth.js';
import { corsFilter } from './corsFilter.js';
import { historyState } from './historyState.js';
import { httpMetricsFilter } from './httpMetricsFilter.js';
import { meteredStore, type ClosableSink } from './meteredStore.js';
import { Metrics } from './Metrics.js';
import { metricsRoute } from './metricsRoute.js';
import type { OpsConfig } from './opsConfig.js';

export interface Operability {
  readonly metrics: Metrics;
  readonly routes: readonly Route[];
  readonly filters: readonly RequestFilter[];
  /** The store as the watchers should see it (counted), and the database figures registered for /metrics. */
  meter(store: ClosableSink, database: { readonly file: string; readonly db: BetterSqlite3.Database }, pendingReports: () => number): ClosableSink;
}

export function createOperability(config: Pick<OpsConfig, 'authToken' | 'corsOrigins'>, options: { processMetrics?: boolean } = {}): Operability {
  const metrics = new Metrics(options);
  const cors = corsFilter(config.corsOrigins);
  const filters: RequestFilter[] = [httpMetricsFilter(metrics)];
  if (cors) filters.push(cors);
  if (config.authToken !== undefined) filters.push(bearerAuth(config.authToken));
  return {
    metrics,
    routes: [metricsRoute(metrics)],
    filters,
    meter(store, database, pendingReports) {
      metrics.observeHistory(historyState(database, pendingReports));
      return meteredStore(store, metrics);
    },
  };
}
