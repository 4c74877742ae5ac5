#!/usr/bin/env node
// bench/serve: the initial sync of `serve` against the simulator at benchmark scale.
//  - the simulator runs as its own process (`routetrace sim --scale ...`), like a real API server;
//  - serve runs in this process (dist/main.js: real client-node informers, real HistoryWriter on a temp
//    SQLite file) and is timed from start to ready (every kind's first list stored and flushed);
//  - reports per-kind list sizes and times (the kind.synced log lines), stored rows (objects, versions,
//    derived rows) and rows/s over the sync, and the database size.
// Usage: npm run build && node bench/serve.mjs [--scale services=5000,pods=50000,ingresses=1000] [--page-size N] [--keep]
// Heap profile of the synced state (both threads): node --heap-prof --heap-prof-dir DIR bench/serve.mjs --exit-after-sync
// (add --expose-gc: the heap figures printed are then after a full collection in each thread)
// Writes bench/results/serve-<time>.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { serveConfig } from '../dist/config.js';
import { productionDependencies, ServeRuntime } from '../dist/main.js';
import { jsonLogger } from '../dist/watch/Logger.js';

const args = process.argv.slice(2);
const scale = args.includes('--scale') ? args[args.indexOf('--scale') + 1] : 'services=5000,pods=50000,ingresses=1000';
const pageSize = args.includes('--page-size') ? Number(args[args.indexOf('--page-size') + 1]) : undefined;
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'routetrace-bench-serve-'));
const db = path.join(dir, 'bench.db');

const simStart = Date.now();
const sim = spawn(process.execPath, [path.join(here, '..', 'bin', 'routetrace.js'), 'sim', '--scenario', 'empty', '--scale', scale, '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const simUrl = await new Promise((resolve, reject) => {
  let out = '';
  sim.stdout.setEncoding('utf8').on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  sim.on('exit', (code) => reject(new Error(`sim exited ${code}`)));
});
const simReadyMs = Date.now() - simStart;

const logs = [];
const log = jsonLogger((line) => logs.push(JSON.parse(line)));
const t0 = Date.now();
const rt = await ServeRuntime.start(serveConfig({ server: simUrl, db, listen: '127.0.0.1:0', cluster: 'bench' }, {}), {
  ...productionDependencies(log),
  ...(pageSize ? { informer: { pageSize } } : {}),
});
while (!rt.readiness().ready) {
  if (rt.readiness().failed) throw new Error(`serve failed: ${rt.readiness().failed}`);
  await new Promise((r) => setTimeout(r, 20));
}
const syncMs = Date.now() - t0;
const rss = process.memoryUsage().rss;
const churnRate = args.includes('--churn') ? Number(args[args.indexOf('--churn') + 1]) : 0;
if (churnRate > 0) {
  // --churn RATE [--churn-seconds S]: the simulator churns for S seconds after the sync (then 3 s to settle),
  // so the memory figures below are those of a state that has lived through churn.
  const seconds = args.includes('--churn-seconds') ? Number(args[args.indexOf('--churn-seconds') + 1]) : 30;
  await fetch(`${simUrl}/_sim/churn?rate=${churnRate}`, { method: 'POST' });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await fetch(`${simUrl}/_sim/churn?rate=0`, { method: 'POST' });
  await new Promise((r) => setTimeout(r, 3000));
}
if (args.includes('--exit-after-sync')) {
  // For `node --heap-prof bench/serve.mjs --exit-after-sync`: leave with every object of the synced state
  // still referenced, so each thread's heap profile shows what the state is made of.
  await new Promise((r) => setTimeout(r, 600)); // the ingest thread logs its heap on its next status tick
  globalThis.gc?.(); // with node --expose-gc: live heap, not heap plus garbage
  const m = process.memoryUsage();
  const mb = (x) => Math.round(x / 1048576);
  const metrics = await (await fetch(`${rt.url}/metrics`)).text();
  const ingestHeap = Number(/^routetrace_ingest_thread_heap_used_bytes (\d+)/m.exec(metrics)?.[1] ?? NaN);
  console.log(JSON.stringify({ initialSyncMs: Date.now() - t0, rssMb: mb(rss), mainHeapUsedMb: mb(m.heapUsed), mainHeapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), rssNowMb: mb(process.memoryUsage().rss), ingestHeapUsedNowMb: mb(ingestHeap), ingestThread: logs.find((l) => l.event === 'ingest.memory') ?? null }));
  sim.kill('SIGTERM');
  process.exit(0);
}
await rt.stop('bench done');
sim.kill('SIGTERM');

const conn = new Database(db, { readonly: true });
const count = (t) => Number(conn.prepare(`SELECT count(*) AS n FROM "${t}"`).get().n);
const tables = conn.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'`).pluck().all();
const rowsByTable = Object.fromEntries(tables.map((t) => [t, count(t)]));
conn.close();
const rows = Object.values(rowsByTable).reduce((a, b) => a + b, 0);
const dbBytes = statSync(db).size;
const synced = logs.filter((l) => l.event === 'kind.synced').map((l) => ({ kind: l.kind, objects: l.objects, ms: l.ms }));
const result = {
  when: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  scale,
  pageSize: pageSize ?? 'default',
  simStartMs: simReadyMs,
  initialSyncMs: syncMs,
  objects: synced.reduce((a, s) => a + s.objects, 0),
  rowsStored: rows,
  rowsPerSecond: Math.round(rows / (syncMs / 1000)),
  objectsPerSecond: Math.round(synced.reduce((a, s) => a + s.objects, 0) / (syncMs / 1000)),
  rowsByTable,
  dbBytes,
  rssBytes: rss,
  kinds: synced,
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', `serve-${result.when.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2) + '\n');
if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
