/**
 * GraphQL subscriptions over WebSocket (graphql-ws) on the real HTTP server, with a real WebSocket client
 * (graphql-ws's client over `ws`): first answer at once, the next one when the live state changes, errors
 * with stable codes, the bearer token and the Origin check, and a stalled client that gets the latest
 * answer without the server buffering a backlog for it.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Registry } from 'prom-client';
import { registerSubscriptionMetrics } from '../../src/ops/subscriptionMetrics.js';
import { silentLogger } from '../../src/watch/Logger.js';
import { parsePromText } from '../ops/promText.js';
import { at, ckaSlice, mySlice, type Ep } from '../queries/fixtures.js';
import { waitFor } from '../watch/waitFor.js';
import { gql, startTestServer, type TestServer } from './helpers.js';

const TOKEN = 'subscription-token-0123456789';

interface Received {
  readonly data: unknown[];
  readonly errors: unknown[];
  completed: boolean;
}

function wsUrl(http: string): string {
  return `${http.replace(/^http/, 'ws')}/graphql`;
}

function client(url: string, extra: { connectionParams?: Record<string, unknown>; headers?: Record<string, string>; onClosed?: (code: number) => void } = {}): Client {
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: extra.headers ?? {} });
    }
  }
  return createClient({
    url,
    webSocketImpl: HeaderWebSocket,
    retryAttempts: 0,
    lazy: false,
    ...(extra.connectionParams ? { connectionParams: extra.connectionParams } : {}),
    on: { closed: (e) => extra.onClosed?.((e as { code: number }).code) },
    onNonLazyError: () => {},
  });
}

function subscribe(c: Client, query: string, variables: Record<string, unknown> = {}): Received {
  const r: Received = { data: [], errors: [], completed: false };
  c.subscribe(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) r.errors.push(...v.errors);
        if (v.data) r.data.push(v.data);
      },
      error: (e) => r.errors.push(...(Array.isArray(e) ? e : [e])),
      complete: () => (r.completed = true),
    },
  );
  return r;
}

const ROUTE = 'subscription($host: String!) { routeChanged(host: $host, port: 80) { verdict backends } }';
const V2: Ep[] = [
  { ip: '10.0.2.1', pod: 'my-app-v2-a' },
  { ip: '10.0.2.2', pod: 'my-app-v2-b' },
  { ip: '10.0.2.3', pod: 'my-app-v2-c' },
];

describe('GraphQL subscriptions (no token)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(silentLogger, undefined, { feedIntervalMs: 10 });
  });
  afterAll(() => server.close());

  it('routeChanged sends the route now, then again when the live state changes it', async () => {
    const c = client(wsUrl(server.url));
    const r = subscribe(c, ROUTE, { host: 'shop.example.com' });
    await waitFor(() => r.data.length === 1, { what: 'the first answer', describe: () => JSON.stringify(r) });
    expect(r.data[0]).toEqual({ routeChanged: { verdict: 'forwarded', backends: ['10.0.2.1:8080', '10.0.2.2:8080', '10.0.2.3:8080'] } });

    server.live.event('EndpointSlice', 'MODIFIED', mySlice('900', [V2[0]!, { ...V2[1]!, ready: false }, V2[2]!]), at(100));
    await waitFor(() => r.data.length === 2, { what: 'the changed answer', describe: () => JSON.stringify(r) });
    expect(r.data[1]).toEqual({ routeChanged: { verdict: 'forwarded', backends: ['10.0.2.1:8080', '10.0.2.3:8080'] } });

    // A change elsewhere (another Service) does not resend an equal answer.
    const version = server.live.version;
    server.live.event('EndpointSlice', 'DELETED', ckaSlice('901'), at(101));
    expect(server.live.version).toBe(version + 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.data).toHaveLength(2);
    expect(r.errors).toEqual([]);
    await c.dispose();
    await waitFor(() => server.api.subscriptions.stats().active === 0, { what: 'the stream to end with the connection' });
  });

  it('endpointsChanged follows the endpoints of a Service port', async () => {
    const c = client(wsUrl(server.url));
    const r = subscribe(c, 'subscription { endpointsChanged(service: {namespace: "default", name: "my-app-service"}, port: 80) { address conditions { ready } } }');
    await waitFor(() => r.data.length === 1, { what: 'the first answer', describe: () => JSON.stringify(r) });
    server.live.event('EndpointSlice', 'MODIFIED', mySlice('902', V2), at(102));
    await waitFor(() => r.data.length === 2, { what: 'the changed answer', describe: () => JSON.stringify(r) });
    const ready = (d: unknown) => (d as { endpointsChanged: { address: string; conditions: { ready: boolean } }[] }).endpointsChanged.map((e) => `${e.address}:${e.conditions.ready}`);
    expect(ready(r.data[0])).toEqual(['10.0.2.1:true', '10.0.2.2:false', '10.0.2.3:true']);
    expect(ready(r.data[1])).toEqual(['10.0.2.1:true', '10.0.2.2:true', '10.0.2.3:true']);
    await c.dispose();
  });

  const errorCases: [name: string, query: string, code: string][] = [
    ['a malformed host', 'subscription { routeChanged(host: "exa mple..com") { verdict } }', 'INVALID_HOST'],
    ['an unknown field', 'subscription { routeChanged(host: "a.example") { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a query sent over the socket', '{ services { totalCount } }', 'BAD_REQUEST'],
    ['a syntax error', 'subscription {', 'GRAPHQL_PARSE_FAILED'],
  ];
  for (const [name, query, code] of errorCases) {
    it(`answers ${name} with ${code}`, async () => {
      const c = client(wsUrl(server.url));
      const r = subscribe(c, query);
      await waitFor(() => r.errors.length > 0, { what: 'an error', describe: () => JSON.stringify(r) });
      expect((r.errors[0] as { extensions?: { code?: string } }).extensions?.code).toBe(code);
      await c.dispose();
    });
  }

  it('counts connections, subscriptions and answers for /metrics', async () => {
    const registry = new Registry();
    registerSubscriptionMetrics(registry, () => server.api.subscriptions.stats());
    const sample = async (name: string) => parsePromText(await registry.metrics()).find((x) => x.name === name)?.value;
    const sentBefore = (await sample('routetrace_subscription_answers_sent_total'))!;
    const c = client(wsUrl(server.url));
    const r = subscribe(c, ROUTE, { host: 'shop.example.com' });
    await waitFor(() => r.data.length === 1, { what: 'the first answer' });
    expect(await sample('routetrace_subscription_connections')).toBe(1);
    expect(await sample('routetrace_subscriptions_active')).toBe(1);
    expect(await sample('routetrace_subscription_answers_sent_total')).toBe(sentBefore + 1);
    await c.dispose();
    await waitFor(async () => (await sample('routetrace_subscription_connections')) === 0, { what: 'the connection to close' });
    expect(await sample('routetrace_subscriptions_active')).toBe(0);
  });

  it('answers a subscription sent over HTTP 400 BAD_REQUEST', async () => {
    const r = await gql(server.url, ROUTE, { host: 'shop.example.com' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(r.body.errors[0].message).toMatch(/WebSocket/);
  });

  it('caps the subscriptions of one connection', async () => {
    const c = client(wsUrl(server.url));
    const all = Array.from({ length: 17 }, () => subscribe(c, ROUTE, { host: 'shop.example.com' }));
    await waitFor(() => all.every((r) => r.data.length > 0 || r.errors.length > 0), { what: 'every subscription to answer' });
    expect(all.filter((r) => r.errors.length > 0)).toHaveLength(1);
    expect((all[16]!.errors[0] as { message: string }).message).toMatch(/at most 16 subscriptions/);
    await c.dispose();
  });

  it('refuses an upgrade from a foreign Origin (403) and on another path (404)', async () => {
    const status = (url: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url, 'graphql-transport-ws', { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', reject);
      });
    const host = new URL(server.url).host;
    expect(await status(wsUrl(server.url), { origin: 'https://evil.example' })).toBe(403);
    expect(await status(wsUrl(server.url), { origin: `http://${host}` })).toBe(101);
    expect(await status(`${server.url.replace(/^http/, 'ws')}/api/v1`, {})).toBe(404);
  });
});

describe('GraphQL subscriptions with a bearer token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(silentLogger, undefined, { authToken: TOKEN, feedIntervalMs: 10 });
  });
  afterAll(() => server.close());

  const cases: [name: string, options: Parameters<typeof client>[1], accepted: boolean][] = [
    ['no token', {}, false],
    ['a wrong token in connection_init', { connectionParams: { authorization: 'Bearer wrong' } }, false],
    ['the token in connection_init', { connectionParams: { authorization: `Bearer ${TOKEN}` } }, true],
    ['the token in the upgrade request', { headers: { authorization: `Bearer ${TOKEN}` } }, true],
  ];
  for (const [name, options, accepted] of cases) {
    it(`${accepted ? 'accepts' : 'refuses'} ${name}`, async () => {
      let closedWith: number | undefined;
      const c = client(wsUrl(server.url), { ...options, onClosed: (code) => (closedWith = code) });
      const r = subscribe(c, ROUTE, { host: 'shop.example.com' });
      await waitFor(() => r.data.length > 0 || closedWith !== undefined, { what: 'an answer or a close' });
      if (accepted) expect(r.data).toHaveLength(1);
      else {
        expect(r.data).toHaveLength(0);
        expect(closedWith).toBe(4403);
      }
      await c.dispose();
    });
  }

  it('answers a wrong token in the upgrade request 401', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(wsUrl(server.url), 'graphql-transport-ws', { headers: { authorization: 'Bearer wrong' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', reject);
    });
    expect(status).toBe(401);
  });
});

describe('a client that stops reading', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(silentLogger, undefined, { feedIntervalMs: 5 });
  });
  afterAll(() => server.close());

  it('gets the latest answer later; the server keeps at most about one answer for it meanwhile', async () => {
    // 600 endpoints: each answer is about 190 KB, so the kernel buffers (a few MB) fill after a few dozen.
    const many = (n: number): Ep[] => Array.from({ length: 600 }, (_, i) => ({ ip: `10.1.${i >> 8}.${i & 255}`, pod: `p-${i}`, ready: i >= n }));
    server.live.event('EndpointSlice', 'MODIFIED', mySlice('1000', many(0)), at(200));

    const { hostname, port } = new URL(server.url);
    const downs: net.Socket[] = [];
    const ups: net.Socket[] = [];
    const proxy = net.createServer((down) => {
      const up = net.connect(Number(port), hostname);
      downs.push(down);
      ups.push(up);
      down.pipe(up);
      up.on('data', (d) => down.write(d));
      down.on('error', () => up.destroy());
      up.on('error', () => down.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

    const c = client(wsUrl(proxyUrl));
    const r = subscribe(c, 'subscription { routeChanged(host: "shop.example.com", port: 80) { backends raw } }');
    await waitFor(() => r.data.length === 1, { what: 'the first answer' });
    const size = JSON.stringify(r.data[0]).length;

    // Stall: stop reading from the server (its writes then back up into its kernel buffers, then into ws).
    for (const u of ups) u.pause();
    let maxBuffered = 0;
    const sampler = setInterval(() => (maxBuffered = Math.max(maxBuffered, server.api.subscriptions.stats().bufferedBytes)), 2);
    const changes = 200;
    for (let i = 1; i <= changes; i++) {
      server.live.event('EndpointSlice', 'MODIFIED', mySlice(String(1000 + i), many(i)), at(200 + i));
      await new Promise((resolve) => setTimeout(resolve, 8));
    }
    clearInterval(sampler);
    const stalled = server.api.subscriptions.stats();
    for (const u of ups) u.resume();

    const finalBackends = many(changes).filter((e) => e.ready !== false).length;
    await waitFor(() => (r.data.at(-1) as { routeChanged: { backends: string[] } }).routeChanged.backends.length === finalBackends, {
      what: 'the latest answer after resuming',
      describe: () => `${r.data.length} answers`,
    });
    expect(stalled.coalesced).toBeGreaterThan(0);
    expect(r.data.length).toBeLessThan(changes + 1);
    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(2 * size + 4096);
    await c.dispose();
    for (const d of downs) d.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  });
});
