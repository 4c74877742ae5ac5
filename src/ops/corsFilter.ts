/**
 * corsFilter: cross-origin access for browsers, off unless origins are configured.
 *
 * With no origins there is no filter at all: no CORS headers are ever sent, so browsers on other
 * origins cannot read answers. With origins (exact `scheme://host[:port]` values, or `*` for any):
 *  - a request whose Origin is allowed gets `Access-Control-Allow-Origin` (the origin, or `*`) and
 *    `Vary: Origin`; other requests pass unchanged (no CORS headers);
 *  - a preflight (OPTIONS with Access-Control-Request-Method) from an allowed origin is answered here,
 *    204, before access control (browsers never send credentials on a preflight), allowing GET, HEAD,
 *    POST and the requested headers; from any other origin it is answered 403 FORBIDDEN.
 */
import type { RequestFilter } from '../http/Route.js';
import { sendJson } from '../http/sendJson.js';

const ALLOW_METHODS = 'GET, HEAD, POST, OPTIONS';
const DEFAULT_ALLOW_HEADERS = 'authorization, content-type';
const HEADER_LIST = /^[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*$/;

export function corsFilter(origins: readonly string[]): RequestFilter | undefined {
  if (origins.length === 0) return undefined;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    const ok = any || allowed.has(origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!ok) {
      if (!preflight) return false;
      req.resume();
      sendJson(res, 403, { error: { code: 'FORBIDDEN', message: `origin ${origin} is not allowed` } });
      return true;
    }
    res.setHeader('access-control-allow-origin', any ? '*' : origin);
    res.setHeader('vary', 'Origin');
    if (!preflight) return false;
    const requested = req.headers['access-control-request-headers'];
    req.resume();
    res.writeHead(204, {
      'access-control-allow-methods': ALLOW_METHODS,
      'access-control-allow-headers': typeof requested === 'string' && HEADER_LIST.test(requested.trim()) ? requested.trim() : DEFAULT_ALLOW_HEADERS,
      'access-control-max-age': '600',
      'content-length': '0',
    });
    res.end();
    return true;
  };
}

/** Checks one configured origin: `*` or exactly `scheme://host[:port]`. Returns an error text or undefined. */
export function invalidOrigin(value: string): string | undefined {
  if (value === '*') return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `'${value}' is not an origin like https://grafana.example.com`;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== value) {
    return `'${value}' is not an origin like https://grafana.example.com (scheme://host[:port], no path or trailing slash)`;
  }
  return undefined;
}
