#!/usr/bin/env node
// bench/history: measures the history store on generated objects (no simulator needed).
//  1. initial sync through HistoryWriter: 5k Services, 50k Pods, 5k EndpointSlices (10 endpoints each),
//     2k Ingresses, as listed() calls, until flush() resolves; rows = objects + versions + derived rows;
//  2. the very same rows (read back from that database) inserted into a fresh database of the same schema
//     with raw better-sqlite3 prepared inserts, 2000 rows per transaction: the writer/raw ratio;
//  3. bytes per stored version (dbstat: tables + indexes), after the sync and for a churn phase;
//  4. as-of snapshot read time (HistoryReader.snapshotAt), median of 3.
// Usage: npm run build && node bench/history.mjs [--scale 1] [--plain-bodies] [--keep]. Writes bench/results/history-<time>.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { HistoryWriter } from '../dist/history/HistoryWriter.js';
import { HistoryReader } from '../dist/history/HistoryReader.js';
import { openHistoryDatabase } from '../dist/history/openHistoryDatabase.js';
import { CONNECTION_PRAGMAS } from '../dist/history/sqliteDialect.js';
import { checkInvariants } from '../dist/history/checkInvariants.js';

const args = process.argv.slice(2);
const scale = args.includes('--scale') ? Number(args[args.indexOf('--scale') + 1]) || 1 : 1;
const compressBodies = !args.includes('--plain-bodies');
const SERVICES = Math.round(5000 * scale);
const PODS_PER_SERVICE = 10;
const INGRESSES = Math.round(2000 * scale);
const CHURN = Math.round(20000 * scale);

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'routetrace-bench-'));
const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
const hex = (n, len) => n.toString(16).padStart(len, '0').slice(-len);
const uid = (kind, n) => `${hex(kind * 2654435761 + n * 40503, 8)}-${hex(n, 4)}-4${hex(n * 7, 3)}-a${hex(n * 13, 3)}-${hex(n * 2246822519, 12)}`;
const ns = (s) => `team-${s % 50}`;

function service(s) {
  return {
    metadata: { namespace: ns(s), name: `svc-${s}`, uid: uid(1, s), resourceVersion: String(1000 + s),
      creationTimestamp: new Date(T0 - 86_400_000), labels: { app: `svc-${s}`, tier: 'backend' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Service"}' },
      managedFields: [{ manager: 'kubectl', operation: 'Apply' }] },
    spec: { type: 'ClusterIP', clusterIP: `10.96.${s >> 8}.${s & 255}`, clusterIPs: [`10.96.${s >> 8}.${s & 255}`],
      ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', selector: { app: `svc-${s}` }, sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }] },
    status: { loadBalancer: {} },
  };
}

function podIP(p) {
  return `10.${1 + (p >> 16)}.${(p >> 8) & 255}.${p & 255}`;
}

function podName(p) {
  const s = Math.floor(p / PODS_PER_SERVICE);
  return `svc-${s}-${hex(s * 977, 10)}-${hex(p * 31, 5)}`;
}

function pod(p, ready = true, rv = 100000 + p) {
  const s = Math.floor(p / PODS_PER_SERVICE);
  const rs = `svc-${s}-${hex(s * 977, 10)}`;
  const t = '2026-11-25T12:00:00Z';
  return {
    metadata: { namespace: ns(s), name: podName(p), uid: uid(2, p), resourceVersion: String(rv),
      creationTimestamp: t, labels: { app: `svc-${s}`, 'pod-template-hash': hex(s * 977, 10) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: uid(3, s), controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'kube-controller-manager' }] },
    spec: { nodeName: `node-${p % 200}`, serviceAccountName: 'default', restartPolicy: 'Always',
      containers: [{ name: 'app', image: 'registry.example/app:1.2.3', command: ['/app'], args: ['--port=8080'],
        env: [{ name: 'DB_PASSWORD', value: 'not-stored' }], resources: { limits: { cpu: '1' } },
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
      volumes: [{ name: 'kube-api-access', projected: { sources: [] } }] },
    status: { phase: 'Running', podIP: podIP(p), podIPs: [{ ip: podIP(p) }], hostIP: `192.168.${(p % 200) >> 8}.${p % 200}`,
      hostIPs: [{ ip: `192.168.${(p % 200) >> 8}.${p % 200}` }], qosClass: 'Burstable', startTime: t,
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: t },
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ready ? t : new Date(T0 + rv).toISOString() },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: t },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
      ],
      containerStatuses: [{ name: 'app', ready, restartCount: 0, image: 'registry.example/app:1.2.3' }] },
  };
}

