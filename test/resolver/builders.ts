/**
 * builders: small constructors for the objects resolver tests need, plus `ask`, which builds the index
 * from a deep-frozen snapshot (any attempt to modify an input throws) and checks the snapshot is unchanged.
 */
import { expect } from 'vitest';
import type {
  EndpointsObject,
  EndpointSliceObject,
  IngressClassObject,
  IngressObject,
  Kind,
  KubeObject,
  NodeObject,
  PodObject,
  ServiceObject,
  ServicePort,
  SliceEndpoint,
  SlicePort,
  Snapshot,
} from '../../src/model/objects.js';
import type { ClientOrigin } from '../../src/model/clientOrigin.js';
import { emptySnapshot, SNAPSHOT_FIELD } from '../../src/model/objects.js';
import type { ForwardQuestion, ReverseAnswer, ReverseQuestion, RouteAnswer } from '../../src/model/route.js';
import { buildIndex } from '../../src/resolver/SnapshotIndex.js';
import { resolve } from '../../src/resolver/resolve.js';
import { reverseLookup } from '../../src/resolver/reverseLookup.js';

const T0 = '2026-11-20T10:00:00Z';

function split(ref: string): { namespace: string; name: string } {
  const i = ref.indexOf('/');
  return i < 0 ? { namespace: 'default', name: ref } : { namespace: ref.slice(0, i), name: ref.slice(i + 1) };
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

export function port(p: number, extra: Partial<ServicePort> = {}): ServicePort {
  return { port: p, ...extra };
}

export function svc(ref: string, spec: NonNullable<ServiceObject['spec']> = {}, extra: { labels?: Record<string, string>; status?: ServiceObject['status']; created?: string } = {}): ServiceObject {
  const { namespace, name } = split(ref);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, uid: `uid-svc-${namespace}-${name}`, creationTimestamp: extra.created ?? T0, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { clusterIP: '10.96.0.10', ports: [port(80, { targetPort: 8080 })], ...spec },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export interface EpOpts {
  ready?: boolean | null;
  serving?: boolean | null;
  terminating?: boolean | null;
  node?: string;
  zone?: string;
  pod?: string;
  forZones?: string[];
  forNodes?: string[];
  addresses?: string[];
  noConditions?: boolean;
}

export function ep(address: string, o: EpOpts = {}): SliceEndpoint {
  const conditions: Record<string, boolean> = {};
  if (o.ready !== undefined && o.ready !== null) conditions['ready'] = o.ready;
  if (o.serving !== undefined && o.serving !== null) conditions['serving'] = o.serving;
  if (o.terminating !== undefined && o.terminating !== null) conditions['terminating'] = o.terminating;
  const hints = o.forZones || o.forNodes ? { ...(o.forZones ? { forZones: o.forZones.map((name) => ({ name })) } : {}), ...(o.forNodes ? { forNodes: o.forNodes.map((name) => ({ name })) } : {}) } : undefined;
  return {
    addresses: o.addresses ?? [address],
    ...(o.noConditions ? {} : { conditions }),
    ...(o.node ? { nodeName: o.node } : {}),
    ...(o.zone ? { zone: o.zone } : {}),
    ...(o.pod ? { targetRef: { kind: 'Pod', ...split(o.pod) } } : {}),
    ...(hints ? { hints } : {}),
  };
}

export function slice(
  ref: string,
  serviceName: string | null,
  ports: SlicePort[],
  endpoints: SliceEndpoint[],
  extra: { addressType?: string; labels?: Record<string, string>; managedBy?: string | null; owner?: string } = {},
): EndpointSliceObject {
  const { namespace, name } = split(ref);
  const labels: Record<string, string> = { ...(extra.labels ?? {}) };
  if (serviceName !== null) labels['kubernetes.io/service-name'] = serviceName;
  if (extra.managedBy !== null) labels['endpointslice.kubernetes.io/managed-by'] = extra.managedBy ?? 'staff';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace,
      name,
      labels,
      ...(extra.owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: extra.owner, uid: `uid-svc-${namespace}-${extra.owner}`, controller: true }] } : {}),
    },
    addressType: extra.addressType ?? 'IPv4',
    endpoints,
    ports,
  };
}

export interface PodOpts {
  labels?: Record<string, string>;
  ip?: string;
  ips?: string[];
  ready?: boolean;
  node?: string;
  hostIP?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  sidecarPorts?: { name?: string; containerPort: number; protocol?: string }[];
  phase?: string;
  terminating?: boolean;
  hostname?: string;
  subdomain?: string;
}

