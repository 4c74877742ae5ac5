/**
 * The Gateway API canary, end to end: `serve` in-process (real client-node informers, the real history)
 * against the simulator's canary scenario (src/sim/scenarios/canary.yaml, steps applied on demand). Before
 * the canary, http://shop.example.com/checkout goes through Gateway shop/shop-gateway, listener http,
 * HTTPRoute shop/checkout rule 0 to checkout-v1 only; the scenario's step then splits it 90/10 with
 * checkout-v2. Read only over HTTP (GraphQL, REST, Grafana), as a user would:
 *  - route now: listener, route rule, both backends with weights 90/10 and shares, all three Pods;
 *  - route at an instant before the canary started (from history): checkout-v1 only, weight 1, share 1;
 *  - the timelines of checkout-v1 and of the host list the HTTPRoute edit (GATEWAY_ROUTE_CHANGED);
 *  - the Grafana route table names the Gateway, listener, rule and weights.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConfig } from '../../src/config.js';
import { productionDependencies, ServeRuntime } from '../../src/main.js';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { silentLogger } from '../../src/watch/Logger.js';
import { waitFor } from '../watch/waitFor.js';
import { getJson, gql } from './helpers.js';

let dir: string;
let sim: SimHandle;
let rt: ServeRuntime;
let url: string;
let beforeCanary: Date;

const V1 = ['10.244.50.11:8080', '10.244.50.12:8080'];
const V2 = ['10.244.50.21:8080'];
const ROUTE = `query($at: DateTime) {
  route(host: "shop.example.com", path: "/checkout/cart", at: $at) {
    at verdict backends
    gateway {
      namespace name gatewayClass
      listener { name port protocol hostname }
      route { kind namespace name hostname }
      rule { index match { path { type value } } }
      backends { name port weight share status backends }
    }
    service { namespace name }
    findings { code }
  }
}`;

const stored = async (at: number) => (await getJson(`${url}/api/v1/route?host=shop.example.com&path=/checkout&at=${at}`)).body;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rt-gw-canary-'));
  sim = await startSim({ scenario: 'canary', steps: 'manual', seed: 3 });
  rt = await ServeRuntime.start(serveConfig({ server: sim.url, db: join(dir, 'h.db'), listen: '127.0.0.1:0', cluster: 'canary' }, {}), {
    ...productionDependencies(silentLogger),
    informer: { backoffBaseMs: 100, backoffMaxMs: 1_000 },
    flushIntervalMs: 200,
  });
  url = rt.url;
  await waitFor(() => rt.readiness().ready, { what: 'serve ready', describe: () => rt.readiness() });
  // The stored history holds the route before the canary (all to v1), then the canary starts.
  await waitFor(async () => JSON.stringify((await stored(Date.now())).backends) === JSON.stringify(V1), { what: 'the pre-canary route in history' });
  beforeCanary = new Date();
  await new Promise((r) => setTimeout(r, 50));
  sim.nextStep();
  await waitFor(async () => (await stored(Date.now())).backends?.length === 3, { what: 'the canary in history' });
}, 120_000);

afterAll(async () => {
  await rt?.stop('test end');
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a 90/10 canary through an HTTPRoute', () => {
  it('now: the listener and route rule that matched, both backends with their weights and shares', async () => {
    const r = await gql(url, ROUTE);
    expect(r.body.errors).toBeUndefined();
    const a = r.body.data.route;
    expect(a.verdict).toBe('forwarded');
    expect(a.backends).toEqual([...V1, ...V2].sort());
    expect(a.gateway).toMatchObject({
      namespace: 'shop', name: 'shop-gateway', gatewayClass: 'sim',
      listener: { name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' },
      route: { kind: 'HTTPRoute', namespace: 'shop', name: 'checkout', hostname: 'shop.example.com' },
      rule: { index: 0, match: { path: { type: 'PathPrefix', value: '/checkout' } } },
    });
    expect(a.gateway.backends).toEqual([
      { name: 'checkout-v1', port: 80, weight: 90, share: 0.9, status: 'resolved', backends: V1 },
      { name: 'checkout-v2', port: 80, weight: 10, share: 0.1, status: 'resolved', backends: V2 },
    ]);
    expect(a.findings.map((f: { code: string }) => f.code)).toContain('GATEWAY_WEIGHTED_BACKENDS');
  });

  it('at an instant before the canary started: checkout-v1 only', async () => {
    const r = await gql(url, ROUTE, { at: beforeCanary.toISOString() });
    expect(r.body.errors).toBeUndefined();
    const a = r.body.data.route;
    expect(a.at).toBe(beforeCanary.toISOString());
    expect(a.backends).toEqual(V1);
    expect(a.gateway.backends).toEqual([{ name: 'checkout-v1', port: 80, weight: 1, share: 1, status: 'resolved', backends: V1 }]);
    expect(a.gateway.listener.name).toBe('http');
    expect(a.service).toEqual({ namespace: 'shop', name: 'checkout-v1' });
  });

  it('the same answers over REST (the resolve --json shape), before and now', async () => {
    const before = await getJson(`${url}/api/v1/route?host=shop.example.com&path=/checkout&at=${beforeCanary.getTime()}`);
    const now = await getJson(`${url}/api/v1/route?host=shop.example.com&path=/checkout`);
    expect(before.body.gateway.backends.map((b: { name: string; weight: number }) => `${b.name} ${b.weight}`)).toEqual(['checkout-v1 1']);
    expect(now.body.gateway.backends.map((b: { name: string; weight: number }) => `${b.name} ${b.weight}`)).toEqual(['checkout-v1 90', 'checkout-v2 10']);
  });

  it('the timelines of checkout-v1 and of the host list the HTTPRoute edit', async () => {
    const from = beforeCanary.getTime() - 60_000;
    const svc = await getJson(`${url}/api/v1/timeline?service=shop/checkout-v1&from=${from}&to=${Date.now()}&first=500`);
    expect(svc.status).toBe(200);
    const edits = (svc.body.events as { type: string; observedTime: string; before: string[]; after: string[] }[]).filter((e) => e.type === 'GATEWAY_ROUTE_CHANGED');
    const canary = edits.find((e) => Date.parse(e.observedTime) > beforeCanary.getTime());
    expect(canary, JSON.stringify(edits)).toBeDefined();
    expect(canary!.before.join()).toContain('weight 1/1');
    expect(canary!.after.join()).toContain('weight 90/100');
    const host = await getJson(`${url}/api/v1/timeline?host=shop.example.com&path=/checkout&from=${from}&to=${Date.now()}&first=500`);
    expect(host.status).toBe(200);
    expect(host.body.services.map((s: { name: string }) => s.name).sort()).toEqual(['checkout-v1', 'checkout-v2']);
    expect((host.body.events as { type: string }[]).some((e) => e.type === 'GATEWAY_ROUTE_CHANGED')).toBe(true);
  });

  it('the Grafana route table names the Gateway, listener, rule and weights', async () => {
    const r = await getJson(`${url}/grafana/infinity/route?host=shop.example.com&path=/checkout`);
    expect(r.status).toBe(200);
    expect(r.body[0]).toMatchObject({
      gateway: 'shop/shop-gateway',
      listener: 'http (HTTP 80 shop.example.com)',
      gatewayRoute: 'HTTPRoute shop/checkout',
      gatewayRule: '0 PathPrefix /checkout',
      weights: 'shop/checkout-v1:80 90% | shop/checkout-v2:80 10%',
    });
  });

  it('headers and method are part of the question', async () => {
    const r = await gql(url, `{ route(host: "shop.example.com", path: "/checkout", method: "DELETE", headers: [{ name: "x-canary", value: "yes" }]) { verdict gateway { rule { index } } question { method headers } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.route.verdict).toBe('forwarded');
    expect(r.body.data.route.question).toEqual({ method: 'DELETE', headers: { 'x-canary': 'yes' } });
  });
});
