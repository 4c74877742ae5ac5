/**
 * httpMetricsFilter: times every HTTP request from arrival to the end of its answer (or the connection
 * closing) and reports it once to an HttpObserver with its route group and status. Never answers.
 * Runs first, so answers given by later filters (401, preflight) are measured too.
 */
import type { HttpObserver } from './Metrics.js';
import type { RequestFilter } from '../http/Route.js';
import { routeGroup } from './routeGroup.js';

export function httpMetricsFilter(observer: HttpObserver): RequestFilter {
  return (_req, res, url) => {
    const start = process.hrtime.bigint();
    const group = routeGroup(url.pathname);
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      observer.requestServed(group, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9);
    };
    res.once('finish', record);
    res.once('close', record);
    return false;
  };
}