export function pod(ref: string, o: PodOpts = {}): PodObject {
  const { namespace, name } = split(ref);
  const ips = o.ips ?? (o.ip ? [o.ip] : []);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, uid: `uid-pod-${namespace}-${name}`, creationTimestamp: T0, labels: o.labels ?? {}, ...(o.terminating ? { deletionTimestamp: T0 } : {}) },
    spec: {
      nodeName: o.node ?? 'node-1',
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      containers: [{ name: 'app', ports: o.ports ?? [] }],
      ...(o.sidecarPorts ? { initContainers: [{ name: 'sidecar', restartPolicy: 'Always', ports: o.sidecarPorts }] } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(ips[0] ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}),
      ...(o.hostIP ? { hostIP: o.hostIP, hostIPs: [{ ip: o.hostIP }] } : {}),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

export function endpointsObj(ref: string, subsets: NonNullable<EndpointsObject['subsets']>, extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): EndpointsObject {
  const { namespace, name } = split(ref);
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace, name, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) }, subsets };
}

export interface PathSpec {
  path?: string | null;
  pathType?: string | null;
  service?: string;
  port?: number | string;
  resource?: { kind: string; name: string; apiGroup?: string };
}

function backendOf(p: { service?: string; port?: number | string; resource?: PathSpec['resource'] }) {
  if (p.resource) return { resource: p.resource };
  return { service: { name: p.service ?? 'web', port: typeof p.port === 'string' ? { name: p.port } : { number: p.port ?? 80 } } };
}

export function ingress(
  ref: string,
  rules: { host?: string; paths?: PathSpec[]; noHttp?: boolean }[],
  extra: { className?: string | null; annotationClass?: string; defaultBackend?: { service: string; port: number | string }; tls?: { hosts?: string[]; secretName?: string }[]; created?: string } = {},
): IngressObject {
  const { namespace, name } = split(ref);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace, name, creationTimestamp: extra.created ?? T0, ...(extra.annotationClass ? { annotations: { 'kubernetes.io/ingress.class': extra.annotationClass } } : {}) },
    spec: {
      ...(extra.className === null ? {} : { ingressClassName: extra.className ?? 'nginx' }),
      ...(extra.defaultBackend ? { defaultBackend: backendOf(extra.defaultBackend) } : {}),
      ...(extra.tls ? { tls: extra.tls } : {}),
      rules: rules.map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        ...(r.noHttp
          ? {}
          : {
              http: {
                paths: (r.paths ?? [{}]).map((p) => ({
                  ...(p.path === null ? {} : { path: p.path ?? '/' }),
                  ...(p.pathType === null ? {} : { pathType: p.pathType ?? 'Prefix' }),
                  backend: backendOf(p),
                })),
              },
            }),
      })),
    },
  };
}

export function ingressClass(name: string, o: { isDefault?: boolean; created?: string; controller?: string } = {}): IngressClassObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, creationTimestamp: o.created ?? T0, ...(o.isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller: o.controller ?? 'example.com/ingress-controller' },
  };
}

/** A Node with an InternalIP and, when given, the zone label (as a kubelet and cloud provider set them). */
export function node(name: string, ip: string, zone?: string): NodeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, creationTimestamp: T0, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } },
    status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] },
  };
}

/** A snapshot of the given objects, sorted into kinds and deep-frozen. */
export function snapshot(...objects: KubeObject[]): Snapshot {
  const s = emptySnapshot() as unknown as { [K in keyof Snapshot]: KubeObject[] };
  for (const o of objects) s[SNAPSHOT_FIELD[o.kind as Kind]].push(o);
  return deepFreeze(s as unknown as Snapshot);
}

/** Resolves a question against a frozen snapshot of the objects, and checks the snapshot is unchanged. */
export function ask(objects: KubeObject[], q: ForwardQuestion): RouteAnswer {
  const snap = snapshot(...objects);
  const before = JSON.stringify(snap);
  const a = resolve(buildIndex(snap), q);
  expect(JSON.stringify(snap)).toBe(before);
  return a;
}

export function askReverse(objects: KubeObject[], q: ReverseQuestion): ReverseAnswer {
  const snap = snapshot(...objects);
  const before = JSON.stringify(snap);
  const a = reverseLookup(buildIndex(snap), q);
  expect(JSON.stringify(snap)).toBe(before);
  return a;
}

export const codes = (a: { findings: readonly { code: string }[] }) => a.findings.map((f) => f.code);

/** Service question shorthand. */
export function toService(ref: string, p?: number | string, extra: { client?: ClientOrigin; clientNode?: string; clientZone?: string; protocol?: string } = {}): ForwardQuestion {
  return { kind: 'service', ...split(ref), ...(p !== undefined ? { port: p } : {}), ...extra };
}

/** Host question shorthand. */
export function toHost(host: string, p?: number, path?: string, extra: { client?: ClientOrigin; clientNode?: string; clientZone?: string; ingressClass?: string; ingressController?: string; protocol?: string } = {}): ForwardQuestion {
  return { kind: 'host', host, ...(p !== undefined ? { port: p } : {}), ...(path !== undefined ? { path } : {}), ...extra };
}
