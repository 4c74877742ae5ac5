/**
 * Replays every recorded Grafana request body (test/fixtures/grafana: what the simPod JSON datasource
 * POSTs on a Grafana 11+/12 dashboard) against the running service over HTTP, and checks the answers
 * have the shapes the plugin and Grafana accept and the values the recorded history implies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hm, post, startGrafanaServer, type GrafanaTestServer } from './grafanaStory.js';
import { expectAnnotationTable, expectTable, expectTimeseries, seriesByTarget, valueAt } from './shapes.js';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/grafana');
const fixture = (name: string): any => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

let s: GrafanaTestServer;
beforeAll(async () => {
  s = await startGrafanaServer();
});
afterAll(async () => {
  await s?.close();
});

const ENDPOINT: Record<string, string> = {
  'query-timeseries.json': '/query',
  'query-builder-adhoc.json': '/query',
  'query-annotations.json': '/query',
  'metrics.json': '/metrics',
  'metric-payload-options.json': '/metric-payload-options',
  'variable.json': '/variable',
  'tag-keys.json': '/tag-keys',
  'tag-values.json': '/tag-values',
};

describe('Grafana fixtures', () => {
  it('every fixture file has a replay case', () => {
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(ENDPOINT).sort());
  });

  it('query-timeseries: ready and not ready endpoints per Service port, on the 20 s grid, Endpoints not counted twice', async () => {
    const body = fixture('query-timeseries.json');
    const r = await post(`${s.url}/grafana${ENDPOINT['query-timeseries.json']}`, body);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(Array.isArray(r.body)).toBe(true);
    for (const el of r.body) expectTimeseries(el, { from: Date.parse(body.range.from), to: Date.parse(body.range.to), stepMs: body.intervalMs, maxDataPoints: body.maxDataPoints });
    const by = seriesByTarget(r.body);
    expect(Object.keys(by).sort()).toEqual(['checkout:http not ready', 'checkout:http ready', 'checkout:metrics not ready', 'checkout:metrics ready']);
    expect(by['checkout:http ready']!.refId).toBe('A');
    expect(by['checkout:http not ready']!.refId).toBe('B');
    expect(by['checkout:http ready']!.tags).toEqual({ namespace: 'prod', service: 'checkout', port: 'http', state: 'ready' });
    const ready = by['checkout:http ready']!, notReady = by['checkout:http not ready']!;
    const cases: [string, number, number, number][] = [
      ['before any change', hm(2), 3, 0],
      ['bucket where 10.1.0.2 turns not ready', hm(3, 0, 0), 2, 1],
      ['bucket where it is ready again (worst value shows)', hm(3, 0, 20), 2, 1],
      ['after it recovered', hm(3, 0, 40), 3, 0],
      ['new endpoint added not ready', hm(4, 0, 0), 3, 1],
      ['old endpoint terminating', hm(4, 0, 20), 2, 1],
      ['rollout done', hm(4, 0, 40), 3, 0],
      ['last bucket (up to the range end)', hm(6, 59, 40), 3, 0],
    ];
    for (const [name, t, r1, nr] of cases) {
      expect([name, valueAt(ready, t)]).toEqual([name, r1]);
      expect([name, valueAt(notReady, t)]).toEqual([name, nr]);
    }
    expect(valueAt(by['checkout:metrics ready']!, hm(2))).toBe(3);
  });

  it('query-builder-adhoc: builder payload with string values, (a|b) services, conditions, limit and a zone filter', async () => {
    const body = fixture('query-builder-adhoc.json');
    const r = await post(`${s.url}/grafana/query`, body);
    expect(r.status).toBe(200);
    for (const el of r.body) expectTimeseries(el, { from: Date.parse(body.range.from), to: Date.parse(body.range.to), stepMs: body.intervalMs, maxDataPoints: body.maxDataPoints });
    const by = seriesByTarget(r.body);
    expect(Object.keys(by).sort()).toEqual(['checkout:http ready', 'checkout:metrics ready', 'payments:http ready']);
    const http = by['checkout:http ready']!;
    // zone eu-west-1a holds 10.1.0.1 and 10.1.0.3, later 10.1.0.4; 10.1.0.2 (eu-west-1b) never counts.
    expect(valueAt(http, hm(2))).toBe(2);
    expect(valueAt(http, hm(3, 0, 0))).toBe(2);
    expect(valueAt(http, hm(4, 0, 20))).toBe(1);
    expect(valueAt(http, hm(4, 0, 40))).toBe(2);
    // payments' endpoints are all in eu-west-1b: the series exists and is 0.
    expect(by['payments:http ready']!.datapoints.every(([v]: [number]) => v === 0)).toBe(true);
  });

  it('query-annotations: endpoint_changes as a table Grafana turns into annotation events (refId Anno)', async () => {
    const body = fixture('query-annotations.json');
    const r = await post(`${s.url}/grafana/query`, body);
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(1);
    const t = r.body[0];
    expectAnnotationTable(t);
    expect(t.refId).toBe('Anno');
    const col = (name: string) => t.columns.findIndex((c: any) => c.text === name);
    const all = t.rows.map((row: any[]) => ({ time: row[col('time')], timeEnd: row[col('timeEnd')], text: row[col('text')], tags: row[col('tags')] as string }));
    // The watch gap is a region (time → timeEnd).
    expect(all.filter((x: any) => x.tags.includes('change:watch_gap')).map((x: any) => [x.time, x.timeEnd])).toEqual([[hm(6), hm(6, 1)]]);
    const rows = all.filter((x: any) => !x.tags.includes('change:watch_gap'));
    const storyTimes = new Set([hm(3, 0, 0), hm(3, 0, 30), hm(4, 0, 0), hm(4, 0, 20), hm(4, 0, 40)]);
    for (const row of rows) {
      expect(storyTimes.has(row.time)).toBe(true);
      expect(row.tags.split(',')).toEqual(expect.arrayContaining(['namespace:prod', 'service:checkout']));
    }
    const of = (type: string, ip: string) => rows.filter((x: any) => x.tags.includes(`change:${type}`) && x.text.includes(ip));
    // One event per endpoint port (http and metrics).
    expect(of('endpoint_not_ready', '10.1.0.2:8080').map((x: any) => x.time)).toEqual([hm(3)]);
    expect(of('endpoint_ready', '10.1.0.2:8080').map((x: any) => x.time)).toEqual([hm(3, 0, 30)]);
    expect(of('endpoint_added', '10.1.0.4:8080').map((x: any) => x.time)).toEqual([hm(4)]);
    expect(of('endpoint_terminating', '10.1.0.1:8080').map((x: any) => x.time)).toEqual([hm(4, 0, 20)]);
    expect(of('endpoint_removed', '10.1.0.1:9090').map((x: any) => x.time)).toEqual([hm(4, 0, 40)]);
    // payments changed at 05:00 but is not asked for.
    expect(rows.some((x: any) => x.tags.includes('service:payments'))).toBe(false);
    expect(all.map((x: any) => x.time)).toEqual([...all.map((x: any) => x.time)].sort((a, b) => a - b));
    // Two ports (http, metrics) × (not ready, ready, added, terminating, removed, 10.1.0.4 ready).
    expect(rows).toHaveLength(12);
  });

  it('annotations follow the ad hoc zone filter like the series', async () => {
    const body = { ...fixture('query-annotations.json'), filters: [{ key: 'zone', operator: '=', value: 'eu-west-1b' }] };
    const r = await post(`${s.url}/grafana/query`, body);
    const t = r.body[0];
    const col = (name: string) => t.columns.findIndex((c: any) => c.text === name);
    const endpoints = t.rows.filter((row: any[]) => !row[col('tags')].includes('watch_gap'));
    // Only 10.1.0.2 is in eu-west-1b: its dip, on both ports.
    expect(endpoints.map((row: any[]) => [row[col('time')], row[col('title')]])).toEqual([
      [hm(3), 'Endpoint not ready'], [hm(3), 'Endpoint not ready'], [hm(3, 0, 30), 'Endpoint ready'], [hm(3, 0, 30), 'Endpoint ready'],
    ]);
  });

  it('metrics: MetricConfig[] the query builder accepts, every metric listed', async () => {
    const r = await post(`${s.url}/grafana/metrics`, fixture('metrics.json'));
    expect(r.status).toBe(200);
    expect(r.body.map((m: any) => m.value)).toEqual(['ready_endpoints', 'not_ready_endpoints', 'terminating_endpoints', 'endpoints', 'endpoint_changes', 'route']);
    for (const m of r.body) {
      expect(typeof m.label).toBe('string');
      for (const p of m.payloads) {
        expect(typeof p.name).toBe('string');
        if (p.type !== undefined) expect(['input', 'select', 'multi-select', 'textarea']).toContain(p.type);
        for (const o of p.options ?? []) expect(typeof o.value).toBe('string');
      }
    }
    const code = await post(`${s.url}/grafana/metrics`, {});
    expect(code.body).toEqual(r.body);
  });

  it('metric-payload-options: services of the namespace in the payload', async () => {
    const r = await post(`${s.url}/grafana/metric-payload-options`, fixture('metric-payload-options.json'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual([{ label: 'checkout', value: 'checkout' }, { label: 'payments', value: 'payments' }]);
  });

  it('variable: services during the range as __text/__value', async () => {
    const r = await post(`${s.url}/grafana/variable`, fixture('variable.json'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual(['checkout', 'legacy-db', 'payments'].map((v) => ({ __text: v, __value: v })));
  });

  it('tag-keys: the ad hoc filter keys', async () => {
    const r = await post(`${s.url}/grafana/tag-keys`, fixture('tag-keys.json'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual(['namespace', 'service', 'zone', 'node'].map((text) => ({ type: 'string', text })));
  });

  it('tag-values: zones of the endpoints during the range (a filter on a key routetrace lacks only narrows nothing)', async () => {
    const r = await post(`${s.url}/grafana/tag-values`, fixture('tag-values.json'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual([{ text: 'eu-west-1a' }, { text: 'eu-west-1b' }, { text: 'eu-west-1c' }]);
  });
});

describe('tables', () => {
  it('endpoints: a table at the range end, through the resolver', async () => {
    const body = { ...fixture('query-timeseries.json'), targets: [{ refId: 'T', target: 'endpoints', payload: { namespace: 'prod', service: 'checkout', port: '80' } }] };
    const r = await post(`${s.url}/grafana/query`, body);
    expect(r.status).toBe(200);
    const t = r.body[0];
    expectTable(t);
    expect(t.refId).toBe('T');
    const col = (n: string) => t.columns.findIndex((c: any) => c.text === n);
    for (const n of ['address', 'port', 'conditions', 'node', 'pod']) expect(col(n)).toBeGreaterThanOrEqual(0);
    expect(t.rows.map((row: any[]) => `${row[col('address')]}:${row[col('endpointPort')]}`).sort()).toEqual(['10.1.0.2:8080', '10.1.0.3:8080', '10.1.0.4:8080']);
    const four = t.rows.find((row: any[]) => row[col('address')] === '10.1.0.4');
    expect([four[col('conditions')], four[col('node')], four[col('pod')]]).toEqual(['ready,serving', 'node-c', 'checkout-4']);
  });

  it('endpoints at an earlier range end show that instant', async () => {
    const body = { range: { from: new Date(hm(3)).toISOString(), to: new Date(hm(4, 0, 30)).toISOString() }, targets: [{ refId: 'T', target: 'endpoints', payload: '{"namespace":"prod","service":"checkout","port":"http","conditions":"terminating"}' }] };
    const r = await post(`${s.url}/grafana/query`, body);
    expect(r.status).toBe(200);
    const t = r.body[0];
    const col = (n: string) => t.columns.findIndex((c: any) => c.text === n);
    expect(t.rows.map((row: any[]) => row[col('address')])).toEqual(['10.1.0.1']);
  });

  it('route: the resolved route of a host at the range end', async () => {
    const body = { ...fixture('query-timeseries.json'), targets: [{ refId: 'R', target: 'route', payload: { host: 'shop.example.com', port: '80', path: '/cart' } }] };
    const r = await post(`${s.url}/grafana/query`, body);
    expect(r.status).toBe(200);
    const t = r.body[0];
    expectTable(t);
    const col = (n: string) => t.columns.findIndex((c: any) => c.text === n);
    expect(t.rows.map((row: any[]) => row[col('address')]).sort()).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4']);
    for (const row of t.rows) {
      expect([row[col('verdict')], row[col('ingress')], row[col('service')], row[col('servicePort')]]).toEqual(['forwarded', 'prod/shop', 'prod/checkout', 80]);
    }
  });

  it('route before the rollout lists the old endpoint', async () => {
    const body = { range: { from: new Date(hm(1)).toISOString(), to: new Date(hm(2)).toISOString() }, targets: [{ refId: 'R', target: 'route', payload: { host: 'shop.example.com' } }] };
    const r = await post(`${s.url}/grafana/query`, body);
    const t = r.body[0];
    const col = (n: string) => t.columns.findIndex((c: any) => c.text === n);
    expect(t.rows.map((row: any[]) => row[col('address')]).sort()).toEqual(['10.1.0.1', '10.1.0.2', '10.1.0.3']);
  });
});
