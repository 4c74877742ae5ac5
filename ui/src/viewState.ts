/**
 * viewState: what the page shows, as it appears in a shareable URL
 * (`/ui?host=shop.example.com&port=443&path=/api&at=2026-11-26T09:26:36.000Z&from=-1h`, or
 * `/ui?service=default/web&port=80`). No `at` means now (following live changes). Pure: no DOM.
 */
export interface ViewState {
  readonly host?: string;
  readonly port?: string;
  readonly path?: string;
  /** namespace/name */
  readonly service?: string;
  /** RFC 3339; absent = now */
  readonly at?: string;
  /** Start of the time window (relative like -1h, or RFC 3339). */
  readonly from: string;
}

export const DEFAULT_FROM = '-1h';

export function parseViewState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const get = (k: string): string | undefined => {
    const v = p.get(k)?.trim();
    return v ? v : undefined;
  };
  const at = get('at');
  const atMs = at === undefined ? NaN : /^\d+$/.test(at) ? Number(at) : Date.parse(at);
  return {
    ...(get('host') !== undefined ? { host: get('host')! } : {}),
    ...(get('port') !== undefined ? { port: get('port')! } : {}),
    ...(get('path') !== undefined ? { path: get('path')! } : {}),
    ...(get('service') !== undefined && get('host') === undefined ? { service: get('service')! } : {}),
    ...(Number.isFinite(atMs) ? { at: new Date(atMs).toISOString() } : {}),
    from: get('from') ?? DEFAULT_FROM,
  };
}

export function viewSearch(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.host) p.set('host', s.host);
  if (s.service && !s.host) p.set('service', s.service);
  if (s.port) p.set('port', s.port);
  if (s.path) p.set('path', s.path);
  if (s.from !== DEFAULT_FROM) p.set('from', s.from);
  if (s.at) p.set('at', s.at);
  const q = p.toString();
  return q ? `?${q}` : '';
}

/** "ns/name" → parts, or undefined when malformed. */
export function serviceRef(s: string): { namespace: string; name: string } | undefined {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(s.trim());
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}

/** A port field: a number when it is one, else the text (a Service port name). */
export function portValue(s: string | undefined): number | string | undefined {
  if (s === undefined || s === '') return undefined;
  return /^\d+$/.test(s) ? Number(s) : s;
}

/** A relative window start ("-15m", "-2h", "-1d") or an instant → epoch ms, relative to `now`. */
export function windowStart(from: string, now: number): number {
  const m = /^-(\d+)([smhd])$/.exec(from);
  if (m) return now - Number(m[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(from);
  return Number.isFinite(t) ? t : now - 36e5;
}
