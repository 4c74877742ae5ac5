/**
 * grafanaRequest: the parts of the simPod JSON datasource's request bodies routetrace reads, checked.
 *
 *  - timeRange: `range` (/query, /variable) or `timeRange` (tag keys/values): {from, to} as ISO-8601 or epoch
 *    ms; absent: the last 6 hours (what the plugin's legacy variable path assumes). `rangeRaw` is ignored.
 *  - queryTargets: `targets` minus hidden ones (hide: true) and placeholders (target undefined, null or
 *    ""); each with its refId, metric names (the target may be a multi-value variable in regex form,
 *    "(ready_endpoints|not_ready_endpoints)"), and payload as an object: an object (builder mode, values are
 *    strings), a JSON string (code mode; older plugins send "" for empty), the legacy key `data`, or absent.
 *  - intervalMs / maxDataPoints: positive numbers or absent.
 * Unknown fields are ignored. A malformed value is a RequestError BAD_REQUEST with a message naming it.
 */
import { RequestError } from '../errors.js';
import { nameSelector } from './nameSelector.js';

export const DEFAULT_SPAN_MS = 6 * 3_600_000;
export const MAX_TARGETS = 100;

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

export interface QueryTarget {
  readonly refId: string;
  readonly metrics: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function instant(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    if (/^\d{1,15}$/.test(v)) return Number(v);
    const t = Date.parse(v);
    if (/^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(t)) return t;
  }
  throw new RequestError('BAD_REQUEST', `${what}: expected an ISO-8601 time or epoch milliseconds, got ${JSON.stringify(v)?.slice(0, 60)}`);
}

export function timeRange(body: Record<string, unknown>, now: number, field: 'range' | 'timeRange' = 'range'): TimeRange {
  const r = body[field];
  if (r === undefined || r === null) return { from: new Date(now - DEFAULT_SPAN_MS), to: new Date(now) };
  if (!isObject(r)) throw new RequestError('BAD_REQUEST', `${field}: expected {from, to}`);
  const from = instant(r['from'], `${field}.from`);
  const to = instant(r['to'], `${field}.to`);
  if (from > to) throw new RequestError('BAD_REQUEST', `${field}: from is after to`);
  return { from: new Date(from), to: new Date(to) };
}

export function positiveNumber(body: Record<string, unknown>, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new RequestError('BAD_REQUEST', `${field}: expected a positive number`);
  return n;
}

/** A target's payload as an object; "" and whitespace are {}. */
export function payloadObject(v: unknown, refId: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string') {
    if (v.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new RequestError('BAD_REQUEST', `target ${refId}: payload is not valid JSON`);
    }
    if (!isObject(parsed)) throw new RequestError('BAD_REQUEST', `target ${refId}: payload must be a JSON object`);
    return parsed;
  }
  if (!isObject(v)) throw new RequestError('BAD_REQUEST', `target ${refId}: payload must be an object or a JSON string`);
  return v;
}

export function queryTargets(body: Record<string, unknown>): QueryTarget[] {
  const raw = body['targets'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new RequestError('BAD_REQUEST', 'targets: expected an array');
  if (raw.length > MAX_TARGETS) throw new RequestError('BAD_REQUEST', `targets: at most ${MAX_TARGETS} per request`);
  const out: QueryTarget[] = [];
  raw.forEach((t, i) => {
    if (!isObject(t)) throw new RequestError('BAD_REQUEST', `targets[${i}]: expected an object`);
    if (t['hide'] === true) return;
    const refId = t['refId'] === undefined ? String.fromCharCode(65 + (i % 26)) : t['refId'];
    if (typeof refId !== 'string') throw new RequestError('BAD_REQUEST', `targets[${i}].refId: expected a string`);
    const target = t['target'];
    if (target === undefined || target === null || target === '') return;
    if (typeof target !== 'string') throw new RequestError('BAD_REQUEST', `target ${refId}: target must be a metric name`);
    const metrics = nameSelector(target, `target ${refId}`).names;
    if (metrics === null) throw new RequestError('BAD_REQUEST', `target ${refId}: '${target.slice(0, 60)}' does not name a metric`);
    out.push({ refId, metrics, payload: payloadObject(t['payload'] !== undefined ? t['payload'] : t['data'], refId) });
  });
  return out;
}
