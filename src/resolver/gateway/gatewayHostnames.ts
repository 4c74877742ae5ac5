/**
 * gatewayHostnames: Gateway API hostname rules (gateway-api apis/v1: Listener.Hostname, HTTPRouteSpec.Hostnames,
 * GRPCRouteSpec.Hostnames). Pure.
 *  - A hostname prefixed with "*." is a suffix match: "*.example.com" matches "a.example.com" and
 *    "a.b.example.com", not "example.com". Comparison ignores case.
 *  - A route attaches to a listener only if their hostnames intersect (a route without hostnames takes the
 *    listener's; a listener without hostname takes the route's); a request then matches a route hostname.
 *  - Specificity (listener isolation, GEP-1713, and route precedence): an exact hostname beats any wildcard,
 *    a longer wildcard beats a shorter one, and no hostname comes last.
 */

/** Whether a hostname pattern (exact or "*.suffix"; null: any) matches a request host (lower case, no port). */
export function hostnameMatches(pattern: string | null | undefined, host: string): boolean {
  if (pattern === null || pattern === undefined || pattern === '') return true;
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
  return p === host;
}

/** Whether two hostname patterns intersect (some host matches both), and the narrower of the two. */
export function intersectHostnames(a: string | null, b: string | null): string | null | false {
  if (a === null) return b;
  if (b === null) return a;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return x;
  const xw = x.startsWith('*.');
  const yw = y.startsWith('*.');
  if (!xw && !yw) return false;
  if (xw && !yw) return hostnameMatches(x, y) ? y : false;
  if (!xw && yw) return hostnameMatches(y, x) ? x : false;
  // Both wildcards: the longer suffix, when it ends with the shorter one.
  if (x.endsWith(y.slice(1))) return x;
  if (y.endsWith(x.slice(1))) return y;
  return false;
}

/** Specificity rank of a hostname pattern: higher wins. Exact > wildcard (longer first) > none. */
export function hostnameSpecificity(pattern: string | null): [exactChars: number, chars: number] {
  if (pattern === null || pattern === '') return [0, 0];
  if (pattern.startsWith('*.')) return [0, pattern.length];
  return [pattern.length, pattern.length];
}

/** Compares two hostname patterns by specificity (negative: a is more specific). */
export function compareSpecificity(a: string | null, b: string | null): number {
  const [ae, ac] = hostnameSpecificity(a);
  const [be, bc] = hostnameSpecificity(b);
  return be - ae || bc - ac;
}
