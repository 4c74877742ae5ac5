/**
 * CORS over real HTTP: off by default (no headers, preflight not answered), configured origins get the
 * headers and their preflights answered (before access control), other origins get nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bearerAuth } from '../../src/ops/bearerAuth.js';
import { corsFilter, invalidOrigin } from '../../src/ops/corsFilter.js';
import type { RequestFilter } from '../../src/http/Route.js';
import { filterServer } from './filterServer.js';

let server: Awaited<ReturnType<typeof filterServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(origins: string[], auth = false): Promise<string> {
  const filters: RequestFilter[] = [];
  const cors = corsFilter(origins);
  if (cors) filters.push(cors);
  if (auth) filters.push(bearerAuth('cors-test-token-0123456789'));
  server = await filterServer(filters);
  return server.url;
}

const preflight = (origin: string) => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
});

describe('corsFilter', () => {
  it('is off without origins: no filter, so no CORS headers and no preflight answer', async () => {
    expect(corsFilter([])).toBeUndefined();
    const url = await serve([]);
    const r = await fetch(`${url}/api/v1/routes`, { headers: { origin: 'https://grafana.example.com' } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows a configured origin on simple requests, with Vary: Origin', async () => {
    const url = await serve(['https://grafana.example.com', 'http://localhost:3000']);
    const r = await fetch(`${url}/graphql`, { headers: { origin: 'http://localhost:3000' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(r.headers.get('vary')).toBe('Origin');
  });

  it('sends no CORS headers to an origin that is not configured', async () => {
    const url = await serve(['https://grafana.example.com']);
    const r = await fetch(`${url}/graphql`, { headers: { origin: 'https://evil.example.net' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers the preflight of a configured origin 204 before access control', async () => {
    const url = await serve(['https://grafana.example.com'], true);
    const r = await fetch(`${url}/graphql`, preflight('https://grafana.example.com'));
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://grafana.example.com');
    expect(r.headers.get('access-control-allow-methods')).toContain('POST');
    expect(r.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    // the actual request still needs the token
    expect((await fetch(`${url}/graphql`, { headers: { origin: 'https://grafana.example.com' } })).status).toBe(401);
  });

  it('answers the preflight of another origin 403', async () => {
    const url = await serve(['https://grafana.example.com']);
    const r = await fetch(`${url}/graphql`, preflight('https://evil.example.net'));
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("allows any origin with '*'", async () => {
    const url = await serve(['*']);
    const r = await fetch(`${url}/api/v1/routes`, { headers: { origin: 'https://anything.example.org' } });
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
  });

  const origins: [string, boolean][] = [
    ['https://grafana.example.com', true],
    ['http://localhost:3000', true],
    ['*', true],
    ['https://grafana.example.com/', false],
    ['https://grafana.example.com/path', false],
    ['grafana.example.com', false],
    ['ftp://example.com', false],
  ];
  for (const [o, ok] of origins) it(`${ok ? 'accepts' : 'rejects'} the configured origin ${o}`, () => expect(invalidOrigin(o) === undefined).toBe(ok));
});
