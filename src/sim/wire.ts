/**
 * wire: how the simulator writes JSON to clients — compact JSON with `Content-Type: application/json`,
 * errors as Status objects, and a per-object serialization cache (stored objects are immutable, so each
 * is stringified at most once however many lists and watches send it).
 */
import type { ServerResponse } from 'node:http';
import { ApiError } from './ApiError.js';

const jsonCache = new WeakMap<object, string>();

export function objectJson(obj: object): string {
  let s = jsonCache.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    jsonCache.set(obj, s);
  }
  return s;
}

export function sendJson(res: ServerResponse, code: number, body: string | object, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  const headers: Record<string, string> = {};
  if (e.details?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(e.details.retryAfterSeconds);
  if (!res.headersSent) sendJson(res, e.code, e.toStatus(), headers);
  else res.end();
}
