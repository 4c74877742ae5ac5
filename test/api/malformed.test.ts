/**
 * 1,000 generated malformed or hostile requests to /graphql and /api/v1 (seeded, so every run sends the
 * same ones) on 127.0.0.1: none may answer 5xx, and the server still answers a good query afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const WEIRD = ['', ' ', '-1', '0', '65536', '1e3', '0x50', 'NaN', 'null', '%00', '../../etc/passwd', '<script>', '\u202e', "'; DROP TABLE x;--", 'a'.repeat(5000), '☃', '9'.repeat(40), '-15x', '2026-02-30T00:00:00Z', 'now', '{}', '[]', '"', '\\', 'a/b/c', '/'];
const FIELDS = ['route', 'routeToService', 'service', 'services', 'endpoints', 'ingresses', 'pod', 'reverse', 'timeline', 'routeDiff', 'history', 'nope', '__schema', '__type'];
const ARGS = ['host', 'port', 'path', 'at', 'from', 'to', 'first', 'after', 'namespace', 'name', 'ip', 'pod', 'service', 'kind', 'filter', 'bogus'];
const REST = ['route', 'reverse', 'timeline', 'routeDiff', 'openapi.json', 'nope', '', '../graphql'];

function generate(n: number, rand: () => number): Req[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const value = (): string => (rand() < 0.5 ? pick(WEIRD) : String(Math.floor(rand() * 1e6) - 5e5));
  const gqlValue = (): string => pick([JSON.stringify(value()), String(Math.floor(rand() * 1e12) - 1), 'true', 'null', '[1,2]', '{a: 1}', '$v', '1.5', 'ENUM']);
  const out: Req[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.45) {
      // GraphQL documents: random fields, args and selections, some broken on purpose
      const field = pick(FIELDS);
      const args = Array.from({ length: Math.floor(rand() * 4) }, () => `${pick(ARGS)}: ${gqlValue()}`).join(', ');
      const sel = pick(['{ backends }', '{ nope }', '', '{ edges { node { type } } }', '{ __typename }', '{ name routes { backends } }', '{ {', '{ ...F }']);
      let query = `{ ${field}${args ? `(${args})` : ''} ${sel} }`;
      if (rand() < 0.15) query = query.slice(0, Math.floor(rand() * query.length));
      const variables = rand() < 0.3 ? pick(['{"v": "x"}', '[]', '"str"', '{"v": {"a": [1]}}', 'null']) : '{}';
      const body = rand() < 0.1 ? pick(['{', 'not json', '[]', '"q"', '{"query": 1}', '{"query": null}', '{"variables": {}}', '{"query": "{ route(host: \\"a\\") { backends } }", "operationName": 5}']) : `{"query": ${JSON.stringify(query)}, "variables": ${variables}}`;
      out.push({ method: 'POST', path: '/graphql', headers: { 'content-type': pick(['application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', '']) }, body });
    } else if (r < 0.55) {
      const q = encodeURIComponent(pick(['{ route(host: "x") { backends } }', '{', 'mutation { x }', '{ services { totalCount } }']));
      out.push({ method: pick(['GET', 'GET', 'PUT', 'DELETE', 'PATCH']), path: `/graphql?query=${q}${rand() < 0.3 ? `&variables=${encodeURIComponent(value())}` : ''}`, headers: rand() < 0.5 ? { 'apollo-require-preflight': 'true' } : {} });
    } else {
      const endpoint = pick(REST);
      const params = Array.from({ length: Math.floor(rand() * 5) }, () => `${encodeURIComponent(pick(ARGS))}=${encodeURIComponent(value())}`);
      if (rand() < 0.1) params.push('%zz=%');
      out.push({ method: pick(['GET', 'GET', 'GET', 'POST', 'HEAD', 'OPTIONS']), path: `/api/v1/${endpoint}${params.length ? `?${params.join('&')}` : ''}`, ...(rand() < 0.1 ? { body: 'x'.repeat(100) } : {}) });
    }
  }
  return out;
}

describe('malformed requests', () => {
  it('1,000 generated malformed GraphQL and REST requests: no 5xx', async () => {
    const requests = generate(1000, prng(20261126));
    const statuses = new Map<number, number>();
    const fivexx: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const req = requests[next++]!;
        const r = await fetch(`${s.url}${req.path}`, { method: req.method, headers: req.headers ?? {}, ...(req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD' ? { body: req.body } : {}) });
        const text = await r.text();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500 || (!req.path.includes('openapi.json') && text.includes('"INTERNAL_SERVER_ERROR"'))) fivexx.push(`${req.method} ${req.path.slice(0, 200)} ${(req.body ?? '').slice(0, 200)} → ${r.status} ${text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(fivexx).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    // the mix really exercised client errors, not only successes
    expect((statuses.get(400) ?? 0) + (statuses.get(404) ?? 0) + (statuses.get(405) ?? 0)).toBeGreaterThan(300);
    const ok = await fetch(`${s.url}/api/v1/route?host=shop.example.com`);
    expect(ok.status).toBe(200);
  });
});
