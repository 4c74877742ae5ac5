#!/usr/bin/env node
// Live-state benchmark, in process: a simulated cluster at scale (src/sim/ScaleGenerator.ts, default 5,000
// Services, 50,000 Pods, 2,000 Ingresses) is listed into a LiveSnapshot, then "now" route questions (the
// bench's ROUTE_QUERY hosts and paths) are answered through ClusterState while watch events stream in.
// Prints: sync time and heap per object, per-event update cost, route-now latency when quiet, and
// question latency and the worst stall (longest synchronous piece of work) while events arrive at a rate.
// Latencies are wall time; "cpu" figures are the process's CPU time over the same work (they leave out time
// the process was not running, on a machine shared with other work). Uses the compiled code: run `npm run build` first. Start with --expose-gc for heap figures.
// Usage: node --expose-gc bench/liveIndex.mjs [--services N] [--pods N] [--ingresses N] [--changes N]
//        [--questions N] [--rate EVENTS_PER_S] [--seconds S]
import { startSim } from '../dist/sim/startSim.js';
import { LiveSnapshot } from '../dist/state/LiveSnapshot.js';
import { ClusterState } from '../dist/queries/ClusterState.js';
import { resolve } from '../dist/resolver/resolve.js';
import { KINDS } from '../dist/model/objects.js';
import { mulberry32 } from './lib/mulberry32.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SCALE = { services: arg('services', 5000), pods: arg('pods', 50000), ingresses: arg('ingresses', 2000) };
const CHANGES = arg('changes', 16000);
const QUESTIONS = arg('questions', 5000);
const RATE = arg('rate', 5000);
const SECONDS = arg('seconds', 10);
const PATHS = ['/', '/api', '/static/app.js', '/v1/users/42'];

