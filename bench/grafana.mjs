#!/usr/bin/env node
// bench/grafana: latency of Grafana datasource queries over real HTTP (POST /grafana/query as the simPod
// plugin sends it: a 7-day range, intervalMs 60000, maxDataPoints 10080 = 1-minute resolution).
//
// Where the history comes from (one of):
//   --url URL         a running routetrace (e.g. `routetrace demo`), measured as it runs;
//   --db FILE         a history file (e.g. the demo database), served in this process on 127.0.0.1:0;
//   --synthetic DAYS  a demo-like history written through the real HistoryWriter with a synthetic clock
//                     (shop/api, cart, search, web and default/my-app-service; --rate slice changes per
//                     second of history, default 1), then served as with --db.
// Options: --runs N (default 30), --days D (query span, default 7), --namespace NS --service S (the
// single-Service query; default shop/api), --keep (keep the synthetic file).
// Usage: npm run build && node bench/grafana.mjs --db data/demo.db
// Writes bench/results/grafana-<time>.json.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApi } from '../dist/api/createApi.js';
import { HistoryWriter } from '../dist/history/HistoryWriter.js';
import { openHistoryFile } from '../dist/queries/historyFile.js';
import { HttpServer } from '../dist/server.js';
import { silentLogger } from '../dist/watch/Logger.js';
import { mulberry32 } from './lib/mulberry32.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const here = path.dirname(fileURLToPath(import.meta.url));
const runs = Number(opt('runs', '30'));
const days = Number(opt('days', '7'));
const namespace = opt('namespace', 'shop');
const serviceName = opt('service', 'api');
const DAY = 86_400_000;


