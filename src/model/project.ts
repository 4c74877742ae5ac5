/**
 * project: the projection of a Kubernetes object onto the fields routetrace keeps (objects.ts).
 *
 * Pure. Input: a raw API JSON object (watch events, manifests) or a client-node model instance (list
 * results: Date timestamps, explicit `undefined` members, no kind/apiVersion on items). Output: a new
 * plain object holding only the fields declared in objects.ts, so the same object from a list and from a
 * watch projects identically:
 *  - timestamps (Date or string) become RFC 3339 UTC strings, seconds precision unless the input had
 *    sub-second precision ("2026-01-02T03:04:05Z");
 *  - `apiVersion` and `kind` come from the kind argument, not from the input;
 *  - null and undefined members are omitted; annotations other than ROUTING_ANNOTATIONS are dropped
 *    (and an annotation map left empty is omitted);
 *  - every object's keys are in ascending code-unit order (arrays keep their order), so two projections
 *    are equal exactly when canonicalJson() of them is equal.
 * Everything else is dropped: env, command, args, volumes, secrets, images, resources, managedFields,
 * container statuses, condition messages/reasons, other annotations. The Gateway API kinds keep the fields
 * their schemas in gatewayProjection.ts name.
 */
import type { Kind, KubeObject } from './objects.js';
import { NODE_ZONE_LABELS, ROUTING_ANNOTATIONS } from './objects.js';
import { gatewayBody } from './gatewayProjection.js';

/** API group/version of each kept kind. */
export const API_VERSIONS: Readonly<Record<Kind, string>> = {
  Service: 'v1',
  Endpoints: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Pod: 'v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  Node: 'v1',
  GatewayClass: 'gateway.networking.k8s.io/v1',
  Gateway: 'gateway.networking.k8s.io/v1',
  HTTPRoute: 'gateway.networking.k8s.io/v1',
  GRPCRoute: 'gateway.networking.k8s.io/v1',
  ReferenceGrant: 'gateway.networking.k8s.io/v1beta1',
};

/** The single canonical text of a projection (keys already sorted by project()). */
export function canonicalJson(projection: unknown): string {
  return JSON.stringify(projection);
}

type Rec = Record<string, unknown>;
type Out = Record<string, unknown>;

const routingAnnotations = new Set(ROUTING_ANNOTATIONS);
const nodeZoneLabels = new Set(NODE_ZONE_LABELS);

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Builds an object from [key, value] pairs given in ascending key order, omitting null/undefined values. */
function o(...pairs: [string, unknown][]): Out | undefined {
  let out: Out | undefined;
  for (const [k, v] of pairs) {
    if (v === undefined || v === null) continue;
    (out ??= {})[k] = v;
  }
  return out;
}

function prim(v: unknown): string | number | boolean | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** RFC 3339 UTC; drops a zero millisecond part so API strings and Dates agree. */
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

