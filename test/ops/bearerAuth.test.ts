/**
 * Bearer-token access control over real HTTP: who gets 401 (with what body and challenge), which paths
 * stay open, and that the token comparison accepts exactly the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, bearerToken, tokenMatches } from '../../src/ops/bearerAuth.js';
import { filterServer } from './filterServer.js';

const TOKEN = 'test-token-0123456789abcdef';
let server: Awaited<ReturnType<typeof filterServer>>;

beforeAll(async () => {
  server = await filterServer([bearerAuth(TOKEN)]);
});
afterAll(() => server.close());

const cases: [name: string, path: string, headers: Record<string, string>, status: number, challenge?: RegExp][] = [
  ['an API request without a token', '/api/v1/routes', {}, 401, /^Bearer realm="routetrace"$/],
  ['a GraphQL request without a token', '/graphql', {}, 401, /^Bearer/],
  ['a Grafana request without a token', '/grafana/search', {}, 401, /^Bearer/],
  ['an unknown path without a token (routes are not revealed)', '/nope', {}, 401, /^Bearer/],
  ['a wrong token', '/api/v1/routes', { authorization: 'Bearer wrong-token-0123456789abcdef' }, 401, /error="invalid_token"/],
  ['the token with a suffix', '/api/v1/routes', { authorization: `Bearer ${TOKEN}x` }, 401, /invalid_token/],
  ['a prefix of the token', '/api/v1/routes', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, 401, /invalid_token/],
  ['the token under another scheme', '/api/v1/routes', { authorization: `Basic ${TOKEN}` }, 401, /^Bearer realm/],
  ['the right token', '/api/v1/routes', { authorization: `Bearer ${TOKEN}` }, 200],
  ['the right token, scheme in lower case', '/graphql', { authorization: `bearer ${TOKEN}` }, 200],
  ['/healthz without a token', '/healthz', {}, 200],
  ['/readyz without a token', '/readyz', {}, 200],
  ['/metrics without a token', '/metrics', {}, 200],
  ['/healthz with a wrong token', '/healthz', { authorization: 'Bearer wrong' }, 200],
  ['the route viewer page without a token', '/ui', {}, 200],
  ['a route viewer bundle without a token', '/ui/assets/index-abc.js', {}, 200],
  ['a path that only starts like /ui', '/uix', {}, 401, /^Bearer/],
];

describe('bearerAuth', () => {
  for (const [name, path, headers, status, challenge] of cases) {
    it(`${name}: ${status}`, async () => {
      const r = await fetch(server.url + path, { headers });
      expect(r.status).toBe(status);
      const body = (await r.json()) as { error?: { code: string; message: string }; path?: string };
      if (status === 401) {
        expect(r.headers.get('content-type')).toMatch(/^application\/json/);
        expect(body.error?.code).toBe('UNAUTHENTICATED');
        expect(r.headers.get('www-authenticate')).toMatch(challenge!);
        expect(JSON.stringify(body)).not.toContain(TOKEN);
      } else {
        expect(body.path).toBe(path);
      }
    });
  }

  it('answers a POST without a token 401 without reading its body into the route', async () => {
    const r = await fetch(server.url + '/graphql', { method: 'POST', body: JSON.stringify({ query: '{ __typename }' }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(401);
  });

  it('refuses an empty token at construction', () => expect(() => bearerAuth('')).toThrow(/empty/));

  const headerCases: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ['Bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer  abc ', 'abc'],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['Token abc', undefined],
  ];
  for (const [header, token] of headerCases) it(`reads the token of ${JSON.stringify(header)} as ${JSON.stringify(token)}`, () => expect(bearerToken(header)).toBe(token));

  const compare: [string, string, boolean][] = [
    ['same', 'same', true],
    ['same', 'samE', false],
    ['', 'x', false],
    ['a-much-longer-presented-value', 'short', false],
  ];
  for (const [a, b, eq] of compare) it(`tokenMatches(${a}, ${b}) is ${eq}`, () => expect(tokenMatches(a, b)).toBe(eq));
});
