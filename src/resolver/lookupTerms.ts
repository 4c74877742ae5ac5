/**
 * lookupTerms: the terms under which a ClusterView lookup finds an object, computed from the object alone.
 *
 * The history store keeps, for every object, the validity intervals of its terms (LookupKey rows: a term is
 * opened when a version first has it and closed when a version no longer does), so the history view can
 * answer "which objects answer this lookup at instant T" with one index range read instead of rebuilding
 * the cluster. A term is a superset test: the view reads the objects a term names and then applies the
 * lookup's exact rule to them (objectEntries.ts), so a term may name more objects than match, never fewer.
 *
 * Terms per kind (keys as in ClusterView: namespace/name, lower-case hosts, canonical IPs):
 *  - Service: its IP entries, nodePorts and load-balancer hostnames (serviceEntries), each selector entry;
 *  - Pod: each IP (not hostNetwork), each node IP it reports when it names a node, each label;
 *  - Ingress: each rule host (exact, wildcard suffix, or "no host"), "has a default backend", each backend
 *    Service, each spec.tls host, each status load-balancer IP (ingressEntries);
 *  - EndpointSlice: its Service (label kubernetes.io/service-name) or "unlabelled in namespace"; for a
 *    labelled slice also the first address of each endpoint and each node it lists with a zone;
 *  - Endpoints: every address it lists (ready or not);
 *  - IngressClass: none (the few there are are read whole);
 *  - the Gateway API kinds: "a Gateway API object" (views read them whole; timelines find their changes by
 *    it), and for HTTPRoute/GRPCRoute each backend Service.
 * termHash turns a term into the 52-bit integer stored in LookupKey.term (FNV-1a in two lanes over UTF-16
 * code units). Both are part of the stored format: changing them needs a backfill of LookupKey.
 */
import type { EndpointsObject, EndpointSliceObject, IngressObject, Kind, KubeObject, PodObject, ServiceObject } from '../model/objects.js';
import type { GRPCRouteObject, HTTPRouteObject } from '../model/gatewayObjects.js';
import { keyOf, nsOf, selectorOf, sliceServiceName } from './apiDefaults.js';
import { canonicalIP } from './canonicalIP.js';
import { ingressEntries, serviceEntries } from './objectEntries.js';
import { hostIPs, podIPs } from './podFacts.js';

/** Term builders, shared by the writer (lookupTerms) and the history view's reads. */
export const TERM = {
  serviceIP: (ip: string) => `s.ip ${ip}`,
  serviceNodePort: (port: number) => `s.np ${port}`,
  serviceLBHostname: (host: string) => `s.lbh ${host}`,
  serviceSelects: (namespace: string, key: string, value: string) => `s.sel ${namespace}\u0000${key}\u0000${value}`,
  podIP: (ip: string) => `p.ip ${ip}`,
  podNodeIP: (ip: string) => `p.node ${ip}`,
  podLabel: (namespace: string, key: string, value: string) => `p.l ${namespace}\u0000${key}\u0000${value}`,
  ingressHost: (host: string) => `i.h ${host}`,
  ingressWildcard: (suffix: string) => `i.w ${suffix}`,
  ingressHostless: 'i.nohost',
  ingressDefaultBackend: 'i.default',
  ingressBackend: (serviceKey: string) => `i.b ${serviceKey}`,
  ingressTls: (host: string) => `i.tls ${host}`,
  ingressAddress: (ip: string) => `i.lb ${ip}`,
  sliceService: (serviceKey: string) => `es.s ${serviceKey}`,
  sliceUnlabeled: (namespace: string) => `es.u ${namespace}`,
  endpointAddress: (ip: string) => `e.a ${ip}`,
  nodeZone: (node: string) => `e.nz ${node}`,
  gatewayApiObject: 'gw.any',
  routeBackend: (serviceKey: string) => `gw.b ${serviceKey}`,
} as const;

