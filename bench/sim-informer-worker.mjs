// sim-informer-worker: one client-node informer on the bench namespace's Pods (used by sim-throughput.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import * as k8s from '@kubernetes/client-node';
const kc = new k8s.KubeConfig();
kc.loadFromClusterAndUser({ name: 'sim', server: workerData.url, skipTLSVerify: true }, { name: 'u', token: 't' });
const core = kc.makeApiClient(k8s.CoreV1Api);
const inf = k8s.makeInformer(kc, '/api/v1/namespaces/bench/pods', () => core.listNamespacedPod({ namespace: 'bench' }));
let updates = 0;
inf.on('update', () => {
  updates++;
  if (updates === workerData.events) parentPort.postMessage({ done: performance.timeOrigin + performance.now() });
});
inf.on('error', (e) => parentPort.postMessage({ error: String(e) }));
await inf.start();
parentPort.postMessage({ ready: true });
parentPort.on('message', async (m) => { if (m === 'stop') { await inf.stop(); process.exit(0); } });
