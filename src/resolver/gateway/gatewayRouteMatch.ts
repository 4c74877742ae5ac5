/**
 * gatewayRouteMatch: which rule of the routes attached to a listener takes a request, following the
 * precedence of gateway-api apis/v1 HTTPRouteRule.Matches and GRPCRouteRule.Matches. Pure.
 *
 * HTTPRoute match (HTTPRouteMatch): every condition given must hold. path (default PathPrefix "/"): Exact
 * is equality; PathPrefix compares whole path elements, a trailing "/" ignored ("/foo" matches "/foo",
 * "/foo/" and "/foo/bar", not "/foobar"); RegularExpression (implementation-specific) is matched as a whole
 * ECMAScript expression. headers: names ignore case, Exact (default) or RegularExpression values; only the
 * first entry of a name counts. queryParams: names exact, same value types. method: equality.
 * A rule without matches matches every request (one PathPrefix "/" match).
 * GRPCRoute match (GRPCRouteMatch): method.service and method.method (Exact by default, or
 * RegularExpression) against "/service/method"; headers as above; no matches: every request.
 *
 * Precedence among every matching (route, rule, match), continuing on ties:
 *  0. hostname: characters of a matching non-wildcard hostname, then of a matching hostname
 *     (GRPCRouteRule.Matches; implementations apply the same to HTTPRoutes through listener isolation);
 *  HTTPRoute: 1. Exact path; 2. PathPrefix with the most characters; 3. a method match; 4. most header
 *     matches; 5. most query param matches (RegularExpression paths rank after PathPrefix);
 *  GRPCRoute: 1. most characters in a matching service; 2. in a matching method; 3. most header matches;
 *  then the oldest route (creationTimestamp), then "{namespace}/{name}" alphabetically, then the first
 *  rule and match in list order.
 * A gRPC request (gatewayRequest.grpc) is matched against GRPCRoutes first, then HTTPRoutes; any other
 * request against HTTPRoutes only.
 */
import type { GRPCRouteMatch, HeaderMatch, HTTPRouteMatch } from '../../model/gatewayObjects.js';
import type { GatewayMatchHop } from '../../model/gatewayRoute.js';
import { nsOf } from '../apiDefaults.js';
import type { RouteRef } from './gatewayAttachment.js';
import { hostnameMatches, hostnameSpecificity } from './gatewayHostnames.js';
import type { GatewayRequest } from './gatewayRequest.js';

/** A route attached to the listener, with the hostnames it serves there. */
export interface AttachedRoute {
  readonly route: RouteRef;
  readonly hostnames: readonly (string | null)[];
}

export interface RuleMatch {
  readonly route: RouteRef;
  readonly hostname: string | null;
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: GatewayMatchHop;
  /** Precedence key: compared element by element, lower first. */
  readonly key: readonly (number | string)[];
}