function slice(s, notReady = -1, rv = 200000 + s) {
  const endpoints = [];
  for (let k = 0; k < PODS_PER_SERVICE; k++) {
    const p = s * PODS_PER_SERVICE + k;
    const ready = p !== notReady;
    endpoints.push({ addresses: [podIP(p)], conditions: { ready, serving: ready, terminating: false },
      nodeName: `node-${p % 200}`, zone: `zone-${p % 3}`, targetRef: { kind: 'Pod', namespace: ns(s), name: podName(p), uid: uid(2, p) } });
  }
  return {
    metadata: { namespace: ns(s), name: `svc-${s}-${hex(s * 131, 5)}`, uid: uid(4, s), resourceVersion: String(rv),
      creationTimestamp: '2026-11-25T12:00:00Z',
      labels: { 'kubernetes.io/service-name': `svc-${s}`, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: `svc-${s}`, uid: uid(1, s), controller: true }] },
    addressType: 'IPv4', endpoints, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

function ingress(i) {
  const s = (i * 7) % SERVICES;
  return {
    metadata: { namespace: ns(s), name: `ing-${i}`, uid: uid(5, i), resourceVersion: String(300000 + i),
      creationTimestamp: '2026-11-25T12:00:00Z', annotations: { 'kubernetes.io/ingress.class': 'nginx', 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
    spec: { ingressClassName: 'nginx', tls: [{ hosts: [`app-${i}.example.com`], secretName: `ing-${i}-tls` }],
      rules: [{ host: `app-${i}.example.com`, http: { paths: [
        { path: '/', pathType: 'Prefix', backend: { service: { name: `svc-${s}`, port: { number: 80 } } } },
        { path: '/api', pathType: 'Prefix', backend: { service: { name: `svc-${s}`, port: { name: 'http' } } } },
      ] } }] },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  };
}

// The data tables of the write path (PodFact: databases before the delta_bodies migration); those a database lacks are skipped.
const ALL_DATA_TABLES = ['KubeObject', 'ObjectVersion', 'ServicePort', 'EndpointRow', 'IngressRule', 'PodFact', 'WatchGap', 'WatchProgress'];
let DATA_TABLES = ALL_DATA_TABLES;
const existingTables = (db) => ALL_DATA_TABLES.filter((t) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t));
const count = (db, t) => Number(db.prepare(`SELECT count(*) FROM "${t}"`).pluck());
const dataRows = (db) => DATA_TABLES.reduce((a, t) => a + count(db, t), 0);
function storedBytes(db) {
  const rows = db.prepare(`SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name`).all();
  const data = rows.filter((r) => DATA_TABLES.some((t) => r.name === t || r.name.startsWith(`${t}_`) || r.name.startsWith(`sqlite_autoindex_${t}`)));
  return { total: data.reduce((a, r) => a + r.bytes, 0), perTable: Object.fromEntries(data.sort((a, b) => b.bytes - a.bytes).map((r) => [r.name, r.bytes])) };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = { scale, compressBodies, objects: {}, machine: { cpus: os.cpus().length, node: process.version } };
try {
  // ---- 1. initial sync through the writer
  const file = path.join(dir, 'writer.db');
  const writer = await HistoryWriter.open({ file, cluster: 'bench', compressBodies });
  DATA_TABLES = existingTables(writer.database.db);
  const services = Array.from({ length: SERVICES }, (_, s) => service(s));
  const pods = Array.from({ length: SERVICES * PODS_PER_SERVICE }, (_, p) => pod(p));
  const slices = Array.from({ length: SERVICES }, (_, s) => slice(s));
  const ingresses = Array.from({ length: INGRESSES }, (_, i) => ingress(i));
  results.objects = { services: services.length, pods: pods.length, endpointSlices: slices.length, ingresses: ingresses.length };
  const rowsBefore = dataRows(writer.database.db);
  const t1 = performance.now();
  writer.listed('Service', services, new Date(T0));
  writer.listed('Pod', pods, new Date(T0));
  writer.listed('EndpointSlice', slices, new Date(T0));
  writer.listed('Ingress', ingresses, new Date(T0));
  await writer.flush();
  const writerMs = performance.now() - t1;
  const db = writer.database.db;
  const syncRows = dataRows(db) - rowsBefore;
  const syncVersions = count(db, 'ObjectVersion');
  const objects = services.length + pods.length + slices.length + ingresses.length;
  results.initialSync = {
    objects, versions: syncVersions, rows: syncRows, ms: Math.round(writerMs),
    objectsPerSec: Math.round(objects / (writerMs / 1000)), rowsPerSec: Math.round(syncRows / (writerMs / 1000)),
  };
  const syncBytes = storedBytes(db);
  results.bytesPerVersionAfterSync = Math.round(syncBytes.total / syncVersions);
  results.bytesPerTableAfterSync = syncBytes.perTable;

  // ---- 2. the same rows through raw prepared inserts into a fresh database of the same schema
  async function rawCopy(tables, name) {
    // Schema by the product's opener; rows read and written by better-sqlite3 itself (the raw limit).
    await (await openHistoryDatabase({ file: path.join(dir, name) })).close();
    const rawDb = { db: new Database(path.join(dir, name)), close: async () => rawDb.db.close() };
    for (const p of CONNECTION_PRAGMAS) rawDb.db.pragma(p);
    rawDb.db.prepare(`INSERT INTO "Cluster" (name, createdAt) VALUES ('bench', ?)`).run(Date.now());
    const source = new Database(writer.database.file, { readonly: true });
    const dumps = tables.map((t) => {
      const rows = source.prepare(`SELECT * FROM "${t}"`).raw().all();
      const cols = source.prepare(`SELECT * FROM "${t}" LIMIT 1`).columns().map((c) => `"${c.name}"`);
      return { t, rows, sql: `INSERT INTO "${t}" (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})` };
    });
    source.close();
    const t2 = performance.now();
    for (const { rows, sql } of dumps) {
      const insert = rawDb.db.prepare(sql);
      for (let i = 0; i < rows.length; i += 2000) {
        rawDb.db.transaction(() => {
          for (const r of rows.slice(i, i + 2000)) insert.run(r);
        }).immediate();
      }
    }
    const ms = performance.now() - t2;
    await rawDb.close();
    const rows = dumps.reduce((a, d) => a + d.rows.length, 0);
    return { rows, ms: Math.round(ms), rowsPerSec: Math.round(rows / (ms / 1000)), exactMs: ms };
  }
  const { exactMs: rawMs, ...raw } = await rawCopy(DATA_TABLES, 'raw.db');
  results.rawInsert = raw;
  results.writerToRawRatio = Number((rawMs / writerMs).toFixed(3));
  // The writer also writes the lookup terms of every version (LookupKey), which the comparison above
  // leaves out: the same comparison with them.
  const { exactMs: rawAllMs, ...rawAll } = await rawCopy([...DATA_TABLES, 'LookupKey'], 'raw-all.db');
  results.rawInsertWithLookupKeys = rawAll;
  results.writerToRawRatioWithLookupKeys = Number((rawAllMs / writerMs).toFixed(3));

  // ---- 3. churn: readiness flips of pods, each with its slice, then bytes per added version
  const beforeChurn = storedBytes(db).total;
  const versionsBeforeChurn = count(db, 'ObjectVersion');
  const churnReports = [];
  for (let c = 0; c < CHURN; c++) {
    const p = (c * 7919) % pods.length;
    churnReports.push([pod(p, false, 400000 + 2 * c), slice(Math.floor(p / PODS_PER_SERVICE), p, 400001 + 2 * c)]);
  }
  const t3 = performance.now();
  for (let c = 0; c < CHURN; c++) {
    const at = new Date(T0 + 1000 + c * 10);
    writer.event('Pod', 'MODIFIED', churnReports[c][0], at);
    writer.event('EndpointSlice', 'MODIFIED', churnReports[c][1], at);
    if (c % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await writer.flush();
  const churnMs = performance.now() - t3;
  const churnVersions = count(db, 'ObjectVersion') - versionsBeforeChurn;
  const churnBytes = storedBytes(db);
  results.churn = {
    reports: CHURN * 2, versions: churnVersions, ms: Math.round(churnMs), reportsPerSec: Math.round((CHURN * 2) / (churnMs / 1000)),
    bytesPerVersion: Math.round((churnBytes.total - beforeChurn) / churnVersions),
  };
  results.bytesPerVersionOverall = Math.round(churnBytes.total / count(db, 'ObjectVersion'));
  results.bytesPerTableAfterChurn = churnBytes.perTable;

  // ---- 4. as-of reads
  const reader = new HistoryReader(writer.database);
  const times = { afterSync: new Date(T0 + 500), midChurn: new Date(T0 + 1000 + (CHURN / 2) * 10), current: null };
  results.snapshotMs = {};
  for (const [label, t] of Object.entries(times)) {
    const runs = [];
    let n = 0;
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      const snap = t ? reader.snapshotAt('bench', t) : reader.currentSnapshot('bench');
      runs.push(performance.now() - s);
      n = snap.pods.length + snap.services.length + snap.endpointSlices.length + snap.ingresses.length;
    }
    results.snapshotMs[label] = { objects: n, medianMs: Math.round(median(runs)) };
  }
  const s5 = performance.now();
  const problems = checkInvariants(db);
  results.invariants = { problems, ms: Math.round(performance.now() - s5) };
  await writer.close();
  results.fileBytes = (await import('node:fs')).statSync(file).size;

  mkdirSync(path.join(here, 'results'), { recursive: true });
  const out = path.join(here, 'results', `history-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  console.log(`written to ${path.relative(process.cwd(), out)}`);
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
