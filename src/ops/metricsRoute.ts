/**
 * metricsRoute: GET /metrics, the Prometheus text exposition of a Metrics registry.
 */
import type { Route } from '../http/Route.js';
import type { Metrics } from './Metrics.js';

export function metricsRoute(metrics: Metrics): Route {
  return {
    method: 'GET',
    path: '/metrics',
    handler: async (req, res) => {
      const text = await metrics.text();
      res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
  };
}