function routeTerms(route: HTTPRouteObject | GRPCRouteObject, out: Set<string>): void {
  out.add(TERM.gatewayApiObject);
  const ns = nsOf(route);
  for (const rule of route.spec?.rules ?? []) {
    for (const b of rule.backendRefs ?? []) {
      if ((b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service') out.add(TERM.routeBackend(keyOf(b.namespace ?? ns, b.name)));
    }
  }
}

function serviceTerms(svc: ServiceObject, out: Set<string>): void {
  const e = serviceEntries(svc);
  for (const [ip] of e.ips) out.add(TERM.serviceIP(ip));
  for (const [port] of e.nodePorts) out.add(TERM.serviceNodePort(port));
  for (const h of e.lbHostnames) out.add(TERM.serviceLBHostname(h));
  const ns = nsOf(svc);
  for (const [k, v] of Object.entries(selectorOf(svc) ?? {})) out.add(TERM.serviceSelects(ns, k, v));
}

function podTerms(pod: PodObject, out: Set<string>): void {
  const ns = nsOf(pod);
  if (!pod.spec?.hostNetwork) for (const ip of podIPs(pod)) out.add(TERM.podIP(ip));
  if (pod.spec?.nodeName) for (const ip of hostIPs(pod)) out.add(TERM.podNodeIP(ip));
  for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) out.add(TERM.podLabel(ns, k, v));
}

function ingressTerms(ing: IngressObject, out: Set<string>): void {
  const e = ingressEntries(ing);
  for (const { key } of e.rules) {
    if (key === null) out.add(TERM.ingressHostless);
    else if (key.startsWith('*.')) out.add(TERM.ingressWildcard(key.slice(1)));
    else out.add(TERM.ingressHost(key));
  }
  if (ing.spec?.defaultBackend) out.add(TERM.ingressDefaultBackend);
  for (const [serviceKey] of e.backends) out.add(TERM.ingressBackend(serviceKey));
  for (const [host] of e.tls) out.add(TERM.ingressTls(host));
  for (const ip of e.lbIPs) out.add(TERM.ingressAddress(ip));
}

function sliceTerms(slice: EndpointSliceObject, out: Set<string>): void {
  const ns = nsOf(slice);
  const service = sliceServiceName(slice);
  if (service === null) {
    out.add(TERM.sliceUnlabeled(ns));
    return;
  }
  out.add(TERM.sliceService(keyOf(ns, service)));
  for (const e of slice.endpoints ?? []) {
    const ip = canonicalIP(e.addresses?.[0]);
    if (ip) out.add(TERM.endpointAddress(ip));
    if (e.nodeName && e.zone) out.add(TERM.nodeZone(e.nodeName));
  }
}

function endpointsTerms(ep: EndpointsObject, out: Set<string>): void {
  for (const subset of ep.subsets ?? []) {
    for (const a of [...(subset.addresses ?? []), ...(subset.notReadyAddresses ?? [])]) {
      const ip = canonicalIP(a.ip);
      if (ip) out.add(TERM.endpointAddress(ip));
    }
  }
}

/** The distinct terms of one projection of `kind`. */
export function lookupTerms(kind: Kind, obj: KubeObject): Set<string> {
  const out = new Set<string>();
  switch (kind) {
    case 'Service': serviceTerms(obj as ServiceObject, out); break;
    case 'Pod': podTerms(obj as PodObject, out); break;
    case 'Ingress': ingressTerms(obj as IngressObject, out); break;
    case 'EndpointSlice': sliceTerms(obj as EndpointSliceObject, out); break;
    case 'Endpoints': endpointsTerms(obj as EndpointsObject, out); break;
    case 'IngressClass': break;
    case 'Node': break;
    case 'HTTPRoute':
    case 'GRPCRoute': routeTerms(obj as HTTPRouteObject, out); break;
    case 'GatewayClass':
    case 'Gateway':
    case 'ReferenceGrant': out.add(TERM.gatewayApiObject); break;
  }
  return out;
}

/** The 52-bit integer a term is stored as (exact in a JS number and in SQLite/PostgreSQL BIGINT). */
export function termHash(term: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) >>> 12);
}

/** The stored hashes of an object's terms, sorted ascending, without duplicates. */
export function lookupTermHashes(kind: Kind, obj: KubeObject): number[] {
  const hashes = [...new Set([...lookupTerms(kind, obj)].map(termHash))];
  return hashes.sort((x, y) => x - y);
}
