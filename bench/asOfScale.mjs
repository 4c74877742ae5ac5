#!/usr/bin/env node
// bench/asOfScale: `route` as of a past time on a large history file (e.g. the one `node bench/serve.mjs
// --keep` leaves: 5k Services / 50k Pods / 1k Ingresses), in-process through the shared read use cases:
//  - involved objects only (what the API does for Ingress hosts, DNS names and Service IPs): routing objects
//    of every namespace + Pods/EndpointSlices/Endpoints of the Service's namespace, rebuilt per instant;
//  - whole snapshot (what reverse lookups, Pod/node IPs and client-context questions need).
// Cold: a fresh state per question (the first question about an instant); warm: one state answering
// questions about distinct instants of a period without changes (the index cache is keyed by state).
// Usage: npm run build && node bench/asOfScale.mjs --db FILE [--cluster NAME] [--requests N]
import { openHistoryFile } from '../dist/queries/historyFile.js';
import { resolve } from '../dist/resolver/resolve.js';

const args = process.argv.slice(2);
const arg = (n, d) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const file = arg('db');
if (!file) {
  console.error('usage: node bench/asOfScale.mjs --db FILE [--cluster NAME] [--requests N]');
  process.exit(2);
}
const N = Number(arg('requests', 20));
const base = Date.now() - 60_000; // older than the index cache's stability window
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: +s[Math.floor(s.length / 2)].toFixed(1), max: +s[s.length - 1].toFixed(1), n: s.length };
};
let h = await openHistoryFile(file, arg('cluster'));
const snap = h.state.historySnapshot(new Date(base));
const counts = Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, v.length]));
const hosts = snap.ingresses.map((i) => i.spec.rules[0].host);
const pick = (i) => hosts[(i * 97) % hosts.length];
await h.close();

// cold: a fresh process state each time (nothing cached), as for the first question about an instant
const coldInvolved = [];
const coldWhole = [];
for (let i = 0; i < 5; i++) {
  h = await openHistoryFile(file, arg('cluster'));
  let t = performance.now();
  const r = h.queries.routes.route({ host: pick(i), port: 80, at: new Date(base - i) });
  coldInvolved.push(performance.now() - t);
  if (!r.answer.service) throw new Error(`no service for ${pick(i)}`);
  t = performance.now();
  resolve(h.state.stateAt(new Date(base - i)).index, { kind: 'host', host: pick(i), port: 80 });
  coldWhole.push(performance.now() - t);
  await h.close();
}
// warm: one long-running state; distinct instants and hosts (namespaces) in a period without changes
h = await openHistoryFile(file, arg('cluster'));
const warm = [];
for (let i = 0; i < N; i++) {
  const t = performance.now();
  h.queries.routes.route({ host: pick(i), port: 80, at: new Date(base - 1000 - i) });
  warm.push(performance.now() - t);
}
console.log(JSON.stringify({
  file,
  objects: counts,
  routeAsOfMs: {
    coldInvolvedObjects: stats(coldInvolved),
    coldWholeSnapshot: stats(coldWhole),
    warmInvolvedObjects: stats(warm),
  },
}, null, 2));
await h.close();
