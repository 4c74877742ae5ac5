/**
 * inputs: checks of the arguments every read use case takes, shared by GraphQL, REST and the CLI.
 * Each check throws QueryError with a stable code and a one-line message naming the argument.
 */
import { isIP } from 'node:net';
import type { Snapshot } from '../model/objects.js';
import { parseTime, TimeParseError } from '../time/parseTime.js';
import { QueryError } from './QueryError.js';

const HOST = /^[A-Za-z0-9*_.:\[\]-]+$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkHost(host: string): string {
  const h = host.trim();
  if (h === '') throw new QueryError('INVALID_HOST', 'host: empty');
  if (h.length > 260 || !HOST.test(h)) throw new QueryError('INVALID_HOST', `host: '${h.slice(0, 80)}' is not a host name, IP address or DNS name`);
  return h;
}

export function checkPort(port: number | undefined | null, arg = 'port'): number | undefined {
  if (port === undefined || port === null) return undefined;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new QueryError('INVALID_PORT', `${arg}: ${port} is outside 1..65535`);
  return port;
}

/** A Service port: number 1..65535 (also as a digit string) or an IANA-style port name. */
export function checkServicePort(port: number | string | undefined | null, arg = 'port'): number | string | undefined {
  if (port === undefined || port === null) return undefined;
  if (typeof port === 'number') return checkPort(port, arg);
  const s = port.trim();
  if (/^\d+$/.test(s)) return checkPort(Number(s), arg);
  if (s.length > 63 || !PORT_NAME.test(s)) throw new QueryError('INVALID_PORT', `${arg}: '${s.slice(0, 80)}' is neither a port number (1..65535) nor a port name`);
  return s;
}

export function checkPath(path: string | undefined | null): string | undefined {
  if (path === undefined || path === null) return undefined;
  if (!path.startsWith('/')) throw new QueryError('BAD_USER_INPUT', `path: '${path.slice(0, 80)}' must start with /`);
  if (path.length > 4096 || /[\s\u0000-\u001f\u007f]/.test(path)) throw new QueryError('BAD_USER_INPUT', 'path: contains whitespace or control characters, or is too long');
  return path;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Request headers for Gateway API header matches: HTTP token names, printable values, at most 64. */
export function checkHeaders(headers: Readonly<Record<string, string>> | undefined | null): Record<string, string> | undefined {
  if (headers === undefined || headers === null) return undefined;
  const entries = Object.entries(headers);
  if (entries.length > 64) throw new QueryError('BAD_USER_INPUT', `headers: ${entries.length} headers, at most 64`);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (name.length > 256 || !TOKEN.test(name)) throw new QueryError('BAD_USER_INPUT', `headers: '${name.slice(0, 80)}' is not a header name`);
    if (typeof value !== 'string' || value.length > 8192 || /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) throw new QueryError('BAD_USER_INPUT', `headers: the value of ${name} contains control characters or is too long`);
    out[name] = value.trim();
  }
  return out;
}

/** "Name: value" strings (REST, CLI) → a header map; a repeated name keeps its first value. */
export function parseHeaderLines(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) throw new QueryError('BAD_USER_INPUT', `header: '${line.slice(0, 80)}' is not "Name: value"`);
    const name = line.slice(0, i).trim();
    if (!(name in out)) out[name] = line.slice(i + 1).trim();
  }
  return out;
}

/** An HTTP method (a token), upper case. */
export function checkMethod(method: string | undefined | null): string | undefined {
  if (method === undefined || method === null) return undefined;
  const m = method.trim().toUpperCase();
  if (m.length === 0 || m.length > 32 || !TOKEN.test(m)) throw new QueryError('BAD_USER_INPUT', `method: '${method.slice(0, 40)}' is not an HTTP method`);
  return m;
}

/** A namespace or object name (DNS-1123 subdomain). */
export function checkName(value: string, arg: string): string {
  if (value.length === 0 || value.length > 253 || !DNS_NAME.test(value)) {
    throw new QueryError('BAD_USER_INPUT', `${arg}: '${value.slice(0, 80)}' is not a valid Kubernetes name`);
  }
  return value;
}

export function checkIP(ip: string): string {
  if (isIP(ip.trim()) === 0) throw new QueryError('BAD_USER_INPUT', `ip: '${ip.slice(0, 80)}' is not an IP address`);
  return ip.trim();
}

export function checkProtocol(protocol: string | undefined | null): string | undefined {
  if (protocol === undefined || protocol === null) return undefined;
  const p = protocol.toUpperCase();
  if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP') throw new QueryError('BAD_USER_INPUT', `protocol: '${protocol.slice(0, 20)}' is not TCP, UDP or SCTP`);
  return p;
}

/** A time argument (RFC 3339, epoch ms, relative) → Date; undefined stays undefined. */
export function checkTime(value: string | number | Date | undefined | null, arg: string, now: number): Date | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new QueryError('INVALID_TIME', `${arg}: not a valid time`);
    return value;
  }
  try {
    return parseTime(value, now);
  } catch (e) {
    if (e instanceof TimeParseError) throw new QueryError('INVALID_TIME', `${arg}: ${e.message}`);
    throw e;
  }
}

const namespacesCache = new WeakMap<Snapshot, ReadonlySet<string>>();

/** Every namespace that holds at least one object in the snapshot. */
export function namespacesOf(snap: Snapshot): ReadonlySet<string> {
  let set = namespacesCache.get(snap);
  if (!set) {
    const s = new Set<string>();
    for (const list of [snap.services, snap.endpoints, snap.endpointSlices, snap.pods, snap.ingresses]) {
      for (const o of list) if (o.metadata.namespace) s.add(o.metadata.namespace);
    }
    namespacesCache.set(snap, (set = s));
  }
  return set;
}

export function unknownNamespace(namespace: string, at: Date | undefined): QueryError {
  return new QueryError('NOT_FOUND', `namespace '${namespace}' is unknown${at ? ` at ${at.toISOString()}` : ''} (no object lives in it)`);
}