const rand = mulberry32(7);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const question = () => ({ kind: 'host', host: `h${Math.floor(rand() * SCALE.ingresses)}.scale.example.com`, port: 80, path: pick(PATHS) });
const ms = (ns) => Number(ns) / 1e6;
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return `n=${s.length} mean=${mean.toFixed(3)} p50=${q(0.5).toFixed(3)} p99=${q(0.99).toFixed(3)} max=${s[s.length - 1].toFixed(3)} ms`;
};
const cpuMs = (c0) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const heap = () => {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;

const sim = await startSim({ scenario: 'empty', scale: SCALE, seed: 5, podGraceMs: 0, changeLogLimit: 2_000_000, historyWindow: 2_000_000 });
try {
  const state = sim.state();
  const count = KINDS.reduce((n, k) => n + (state[k]?.length ?? 0), 0);
  console.log(`cluster: ${KINDS.map((k) => `${state[k]?.length ?? 0} ${k}`).join(', ')} (${count} objects)`);

  // The change stream, untimed: readiness flaps of random scale Pods (Pod, EndpointSlice and Endpoints
  // events through the simulator's controllers) and every 8th change a Pod replaced (ADDED, DELETED).
  let rv = sim.resourceVersion();
  const pods = state.Pod.map((p) => [p.metadata.namespace, p.metadata.name]);
  let generation = 0;
  for (let i = 0; i < CHANGES; i++) {
    const [ns, name] = pick(pods);
    const pod = sim.get('Pod', ns, name);
    if (!pod || pod.metadata.deletionTimestamp) continue;
    if (i % 8 === 7) {
      sim.remove('Pod', ns, name, { gracePeriodSeconds: 0 });
      const copy = structuredClone(pod);
      copy.metadata = { name: `${name}-r${++generation}`, namespace: ns, labels: pod.metadata.labels };
      const created = sim.apply(copy);
      pods.push([ns, created.metadata.name]);
      continue;
    }
    const copy = structuredClone(pod);
    const ready = copy.status.conditions.find((c) => c.type === 'Ready')?.status !== 'True';
    copy.status.conditions = copy.status.conditions.map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: ready ? 'True' : 'False' } : c));
    sim.apply(copy);
  }
  sim.finishTerminating();
  const events = sim.changeLog(rv).filter((c) => KINDS.includes(c.kind));
  const byKind = {};
  for (const e of events) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
  console.log(`change stream: ${CHANGES} changes, ${events.length} events (${Object.entries(byKind).map(([k, n]) => `${n} ${k}`).join(', ')})`);

  const h0 = heap();
  const live = new LiveSnapshot();
  let t = process.hrtime.bigint();
  for (const k of KINDS) live.listed(k, state[k] ?? [], new Date());
  const listMs = ms(process.hrtime.bigint() - t);
  const h1 = heap();
  console.log(`listed: ${listMs.toFixed(0)} ms; heap ${mb(h1 - h0)} (${((h1 - h0) / count).toFixed(0)} B per object)`);

  const cs = new ClusterState({ live, now: () => Date.now() });
  const ask = (q) => resolve(cs.viewAt(undefined).view, q);
  t = process.hrtime.bigint();
  const first = ask(question());
  console.log(`first question now: ${ms(process.hrtime.bigint() - t).toFixed(1)} ms (${first.verdict}); heap after: ${mb(heap() - h0)}`);

  for (let i = 0; i < 1000; i++) ask(question()); // warm-up (compilation), untimed
  const quiet = [];
  const quietCpu = [];
  for (let i = 0; i < QUESTIONS; i++) {
    const q = question();
    const c0 = process.cpuUsage();
    const s = process.hrtime.bigint();
    ask(q);
    quiet.push(ms(process.hrtime.bigint() - s));
    quietCpu.push(cpuMs(c0));
  }
  console.log(`route now, no changes: ${stats(quiet)}`);
  console.log(`  cpu: ${stats(quietCpu)}`);

  // Per-event update cost: the whole stream applied back to back, no questions.
  const half = Math.floor(events.length / 2);
  const perEvent = [];
  const perKind = {};
  t = process.hrtime.bigint();
  for (let i = 0; i < half; i++) {
    const e = events[i];
    const s = process.hrtime.bigint();
    live.event(e.kind, e.type, e.object, e.at);
    const d = ms(process.hrtime.bigint() - s);
    perEvent.push(d);
    (perKind[e.kind] ??= []).push(d);
  }
  const applyMs = ms(process.hrtime.bigint() - t);
  console.log(`event(): ${stats(perEvent)}; ${(applyMs * 1000 / half).toFixed(1)} µs per event overall`);
  for (const [k, xs] of Object.entries(perKind)) console.log(`  ${k}: mean ${(xs.reduce((a, b) => a + b, 0) * 1000 / xs.length).toFixed(1)} µs`);
  t = process.hrtime.bigint();
  ask(question());
  console.log(`first question after ${half} events: ${ms(process.hrtime.bigint() - t).toFixed(1)} ms`);

  // Streaming: events arrive at RATE per second; between them, questions are asked back to back (one
  // event loop: each question and each batch of due events is one synchronous piece of work).
  const streamed = events.slice(half);
  const answers = [];
  const answersCpu = [];
  const batches = [];
  const batchesCpu = [];
  let next = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let now = start;
  while (now < end && next < streamed.length) {
    const due = Math.min(streamed.length, Math.floor(((now - start) / 1000) * RATE));
    if (due > next) {
      const c0 = process.cpuUsage();
      const s = performance.now();
      for (; next < due; next++) {
        const e = streamed[next];
        live.event(e.kind, e.type, e.object, e.at);
      }
      batches.push(performance.now() - s);
      batchesCpu.push(cpuMs(c0));
    }
    const q = question();
    const c0 = process.cpuUsage();
    const s = performance.now();
    ask(q);
    now = performance.now();
    answers.push(now - s);
    answersCpu.push(cpuMs(c0));
  }
  const seconds = (now - start) / 1000;
  console.log(`streaming ${next} events in ${seconds.toFixed(1)} s (${(next / seconds).toFixed(0)}/s, target ${RATE}/s):`);
  console.log(`  route now while changing: ${stats(answers)}`);
  console.log(`    cpu: ${stats(answersCpu)}`);
  console.log(`  event batches: ${stats(batches)}`);
  console.log(`    cpu: ${stats(batchesCpu)}`);
  console.log(`  worst stall: ${Math.max(...answers, ...batches).toFixed(1)} ms (cpu ${Math.max(...answersCpu, ...batchesCpu).toFixed(1)} ms)`);
  console.log(`heap at end: ${mb(heap() - h0)}; rss ${mb(process.memoryUsage().rss)}`);
} finally {
  await sim.close();
}