export function normaliseTime(v: unknown): string | undefined {
  if (typeof v === 'string' && CANONICAL_TIME.test(v)) return v; // the API server's own format
  let d: Date;
  if (v instanceof Date) d = v;
  else if (typeof v === 'string') {
    d = new Date(v);
    if (Number.isNaN(d.getTime())) return v;
  } else return undefined;
  if (Number.isNaN(d.getTime())) return undefined;
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A string→string map with sorted keys; `keep` filters keys. An empty input map stays an empty map. */
function stringMap(v: unknown, keep?: (k: string) => boolean): Record<string, string> | undefined {
  if (!isRec(v)) return undefined;
  const keys = Object.keys(v).filter((k) => typeof v[k] === 'string' && (!keep || keep(k))).sort();
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = v[k] as string;
  return out;
}

function list<T>(v: unknown, each: (item: Rec) => T | undefined): T[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: T[] = [];
  for (const item of v) {
    if (!isRec(item)) continue;
    const p = each(item);
    if (p !== undefined) out.push(p);
  }
  return out;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;
}

function metadata(m: unknown): Out {
  const r = isRec(m) ? m : {};
  const annotations = stringMap(r.annotations, (k) => routingAnnotations.has(k));
  return o(
    ['annotations', annotations && Object.keys(annotations).length > 0 ? annotations : undefined],
    ['creationTimestamp', normaliseTime(r.creationTimestamp)],
    ['deletionTimestamp', normaliseTime(r.deletionTimestamp)],
    ['labels', stringMap(r.labels)],
    ['name', str(r.name) ?? ''],
    ['namespace', str(r.namespace)],
    ['ownerReferences', list(r.ownerReferences, (x) => o(
      ['apiVersion', str(x.apiVersion)],
      ['controller', bool(x.controller)],
      ['kind', str(x.kind)],
      ['name', str(x.name)],
      ['uid', str(x.uid)],
    ))],
    ['resourceVersion', str(r.resourceVersion)],
    ['uid', str(r.uid)],
  )!;
}

function loadBalancerStatus(s: unknown): Out | undefined {
  if (!isRec(s)) return undefined;
  const lb = isRec(s.loadBalancer) ? s.loadBalancer : undefined;
  return o(['loadBalancer', lb && (o(['ingress', list(lb.ingress, (i) => o(
    ['hostname', str(i.hostname)],
    ['ip', str(i.ip)],
    ['ipMode', str(i.ipMode)],
    ['ports', list(i.ports, (p) => o(['error', str(p.error)], ['port', num(p.port)], ['protocol', str(p.protocol)]))],
  ) ?? {})]) ?? {})]);
}

function objectRef(v: unknown): Out | undefined {
  if (!isRec(v)) return undefined;
  return o(['kind', str(v.kind)], ['name', str(v.name)], ['namespace', str(v.namespace)], ['uid', str(v.uid)]) ?? {};
}

function service(x: Rec): [string, unknown][] {
  const s = isRec(x.spec) ? x.spec : undefined;
  const sac = s && isRec(s.sessionAffinityConfig) ? s.sessionAffinityConfig : undefined;
  const cip = sac && isRec(sac.clientIP) ? sac.clientIP : undefined;
  return [
    ['spec', s && (o(
      ['allocateLoadBalancerNodePorts', bool(s.allocateLoadBalancerNodePorts)],
      ['clusterIP', str(s.clusterIP)],
      ['clusterIPs', strings(s.clusterIPs)],
      ['externalIPs', strings(s.externalIPs)],
      ['externalName', str(s.externalName)],
      ['externalTrafficPolicy', str(s.externalTrafficPolicy)],
      ['healthCheckNodePort', num(s.healthCheckNodePort)],
      ['internalTrafficPolicy', str(s.internalTrafficPolicy)],
      ['ipFamilies', strings(s.ipFamilies)],
      ['ipFamilyPolicy', str(s.ipFamilyPolicy)],
      ['loadBalancerIP', str(s.loadBalancerIP)],
      ['loadBalancerSourceRanges', strings(s.loadBalancerSourceRanges)],
      ['ports', list(s.ports, (p) => o(
        ['appProtocol', str(p.appProtocol)],
        ['name', str(p.name)],
        ['nodePort', num(p.nodePort)],
        ['port', num(p.port)],
        ['protocol', str(p.protocol)],
        ['targetPort', prim(p.targetPort)],
      ) ?? {})],
      ['publishNotReadyAddresses', bool(s.publishNotReadyAddresses)],
      ['selector', stringMap(s.selector)],
      ['sessionAffinity', str(s.sessionAffinity)],
      ['sessionAffinityConfig', sac && (o(['clientIP', cip && (o(['timeoutSeconds', num(cip.timeoutSeconds)]) ?? {})]) ?? {})],
      ['trafficDistribution', str(s.trafficDistribution)],
      ['type', str(s.type)],
    ) ?? {})],
    ['status', loadBalancerStatus(x.status)],
  ];
}

function endpointAddress(a: Rec): Out {
  return o(
    ['hostname', str(a.hostname)],
    ['ip', str(a.ip) ?? ''],
    ['nodeName', str(a.nodeName)],
    ['targetRef', objectRef(a.targetRef)],
  )!;
}

function endpoints(x: Rec): [string, unknown][] {
  return [
    ['subsets', list(x.subsets, (s) => o(
      ['addresses', list(s.addresses, endpointAddress)],
      ['notReadyAddresses', list(s.notReadyAddresses, endpointAddress)],
      ['ports', list(s.ports, (p) => o(
        ['appProtocol', str(p.appProtocol)], ['name', str(p.name)], ['port', num(p.port)], ['protocol', str(p.protocol)],
      ) ?? {})],
    ) ?? {})],
  ];
}

function endpointSlice(x: Rec): [string, unknown][] {
  const named = (v: unknown) => list(v, (z) => o(['name', str(z.name)]) ?? {});
  return [
    ['addressType', str(x.addressType)],
    ['endpoints', list(x.endpoints, (e) => {
      const c = isRec(e.conditions) ? e.conditions : undefined;
      const h = isRec(e.hints) ? e.hints : undefined;
      return o(
        ['addresses', strings(e.addresses) ?? []],
        ['conditions', c && (o(['ready', bool(c.ready)], ['serving', bool(c.serving)], ['terminating', bool(c.terminating)]) ?? {})],
        ['hints', h && (o(['forNodes', named(h.forNodes)], ['forZones', named(h.forZones)]) ?? {})],
        ['hostname', str(e.hostname)],
        ['nodeName', str(e.nodeName)],
        ['targetRef', objectRef(e.targetRef)],
        ['zone', str(e.zone)],
      )!;
    })],
    ['ports', list(x.ports, (p) => o(
      ['appProtocol', str(p.appProtocol)], ['name', str(p.name)], ['port', num(p.port)], ['protocol', str(p.protocol)],
    ) ?? {})],
  ];
}

function containers(v: unknown): Out[] | undefined {
  return list(v, (c) => o(
    ['name', str(c.name) ?? ''],
    ['ports', list(c.ports, (p) => o(
      ['containerPort', num(p.containerPort)], ['hostPort', num(p.hostPort)], ['name', str(p.name)], ['protocol', str(p.protocol)],
    ) ?? {})],
    ['restartPolicy', str(c.restartPolicy)],
  )!);
}

function pod(x: Rec): [string, unknown][] {
  const s = isRec(x.spec) ? x.spec : undefined;
  const st = isRec(x.status) ? x.status : undefined;
  const ips = (v: unknown) => list(v, (i) => o(['ip', str(i.ip)]) ?? {});
  return [
    ['spec', s && (o(
      ['containers', containers(s.containers)],
      ['hostNetwork', bool(s.hostNetwork)],
      ['hostname', str(s.hostname)],
      ['initContainers', containers(s.initContainers)],
      ['nodeName', str(s.nodeName)],
      ['subdomain', str(s.subdomain)],
    ) ?? {})],
    ['status', st && (o(
      ['conditions', list(st.conditions, (c) => o(
        ['lastTransitionTime', normaliseTime(c.lastTransitionTime)], ['status', str(c.status)], ['type', str(c.type)],
      ) ?? {})],
      ['hostIP', str(st.hostIP)],
      ['hostIPs', ips(st.hostIPs)],
      ['phase', str(st.phase)],
      ['podIP', str(st.podIP)],
      ['podIPs', ips(st.podIPs)],
    ) ?? {})],
  ];
}

function ingressBackend(v: unknown): Out | undefined {
  if (!isRec(v)) return undefined;
  const svc = isRec(v.service) ? v.service : undefined;
  const port = svc && isRec(svc.port) ? svc.port : undefined;
  const res = isRec(v.resource) ? v.resource : undefined;
  return o(
    ['resource', res && (o(['apiGroup', str(res.apiGroup)], ['kind', str(res.kind)], ['name', str(res.name)]) ?? {})],
    ['service', svc && o(
      ['name', str(svc.name) ?? ''],
      ['port', port && (o(['name', str(port.name)], ['number', num(port.number)]) ?? {})],
    )],
  ) ?? {};
}

function ingress(x: Rec): [string, unknown][] {
  const s = isRec(x.spec) ? x.spec : undefined;
  return [
    ['spec', s && (o(
      ['defaultBackend', ingressBackend(s.defaultBackend)],
      ['ingressClassName', str(s.ingressClassName)],
      ['rules', list(s.rules, (r) => {
        const http = isRec(r.http) ? r.http : undefined;
        return o(
          ['host', str(r.host)],
          ['http', http && { paths: list(http.paths, (p) => o(
            ['backend', ingressBackend(p.backend) ?? {}], ['path', str(p.path)], ['pathType', str(p.pathType)],
          )!) ?? [] }],
        ) ?? {};
      })],
      ['tls', list(s.tls, (t) => o(['hosts', strings(t.hosts)], ['secretName', str(t.secretName)]) ?? {})],
    ) ?? {})],
    ['status', loadBalancerStatus(x.status)],
  ];
}

function ingressClass(x: Rec): [string, unknown][] {
  const s = isRec(x.spec) ? x.spec : undefined;
  return [['spec', s && (o(['controller', str(s.controller)]) ?? {})]];
}

/** A Node's metadata: name, uid, resourceVersion, creation time and the zone labels; nothing else. */
function nodeMetadata(m: unknown): Out {
  const r = isRec(m) ? m : {};
  const labels = stringMap(r.labels, (k) => nodeZoneLabels.has(k));
  return o(
    ['creationTimestamp', normaliseTime(r.creationTimestamp)],
    ['labels', labels && Object.keys(labels).length > 0 ? labels : undefined],
    ['name', str(r.name) ?? ''],
    ['resourceVersion', str(r.resourceVersion)],
    ['uid', str(r.uid)],
  )!;
}

/** Node: its addresses only (labels are narrowed to the zone labels in project()). */
function node(x: Rec): [string, unknown][] {
  const s = isRec(x.status) ? x.status : undefined;
  return [['status', s && (o(['addresses', list(s.addresses, (a) => o(['address', str(a.address)], ['type', str(a.type)]))]) ?? {})]];
}

const BODIES: Readonly<Record<Kind, (x: Rec) => [string, unknown][]>> = {
  Service: service,
  Endpoints: endpoints,
  EndpointSlice: endpointSlice,
  Pod: pod,
  Ingress: ingress,
  IngressClass: ingressClass,
  Node: node,
  GatewayClass: (x) => gatewayBody('GatewayClass', x),
  Gateway: (x) => gatewayBody('Gateway', x),
  HTTPRoute: (x) => gatewayBody('HTTPRoute', x),
  GRPCRoute: (x) => gatewayBody('GRPCRoute', x),
  ReferenceGrant: (x) => gatewayBody('ReferenceGrant', x),
};

/** The narrowed, canonical projection of `object` as an object of `kind` (see the file comment). */
export function project(kind: Kind, object: KubeObject): KubeObject {
  const x = object as unknown as Rec;
  const pairs: [string, unknown][] = [
    ['apiVersion', API_VERSIONS[kind]],
    ['kind', kind],
    ['metadata', kind === 'Node' ? nodeMetadata(x.metadata) : metadata(x.metadata)],
    ...BODIES[kind](x),
  ];
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return o(...pairs) as unknown as KubeObject;
}
