/**
 * fixtures: a small cluster recorded into a real history database (temp SQLite file) through the real
 * HistoryWriter, with the same reports teed into a LiveSnapshot, at chosen observed times.
 *
 * Story (times are offsets from T0 in seconds):
 *   0   initial lists: my-app-service (selector app=my-app, port 80 → http) with Pods v1-a/b/c
 *       (10.0.1.1-3, ready) in slice my-app-service-abc; Ingress my-app-ingress for shop.example.com;
 *       kube-public/external-webserver-cka03-svcn (no selector, no slice); IngressClass nginx.
 *  10   rollout starts: Pod v2-a (10.0.2.1) added not ready, slice lists it not ready
 *  20   v2-a ready (Pod Ready transition at +18 s), slice: v2-a ready, v1-a terminating
 *  30   v1-a gone, slice without it; v2-b (10.0.2.2) added ready; v2-c (10.0.2.3) added ready
 *  40   v1-b, v1-c gone: backends are v2-a/b/c only
 *  45   watch gap for EndpointSlice from +42 s to +44 s (stream lost)
 *  50   CKA: EndpointSlice for external-webserver-cka03-svcn with 192.168.141.31:9999 applied
 */
import type { HistoryLocation } from '../../src/history/historyLocation.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import type { Kind, KubeObject } from '../../src/model/objects.js';
import { GATEWAY_KINDS } from '../../src/model/objects.js';
import { LiveSnapshot } from '../../src/state/LiveSnapshot.js';
import type { ChangeSink, WatchEventType } from '../../src/watch/ChangeSink.js';

export const T0 = Date.parse('2026-11-26T08:00:00.000Z');
export const at = (s: number) => new Date(T0 + s * 1000);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'routetrace-queries-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function myAppService(): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { namespace: 'default', name: 'my-app-service', uid: 'uid-svc-my-app', resourceVersion: '1', creationTimestamp: iso(-3600), labels: { app: 'my-app' } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], selector: { app: 'my-app' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }] },
  } as KubeObject;
}

export function ckaService(): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { namespace: 'kube-public', name: 'external-webserver-cka03-svcn', uid: 'uid-svc-cka', resourceVersion: '2', creationTimestamp: iso(-3600) },
    spec: { type: 'ClusterIP', clusterIP: '10.43.109.238', clusterIPs: ['10.43.109.238'], ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] },
  } as KubeObject;
}

export function ckaSlice(rv: string): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: 'kube-public', name: 'external-webserver-cka03-svcn', uid: 'uid-slice-cka', resourceVersion: rv, creationTimestamp: iso(50), labels: { 'kubernetes.io/service-name': 'external-webserver-cka03-svcn' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['192.168.141.31'] }],
    ports: [{ port: 9999, protocol: 'TCP' }],
  } as unknown as KubeObject;
}

export function pod(name: string, ip: string, rv: string, o: { ready?: boolean; readyAt?: number; deleting?: number } = {}): KubeObject {
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      namespace: 'default', name, uid: `uid-${name}`, resourceVersion: rv, creationTimestamp: iso(-600), labels: { app: 'my-app' },
      ...(o.deleting !== undefined ? { deletionTimestamp: iso(o.deleting) } : {}),
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
    status: {
      phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: '172.18.0.2',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: iso(o.readyAt ?? -600) }],
    },
  } as unknown as KubeObject;
}

export interface Ep {
  ip: string;
  pod: string;
  ready?: boolean;
  terminating?: boolean;
}

export function mySlice(rv: string, eps: Ep[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: 'my-app-service-abc', uid: 'uid-slice-my-app', resourceVersion: rv, creationTimestamp: iso(-3600), labels: { 'kubernetes.io/service-name': 'my-app-service', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: (e.ready ?? true) && !e.terminating, serving: e.ready ?? true, terminating: e.terminating ?? false },
      nodeName: 'node-1',
      targetRef: { kind: 'Pod', namespace: 'default', name: e.pod, uid: `uid-${e.pod}` },
    })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  } as unknown as KubeObject;
}

export function ingress(): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { namespace: 'default', name: 'my-app-ingress', uid: 'uid-ing', resourceVersion: '3', creationTimestamp: iso(-3600) },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'my-app-service', port: { number: 80 } } } }] } }] },
  } as unknown as KubeObject;
}

export function ingressClass(): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx', uid: 'uid-ic', resourceVersion: '4' }, spec: { controller: 'k8s.io/ingress-nginx' } } as KubeObject;
}

