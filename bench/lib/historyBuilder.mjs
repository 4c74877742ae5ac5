#!/usr/bin/env node
// historyBuilder: builds N days of history through the product's own ingest path, then serves the cluster.
//
// Runs as a child process of bench/run.mjs:
//   node bench/lib/historyBuilder.mjs --db FILE --services N --pods M --ingresses K --actions A [--days 7] [--seed 7]
//   (or --database postgresql://… [--cluster NAME]: the history goes to PostgreSQL under that cluster name)
//  1. starts the simulator (dist/sim/startSim.js) at the given scale with a synthetic clock set `days` ago;
//  2. reports the initial state to a HistoryWriter (listed(), as serve's first list does) at that instant;
//  3. runs `actions` changes spread over the `days` (the synthetic clock advances with each), a realistic
//     mix through the simulator's write path and controllers: the simulator's own churn (scale up/down,
//     rolling restarts, readiness flaps, Ingress and Service edits in namespace `shop`) and, across the
//     scale namespaces, readiness flaps (Ready False, True again minutes later), rolling restarts of a
//     Service's Pods (new Pod, old Pod deleted gracefully) and scale events (Pods added or removed);
//  4. every change of the simulator's change log is reported to the writer as a watch event, observed
//     300 ms (synthetic) after the simulator's change time: the writer never sees anything the watchers
//     would not;
//  5. closes the writer, prints one JSON line {"event":"history.built", ...} (versions, database bytes,
//     history span), switches the simulator's clock to the wall clock, prints `listening on URL` and
//     serves until SIGTERM (so `serve` can resume on the file: same uids and resourceVersions).
// Progress: JSON lines {"event":"history.progress", ...} on stdout.
import { statSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startSim } from '../../dist/sim/startSim.js';
import { HistoryWriter } from '../../dist/history/HistoryWriter.js';
import { KINDS } from '../../dist/model/objects.js';

const args = process.argv.slice(2);
const arg = (n, d) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const file = arg('db');
const url = arg('database');
const clusterName = arg('cluster', 'bench');
const scale = { services: Number(arg('services', 500)), pods: Number(arg('pods', 5000)), ingresses: Number(arg('ingresses', 200)) };
const ACTIONS = Number(arg('actions', 5000));
const DAYS = Number(arg('days', 7));
const SEED = Number(arg('seed', 7));
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const DAY = 86_400_000;
const wallStart = Date.now();
const T0 = wallStart - DAYS * DAY - 60_000;
const SPAN = DAYS * DAY;
let synthetic = T0;
let real = false;
const now = () => (real ? new Date() : new Date(synthetic));

// Deterministic generator for the fleet's own actions.
let rs = SEED >>> 0 || 1;
const rand = () => {
  rs ^= rs << 13; rs >>>= 0; rs ^= rs >>> 17; rs ^= rs << 5; rs >>>= 0;
  return rs / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const svcName = (i) => `svc-${String(i).padStart(5, '0')}`;
const nsName = (n) => `scale-${String(n).padStart(3, '0')}`;

const buildStart = performance.now();
const sim = await startSim({ scale, seed: SEED, now, podGraceMs: 30, changeLogLimit: 500_000, historyWindow: 100_000 });
say({ event: 'history.progress', phase: 'sim-built', ms: Math.round(performance.now() - buildStart) });

// Pods per scale Service, as ScaleGenerator named them (pod p belongs to Service p % services).
const podsOf = Array.from({ length: scale.services }, () => []);
for (let p = 0; p < scale.pods; p++) podsOf[p % scale.services].push(`${svcName(p % scale.services)}-${Math.floor(p / scale.services)}`);
const nsOf = (s) => nsName(Math.floor(s / 100));
let generation = 0;

const writer = await HistoryWriter.open({ ...(url ? { url } : { file }), cluster: clusterName, batchSize: 5000, batchMs: 1000 });
const state = sim.state();
for (const kind of KINDS) writer.listed(kind, state[kind] ?? [], new Date(T0));
await writer.flush();
let lastRv = sim.resourceVersion();
let reported = 0;

function feed() {
  const changes = sim.changeLog(lastRv);
  for (const c of changes) {
    lastRv = c.rv;
    if (!KINDS.includes(c.kind)) continue;
    writer.event(c.kind, c.type, c.object, new Date(c.at.getTime() + 300));
    reported++;
  }
}

// Follow-ups due at a synthetic time (readiness restored, next Pod of a rolling restart).
const followUps = [];
const later = (delayMs, fn) => followUps.push({ at: synthetic + delayMs, fn });
function runDue() {
  followUps.sort((a, b) => a.at - b.at);
  while (followUps.length && followUps[0].at <= synthetic) followUps.shift().fn();
}

function setReady(ns, name, ready) {
  const pod = sim.get('Pod', ns, name);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const copy = structuredClone(pod);
  const ts = now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  copy.status.conditions = (copy.status.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: ready ? 'True' : 'False', lastTransitionTime: ts } : c));
  sim.apply(copy);
}

