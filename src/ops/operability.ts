/**
 * operability: what `serve` adds for running in production, assembled from the operational settings:
 * the Prometheus metrics and their /metrics route, the request filters in their order (request timing
 * first so every answer is measured, then CORS so preflights are answered without credentials, then
 * bearer-token access control).
 *
 * The composition root (src/main.ts) adds `routes` and `filters` to the HTTP server, calls
 * `metrics.observeWatchers` with serve's readiness and `metrics.observeHistory` /
 * `metrics.observeIngestThread` once the history is open, and gives `metrics` to the ingest as its
 * IngestObserver (the ingest thread wraps its store in meteredStore and sends the counts over).
 */
import type { RequestFilter, Route } from '../http/Route.js';
import { bearerAuth } from './bearerAuth.js';
import { corsFilter } from './corsFilter.js';
import { httpMetricsFilter } from './httpMetricsFilter.js';
import { Metrics } from './Metrics.js';
import { metricsRoute } from './metricsRoute.js';
import type { OpsConfig } from './opsConfig.js';

export interface Operability {
  readonly metrics: Metrics;
  readonly routes: readonly Route[];
  readonly filters: readonly RequestFilter[];
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
  };
}
