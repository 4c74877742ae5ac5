/**
 * builders: small Kubernetes objects for history tests, as raw API JSON (the shape watch events carry).
 * Each builder takes the fields tests vary and a patch applied last.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeObject } from '../../src/model/objects.js';

export type Raw = KubeObject & Record<string, unknown>;

export function tempDir(prefix = 'routetrace-history-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const T0 = '2026-11-26T08:00:00Z';

export function service(ns: string, name: string, rv: string, patch: Partial<Raw> = {}): Raw {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { namespace: ns, name, uid: `uid-svc-${ns}-${name}`, resourceVersion: rv, creationTimestamp: T0,
      labels: { app: name }, managedFields: [{ manager: 'kubectl' }] } as Raw['metadata'],
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', selector: { app: name },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }] },
    ...patch,
  } as Raw;
}

export function pod(ns: string, name: string, rv: string, o: {
  ip?: string; ready?: boolean; node?: string; uid?: string; deletionTimestamp?: string; readyAt?: string;
  labels?: Record<string, string>;
} = {}): Raw {
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      namespace: ns, name, uid: o.uid ?? `uid-pod-${ns}-${name}`, resourceVersion: rv, creationTimestamp: T0,
      labels: o.labels ?? { app: 'web' },
      ...(o.deletionTimestamp ? { deletionTimestamp: o.deletionTimestamp } : {}),
    },
    spec: {
      nodeName: o.node ?? 'node-a',
      containers: [{ name: 'app', image: 'example/app:1', command: ['/bin/app'],
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
    },
    status: {
      phase: 'Running', podIP: o.ip ?? '10.0.0.1', podIPs: [{ ip: o.ip ?? '10.0.0.1' }], hostIP: '192.168.1.2',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: T0 },
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: o.readyAt ?? T0, message: 'x' },
      ],
      containerStatuses: [{ name: 'app', ready, restartCount: 0 }],
    },
  } as unknown as Raw;
}

export function slice(ns: string, name: string, service: string, rv: string,
  endpoints: { ip: string; ready: boolean; pod: string; node?: string }[]): Raw {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: ns, name, uid: `uid-slice-${ns}-${name}`, resourceVersion: rv, creationTimestamp: T0,
      labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip], conditions: { ready: e.ready, serving: e.ready, terminating: false },
      nodeName: e.node ?? 'node-a', zone: 'zone-1', targetRef: { kind: 'Pod', namespace: ns, name: e.pod, uid: `uid-pod-${ns}-${e.pod}` },
    })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  } as unknown as Raw;
}

export function ingress(ns: string, name: string, rv: string, host: string, service: string): Raw {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { namespace: ns, name, uid: `uid-ing-${ns}-${name}`, resourceVersion: rv, creationTimestamp: T0,
      annotations: { 'kubernetes.io/ingress.class': 'nginx', 'nginx.ingress.kubernetes.io/auth-secret': 'basic-auth' } },
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } }] } }],
      tls: [{ hosts: [host], secretName: `${name}-tls` }],
    },
  } as unknown as Raw;
}

/** Milliseconds after a fixed base time, as a Date. */
export const at = (ms: number): Date => new Date(Date.UTC(2026, 10, 26, 9, 0, 0) + ms);