function newPod(s) {
  const name = `${svcName(s)}-g${++generation}`;
  sim.apply({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: nsOf(s), labels: { app: svcName(s) } },
    spec: { containers: [{ name: 'app', image: `registry.example/app:1.${generation % 50}`, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
  });
  podsOf[s].push(name);
}

function removePod(s, name) {
  podsOf[s] = podsOf[s].filter((n) => n !== name);
  if (sim.get('Pod', nsOf(s), name)) sim.remove('Pod', nsOf(s), name);
}

const mix = { simChurn: 0, flap: 0, rollingRestart: 0, scale: 0 };
function action() {
  const r = rand();
  if (r < 0.35 || scale.services === 0) {
    mix.simChurn++;
    sim.churn.step(1);
    return;
  }
  const s = Math.floor(rand() * scale.services);
  if (r < 0.75) {
    mix.flap++;
    const name = podsOf[s].length ? pick(podsOf[s]) : undefined;
    if (!name) return newPod(s);
    setReady(nsOf(s), name, false);
    later(30_000 + rand() * 300_000, () => setReady(nsOf(s), name, true));
  } else if (r < 0.88) {
    mix.rollingRestart++;
    const old = [...podsOf[s]];
    old.forEach((name, i) => later(i * 15_000, () => { newPod(s); removePod(s, name); }));
  } else {
    mix.scale++;
    const n = 1 + Math.floor(rand() * 3);
    if (rand() < 0.5 || podsOf[s].length <= n) for (let i = 0; i < n; i++) newPod(s);
    else for (let i = 0; i < n; i++) removePod(s, podsOf[s][0]);
  }
}

const dt = SPAN / ACTIONS;
let lastProgress = performance.now();
for (let a = 0; a < ACTIONS; a++) {
  synthetic = T0 + Math.floor((a + rand()) * dt);
  runDue();
  action();
  if (a % 50 === 49) {
    await new Promise((r) => setTimeout(r, 0)); // let graceful-deletion timers run (they stamp the synthetic clock)
    feed();
  }
  if (a % 2000 === 1999) await writer.flush();
  if (performance.now() - lastProgress > 5000) {
    lastProgress = performance.now();
    say({ event: 'history.progress', phase: 'changes', actions: a + 1, of: ACTIONS, reports: reported, pendingReports: writer.pendingReports });
  }
}
synthetic = T0 + SPAN;
for (const f of followUps.splice(0)) f.fn();
sim.finishTerminating();
feed();
await writer.flush();
await writer.close();

let versions;
let endpointRows;
let pageBytes = null;
let bytesByTable;
let fileBytes;
if (url) {
  // PostgreSQL: this cluster's rows; the database's size holds every cluster's history.
  const { openHistoryDatabase } = await import('../../dist/history/openHistoryDatabase.js');
  const { clusterIdOf } = await import('../../dist/history/clusterIdOf.js');
  const { usedBytes } = await import('../../dist/history/pruneHistory.js');
  const database = await openHistoryDatabase({ url });
  const id = clusterIdOf(database, clusterName);
  versions = Number(database.db.prepare('SELECT count(*) FROM "ObjectVersion" WHERE "clusterId" = $1').pluck(id));
  endpointRows = Number(database.db.prepare('SELECT count(*) FROM "EndpointRow" WHERE "clusterId" = $1').pluck(id));
  fileBytes = usedBytes(database.db);
  bytesByTable = Object.fromEntries(database.db.stmt('bytesPerTable').raw().filter(([, b]) => b > 65536));
  await database.close();
} else {
  const conn = new Database(file, { readonly: true });
  versions = Number(conn.prepare('SELECT count(*) FROM "ObjectVersion"').pluck().get());
  endpointRows = Number(conn.prepare('SELECT count(*) FROM "EndpointRow"').pluck().get());
  pageBytes = Number(conn.pragma('page_count', { simple: true })) * Number(conn.pragma('page_size', { simple: true }));
  try {
    bytesByTable = Object.fromEntries(conn.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').raw().all().filter(([, b]) => b > 65536));
  } catch (err) {
    bytesByTable = { unavailable: String(err) };
  }
  conn.close();
  fileBytes = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
}
say({
  event: 'history.built',
  historyFrom: T0,
  historyTo: T0 + SPAN,
  days: DAYS,
  actions: ACTIONS,
  mix,
  reports: reported,
  versions,
  endpointRows,
  dbBytes: fileBytes,
  pageBytes,
  bytesPerVersion: Math.round(fileBytes / versions),
  bytesByTable,
  buildMs: Math.round(performance.now() - buildStart),
});
real = true;
process.stdout.write(`listening on ${sim.url}\n`);
await new Promise((resolve) => {
  const stop = () => void sim.close().then(resolve);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
process.exit(0);