function regexMatches(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

/** HTTPRoute path match. */
export function pathMatches(type: string, value: string, path: string): boolean {
  if (type === 'Exact') return path === value;
  if (type === 'RegularExpression') return regexMatches(value, path);
  const prefix = value.replace(/\/+$/, '');
  if (prefix === '') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

function valueMatches(m: HeaderMatch, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return (m.type ?? 'Exact') === 'RegularExpression' ? regexMatches(m.value, actual) : actual === m.value;
}

/** The first entry of each name (headers: names compared in lower case). */
function firstOfEachName(list: readonly HeaderMatch[], fold: boolean): HeaderMatch[] {
  const seen = new Set<string>();
  return list.filter((m) => {
    const k = fold ? m.name.toLowerCase() : m.name;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function headerList(list: readonly HeaderMatch[]): GatewayMatchHop['headers'] {
  return list.map((m) => ({ type: m.type ?? 'Exact', name: m.name, value: m.value }));
}

function httpMatch(m: HTTPRouteMatch, req: GatewayRequest): GatewayMatchHop | null {
  const type = m.path?.type ?? 'PathPrefix';
  const value = m.path?.value ?? '/';
  if (!pathMatches(type, value, req.path)) return null;
  const headers = firstOfEachName(m.headers ?? [], true);
  if (!headers.every((h) => valueMatches(h, req.headers.get(h.name.toLowerCase())))) return null;
  const query = firstOfEachName(m.queryParams ?? [], false);
  if (!query.every((h) => valueMatches(h, req.query.get(h.name)))) return null;
  if (m.method && m.method.toUpperCase() !== req.method) return null;
  return { path: { type, value }, method: m.method ?? null, headers: headerList(headers), queryParams: headerList(query), grpc: null };
}

function grpcMatch(m: GRPCRouteMatch, req: GatewayRequest): GatewayMatchHop | null {
  if (!req.grpc) return null;
  const type = m.method?.type ?? 'Exact';
  const service = m.method?.service ?? null;
  const method = m.method?.method ?? null;
  const eq = (want: string | null, actual: string) => want === null || (type === 'RegularExpression' ? regexMatches(want, actual) : want === actual);
  if (!eq(service, req.grpc.service) || !eq(method, req.grpc.method)) return null;
  const headers = firstOfEachName(m.headers ?? [], true);
  if (!headers.every((h) => valueMatches(h, req.headers.get(h.name.toLowerCase())))) return null;
  return { path: null, method: null, headers: headerList(headers), queryParams: [], grpc: m.method ? { type, service, method } : null };
}

const PATH_RANK: Record<string, number> = { Exact: 0, PathPrefix: 1, RegularExpression: 2 };

function routeOrder(r: RouteRef): [string, string] {
  return [r.obj.metadata.creationTimestamp ?? '', `${nsOf(r.obj)}/${r.obj.metadata.name}`];
}

/** Every (route, rule, match) that matches the request, for one route. */
function routeMatches(a: AttachedRoute, req: GatewayRequest): RuleMatch[] {
  const hostname = a.hostnames.filter((h) => hostnameMatches(h, req.host)).sort((x, y) => {
    const [xe, xc] = hostnameSpecificity(x);
    const [ye, yc] = hostnameSpecificity(y);
    return ye - xe || yc - xc;
  })[0];
  if (hostname === undefined) return [];
  const [exactChars, chars] = hostnameSpecificity(hostname);
  const [created, name] = routeOrder(a.route);
  const out: RuleMatch[] = [];
  const rules = a.route.obj.spec?.rules ?? [];
  rules.forEach((rule, ruleIndex) => {
    if (a.route.kind === 'HTTPRoute') {
      const matches: HTTPRouteMatch[] = (rule.matches as HTTPRouteMatch[] | null | undefined)?.length ? (rule.matches as HTTPRouteMatch[]) : [{}];
      matches.forEach((m, matchIndex) => {
        const hop = httpMatch(m, req);
        if (!hop) return;
        const p = hop.path!;
        out.push({
          route: a.route, hostname, ruleIndex, matchIndex, match: hop,
          key: [-exactChars, -chars, PATH_RANK[p.type] ?? 3, -p.value.length, hop.method ? 0 : 1, -hop.headers.length, -hop.queryParams.length, created, name, ruleIndex, matchIndex],
        });
      });
    } else {
      const matches: GRPCRouteMatch[] = (rule.matches as GRPCRouteMatch[] | null | undefined)?.length ? (rule.matches as GRPCRouteMatch[]) : [{}];
      matches.forEach((m, matchIndex) => {
        const hop = grpcMatch(m, req);
        if (!hop) return;
        out.push({
          route: a.route, hostname, ruleIndex, matchIndex, match: hop,
          key: [-exactChars, -chars, -(hop.grpc?.service?.length ?? 0), -(hop.grpc?.method?.length ?? 0), -hop.headers.length, created, name, ruleIndex, matchIndex],
        });
      });
    }
  });
  return out;
}

export function compareKeys(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return a.length - b.length;
}

/** The matching rules of the attached routes, best first (an empty list: no rule matches). */
export function matchingRules(routes: readonly AttachedRoute[], req: GatewayRequest): RuleMatch[] {
  const byKind = (kind: string) => routes.filter((r) => r.route.kind === kind).flatMap((r) => routeMatches(r, req)).sort((x, y) => compareKeys(x.key, y.key));
  if (req.grpc) {
    const grpc = byKind('GRPCRoute');
    if (grpc.length > 0) return grpc;
  }
  return byKind('HTTPRoute');
}

/** Whether any of the attached routes serves the request's host (whatever the path). */
export function routesForHost(routes: readonly AttachedRoute[], host: string): AttachedRoute[] {
  return routes.filter((r) => r.hostnames.some((h) => hostnameMatches(h, host)));
}