async function synthesize(file, spanDays, rate) {
  const end = Date.now();
  const start = end - spanDays * DAY;
  const w = await HistoryWriter.open({ file, cluster: 'bench', batchSize: 5000, batchMs: 1000 });
  const services = [['shop', 'api'], ['shop', 'cart'], ['shop', 'search'], ['shop', 'web'], ['default', 'my-app-service']];
  const iso = new Date(start - DAY).toISOString();
  const svcObj = ([ns, name]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name, uid: `uid-${ns}-${name}`, resourceVersion: '1', creationTimestamp: iso },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
  let ipSeq = 0, rv = 10;
  const endpoint = (ready) => {
    const n = ipSeq++;
    return { ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, ready, terminating: false, node: `node-${n % 3}`, zone: `zone-${n % 2}` };
  };
  const state = services.map(() => Array.from({ length: 6 }, () => endpoint(true)));
  const sliceObj = (i) => {
    const [ns, name] = services[i];
    return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { namespace: ns, name: `${name}-abc`, uid: `uid-slice-${ns}-${name}`, resourceVersion: String(rv++), creationTimestamp: iso, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints: state[i].map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready && !e.terminating, serving: e.ready, terminating: e.terminating },
        nodeName: e.node, zone: e.zone, targetRef: { kind: 'Pod', namespace: ns, name: `${name}-${e.ip}` } })),
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] };
  };
  w.listed('Service', services.map(svcObj), new Date(start));
  w.listed('EndpointSlice', services.map((_, i) => sliceObj(i)), new Date(start));
  for (const k of ['Endpoints', 'Pod', 'Ingress', 'IngressClass']) w.listed(k, [], new Date(start));
  await w.flush();
  const random = mulberry32(1);
  const n = Math.floor(spanDays * 86_400 * rate);
  const t0 = Date.now();
  for (let e = 0; e < n; e++) {
    const i = Math.floor(random() * services.length);
    const eps = state[i];
    const r = random();
    const live = eps.filter((x) => !x.terminating);
    // A Service keeps 4 to 10 endpoints: readiness flips, rollouts add one not ready, retire one
    // (terminating), then remove it.
    if (r < 0.4 && live.length) { const x = live[Math.floor(random() * live.length)]; x.ready = !x.ready; }
    else if (r < 0.6 && eps.length < 10) eps.push(endpoint(false));
    else if (r < 0.8 && live.length > 4) live[0].terminating = true;
    else { const k = eps.findIndex((x) => x.terminating); if (k >= 0) eps.splice(k, 1); else if (live.length) live[0].ready = !live[0].ready; }
    w.event('EndpointSlice', 'MODIFIED', sliceObj(i), new Date(start + Math.floor((e + 1) * (1000 / rate))));
    if (e % 20_000 === 19_999) await w.flush();
  }
  await w.flush();
  await w.close();
  return { events: n, writeMs: Date.now() - t0, historyFrom: new Date(start).toISOString(), historyTo: new Date(end).toISOString() };
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(url, name, body) {
  const times = [];
  let bytes = 0, elements = 0, points = 0;
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    const r = await fetch(`${url}/grafana/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await r.text();
    const ms = performance.now() - t;
    if (r.status !== 200) throw new Error(`${name}: HTTP ${r.status} ${text.slice(0, 200)}`);
    if (i >= 2) times.push(ms); // two warm-up requests
    const json = JSON.parse(text);
    bytes = text.length;
    elements = json.length;
    points = json.reduce((a, el) => a + (el.datapoints?.length ?? el.rows?.length ?? 0), 0);
  }
  times.sort((a, b) => a - b);
  const r = (x) => Math.round(x * 10) / 10;
  return { name, runs, p50Ms: r(pct(times, 50)), p90Ms: r(pct(times, 90)), p99Ms: r(pct(times, 99)), maxMs: r(times[times.length - 1]), elements, pointsOrRows: points, responseBytes: bytes };
}

let url = opt('url');
let close = async () => {};
const source = {};
let tmp;
if (!url) {
  let file = opt('db');
  if (!file) {
    const synthDays = Number(opt('synthetic', '7'));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'routetrace-bench-grafana-'));
    file = path.join(tmp, 'synthetic.db');
    Object.assign(source, { synthetic: await synthesize(file, synthDays, Number(opt('rate', '1'))) });
  }
  const h = await openHistoryFile(file);
  const api = createApi(silentLogger);
  api.attachHistory(h.database, h.cluster);
  const http = new HttpServer(api.routes, silentLogger);
  url = (await http.listen({ host: '127.0.0.1', port: 0 })).url;
  const counts = Object.fromEntries(['ObjectVersion', 'EndpointRow'].map((t) => [t, h.database.db.prepare(`SELECT count(*) AS n FROM "${t}"`).get().n]));
  const span = h.database.db.prepare('SELECT min(validFrom) AS a, max(validFrom) AS b FROM "EndpointRow"').get();
  Object.assign(source, { file, cluster: h.cluster, dbBytes: statSync(file).size, rows: counts, endpointRowsFrom: new Date(span.a).toISOString(), endpointRowsTo: new Date(span.b).toISOString() });
  close = async () => { await http.close(); await api.stop(); await h.close(); };
} else {
  source.url = url;
}

const to = Date.now();
const from = to - days * DAY;
const request = (payload) => ({
  app: 'dashboard', requestId: 'SQR1', timezone: 'browser',
  range: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), raw: { from: `now-${days}d`, to: 'now' } },
  interval: '1m', intervalMs: 60_000, maxDataPoints: Math.ceil((days * DAY) / 60_000),
  targets: [{ refId: 'A', target: 'ready_endpoints', payload, editorMode: 'builder', hide: false }],
});
const results = [
  await measure(url, `ready_endpoints ${namespace}/${serviceName}, ${days} d at 1 min`, request({ namespace, service: serviceName })),
  await measure(url, `ready_endpoints every Service, ${days} d at 1 min`, request({})),
  await measure(url, `ready_endpoints ${namespace}/${serviceName}, ${days} d, panel default (maxDataPoints 1184)`, { ...request({ namespace, service: serviceName }), intervalMs: 600_000, interval: '10m', maxDataPoints: 1184 }),
  await measure(url, `endpoint_changes ${namespace}/${serviceName}, last 6 h (annotations)`, { ...request({}), range: { from: new Date(to - 6 * 3_600_000).toISOString(), to: new Date(to).toISOString() }, targets: [{ refId: 'Anno', target: 'endpoint_changes', payload: { namespace, service: serviceName } }] }),
];
await close();
const result = { when: new Date().toISOString(), node: process.version, cpus: os.cpus().length, source, results };
console.log(JSON.stringify(result, null, 2));
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', `grafana-${result.when.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2) + '\n');
if (tmp && !args.includes('--keep')) rmSync(tmp, { recursive: true, force: true });
