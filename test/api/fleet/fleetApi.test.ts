/**
 * One API over the fleet: three clusters in one real history file (written through the real
 * HistoryWriter), served by the real API modules over real HTTP with no watched cluster (as `routetrace
 * api` serves it). The cluster argument (default, ambiguous, unknown) on GraphQL, REST, Grafana and
 * Infinity; host questions per cluster; `clusters` with sync state and gaps; the Grafana cluster variable
 * and filter; a single-cluster history still answered without a cluster, unchanged.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../src/api/createApi.js';
import { openHistoryDatabase, type HistoryDatabase } from '../../../src/history/openHistoryDatabase.js';
import { HttpServer } from '../../../src/server.js';
import { silentLogger } from '../../../src/watch/Logger.js';
import { at, tempDir } from '../../queries/fixtures.js';
import { getJson, gql } from '../helpers.js';
import { CLUSTERS, HOST, writeFleetHistory, writeSoloHistory } from './fleetHistory.js';
import { KINDS } from '../../../src/model/objects.js';

interface Served {
  url: string;
  api: Api;
  database: HistoryDatabase;
  close(): Promise<void>;
}

async function serveFile(file: string): Promise<Served> {
  const database = await openHistoryDatabase({ file, readOnly: true });
  const api = createApi(silentLogger);
  api.attachHistory(database);
  const http = new HttpServer(api.routes, silentLogger);
  const { url } = await http.listen({ host: '127.0.0.1', port: 0 });
  return { url, api, database, async close() { await http.close(); await api.stop(); await database.close(); } };
}

const tmp = tempDir();
let fleet: Served;
let solo: Served;

beforeAll(async () => {
  await writeFleetHistory(path.join(tmp.dir, 'fleet.db'));
  await writeSoloHistory(path.join(tmp.dir, 'solo.db'));
  fleet = await serveFile(path.join(tmp.dir, 'fleet.db'));
  solo = await serveFile(path.join(tmp.dir, 'solo.db'));
});
afterAll(async () => {
  await fleet?.close();
  await solo?.close();
  tmp.remove();
});

const T30 = at(30).toISOString();
const BACKENDS_EU1 = ['10.0.1.1:8080', '10.0.1.2:8080', '10.0.1.3:8080'];
const BACKENDS_EU2 = ['10.0.2.1:8080', '10.0.2.2:8080', '10.0.2.3:8080'];

const ROUTE = `query($host: String!, $at: DateTime, $cluster: String) { route(host: $host, at: $at, cluster: $cluster) { cluster verdict backends } }`;

describe('the cluster argument', () => {
  const cases: { name: string; cluster: string | null; code?: string; message?: RegExp; cluster2?: string; backends?: string[] }[] = [
    { name: 'no cluster, several in the history: CLUSTER_REQUIRED naming them and pointing to routes', cluster: null, code: 'CLUSTER_REQUIRED', message: /eu-1, eu-2, us-1.*routes\(host/ },
    { name: 'an unknown cluster: UNKNOWN_CLUSTER naming the clusters there are', cluster: 'eu-3', code: 'UNKNOWN_CLUSTER', message: /'eu-3'.*eu-1, eu-2, us-1/ },
    { name: 'a named cluster: its answer, naming it', cluster: 'eu-2', cluster2: 'eu-2', backends: BACKENDS_EU2 },
    { name: 'another named cluster: its own answer', cluster: 'eu-1', cluster2: 'eu-1', backends: BACKENDS_EU1 },
  ];
  for (const c of cases) {
    it(`GraphQL route: ${c.name}`, async () => {
      const r = await gql(fleet.url, ROUTE, { host: HOST, at: T30, cluster: c.cluster });
      if (c.code) {
        expect(r.body.errors[0].extensions.code).toBe(c.code);
        expect(r.body.errors[0].message).toMatch(c.message!);
      } else {
        expect(r.body.errors).toBeUndefined();
        expect(r.body.data.route).toEqual({ cluster: c.cluster2, verdict: 'forwarded', backends: c.backends });
      }
    });
  }

  const rest: { name: string; path: string; status: number; code: string }[] = [
    { name: 'reverse without cluster', path: '/api/v1/reverse?ip=10.0.2.1', status: 400, code: 'CLUSTER_REQUIRED' },
    { name: 'timeline with an unknown cluster', path: '/api/v1/timeline?service=default/my-app-service&cluster=nope', status: 400, code: 'UNKNOWN_CLUSTER' },
    { name: 'routeDiff with an unknown cluster', path: `/api/v1/routeDiff?host=${HOST}&from=${T30}&to=now&cluster=eu-0`, status: 400, code: 'UNKNOWN_CLUSTER' },
    { name: 'route to a Service without cluster', path: '/api/v1/route?service=default/my-app-service', status: 400, code: 'CLUSTER_REQUIRED' },
    { name: 'clusters with an unknown cluster', path: '/api/v1/clusters?cluster=nope', status: 400, code: 'UNKNOWN_CLUSTER' },
  ];
  for (const c of rest) {
    it(`REST ${c.name}: ${c.status} ${c.code}`, async () => {
      const r = await getJson(`${fleet.url}${c.path}`);
      expect([r.status, r.body.code]).toEqual([c.status, c.code]);
    });
  }

  it('REST answers a named cluster, saying which in X-Routetrace-Cluster', async () => {
    const r = await getJson(`${fleet.url}/api/v1/reverse?ip=10.0.2.1&cluster=eu-2&at=${T30}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-routetrace-cluster')).toBe('eu-2');
    expect(r.body.services.map((s: { name: string }) => s.name)).toEqual(['my-app-service']);
    const other = await getJson(`${fleet.url}/api/v1/reverse?ip=10.0.2.1&cluster=eu-1&at=${T30}`);
    expect(other.body.services).toEqual([]);
  });

  it('a single-cluster history needs no cluster, and answers as before (no cluster field in the REST body)', async () => {
    const g = await gql(solo.url, ROUTE, { host: HOST, at: T30 });
    expect(g.body.data.route).toEqual({ cluster: 'solo', verdict: 'forwarded', backends: BACKENDS_EU2 });
    const r = await getJson(`${solo.url}/api/v1/route?host=${HOST}&at=${T30}`);
    expect(r.status).toBe(200);
    expect(r.body.backends).toEqual(BACKENDS_EU2);
    expect(r.body.cluster).toBeUndefined();
    expect(r.headers.get('x-routetrace-cluster')).toBe('solo');
  });
});

describe('a host question without a cluster answers per cluster', () => {
  it('GraphQL routes: one answer per cluster, sorted, each naming its cluster', async () => {
    const r = await gql(fleet.url, `query($at: DateTime) { routes(host: "${HOST}", at: $at) { cluster verdict backends raw } }`, { at: T30 });
    expect(r.body.errors).toBeUndefined();
    const byCluster = r.body.data.routes.map((a: any) => [a.cluster, a.verdict, a.backends]);
    expect(byCluster).toEqual([['eu-1', 'forwarded', BACKENDS_EU1], ['eu-2', 'forwarded', BACKENDS_EU2], ['us-1', 'not-found', []]]);
    for (const a of r.body.data.routes) expect(a.raw.cluster).toBeUndefined();
  });

  it('GraphQL routes: now, after the failover, eu-1 has no ready backend left', async () => {
    const r = await gql(fleet.url, `{ routes(host: "${HOST}") { cluster backends } }`);
    expect(r.body.data.routes.map((a: any) => [a.cluster, a.backends])).toEqual([['eu-1', []], ['eu-2', BACKENDS_EU2], ['us-1', []]]);
  });

  it('REST /route?host= answers {clusters: [{cluster, at, answer}]}; with cluster=, the plain answer', async () => {
    const r = await getJson(`${fleet.url}/api/v1/route?host=${HOST}&at=${T30}`);
    expect(r.status).toBe(200);
    expect(r.body.clusters.map((c: any) => [c.cluster, c.at, c.answer.backends])).toEqual([['eu-1', T30, BACKENDS_EU1], ['eu-2', T30, BACKENDS_EU2], ['us-1', T30, []]]);
    const one = await getJson(`${fleet.url}/api/v1/route?host=${HOST}&at=${T30}&cluster=eu-1`);
    expect([one.body.verdict, one.body.backends, one.headers.get('x-routetrace-cluster')]).toEqual(['forwarded', BACKENDS_EU1, 'eu-1']);
  });
});

describe('a host that changed during the failover: route diffs per cluster', () => {
  const T70 = at(70).toISOString();
  const expected = [
    ['eu-1', true, ['10.0.1.1:8080', '10.0.1.2:8080', '10.0.1.3:8080'], []],
    ['eu-2', false, [], []],
    ['us-1', false, [], []],
  ];

  it('GraphQL routeDiffs: one diff per cluster, each naming its cluster', async () => {
    const r = await gql(fleet.url, `query($from: DateTime!, $to: DateTime!) { routeDiffs(host: "${HOST}", from: $from, to: $to) { cluster changed backendsRemoved backendsAdded from { cluster } } }`, { from: T30, to: T70 });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.routeDiffs.map((d: any) => [d.cluster, d.changed, d.backendsRemoved, d.backendsAdded])).toEqual(expected);
    expect(r.body.data.routeDiffs.map((d: any) => d.from.cluster)).toEqual(['eu-1', 'eu-2', 'us-1']);
  });

  it('GraphQL routeDiff keeps one diff: CLUSTER_REQUIRED without cluster, the named cluster with it', async () => {
    const q = `query($c: String) { routeDiff(host: "${HOST}", from: "${T30}", to: "${T70}", cluster: $c) { cluster changed } }`;
    expect((await gql(fleet.url, q)).body.errors[0].extensions.code).toBe('CLUSTER_REQUIRED');
    expect((await gql(fleet.url, q, { c: 'eu-1' })).body.data.routeDiff).toEqual({ cluster: 'eu-1', changed: true });
  });

  it('REST /routeDiff without cluster: {clusters: [...]}; with cluster=, the plain diff', async () => {
    const r = await getJson(`${fleet.url}/api/v1/routeDiff?host=${HOST}&from=${T30}&to=${T70}`);
    expect(r.status).toBe(200);
    expect(r.body.clusters.map((d: any) => [d.cluster, d.changed, d.backendsRemoved, d.backendsAdded])).toEqual(expected);
    const one = await getJson(`${fleet.url}/api/v1/routeDiff?host=${HOST}&from=${T30}&to=${T70}&cluster=eu-2`);
    expect([one.body.changed, one.body.cluster, one.headers.get('x-routetrace-cluster')]).toEqual([false, undefined, 'eu-2']);
  });
});

describe('clusters: sync state and gaps', () => {
  const kinds = (synced: string[]) => [...KINDS].map((kind) => ({ kind, synced: synced.includes(kind) }));
  const ALL: string[] = [...KINDS];
  const expected = [
    { name: 'eu-1', synced: true, lastObservedAt: at(60).toISOString(), kinds: kinds(ALL), gaps: [{ kind: 'EndpointSlice', from: at(42).toISOString(), to: at(44).toISOString(), reason: 'watch stream lost' }] },
    { name: 'eu-2', synced: true, lastObservedAt: at(0).toISOString(), kinds: kinds(ALL), gaps: [] },
    { name: 'us-1', synced: false, lastObservedAt: at(0).toISOString(), kinds: kinds(['Service', 'Pod']), gaps: [] },
  ];

  it('GraphQL clusters lists every cluster with its kinds and gaps', async () => {
    const r = await gql(fleet.url, '{ clusters { name watchedHere synced lastObservedAt kinds { kind synced lastObservedAt } gaps { kind from to reason } } }');
    expect(r.body.errors).toBeUndefined();
    const got = r.body.data.clusters;
    expect(got.map((c: any) => ({ name: c.name, synced: c.synced, lastObservedAt: c.lastObservedAt, kinds: c.kinds.map((k: any) => ({ kind: k.kind, synced: k.synced })), gaps: c.gaps }))).toEqual(expected);
    expect(got.every((c: any) => c.watchedHere === false)).toBe(true);
    const eu1 = got[0].kinds;
    expect(eu1.find((k: any) => k.kind === 'EndpointSlice').lastObservedAt).toBe(at(60).toISOString());
    expect(eu1.find((k: any) => k.kind === 'Service').lastObservedAt).toBe(at(0).toISOString());
    expect(got[2].kinds.find((k: any) => k.kind === 'Ingress').lastObservedAt).toBeNull();
  });

  const gapCases: { name: string; query: string; gaps: number }[] = [
    { name: 'a range holding the gap', query: `gapsFrom=${at(40).toISOString()}&gapsTo=${at(50).toISOString()}`, gaps: 1 },
    { name: 'a range after the gap', query: `gapsFrom=${at(45).toISOString()}`, gaps: 0 },
    { name: 'a range before the gap', query: `gapsTo=${at(41).toISOString()}`, gaps: 0 },
  ];
  for (const c of gapCases) {
    it(`REST /clusters?cluster=eu-1 with ${c.name}: ${c.gaps} gap(s)`, async () => {
      const r = await getJson(`${fleet.url}/api/v1/clusters?cluster=eu-1&${c.query}`);
      expect(r.status).toBe(200);
      expect(r.body.clusters.map((x: any) => [x.name, x.gaps.length])).toEqual([['eu-1', c.gaps]]);
    });
  }

  it('REST /clusters lists the same as GraphQL', async () => {
    const r = await getJson(`${fleet.url}/api/v1/clusters`);
    expect(r.body.clusters.map((c: any) => ({ name: c.name, synced: c.synced, lastObservedAt: c.lastObservedAt, kinds: c.kinds.map((k: any) => ({ kind: k.kind, synced: k.synced })), gaps: c.gaps }))).toEqual(expected);
  });
});

async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

const RANGE = { from: at(0).toISOString(), to: at(50).toISOString() };

describe('Grafana: the cluster variable and the cluster filter', () => {
  const variables: { name: string; payload: Record<string, unknown>; status: number; values?: string[]; code?: string }[] = [
    { name: 'clusters lists the clusters', payload: { target: 'clusters' }, status: 200, values: [...CLUSTERS] },
    { name: 'namespaces of one cluster', payload: { target: 'namespaces', cluster: 'us-1' }, status: 200, values: ['kube-public'] },
    { name: 'namespaces of two clusters (multi-value)', payload: { target: 'namespaces', cluster: '(eu-1|us-1)' }, status: 200, values: ['default', 'kube-public'] },
    { name: 'namespaces of every cluster (All)', payload: { target: 'namespaces', cluster: '$__all' }, status: 200, values: ['default', 'kube-public'] },
    { name: 'namespaces without cluster: CLUSTER_REQUIRED', payload: { target: 'namespaces' }, status: 400, code: 'CLUSTER_REQUIRED' },
    { name: 'services of an unknown cluster: UNKNOWN_CLUSTER', payload: { target: 'services', cluster: 'eu-9' }, status: 400, code: 'UNKNOWN_CLUSTER' },
  ];
  for (const c of variables) {
    it(`/variable ${c.name}`, async () => {
      const r = await post(`${fleet.url}/grafana/variable`, { payload: c.payload, range: RANGE });
      expect(r.status).toBe(c.status);
      if (c.values) expect(r.body.map((v: any) => v.__value)).toEqual(c.values);
      else expect(r.body.code).toBe(c.code);
    });
  }

  it('Infinity: the clusters variable, and a variable of one cluster', async () => {
    const all = await getJson(`${fleet.url}/grafana/infinity/clusters`);
    expect(all.body.map((v: any) => v.__text)).toEqual([...CLUSTERS]);
    const ns = await getJson(`${fleet.url}/grafana/infinity/namespaces?cluster=eu-2&from=${RANGE.from}&to=${RANGE.to}`);
    expect(ns.body.map((v: any) => v.__text)).toEqual(['default']);
  });

  it('the query editor offers the clusters for the cluster payload field', async () => {
    const r = await post(`${fleet.url}/grafana/metric-payload-options`, { metric: 'ready_endpoints', name: 'cluster', payload: {} });
    expect(r.body.map((o: any) => o.value)).toEqual([...CLUSTERS]);
  });

  const series: { name: string; cluster?: unknown; status: number; series?: [string, string, number][]; code?: string }[] = [
    { name: 'one cluster', cluster: 'eu-2', status: 200, series: [['eu-2/my-app-service:http ready', 'eu-2', 3]] },
    { name: 'two clusters, each series naming its cluster', cluster: ['eu-1', 'eu-2'], status: 200, series: [['eu-1/my-app-service:http ready', 'eu-1', 3], ['eu-2/my-app-service:http ready', 'eu-2', 3]] },
    { name: 'no cluster: CLUSTER_REQUIRED', status: 400, code: 'CLUSTER_REQUIRED' },
    { name: 'an unknown cluster: UNKNOWN_CLUSTER', cluster: 'ap-1', status: 400, code: 'UNKNOWN_CLUSTER' },
  ];
  for (const c of series) {
    it(`ready_endpoints with ${c.name}`, async () => {
      const payload = { namespace: 'default', ...(c.cluster !== undefined ? { cluster: c.cluster } : {}) };
      const r = await post(`${fleet.url}/grafana/query`, { range: RANGE, intervalMs: 10_000, maxDataPoints: 100, targets: [{ refId: 'A', target: 'ready_endpoints', payload }] });
      expect(r.status).toBe(c.status);
      if (!c.series) return expect(r.body.code).toBe(c.code);
      // The series of one cluster alone names the cluster in its target only when several were asked.
      const several = Array.isArray(c.cluster);
      expect(r.body.map((s: any) => [several ? s.target : `${s.tags.cluster}/${s.target}`, s.tags.cluster, s.datapoints[0][0]])).toEqual(c.series);
    });
  }

  it('ad hoc filters: cluster is a tag key of a fleet, its values are the clusters, and a filter on it chooses the clusters', async () => {
    const keys = await post(`${fleet.url}/grafana/tag-keys`, {});
    expect(keys.body.map((k: any) => k.text)).toEqual(['namespace', 'service', 'zone', 'node', 'cluster']);
    const soloKeys = await post(`${solo.url}/grafana/tag-keys`, {});
    expect(soloKeys.body.map((k: any) => k.text)).toEqual(['namespace', 'service', 'zone', 'node']);
    const values = await post(`${fleet.url}/grafana/tag-values`, { key: 'cluster' });
    expect(values.body.map((v: any) => v.text)).toEqual([...CLUSTERS]);
    const cases: { name: string; filters: unknown[]; cluster?: string; clusters: string[] }[] = [
      { name: 'cluster = eu-2', filters: [{ key: 'cluster', operator: '=', value: 'eu-2' }], clusters: ['eu-2'] },
      { name: 'cluster =~ eu-.*', filters: [{ key: 'cluster', operator: '=~', value: 'eu-.*' }], clusters: ['eu-1', 'eu-2'] },
      { name: 'payload (eu-1|eu-2) and cluster != eu-1', filters: [{ key: 'cluster', operator: '!=', value: 'eu-1' }], cluster: '(eu-1|eu-2)', clusters: ['eu-2'] },
    ];
    for (const c of cases) {
      const r = await post(`${fleet.url}/grafana/query`, { range: RANGE, intervalMs: 10_000, maxDataPoints: 100, filters: c.filters,
        targets: [{ refId: 'A', target: 'ready_endpoints', payload: { namespace: 'default', ...(c.cluster ? { cluster: c.cluster } : {}) } }] });
      expect([c.name, r.status, r.body.map((s: any) => s.tags.cluster)]).toEqual([c.name, 200, c.clusters]);
    }
  });

  it('endpoint_changes (annotations) of one cluster: its own changes only', async () => {
    const body = (cluster: string) => ({ range: { from: at(0).toISOString(), to: at(70).toISOString() }, targets: [{ refId: 'A', target: 'endpoint_changes', payload: { cluster } }] });
    const eu1 = await post(`${fleet.url}/grafana/query`, body('eu-1'));
    const eu2 = await post(`${fleet.url}/grafana/query`, body('eu-2'));
    const clusterCol = eu1.body[0].columns.findIndex((c: any) => c.text === 'cluster');
    expect(clusterCol).toBe(0);
    expect(new Set(eu1.body[0].rows.map((r: unknown[]) => r[0]))).toEqual(new Set(['eu-1']));
    const text = eu1.body[0].columns.findIndex((c: any) => c.text === 'title');
    expect(eu1.body[0].rows.some((r: unknown[]) => /not ready/.test(String(r[text])))).toBe(true);
    expect(eu2.body[0].rows.some((r: unknown[]) => /not ready/.test(String(r[text])))).toBe(false);
  });

  it('route target without cluster: one table, rows of every cluster, with a cluster column', async () => {
    const r = await post(`${fleet.url}/grafana/query`, { range: { from: RANGE.from, to: T30 }, targets: [{ refId: 'R', target: 'route', payload: { host: HOST } }] });
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(1);
    const t = r.body[0];
    const col = (n: string) => t.columns.findIndex((c: any) => c.text === n);
    const rows = t.rows.map((row: unknown[]) => [row[col('cluster')], row[col('verdict')], row[col('address')]]);
    expect(rows).toEqual([
      ['eu-1', 'forwarded', '10.0.1.1'], ['eu-1', 'forwarded', '10.0.1.2'], ['eu-1', 'forwarded', '10.0.1.3'],
      ['eu-2', 'forwarded', '10.0.2.1'], ['eu-2', 'forwarded', '10.0.2.2'], ['eu-2', 'forwarded', '10.0.2.3'],
      ['us-1', 'not-found', null],
    ]);
  });

  const infinity: { name: string; path: string; status: number; clusters?: string[]; code?: string }[] = [
    { name: 'route without cluster: rows of every cluster', path: `/grafana/infinity/route?host=${HOST}&at=${T30}`, status: 200, clusters: ['eu-1', 'eu-2', 'us-1'] },
    { name: 'route of one cluster', path: `/grafana/infinity/route?host=${HOST}&at=${T30}&cluster=eu-2`, status: 200, clusters: ['eu-2'] },
    { name: 'endpoints of one cluster', path: `/grafana/infinity/endpoints?namespace=default&at=${T30}&cluster=eu-1`, status: 200, clusters: ['eu-1'] },
    { name: 'endpoint series of two clusters', path: `/grafana/infinity/endpoint-series?namespace=default&from=${RANGE.from}&to=${RANGE.to}&stepMs=10000&cluster=eu-1,eu-2`, status: 200, clusters: ['eu-1', 'eu-2'] },
    { name: 'endpoints without cluster: CLUSTER_REQUIRED', path: `/grafana/infinity/endpoints?at=${T30}`, status: 400, code: 'CLUSTER_REQUIRED' },
    { name: 'endpoint changes of an unknown cluster', path: `/grafana/infinity/endpoint-changes?cluster=zz-9`, status: 400, code: 'UNKNOWN_CLUSTER' },
  ];
  for (const c of infinity) {
    it(`Infinity ${c.name}`, async () => {
      const r = await getJson(`${fleet.url}${c.path}`);
      expect(r.status).toBe(c.status);
      if (c.code) return expect(r.body.code).toBe(c.code);
      expect([...new Set(r.body.map((row: any) => row.cluster))].sort()).toEqual(c.clusters);
    });
  }

  it('a single-cluster history: series and rows carry no cluster tag or field (as before)', async () => {
    const r = await post(`${solo.url}/grafana/query`, { range: RANGE, intervalMs: 10_000, maxDataPoints: 100, targets: [{ refId: 'A', target: 'ready_endpoints', payload: { namespace: 'default' } }] });
    expect(r.body.map((s: any) => [s.target, s.tags])).toEqual([['my-app-service:http ready', { namespace: 'default', service: 'my-app-service', port: 'http', state: 'ready' }]]);
    const rows = await getJson(`${solo.url}/grafana/infinity/endpoints?at=${T30}`);
    expect(rows.body.length).toBe(3);
    expect(rows.body.every((x: any) => !('cluster' in x))).toBe(true);
  });
});
