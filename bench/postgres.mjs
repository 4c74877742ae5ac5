#!/usr/bin/env node
// bench/postgres: the fleet targets on PostgreSQL (issue "many clusters into one PostgreSQL").
//  1. ingest  three simulated clusters at scale (`routetrace sim --scale`, child processes). First three
//             `serve --db FILE` at once (SQLite, one file each), then three `serve --database URL --cluster
//             cN` at once into one fresh PostgreSQL database; each serve's rate = rows stored for its cluster
//             ÷ seconds from spawn to /readyz 200. pg_ingest_ratio_min = the lowest PostgreSQL ÷ SQLite rate
//             of the three clusters (target ≥ 0.5); per-cluster figures in the details.
//  2. as-of   three history builders (lib/historyBuilder.mjs, synthetic clock) write 7 days of history
//             each into one fresh PostgreSQL database under clusters h0, h1, h2 at once; then one serve on
//             cluster h0 answers GraphQL `route` as of random instants of those 7 days, 32 clients:
//             pg_route_asof_p99_ms (target ≤ 50). For context (details.asOfSqlite): the same history of h0
//             in a SQLite file under the same load.
// PostgreSQL: the admin URL in ROUTETRACE_TEST_POSTGRES_URL (a role allowed to CREATE DATABASE), else a
// throwaway server from /usr/lib/postgresql/*/bin (scripts/postgresServer.mjs).
// Usage: npm run build && node bench/postgres.mjs [--quick] [--scale services=…,pods=…,ingresses=…]
// Prints a table (key, value, target, PASS/MISSED) and one JSON line {"event":"postgres.results", …};
// writes bench/results/postgres-latest.json. bench/run.mjs runs it as its `postgres` step.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CLI, cleanup, request, sleep, spawnNode, startServe, stopChild, tempDir, waitReady } from './lib/children.mjs';
import { runLoad } from './lib/httpLoad.mjs';
import { mulberry32 } from './lib/mulberry32.mjs';
import { startPostgres } from '../scripts/postgresServer.mjs';
import { createPostgresDatabase as createDatabase, PostgresConnection } from '../dist/history/postgresConnection.js';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const here = path.dirname(fileURLToPath(import.meta.url));
const SCALE = args.includes('--scale')
  ? args[args.indexOf('--scale') + 1]
  : QUICK ? 'services=500,pods=5000,ingresses=200' : 'services=5000,pods=50000,ingresses=2000';
const scaleOf = Object.fromEntries(SCALE.split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
const CONFIG = QUICK
  ? { historyActions: 3000, loadMs: 5000, syncTimeoutMs: 300_000, buildTimeoutMs: 10 * 60_000 }
  : { historyActions: 20000, loadMs: 15_000, syncTimeoutMs: 900_000, buildTimeoutMs: 60 * 60_000 };
const CLUSTERS = 3;
const CLIENTS = 32;
const TARGETS = {
  pg_ingest_ratio_min: ['≥ 0.5 (each of 3 clusters vs its SQLite rate)', (v) => v >= 0.5],
  pg_route_asof_p99_ms: ['≤ 50 (32 clients, 3 clusters × 7 days)', (v) => v <= 50],
};
const results = { pg_ingest_ratio_min: null, pg_route_asof_p99_ms: null };
const failures = {};
const details = { scale: scaleOf, machine: { cores: os.cpus().length, node: process.version, loadAvgStart: os.loadavg() } };
const t0 = performance.now();
const progress = (msg) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const round = (x, d = 3) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
// `cluster`: the PostgreSQL history holds h0, h1 and h2, so the question names h0 (the SQLite one has one cluster).
const ROUTE_QUERY = 'query Route($host: String!, $path: String, $at: DateTime, $cluster: String) { route(host: $host, port: 80, path: $path, at: $at, cluster: $cluster) { verdict backends findings { code } } }';
const PATHS = ['/', '/api', '/static/app.js', '/v1/users/42'];
const DATA_TABLES = ['KubeObject', 'ObjectVersion', 'ServicePort', 'EndpointRow', 'IngressRule', 'LookupKey'];

let pg;
const work = tempDir('postgres');

function sqliteRows(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return DATA_TABLES.reduce((n, t) => n + Number(db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()), 0);
  } finally {
    db.close();
  }
}

function postgresRows(url, cluster) {
  const db = new PostgresConnection(url);
  try {
    const id = db.prepare('SELECT id FROM "Cluster" WHERE name = $1').pluck(cluster);
    return DATA_TABLES.reduce((n, t) => n + Number(db.prepare(`SELECT count(*) FROM "${t}" WHERE "clusterId" = $1`).pluck(id)), 0);
  } finally {
    db.close();
  }
}

