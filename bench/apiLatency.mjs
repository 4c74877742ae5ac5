#!/usr/bin/env node
// bench/apiLatency: p50/p99 latency of `route` over HTTP on the demo, now (live snapshot) and as of a past
// time (snapshot rebuilt from the SQLite history), through REST and GraphQL.
//  - starts `routetrace demo` (simulated seed cluster with churn, serve, the API) as a child process on
//    127.0.0.1 with a temp database, waits for /readyz, lets the churn build `--history-s` seconds of history;
//  - sends sequential requests (one at a time, keep-alive) to 127.0.0.1 only: route now (live snapshot);
//    route as of a random past instant in the recorded window (answered from SQLite; the index of the
//    involved objects is cached per distinct stored state, so the first question about a state pays the
//    rebuild, later ones in the same state do not); route as of one fixed past instant;
//  - prints a table and writes bench/results/api-<time>.json.
// Usage: npm run build && node bench/apiLatency.mjs [--requests N] [--history-s S] [--churn N]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const N = opt('requests', 1000);
const HISTORY_S = opt('history-s', 20);
const CHURN = opt('churn', 3);
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'routetrace-bench-api-'));

const demo = spawn(process.execPath, [path.join(here, '..', 'bin', 'routetrace.js'), 'demo', '--listen', '127.0.0.1:0', '--db', path.join(dir, 'demo.db'), '--churn', String(CHURN)], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
let stderrTail = '';
demo.stderr.on('data', (d) => (stderrTail = (stderrTail + d).slice(-4000)));
const base = await new Promise((resolve, reject) => {
  let out = '';
  demo.stdout.on('data', (d) => {
    out += d;
    const m = /routetrace\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) resolve(m[1]);
  });
  demo.on('exit', (code) => reject(new Error(`demo exited ${code}: ${stderrTail}`)));
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function request(method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${urlPath}`, { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function waitReady() {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await request('GET', '/readyz')).status === 200) return;
    } catch {}
    if (Date.now() > deadline) throw new Error('demo not ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(name, make) {
  for (let i = 0; i < 20; i++) await make(i); // warm-up
  const ms = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    const r = await make(i);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 200 || r.text.includes('"errors"')) throw new Error(`${name}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  }
  ms.sort((a, b) => a - b);
  return { name, requests: N, p50: +percentile(ms, 50).toFixed(3), p99: +percentile(ms, 99).toFixed(3), max: +ms[ms.length - 1].toFixed(3) };
}

let results;
try {
  await waitReady();
  const readyAt = Date.now();
  await new Promise((r) => setTimeout(r, HISTORY_S * 1000));
  const endAt = Date.now();
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pastAt = () => Math.floor(readyAt + 500 + rand() * (endAt - readyAt - 1500));
  const fixedAt = readyAt + 500; // older than the cache's 10 s stability window once history-s >= 11
  const gqlBody = (at) => JSON.stringify({ query: 'query($at: DateTime) { route(host: "ibtisam-iq.com", port: 443, at: $at) { verdict backends service { name port } endpoints { address conditions { ready } } findings { code } } }', variables: at === undefined ? {} : { at } });
  const rest = '/api/v1/route?host=ibtisam-iq.com&port=443';
  results = [
    await measure('REST route now (live snapshot)', () => request('GET', rest)),
    await measure('REST route as-of (random past instants)', () => request('GET', `${rest}&at=${pastAt()}`)),
    await measure('REST route as-of (one past instant)', () => request('GET', `${rest}&at=${fixedAt}`)),
    await measure('GraphQL route now (live snapshot)', () => request('POST', '/graphql', gqlBody(undefined))),
    await measure('GraphQL route as-of (random past instants)', () => request('POST', '/graphql', gqlBody(pastAt()))),
  ];
  const sizes = JSON.parse((await request('GET', `${rest}`)).text);
  const versions = await request('POST', '/graphql', JSON.stringify({ query: '{ services(first: 500) { totalCount } }' }));
  const out = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    demo: { churnPerSecond: CHURN, historySeconds: HISTORY_S, services: JSON.parse(versions.text).data.services.totalCount, backendsNow: sizes.backends.length },
    results,
  };
  console.log(`route latency over HTTP on the demo (${N} sequential requests each, 127.0.0.1, ${HISTORY_S} s of history at ${CHURN} changes/s)`);
  for (const r of results) console.log(`  ${r.name.padEnd(62)} p50 ${String(r.p50).padStart(8)} ms   p99 ${String(r.p99).padStart(8)} ms   max ${String(r.max).padStart(8)} ms`);
  mkdirSync(path.join(here, 'results'), { recursive: true });
  const file = path.join(here, 'results', `api-${out.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`written ${path.relative(process.cwd(), file)}`);
} finally {
  agent.destroy();
  demo.kill('SIGTERM');
  await new Promise((r) => demo.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
