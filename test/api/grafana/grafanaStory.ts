/**
 * grafanaStory: a small cluster recorded into a real history database (temp SQLite file) through the real
 * HistoryWriter, inside the time range of the Grafana fixtures (2026-11-26 01:00-07:00 UTC), served by the
 * real HttpServer and API modules on 127.0.0.1.
 *
 * Story (times UTC on 2026-11-26):
 *  00:00  prod/checkout (ports http 80→8080, metrics 9090) with slice checkout-a: 10.1.0.1 (eu-west-1a,
 *         node-a), 10.1.0.2 (eu-west-1b, node-b), 10.1.0.3 (eu-west-1a, node-a), all ready; its Endpoints
 *         object lists the same three (must not count twice); prod/payments (http 80→8080): 10.2.0.1,
 *         10.2.0.2 ready (eu-west-1b); staging/checkout: 10.3.0.1 ready (eu-west-1c); Ingress
 *         shop.example.com → prod/checkout:80; staging/legacy-db (no selector, unnamed port 5432) has only an
 *         Endpoints object: 192.168.50.10 ready.
 *  03:00:00  10.1.0.2 not ready          03:00:30  10.1.0.2 ready again
 *  04:00:00  10.1.0.4 (eu-west-1a, node-c) added, not ready
 *  04:00:20  10.1.0.1 terminating        04:00:40  10.1.0.4 ready, 10.1.0.1 removed
 *  05:00:00  payments 10.2.0.2 not ready
 *  06:00-06:01  EndpointSlice watch gap (stream lost)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApi, type Api } from '../../../src/api/createApi.js';
import { HistoryWriter } from '../../../src/history/HistoryWriter.js';
import type { KubeObject } from '../../../src/model/objects.js';
import { HttpServer } from '../../../src/server.js';
import { silentLogger } from '../../../src/watch/Logger.js';

export const DAY = Date.parse('2026-11-26T00:00:00.000Z');
export const hm = (h: number, m = 0, s = 0) => DAY + ((h * 60 + m) * 60 + s) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Ep {
  ip: string;
  zone: string;
  node: string;
  pod: string;
  ready?: boolean;
  terminating?: boolean;
}

function service(ns: string, name: string, ports: { name: string; port: number; targetPort: number | string }[]): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { namespace: ns, name, uid: `uid-svc-${ns}-${name}`, resourceVersion: '1', creationTimestamp: iso(DAY - 3_600_000) },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], selector: { app: name }, ports: ports.map((p) => ({ ...p, protocol: 'TCP' })) },
  } as unknown as KubeObject;
}

function slice(ns: string, name: string, svc: string, rv: string, eps: Ep[], ports: { name: string; port: number }[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: ns, name, uid: `uid-slice-${ns}-${name}`, resourceVersion: rv, creationTimestamp: iso(DAY - 3_600_000),
      labels: { 'kubernetes.io/service-name': svc, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: (e.ready ?? true) && !e.terminating, serving: e.ready ?? true, terminating: e.terminating ?? false },
      nodeName: e.node, zone: e.zone,
      targetRef: { kind: 'Pod', namespace: ns, name: e.pod, uid: `uid-pod-${e.pod}` },
    })),
    ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
  } as unknown as KubeObject;
}

function endpointsObject(ns: string, name: string, ips: string[]): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { namespace: ns, name, uid: `uid-ep-${ns}-${name}`, resourceVersion: '2', creationTimestamp: iso(DAY - 3_600_000) },
    subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }] }],
  } as unknown as KubeObject;
}

const CHECKOUT_PORTS = [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }];
const ep = (n: number, zone: string, node: string, o: Partial<Ep> = {}): Ep => ({ ip: `10.1.0.${n}`, zone, node, pod: `checkout-${n}`, ...o });

function checkoutSlice(rv: string, eps: Ep[]): KubeObject {
  return slice('prod', 'checkout-a', 'checkout', rv, eps, CHECKOUT_PORTS);
}

function paymentsSlice(rv: string, secondReady: boolean): KubeObject {
  return slice('prod', 'payments-a', 'payments', rv, [
    { ip: '10.2.0.1', zone: 'eu-west-1b', node: 'node-b', pod: 'payments-1' },
    { ip: '10.2.0.2', zone: 'eu-west-1b', node: 'node-b', pod: 'payments-2', ready: secondReady },
  ], [{ name: 'http', port: 8080 }]);
}

export async function recordGrafanaStory(file: string): Promise<HistoryWriter> {
  const w = await HistoryWriter.open({ file, cluster: 'test', batchMs: 5 });
  const at = (ms: number) => new Date(ms);
  w.listed('Service', [
    service('prod', 'checkout', [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9090 }]),
    service('prod', 'payments', [{ name: 'http', port: 80, targetPort: 8080 }]),
    service('staging', 'checkout', [{ name: 'http', port: 80, targetPort: 8080 }]),
    { ...service('staging', 'legacy-db', []), spec: { type: 'ClusterIP', clusterIP: '10.96.0.11', ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] } } as KubeObject,
  ], at(hm(0)));
  w.listed('Endpoints', [
    endpointsObject('prod', 'checkout', ['10.1.0.1', '10.1.0.2', '10.1.0.3']),
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: 'staging', name: 'legacy-db', uid: 'uid-ep-legacy', resourceVersion: '3' },
      subsets: [{ addresses: [{ ip: '192.168.50.10' }], ports: [{ port: 5432, protocol: 'TCP' }] }] } as unknown as KubeObject,
  ], at(hm(0)));
  w.listed('EndpointSlice', [
    checkoutSlice('10', [ep(1, 'eu-west-1a', 'node-a'), ep(2, 'eu-west-1b', 'node-b'), ep(3, 'eu-west-1a', 'node-a')]),
    paymentsSlice('11', true),
    slice('staging', 'checkout-s', 'checkout', '12', [{ ip: '10.3.0.1', zone: 'eu-west-1c', node: 'node-s', pod: 'checkout-s1' }], [{ name: 'http', port: 8080 }]),
  ], at(hm(0)));
  w.listed('Pod', [], at(hm(0)));
  w.listed('Ingress', [{
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { namespace: 'prod', name: 'shop', uid: 'uid-ing-shop', resourceVersion: '5', creationTimestamp: iso(DAY - 3_600_000) },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'checkout', port: { number: 80 } } } }] } }] },
  } as unknown as KubeObject], at(hm(0)));
  w.listed('IngressClass', [{ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx', uid: 'uid-ic', resourceVersion: '6' }, spec: { controller: 'k8s.io/ingress-nginx' } } as KubeObject], at(hm(0)));
  await w.flush();

  const steps: [number, KubeObject][] = [
    [hm(3, 0, 0), checkoutSlice('20', [ep(1, 'eu-west-1a', 'node-a'), ep(2, 'eu-west-1b', 'node-b', { ready: false }), ep(3, 'eu-west-1a', 'node-a')])],
    [hm(3, 0, 30), checkoutSlice('21', [ep(1, 'eu-west-1a', 'node-a'), ep(2, 'eu-west-1b', 'node-b'), ep(3, 'eu-west-1a', 'node-a')])],
    [hm(4, 0, 0), checkoutSlice('30', [ep(1, 'eu-west-1a', 'node-a'), ep(2, 'eu-west-1b', 'node-b'), ep(3, 'eu-west-1a', 'node-a'), ep(4, 'eu-west-1a', 'node-c', { ready: false })])],
    [hm(4, 0, 20), checkoutSlice('31', [ep(1, 'eu-west-1a', 'node-a', { terminating: true }), ep(2, 'eu-west-1b', 'node-b'), ep(3, 'eu-west-1a', 'node-a'), ep(4, 'eu-west-1a', 'node-c', { ready: false })])],
    [hm(4, 0, 40), checkoutSlice('32', [ep(2, 'eu-west-1b', 'node-b'), ep(3, 'eu-west-1a', 'node-a'), ep(4, 'eu-west-1a', 'node-c')])],
    [hm(5), paymentsSlice('40', false)],
  ];
  for (const [t, o] of steps) {
    w.event('EndpointSlice', 'MODIFIED', o, at(t));
    await w.flush();
  }
  w.gap('EndpointSlice', at(hm(6)), at(hm(6, 1)), 'watch stream lost');
  await w.flush();
  return w;
}

export interface GrafanaTestServer {
  url: string;
  api: Api;
  close(): Promise<void>;
}

export async function startGrafanaServer(): Promise<GrafanaTestServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'routetrace-grafana-'));
  const writer = await recordGrafanaStory(path.join(dir, 'history.db'));
  const api = createApi(silentLogger);
  api.attachHistory(writer.database, 'test');
  const http = new HttpServer(api.routes, silentLogger);
  const { url } = await http.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    api,
    async close() {
      await http.close();
      await api.stop();
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function post(url: string, body: unknown): Promise<{ status: number; body: any; type: string | null }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, type: r.headers.get('content-type') };
}

export async function get(url: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}
