/**
 * The provisioned dashboards (grafana/dashboards) against the running service: every variable query,
 * panel target and annotation target, interpolated as Grafana would (simPod builder mode: regex format;
 * Infinity: the URL with ${__from}/${__to} in epoch ms), answers 200 with data of the expected shape.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, hm, post, startGrafanaServer, type GrafanaTestServer } from './grafanaStory.js';
import { expectAnnotationTable, expectTable, expectTimeseries } from './shapes.js';

const ROOT = path.join(import.meta.dirname, '../../../grafana');
const dashboard = (name: string): any => JSON.parse(readFileSync(path.join(ROOT, 'dashboards', name), 'utf8'));

let s: GrafanaTestServer;
beforeAll(async () => {
  s = await startGrafanaServer();
});
afterAll(async () => {
  await s?.close();
});

const range = { from: new Date(hm(1)).toISOString(), to: new Date(hm(7)).toISOString() };

/** Grafana's regex format: values escaped, several as (a|b). */
const REGEX_VARS: Record<string, string> = { namespace: 'prod', service: '(checkout|payments)', host: 'shop\\.example\\.com', path: '\\/' };
const interpolateRegex = (v: unknown): unknown =>
  typeof v === 'string' ? v.replace(/\$(\w+)/g, (m, name: string) => REGEX_VARS[name] ?? m) : v;

describe('provisioning files', () => {
  it('datasources name both plugins with the uids the dashboards use', () => {
    const ds = parse(readFileSync(path.join(ROOT, 'provisioning/datasources/routetrace.yaml'), 'utf8'));
    expect(ds.datasources.map((d: any) => [d.type, d.uid])).toEqual([['simpod-json-datasource', 'routetrace'], ['yesoreyeram-infinity-datasource', 'routetrace-infinity']]);
    expect(ds.datasources[0].url).toMatch(/\/grafana$/);
  });
});

describe('simPod dashboard', () => {
  const d = dashboard('routetrace-endpoints.json');

  it('variables answer', async () => {
    const vars = d.templating.list.filter((v: any) => v.type === 'query');
    expect(vars.map((v: any) => v.name)).toEqual(['namespace', 'service', 'host']);
    const want: Record<string, string[]> = { namespace: ['prod', 'staging'], service: ['checkout', 'payments'], host: ['shop.example.com'] };
    for (const v of vars) {
      const r = await post(`${s.url}/grafana/variable`, { payload: { target: interpolateRegex(v.query.query) }, range });
      expect([v.name, r.status]).toEqual([v.name, 200]);
      expect(r.body.map((x: any) => x.__value)).toEqual(want[v.name]);
    }
  });

  it('every panel target answers with the shape its panel needs', async () => {
    for (const panel of d.panels) {
      const targets = panel.targets.map((t: any) => ({ ...t, payload: Object.fromEntries(Object.entries(t.payload).map(([k, v]) => [k, interpolateRegex(v)])) }));
      const r = await post(`${s.url}/grafana/query`, { range, intervalMs: 20_000, maxDataPoints: 1000, targets });
      expect([panel.title, r.status]).toEqual([panel.title, 200]);
      expect(r.body.length).toBeGreaterThan(0);
      for (const el of r.body) {
        if (panel.type === 'timeseries') expectTimeseries(el);
        else expectTable(el);
        if (panel.type === 'table') expect(el.rows.length).toBeGreaterThan(0);
      }
    }
  });

  it('the annotation target gives annotation rows', async () => {
    const a = d.annotations.list.find((x: any) => x.name === 'Endpoint changes');
    const t = { ...a.target, payload: Object.fromEntries(Object.entries(a.target.payload).map(([k, v]) => [k, interpolateRegex(v)])) };
    const r = await post(`${s.url}/grafana/query`, { range, requestId: 'AQ1', targets: [t] });
    expect(r.status).toBe(200);
    expectAnnotationTable(r.body[0]);
    expect(r.body[0].refId).toBe('Anno');
  });
});

describe('Infinity dashboard', () => {
  const d = dashboard('routetrace-endpoints-infinity.json');
  const INF_VARS: Record<string, string> = {
    '${__from}': String(hm(1)), '${__to}': String(hm(7)), '${service:csv}': 'checkout,payments', '$namespace': 'prod',
    '$host': 'shop.example.com', '$path': '/', '$__interval_ms': '20000',
  };
  const url = (u: string) => Object.entries(INF_VARS).reduce((acc, [k, v]) => acc.split(k).join(encodeURIComponent(v)), u);

  const targets = (): [string, any][] => [
    ...d.templating.list.filter((v: any) => v.type === 'query').map((v: any) => [`variable ${v.name}`, v.query.infinityQuery]),
    ...d.panels.flatMap((p: any) => p.targets.map((t: any) => [`panel ${p.title}`, t])),
    ...d.annotations.list.filter((a: any) => a.target).map((a: any) => [`annotation ${a.name}`, a.target]),
  ];

  it('every query URL answers a non-empty flat array with the columns the query selects', async () => {
    const all = targets();
    expect(all.length).toBe(6);
    for (const [name, t] of all) {
      expect(url(t.url)).not.toMatch(/\$/);
      const r = await get(`${s.url}${url(t.url)}`);
      expect([name, r.status]).toEqual([name, 200]);
      expect(Array.isArray(r.body)).toBe(true);
      expect([name, r.body.length > 0]).toEqual([name, true]);
      for (const row of r.body) {
        for (const c of t.columns) expect([name, c.selector, c.selector in row]).toEqual([name, c.selector, true]);
        for (const c of t.columns) if (c.type === 'timestamp_epoch') expect(Number.isInteger(row[c.selector])).toBe(true);
      }
    }
  });
});
