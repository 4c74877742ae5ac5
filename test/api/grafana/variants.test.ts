/**
 * The request variants of the Grafana JSON datasource contract (hidden targets, empty and missing targets,
 * code-mode string payloads, legacy payload forms, multi-value variables, ad hoc filters, invalid input),
 * the health check, errors, and the Infinity endpoints, against the running service over HTTP.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, hm, post, startGrafanaServer, type GrafanaTestServer } from './grafanaStory.js';
import { expectTimeseries, seriesByTarget, valueAt } from './shapes.js';

const base = (): any => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/grafana/query-timeseries.json'), 'utf8'));

let s: GrafanaTestServer;
beforeAll(async () => {
  s = await startGrafanaServer();
});
afterAll(async () => {
  await s?.close();
});

const withTargets = (targets: unknown[], extra: Record<string, unknown> = {}) => ({ ...base(), targets, ...extra });
const ready = (refId: string, payload: unknown, more: Record<string, unknown> = {}) => ({ refId, target: 'ready_endpoints', payload, ...more });

describe('health', () => {
  for (const p of ['/grafana', '/grafana/']) {
    it(`GET ${p} answers exactly 200`, async () => {
      const r = await fetch(`${s.url}${p}`, { headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(200);
    });
  }
  it('an unknown path answers 404 with a message', async () => {
    const r = await post(`${s.url}/grafana/annotations`, {});
    expect(r.status).toBe(404);
    expect(typeof r.body.message).toBe('string');
  });
  it('GET on a POST endpoint answers 405 with a message', async () => {
    const r = await get(`${s.url}/grafana/query`);
    expect(r.status).toBe(405);
    expect(typeof r.body.message).toBe('string');
  });
});

describe('/query variants', () => {
  const cases: { name: string; body: unknown; targets: string[] }[] = [
    { name: 'no targets', body: withTargets([]), targets: [] },
    { name: 'targets missing', body: { range: base().range }, targets: [] },
    { name: 'hidden target skipped', body: withTargets([ready('A', { namespace: 'prod', service: 'checkout', port: 'http' }, { hide: true }), ready('B', { namespace: 'prod', service: 'payments' })]), targets: ['payments:http ready'] },
    { name: 'empty target skipped', body: withTargets([{ refId: 'A', target: '', payload: {} }]), targets: [] },
    { name: 'target without metric skipped', body: withTargets([{ refId: 'A', payload: {} }]), targets: [] },
    { name: 'code-mode string payload', body: withTargets([ready('A', '{"namespace": "prod", "service": "payments"}')]), targets: ['payments:http ready'] },
    { name: 'code-mode array from an unquoted multi-value variable', body: withTargets([ready('A', '{"namespace": "prod", "service": ["checkout", "payments"], "port": "http"}')]), targets: ['checkout:http ready', 'payments:http ready'] },
    { name: 'builder multi-value in regex form', body: withTargets([ready('A', { namespace: 'prod', service: '(checkout|payments)', port: '80' })]), targets: ['checkout:http ready', 'payments:http ready'] },
    { name: 'multi-value namespace (regex form) prefixes the namespace', body: withTargets([ready('A', { namespace: '(prod|staging)', service: 'checkout', port: 'http' })]), targets: ['prod/checkout:http ready', 'staging/checkout:http ready'] },
    { name: 'empty string payload (plugins <= 0.5) means every Service', body: withTargets([ready('A', '')]), targets: ['prod/checkout:http ready', 'prod/checkout:metrics ready', 'prod/payments:http ready', 'staging/checkout:http ready', 'staging/legacy-db:5432 ready'] },
    { name: 'legacy payload key data', body: withTargets([{ refId: 'A', target: 'ready_endpoints', data: { namespace: 'staging' } }]), targets: ['checkout:http ready', 'legacy-db:5432 ready'] },
    { name: 'a Service with only an Endpoints object (unnamed port)', body: withTargets([ready('A', { namespace: 'staging', service: 'legacy-db', port: 5432 })]), targets: ['legacy-db:5432 ready'] },
    { name: 'multi-value target in regex form', body: withTargets([{ refId: 'A', target: '(ready_endpoints|terminating_endpoints)', payload: { namespace: 'prod', service: 'payments' } }]), targets: ['payments:http ready', 'payments:http terminating'] },
    { name: 'All with a custom all value', body: withTargets([ready('A', { namespace: 'prod', service: '.*', port: 'http' })]), targets: ['checkout:http ready', 'payments:http ready'] },
    { name: 'ad hoc filter service != checkout', body: withTargets([ready('A', {})], { filters: [{ key: 'service', operator: '!=', value: 'checkout' }] }), targets: ['prod/payments:http ready', 'staging/legacy-db:5432 ready'] },
    { name: 'legacy adhocFilters', body: withTargets([ready('A', {})], { filters: undefined, adhocFilters: [{ key: 'namespace', operator: '=', value: 'staging' }] }), targets: ['checkout:http ready', 'legacy-db:5432 ready'] },
    { name: 'ad hoc multi-value =| on namespace', body: withTargets([ready('A', { service: 'checkout', port: 'http' })], { filters: [{ key: 'namespace', operator: '=|', value: 'prod', values: ['prod', 'staging'] }] }), targets: ['prod/checkout:http ready', 'staging/checkout:http ready'] },
    { name: 'ad hoc regex =~ on service', body: withTargets([ready('A', { namespace: 'prod' })], { filters: [{ key: 'service', operator: '=~', value: 'pay.*' }] }), targets: ['payments:http ready'] },
    { name: 'unknown names select nothing', body: withTargets([ready('A', { namespace: 'nowhere' })]), targets: [] },
    { name: 'leftover keys of other datasources are ignored', body: withTargets([{ ...ready('A', { namespace: 'staging', service: 'checkout' }), bucketAggs: [], timeField: '@timestamp', datasource: { type: 'x', uid: 'y' } }], { scopes: [], groupByKeys: [] }), targets: ['checkout:http ready'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await post(`${s.url}/grafana/query`, c.body);
      expect(r.status).toBe(200);
      expect(Array.isArray(r.body)).toBe(true);
      for (const el of r.body) expectTimeseries(el);
      expect(r.body.map((e: any) => e.target).sort()).toEqual([...c.targets].sort());
    });
  }

  it('ad hoc node filter counts only endpoints on that node', async () => {
    const r = await post(`${s.url}/grafana/query`, withTargets([ready('A', { namespace: 'prod', service: 'checkout', port: 'http' })], { filters: [{ key: 'node', operator: '=', value: 'node-a' }] }));
    const by = seriesByTarget(r.body);
    expect(valueAt(by['checkout:http ready'], hm(2))).toBe(2);
    expect(valueAt(by['checkout:http ready'], hm(5))).toBe(1);
  });

  it('reduce avg is the time-weighted mean of the bucket', async () => {
    const r = await post(`${s.url}/grafana/query`, withTargets([ready('A', { namespace: 'prod', service: 'checkout', port: 'http', reduce: 'avg' })], { intervalMs: 60_000 }));
    const by = seriesByTarget(r.body);
    // 03:00:00-03:00:30 two ready, 03:00:30-03:01:00 three ready.
    expect(valueAt(by['checkout:http ready'], hm(3))).toBe(2.5);
    expect(valueAt(by['checkout:http ready'], hm(2))).toBe(3);
  });

  it('maxDataPoints below range/intervalMs widens the step to a multiple of intervalMs', async () => {
    const r = await post(`${s.url}/grafana/query`, withTargets([ready('A', { namespace: 'prod', service: 'payments' })], { intervalMs: 20_000, maxDataPoints: 100 }));
    const el = r.body[0];
    expectTimeseries(el, { from: Date.parse(base().range.from), to: Date.parse(base().range.to), stepMs: 20_000, maxDataPoints: 100 });
    // 6 h / 100 points = 216 s, raised to the next multiple of 20 s.
    expect(el.datapoints[1][1] - el.datapoints[0][1]).toBe(220_000);
  });

  it('limit cuts the series and says so in a notice', async () => {
    const r = await post(`${s.url}/grafana/query`, withTargets([ready('A', { limit: '2' })]));
    expect(r.body).toHaveLength(2);
    expect(r.body[0].meta.notices[0].text).toMatch(/5 series match; showing the first 2/);
  });

  it('several targets answer in order, each element with its refId', async () => {
    const r = await post(`${s.url}/grafana/query`, withTargets([
      ready('X', { namespace: 'staging', service: 'checkout' }),
      { refId: 'Y', target: 'not_ready_endpoints', payload: { namespace: 'prod', service: 'payments' } },
    ]));
    expect(r.body.map((e: any) => [e.refId, e.target])).toEqual([['X', 'checkout:http ready'], ['Y', 'payments:http not ready']]);
    expect(valueAt(r.body[1], hm(4))).toBe(0);
    expect(valueAt(r.body[1], hm(5))).toBe(1);
  });

  const invalid: { name: string; body: unknown; message: RegExp }[] = [
    { name: 'body is not JSON', body: '{"targets": [', message: /not valid JSON/ },
    { name: 'body is an array', body: '[]', message: /JSON object/ },
    { name: 'targets is not an array', body: { targets: { refId: 'A' } }, message: /targets/ },
    { name: 'payload string is not JSON', body: withTargets([ready('A', '{"namespace": prod}')]), message: /payload is not valid JSON/ },
    { name: 'payload is a number', body: withTargets([ready('A', 42)]), message: /payload must be/ },
    { name: 'payload JSON is an array', body: withTargets([ready('A', '["prod"]')]), message: /JSON object/ },
    { name: 'misspelt payload field', body: withTargets([ready('A', { nmespace: 'prod' })]), message: /'nmespace' is not known/ },
    { name: 'namespace is a number', body: withTargets([ready('A', { namespace: 7 })]), message: /namespace/ },
    { name: 'service is an arbitrary regex', body: withTargets([ready('A', { service: 'check[a-z]+' })]), message: /not a name/ },
    { name: 'port out of range', body: withTargets([ready('A', { port: '70000' })]), message: /port/ },
    { name: 'limit not a number', body: withTargets([ready('A', { limit: 'many' })]), message: /limit/ },
    { name: 'unknown reduce', body: withTargets([ready('A', { reduce: 'median' })]), message: /reduce/ },
    { name: 'unknown condition', body: withTargets([ready('A', { conditions: ['healthy'] })]), message: /conditions/ },
    { name: 'unknown metric', body: withTargets([{ refId: 'A', target: 'cpu_usage', payload: {} }]), message: /unknown metric 'cpu_usage'/ },
    { name: 'target is not a string', body: withTargets([{ refId: 'A', target: 5 }]), message: /metric name/ },
    { name: 'range.from not a time', body: withTargets([], { range: { from: 'yesterday', to: '2026-11-26T07:00:00.000Z' } }), message: /range.from/ },
    { name: 'range reversed', body: withTargets([], { range: { from: '2026-11-26T07:00:00.000Z', to: '2026-11-26T01:00:00.000Z' } }), message: /after/ },
    { name: 'intervalMs negative', body: withTargets([], { intervalMs: -5 }), message: /intervalMs/ },
    { name: 'ad hoc key routetrace does not know', body: withTargets([ready('A', {})], { filters: [{ key: 'zone_pool', operator: '=', value: 'x' }] }), message: /zone_pool/ },
    { name: 'ad hoc operator < unsupported', body: withTargets([ready('A', {})], { filters: [{ key: 'service', operator: '<', value: 'x' }] }), message: /operator '<'/ },
    { name: 'ad hoc regex invalid', body: withTargets([ready('A', {})], { filters: [{ key: 'service', operator: '=~', value: '(' }] }), message: /regular expression/ },
    { name: 'route without host', body: withTargets([{ refId: 'R', target: 'route', payload: {} }]), message: /host/ },
    { name: 'route with a bad host', body: withTargets([{ refId: 'R', target: 'route', payload: { host: 'a b' } }]), message: /host/ },
  ];
  for (const c of invalid) {
    it(`400 with a message: ${c.name}`, async () => {
      const r = await post(`${s.url}/grafana/query`, c.body);
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(c.message);
    });
  }
});

describe('variables and pickers', () => {
  const range = base().range;
  const cases: { name: string; payload: unknown; values: string[] }[] = [
    { name: 'namespaces', payload: { target: 'namespaces' }, values: ['prod', 'staging'] },
    { name: 'services of a namespace (string mode, interpolated)', payload: { target: 'services(staging)' }, values: ['checkout', 'legacy-db'] },
    { name: 'services of a multi-value namespace', payload: { target: 'services((prod|staging))' }, values: ['checkout', 'legacy-db', 'payments'] },
    { name: 'services with namespace in JSON mode', payload: { target: 'services', namespace: 'prod' }, values: ['checkout', 'payments'] },
    { name: 'hosts', payload: { target: 'hosts' }, values: ['shop.example.com'] },
    { name: 'hosts of a namespace without Ingress', payload: { target: 'hosts(staging)' }, values: [] },
    { name: 'nodes', payload: { target: 'nodes' }, values: ['node-a', 'node-b', 'node-c', 'node-s'] },
  ];
  for (const c of cases) {
    it(`/variable ${c.name}`, async () => {
      const r = await post(`${s.url}/grafana/variable`, { payload: c.payload, range });
      expect(r.status).toBe(200);
      expect(r.body).toEqual(c.values.map((v) => ({ __text: v, __value: v })));
    });
  }
  it('/variable before a Service existed lists nothing', async () => {
    const r = await post(`${s.url}/grafana/variable`, { payload: { target: 'namespaces' }, range: { from: '2026-11-25T01:00:00.000Z', to: '2026-11-25T02:00:00.000Z' } });
    expect(r.body).toEqual([]);
  });
  it('/variable with an empty target (a bare-string legacy query) is a 400 with a message', async () => {
    const r = await post(`${s.url}/grafana/variable`, { payload: { target: '' }, range });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/target is required/);
  });
  it('/tag-values for service narrowed by a namespace filter', async () => {
    const r = await post(`${s.url}/grafana/tag-values`, { key: 'service', filters: [{ key: 'namespace', operator: '=', value: 'staging' }], timeRange: range });
    expect(r.body).toEqual([{ text: 'checkout' }, { text: 'legacy-db' }]);
  });
  it('/tag-values older Grafana body {key}', async () => {
    const r = await post(`${s.url}/grafana/tag-values`, { key: 'namespace' });
    expect(r.body).toEqual([{ text: 'prod' }, { text: 'staging' }]);
  });
  it('/tag-values for an unknown key is a 400', async () => {
    const r = await post(`${s.url}/grafana/tag-values`, { key: 'zone_pool' });
    expect(r.status).toBe(400);
  });
  it('/metric-payload-options for ports and a field without options', async () => {
    const ports = await post(`${s.url}/grafana/metric-payload-options`, { metric: 'ready_endpoints', payload: { namespace: 'prod', service: 'checkout' }, name: 'port' });
    expect(ports.body).toEqual([{ label: 'http', value: 'http' }, { label: 'metrics', value: 'metrics' }]);
    const bad = await post(`${s.url}/grafana/metric-payload-options`, { metric: 'ready_endpoints', payload: {}, name: 'limit' });
    expect(bad.status).toBe(400);
  });
  it('/search (SimpleJson) lists the metric names', async () => {
    const r = await post(`${s.url}/grafana/search`, { target: '' });
    expect(r.body).toContain('ready_endpoints');
  });
});

describe('Infinity endpoints (flat arrays, epoch ms)', () => {
  const from = hm(2), to = hm(6);
  it('endpoint-series: one row per bucket and Service port with the three counts', async () => {
    const r = await get(`${s.url}/grafana/infinity/endpoint-series?namespace=prod&service=checkout&port=http&from=${from}&to=${to}&stepMs=20000`);
    expect(r.status).toBe(200);
    const rows = r.body as any[];
    expect(rows.length).toBe((to - from) / 20_000);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['namespace', 'notReady', 'port', 'ready', 'service', 'terminating', 'time']);
    const atT = (t: number) => rows.find((x) => x.time === t);
    expect(atT(hm(4, 0, 20))).toEqual({ time: hm(4, 0, 20), namespace: 'prod', service: 'checkout', port: 'http', ready: 2, notReady: 1, terminating: 1 });
  });
  it('endpoint-series with glob multi-value services', async () => {
    const r = await get(`${s.url}/grafana/infinity/endpoint-series?namespace=prod&service={checkout,payments}&port=http&from=${from}&to=${to}&maxDataPoints=10`);
    expect(new Set(r.body.map((x: any) => x.service))).toEqual(new Set(['checkout', 'payments']));
    expect(r.body.length).toBeLessThanOrEqual(20);
  });
  it('endpoint-changes: annotation rows', async () => {
    const r = await get(`${s.url}/grafana/infinity/endpoint-changes?namespace=prod&service=payments&from=${from}&to=${to}`);
    expect(r.body.map((x: any) => [x.time, x.type])).toEqual([[hm(5), 'ENDPOINT_NOT_READY'], [hm(6), 'WATCH_GAP']]);
    expect(r.body[0].tags).toBe('namespace:prod,service:payments,change:endpoint_not_ready,node:node-b,zone:eu-west-1b');
  });
  it('endpoints at an instant', async () => {
    const r = await get(`${s.url}/grafana/infinity/endpoints?namespace=prod&service=checkout&port=80&at=${hm(4, 0, 10)}`);
    expect(r.body.map((x: any) => `${x.address}:${x.conditions}`).sort()).toEqual(['10.1.0.1:ready,serving', '10.1.0.2:ready,serving', '10.1.0.3:ready,serving', '10.1.0.4:']);
  });
  it('route at an instant', async () => {
    const r = await get(`${s.url}/grafana/infinity/route?host=shop.example.com&at=${hm(1)}`);
    expect(r.body.map((x: any) => x.address).sort()).toEqual(['10.1.0.1', '10.1.0.2', '10.1.0.3']);
    expect(r.body[0].verdict).toBe('forwarded');
  });
  it('variables: services of a namespace', async () => {
    const r = await get(`${s.url}/grafana/infinity/services?namespace=staging&from=${from}&to=${to}`);
    expect(r.body).toEqual([{ __text: 'checkout', __value: 'checkout' }, { __text: 'legacy-db', __value: 'legacy-db' }]);
  });
  const bad: [string, string][] = [
    ['unknown parameter', '/grafana/infinity/endpoint-series?namepsace=prod'],
    ['bad time', '/grafana/infinity/endpoint-series?from=yesterday'],
    ['from after to', `/grafana/infinity/endpoint-changes?from=${to}&to=${from}`],
    ['route without host', '/grafana/infinity/route'],
  ];
  for (const [name, p] of bad) {
    it(`400 with a message: ${name}`, async () => {
      const r = await get(`${s.url}${p}`);
      expect(r.status).toBe(400);
      expect(typeof r.body.message).toBe('string');
    });
  }
});
