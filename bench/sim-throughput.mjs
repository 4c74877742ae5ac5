// sim-throughput: measures the simulator (run `npx tsc -p tsconfig.build.json` first; this imports dist/).
//   node bench/sim-throughput.mjs [events=20000] [services=5000] [pods=50000]
// 1. watch events per second delivered to one @kubernetes/client-node informer (the informer runs in a
//    worker thread, the simulator in the main thread);
// 2. objects listed per second at the services/pods scale: raw HTTP (server side, one list and paged by
//    500) and through client-node's listPodForAllNamespaces (deserialisation included).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { request } from 'node:http';
import { startSim } from '../dist/sim/startSim.js';

const EVENTS = Number(process.argv[2] ?? 20000);
const SERVICES = Number(process.argv[3] ?? 5000);
const PODS = Number(process.argv[4] ?? 50000);

function get(url) {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let n = 0;
      const chunks = [];
      res.on('data', (d) => {
        n += d.length;
        chunks.push(d);
      });
      res.on('end', () => resolve({ bytes: n, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}


async function watchThroughput(burst) {
  const sim = await startSim({ historyWindow: EVENTS + 1000 });
  const pods = 50;
  for (let i = 0; i < pods; i++) {
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'bench', labels: { app: 'bench' } }, spec: { containers: [{ name: 'c' }] } });
  }
  const worker = new Worker(new URL('./sim-informer-worker.mjs', import.meta.url), { workerData: { url: sim.url, events: EVENTS } });
  const done = new Promise((resolve, reject) => {
    worker.on('message', (m) => {
      if (m.error) reject(new Error(m.error));
      if (m.done) resolve(m.done);
    });
    worker.on('error', reject);
  });
  await new Promise((resolve, reject) => {
    worker.once('message', (m) => (m.ready ? resolve() : reject(new Error(JSON.stringify(m)))));
    worker.once('error', reject);
  });
  // Live: events are produced (sim.apply) while the informer consumes them. Burst: watch delivery is
  // paused while the events are produced, then released at once (measures the informer side alone).
  if (burst) sim.faults.pause();
  let t0 = Date.now();
  for (let i = 0; i < EVENTS; i++) {
    const p = sim.get('Pod', 'bench', `p${i % pods}`);
    sim.apply({ ...p, metadata: { ...p.metadata, annotations: { n: String(i) } } });
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  const produced = Date.now();
  if (burst) {
    t0 = Date.now();
    sim.faults.resume();
  }
  const t1 = await done;
  worker.postMessage('stop');
  await sim.close();
  return { mode: burst ? 'burst' : 'live', events: EVENTS, produceMs: burst ? undefined : produced - t0, deliverMs: Math.round(t1 - t0), perSecond: Math.round(EVENTS / ((t1 - t0) / 1000)) };
}

async function listThroughput() {
  const t0 = Date.now();
  const sim = await startSim({ scale: { services: SERVICES, pods: PODS, ingresses: Math.round(SERVICES / 5) } });
  const buildMs = Date.now() - t0;
  const out = { buildMs, services: SERVICES, pods: PODS };
  // Raw HTTP, one list of all Pods (first call fills the serialization cache; measure the second too).
  for (const label of ['podsColdMs', 'podsWarmMs']) {
    const t = Date.now();
    const r = await get(`${sim.url}/api/v1/pods`);
    out[label] = Date.now() - t;
    out.podsBytes = r.bytes;
  }
  out.rawPodsPerSecond = Math.round(PODS / (out.podsWarmMs / 1000));
  // Raw HTTP, paged by 500.
  {
    const t = Date.now();
    let cont = '';
    let n = 0;
    do {
      const r = JSON.parse((await get(`${sim.url}/api/v1/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).body);
      n += r.items.length;
      cont = r.metadata.continue ?? '';
    } while (cont);
    out.pagedPodsPerSecond = Math.round(n / ((Date.now() - t) / 1000));
  }
  // All kinds, raw.
  {
    const t = Date.now();
    let n = 0;
    for (const p of ['/api/v1/services', '/api/v1/endpoints', '/api/v1/pods', '/apis/discovery.k8s.io/v1/endpointslices', '/apis/networking.k8s.io/v1/ingresses']) {
      n += JSON.parse((await get(`${sim.url}${p}`)).body).items.length;
    }
    out.allKindsObjects = n;
    out.allKindsPerSecond = Math.round(n / ((Date.now() - t) / 1000));
  }
  // Through client-node (what an informer's listFn does).
  {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromClusterAndUser({ name: 'sim', server: sim.url, skipTLSVerify: true }, { name: 'u', token: 't' });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const t = Date.now();
    const list = await core.listPodForAllNamespaces();
    out.clientNodePodsMs = Date.now() - t;
    out.clientNodePodsPerSecond = Math.round(list.items.length / (out.clientNodePodsMs / 1000));
  }
  await sim.close();
  return out;
}

const results = { machine: { cpus: cpus().length, node: process.version, loadavg: loadavg().map((l) => Math.round(l * 10) / 10) }, watch: [], list: undefined };
for (const burst of [false, true]) {
  const w = await watchThroughput(burst);
  results.watch.push(w);
  console.log('watch events delivered to one client-node informer:', JSON.stringify(w));
}
results.list = await listThroughput();
console.log('list throughput at scale:', JSON.stringify(results.list));
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`sim-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, dir);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`written to ${file.pathname}`);
