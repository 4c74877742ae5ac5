/**
 * canonicalIP: parses an IPv4 or IPv6 literal and prints it the way kube-proxy does after parsing (E8):
 * IPv4 dotted decimal; IPv6 lower case with the longest run of zero groups (two or more, leftmost on a tie)
 * compressed to "::"; IPv4-mapped IPv6 (::ffff:a.b.c.d) printed as the IPv4 address. Returns null for
 * anything that is not an IP literal (leading zeros in IPv4 octets are rejected, as current parsers do).
 */

export type IPFamily = 'IPv4' | 'IPv6';

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string): number[] | null {
  const m = V4.exec(s);
  if (!m) return null;
  const out: number[] = [];
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    if (part.length > 1 && part.startsWith('0')) return null;
    const n = Number(part);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): number[] | null {
  if (s.length < 2 || s.length > 45) return null;
  let tailV4: number[] | null = null;
  let body = s;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) >= 0) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (!tailV4) return null;
    body = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]!);
  if (!head) return null;
  let groups: number[];
  if (halves.length === 2) {
    const tail = parse(halves[1]!);
    if (!tail) return null;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  if (tailV4) {
    groups[6] = tailV4[0]! * 256 + tailV4[1]!;
    groups[7] = tailV4[2]! * 256 + tailV4[3]!;
  }
  return groups;
}

function printV6(g: number[]): string {
  // IPv4-mapped: ::ffff:a.b.c.d → a.b.c.d (Go's net.IP.String does the same).
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an IP literal, or null. */
export function canonicalIP(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (s.includes(':')) {
    const g = parseV6(s);
    return g ? printV6(g) : null;
  }
  const v4 = parseV4(s);
  return v4 ? v4.join('.') : null;
}

/** Family of a canonical IP. */
export function ipFamily(canonical: string): IPFamily {
  return canonical.includes(':') ? 'IPv6' : 'IPv4';
}

/** "ip:port", with brackets around IPv6 addresses. */
export function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Sort key that orders IPv4 before IPv6 and numerically within a family. */
export function ipSortKey(canonical: string): string {
  if (!canonical.includes(':')) {
    const parts = canonical.split('.');
    if (parts.length !== 4) return `9${canonical}`;
    let key = '4';
    for (const x of parts) key += Number(x).toString(16).padStart(2, '0');
    return key;
  }
  const g = parseV6(canonical);
  return g ? `6${g.map((x) => x.toString(16).padStart(4, '0')).join('')}` : `9${canonical}`;
}

/** P8: addresses a hand-made endpoint must not use (loopback, link-local unicast, link-local multicast). */
export function isRestrictedEndpointIP(canonical: string): boolean {
  if (!canonical.includes(':')) {
    return canonical.startsWith('127.') || canonical.startsWith('169.254.') || canonical.startsWith('224.0.0.');
  }
  const g = parseV6(canonical);
  if (!g) return false;
  const loopback = g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
  const linkLocal = (g[0]! & 0xffc0) === 0xfe80;
  const linkLocalMulticast = (g[0]! & 0xff0f) === 0xff02;
  return loopback || linkLocal || linkLocalMulticast;
}
