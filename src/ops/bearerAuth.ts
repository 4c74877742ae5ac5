/**
 * bearerAuth: optional access control for the HTTP API with one shared bearer token.
 *
 * Every request except those on `openPaths` (the probes /healthz and /readyz, and /metrics: it carries
 * counts and durations only, no object names, so Prometheus can scrape it without a credential) and
 * under `openPrefixes` (/ui: the viewer's static files, which ask /graphql with the token) must
 * carry `Authorization: Bearer <token>`; otherwise it is answered 401 with a JSON error
 * (`UNAUTHENTICATED`) and a `WWW-Authenticate: Bearer` challenge, before any route runs, for every
 * route, known or not. The comparison takes the same time whatever the presented token is (both sides
 * are hashed to fixed-length digests, then compared with timingSafeEqual), so timing reveals nothing
 * about the token. The token never appears in logs or answers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestFilter } from '../http/Route.js';
import { sendJson } from '../http/sendJson.js';

export const OPEN_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];
/** Subtrees open like OPEN_PATHS: the route viewer's static files (no cluster data; the page sends the token). */
export const OPEN_PREFIXES: readonly string[] = ['/ui'];

const underPrefix = (pathname: string, prefixes: readonly string[]): boolean => prefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`));

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** True when `presented` equals `expected`, in time independent of where they differ. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return m ? m[1] : undefined;
}

export function bearerAuth(token: string, openPaths: readonly string[] = OPEN_PATHS, openPrefixes: readonly string[] = OPEN_PREFIXES): RequestFilter {
  if (!token) throw new Error('bearerAuth: empty token');
  const open = new Set(openPaths);
  return (req, res, url) => {
    if (open.has(url.pathname) || underPrefix(url.pathname, openPrefixes)) return false;
    const presented = bearerToken(req.headers.authorization);
    if (presented !== undefined && tokenMatches(presented, token)) return false;
    req.resume();
    res.setHeader('www-authenticate', presented === undefined ? 'Bearer realm="routetrace"' : 'Bearer realm="routetrace", error="invalid_token"');
    sendJson(res, 401, { error: { code: 'UNAUTHENTICATED', message: presented === undefined ? 'a bearer token is required (Authorization: Bearer <token>)' : 'invalid bearer token' } });
    return true;
  };
}