/** Reports to both sinks (the history writer first, as serve does). */
export function tee(a: ChangeSink, b: ChangeSink): ChangeSink {
  return {
    event: (k: Kind, t: WatchEventType, o: KubeObject, d: Date) => { a.event(k, t, o, d); b.event(k, t, o, d); },
    listed: (k: Kind, o: readonly KubeObject[], d: Date) => { a.listed(k, o, d); b.listed(k, o, d); },
    gap: (k: Kind, f: Date, t: Date, r: string) => { a.gap(k, f, t, r); b.gap(k, f, t, r); },
    flush: async () => { await a.flush(); await b.flush(); },
  };
}

export const V1 = [
  { name: 'my-app-v1-a', ip: '10.0.1.1' },
  { name: 'my-app-v1-b', ip: '10.0.1.2' },
  { name: 'my-app-v1-c', ip: '10.0.1.3' },
];
export const V2 = [
  { name: 'my-app-v2-a', ip: '10.0.2.1' },
  { name: 'my-app-v2-b', ip: '10.0.2.2' },
  { name: 'my-app-v2-c', ip: '10.0.2.3' },
];

/** Records the story; returns the writer (open) and the live snapshot. `upTo` stops after that step. */
/** `where`: a SQLite file, or { file } / { url } (a PostgreSQL database). */
export async function recordStory(where: string | HistoryLocation, upTo = Infinity): Promise<{ writer: HistoryWriter; live: LiveSnapshot }> {
  const writer = await HistoryWriter.open({ ...(typeof where === 'string' ? { file: where } : where), cluster: 'test', batchMs: 5 });
  const live = new LiveSnapshot();
  const sink = tee(writer, live);
  const step = async (s: number, fn: () => void) => {
    if (s > upTo) return;
    fn();
    await sink.flush();
  };
  await step(0, () => {
    sink.listed('Service', [myAppService(), ckaService()], at(0));
    sink.listed('Endpoints', [], at(0));
    sink.listed('EndpointSlice', [mySlice('10', V1.map((p) => ({ ip: p.ip, pod: p.name })))], at(0));
    sink.listed('Pod', V1.map((p) => pod(p.name, p.ip, '11')), at(0));
    sink.listed('Ingress', [ingress()], at(0));
    sink.listed('IngressClass', [ingressClass()], at(0));
    for (const kind of ['Node', ...GATEWAY_KINDS] as const) sink.listed(kind, [], at(0));
  });
  await step(10, () => {
    sink.event('Pod', 'ADDED', pod('my-app-v2-a', '10.0.2.1', '20', { ready: false, readyAt: 9 }), at(10));
    sink.event('EndpointSlice', 'MODIFIED', mySlice('21', [...V1.map((p) => ({ ip: p.ip, pod: p.name })), { ip: '10.0.2.1', pod: 'my-app-v2-a', ready: false }]), at(10));
  });
  await step(20, () => {
    sink.event('Pod', 'MODIFIED', pod('my-app-v2-a', '10.0.2.1', '30', { ready: true, readyAt: 18 }), at(20));
    sink.event('Pod', 'MODIFIED', pod('my-app-v1-a', '10.0.1.1', '31', { deleting: 19 }), at(20));
    sink.event('EndpointSlice', 'MODIFIED', mySlice('32', [
      { ip: '10.0.1.1', pod: 'my-app-v1-a', terminating: true }, { ip: '10.0.1.2', pod: 'my-app-v1-b' }, { ip: '10.0.1.3', pod: 'my-app-v1-c' },
      { ip: '10.0.2.1', pod: 'my-app-v2-a' },
    ]), at(20));
  });
  await step(30, () => {
    sink.event('Pod', 'DELETED', pod('my-app-v1-a', '10.0.1.1', '40', { deleting: 19 }), at(30));
    sink.event('Pod', 'ADDED', pod('my-app-v2-b', '10.0.2.2', '41'), at(30));
    sink.event('Pod', 'ADDED', pod('my-app-v2-c', '10.0.2.3', '42'), at(30));
    sink.event('EndpointSlice', 'MODIFIED', mySlice('43', [
      { ip: '10.0.1.2', pod: 'my-app-v1-b' }, { ip: '10.0.1.3', pod: 'my-app-v1-c' },
      ...V2.map((p) => ({ ip: p.ip, pod: p.name })),
    ]), at(30));
  });
  await step(40, () => {
    sink.event('Pod', 'DELETED', pod('my-app-v1-b', '10.0.1.2', '50'), at(40));
    sink.event('Pod', 'DELETED', pod('my-app-v1-c', '10.0.1.3', '51'), at(40));
    sink.event('EndpointSlice', 'MODIFIED', mySlice('52', V2.map((p) => ({ ip: p.ip, pod: p.name }))), at(40));
  });
  await step(45, () => {
    sink.gap('EndpointSlice', at(42), at(44), 'watch stream lost');
  });
  await step(50, () => {
    sink.event('EndpointSlice', 'ADDED', ckaSlice('60'), at(50));
  });
  return { writer, live };
}