/** Starts `n` serves at once (one per simulator); resolves [{serve, seconds}] once every one is ready. */
async function syncAll(sims, store) {
  const serves = await Promise.all(sims.map((sim, i) => startServe({ server: sim.url, ...store(i), cluster: `c${i}`, timeoutMs: 120_000 })));
  const ready = await Promise.all(serves.map((s) => waitReady(s, { timeoutMs: CONFIG.syncTimeoutMs })));
  return serves.map((serve, i) => ({ serve, seconds: (ready[i].readyAt - serve.spawnedAt) / 1000 }));
}

async function step(name, keys, fn) {
  progress(`step ${name}: start`);
  try {
    await fn();
    progress(`step ${name}: done`);
  } catch (err) {
    const reason = `${name}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 600);
    progress(`step ${name}: FAILED: ${reason}`);
    for (const k of keys) if (results[k] === null) failures[k] = reason;
  }
}

try {
  pg = await startPostgres();
  if (!pg.url) throw new Error(pg.reason);
  progress(`PostgreSQL: ${pg.started ? 'a throwaway server' : 'ROUTETRACE_TEST_POSTGRES_URL'}; scale ${SCALE} × ${CLUSTERS} clusters`);

  await step('ingest', ['pg_ingest_ratio_min'], async () => {
    const sims = await Promise.all(Array.from({ length: CLUSTERS }, (_, i) => spawnNode(`sim-${i}`, [CLI, 'sim', '--scenario', 'empty', '--scale', SCALE, '--port', '0', '--seed', String(101 + i)], {
      pattern: /listening on (http:\/\/127\.0\.0\.1:\d+)/, timeoutMs: CONFIG.syncTimeoutMs,
    })));
    for (const s of sims) s.url = s.match;
    progress(`${CLUSTERS} simulators ready; SQLite: ${CLUSTERS} serves at once, one file each`);
    const files = sims.map((_, i) => path.join(work, `c${i}.db`));
    const lite = await syncAll(sims, (i) => ({ db: files[i] }));
    for (const { serve } of lite) await stopChild(serve.proc);
    const liteRates = lite.map(({ seconds }, i) => sqliteRows(files[i]) / seconds);
    progress(`SQLite: ${lite.map((l, i) => `c${i} ${l.seconds.toFixed(1)} s, ${Math.round(liteRates[i])} rows/s`).join('; ')}`);
    const url = createDatabase(pg.url, `routetrace_bench_ingest_${Date.now()}`);
    progress(`PostgreSQL: ${CLUSTERS} serves at once into one database`);
    const post = await syncAll(sims, () => ({ database: url }));
    for (const { serve } of post) await stopChild(serve.proc);
    const pgRates = post.map(({ seconds }, i) => postgresRows(url, `c${i}`) / seconds);
    progress(`PostgreSQL: ${post.map((l, i) => `c${i} ${l.seconds.toFixed(1)} s, ${Math.round(pgRates[i])} rows/s`).join('; ')}`);
    for (const s of sims) await stopChild(s);
    const ratios = pgRates.map((r, i) => r / liteRates[i]);
    details.ingest = lite.map((l, i) => ({ cluster: `c${i}`, sqliteSeconds: round(l.seconds, 2), sqliteRowsPerS: Math.round(liteRates[i]), postgresSeconds: round(post[i].seconds, 2), postgresRowsPerS: Math.round(pgRates[i]), ratio: round(ratios[i]) }));
    results.pg_ingest_ratio_min = round(Math.min(...ratios));
  });

  await step('as-of', ['pg_route_asof_p99_ms'], async () => {
    const url = createDatabase(pg.url, `routetrace_bench_history_${Date.now()}`);
    progress(`building 7 days of history for ${CLUSTERS} clusters at once into one PostgreSQL database (${CONFIG.historyActions} actions each)`);
    const builders = await Promise.all(Array.from({ length: CLUSTERS }, (_, i) => spawnNode(`history-${i}`, [path.join(here, 'lib', 'historyBuilder.mjs'),
      '--database', url, '--cluster', `h${i}`, '--seed', String(7 + i), '--services', String(scaleOf.services), '--pods', String(scaleOf.pods),
      '--ingresses', String(scaleOf.ingresses), '--actions', String(CONFIG.historyActions), '--days', '7'], {
      pattern: /listening on (http:\/\/127\.0\.0\.1:\d+)/, timeoutMs: CONFIG.buildTimeoutMs,
    })));
    const built = builders.map((b) => JSON.parse(b.lines.find((l) => l.includes('"history.built"'))));
    details.history = built.map((b, i) => ({ cluster: `h${i}`, versions: b.versions, buildMs: b.buildMs, databaseBytes: b.dbBytes }));
    progress(`history built: ${built.map((b, i) => `h${i} ${b.versions} versions in ${(b.buildMs / 1000).toFixed(0)} s`).join('; ')}`);
    // Statistics as autovacuum keeps them on a running database (the builders bulk-loaded just now).
    const analyze = new PostgresConnection(url);
    try {
      analyze.exec('ANALYZE');
    } finally {
      analyze.close();
    }
    const serve = await startServe({ server: builders[0].match, database: url, cluster: 'h0', timeoutMs: 120_000 });
    await waitReady(serve, { timeoutMs: CONFIG.syncTimeoutMs });
    const random = mulberry32(11);
    const { historyFrom: from, historyTo: to } = built[0];
    const body = () => JSON.stringify({ query: ROUTE_QUERY, variables: { cluster: 'h0',
      host: `h${Math.floor(random() * scaleOf.ingresses)}.scale.example.com`, path: PATHS[Math.floor(random() * PATHS.length)],
      at: Math.floor(from + random() * (to - from)) } });
    const probe = JSON.parse((await request(`${serve.url}/graphql`, { method: 'POST', body: JSON.stringify({ query: ROUTE_QUERY, variables: { cluster: 'h0', host: 'h0.scale.example.com', path: '/', at: to } }) })).text);
    if (probe.data?.route?.verdict !== 'forwarded') throw new Error(`route of h0.scale.example.com is not forwarded: ${JSON.stringify(probe).slice(0, 300)}`);
    progress(`route as-of on h0: ${CLIENTS} clients for ${CONFIG.loadMs / 1000} s`);
    const load = await runLoad({ url: `${serve.url}/graphql`, clients: CLIENTS, durationMs: CONFIG.loadMs, warmup: 20, makeBody: body });
    details.asOf = load;
    if (load.errors > load.requests * 0.05) throw new Error(`${load.errors} of ${load.requests} requests failed`);
    results.pg_route_asof_p99_ms = load.p99;
    progress(`route as-of: p50 ${load.p50} ms, p99 ${load.p99} ms, ${load.rps} req/s`);
    await stopChild(serve.proc);
    for (const b of builders) await stopChild(b);

    // For context (details only): the same questions against the same history of h0 in a SQLite file.
    const file = path.join(work, 'h0.db');
    progress('for comparison: the same history of h0 in a SQLite file, and the same load');
    const lite = await spawnNode('history-sqlite', [path.join(here, 'lib', 'historyBuilder.mjs'), '--db', file, '--seed', '7',
      '--services', String(scaleOf.services), '--pods', String(scaleOf.pods), '--ingresses', String(scaleOf.ingresses),
      '--actions', String(CONFIG.historyActions), '--days', '7'], { pattern: /listening on (http:\/\/127\.0\.0\.1:\d+)/, timeoutMs: CONFIG.buildTimeoutMs });
    const liteServe = await startServe({ server: lite.match, db: file, cluster: 'bench', timeoutMs: 120_000 });
    await waitReady(liteServe, { timeoutMs: CONFIG.syncTimeoutMs });
    const liteBuilt = JSON.parse(lite.lines.find((l) => l.includes('"history.built"')));
    const liteLoad = await runLoad({ url: `${liteServe.url}/graphql`, clients: CLIENTS, durationMs: CONFIG.loadMs, warmup: 20, makeBody: () => JSON.stringify({ query: ROUTE_QUERY, variables: {
      host: `h${Math.floor(random() * scaleOf.ingresses)}.scale.example.com`, path: PATHS[Math.floor(random() * PATHS.length)],
      at: Math.floor(liteBuilt.historyFrom + random() * (liteBuilt.historyTo - liteBuilt.historyFrom)) } }) });
    details.asOfSqlite = liteLoad;
    progress(`SQLite, same history and load: p50 ${liteLoad.p50} ms, p99 ${liteLoad.p99} ms, ${liteLoad.rps} req/s`);
    await stopChild(liteServe.proc);
    await stopChild(lite);
  });
} catch (err) {
  for (const k of Object.keys(results)) if (results[k] === null) failures[k] = String(err instanceof Error ? err.message : err);
} finally {
  await cleanup();
  await pg?.stop?.();
}

console.log(`\nroutetrace bench/postgres${QUICK ? ' --quick (smaller scale: targets are stated for full scale)' : ''} (scale ${SCALE} × ${CLUSTERS})`);
for (const [k, v] of Object.entries(results)) {
  const [target, pass] = TARGETS[k];
  console.log(`${k.padEnd(24)} ${String(v ?? 'null').padEnd(10)} ${target.padEnd(48)} ${v === null ? 'FAILED' : pass(v) ? 'PASS' : 'MISSED'}`);
}
for (const [k, reason] of Object.entries(failures)) console.log(`  ${k}: ${reason}`);
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'postgres-latest.json'), `${JSON.stringify({ ...results, failures, details }, null, 2)}\n`);
console.log(JSON.stringify({ event: 'postgres.results', results, failures }));
process.exit(0);
