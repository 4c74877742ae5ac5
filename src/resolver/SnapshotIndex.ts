/**
 * SnapshotIndex: every lookup the resolver needs, built once per snapshot by `buildIndex` so that answering
 * a question is a handful of map reads, never a scan of the snapshot.
 *
 * Contents: Services by key, by IP (ClusterIP, externalIP, LB ingress IP) and by nodePort; node IPs (from
 * Pods' status.hostIP — the snapshot has no Node objects) and node zones (from slice endpoints); slices by
 * Service (E3 label), unlabeled slices by namespace; slices derived from Endpoints (mirroring, M4–M6) or,
 * when the snapshot has no EndpointSlices at all, from Pods (E4); Pods by key, IP and label; endpoint
 * references by IP (for reverse lookups); Ingress rules by exact host, by wildcard suffix and without host,
 * Ingress default backends, Ingress backends by Service; IngressClasses and the default class (I2).
 *
 * The index holds references into the snapshot and never modifies it. Every list is sorted so answers are
 * deterministic whatever the order of objects in the snapshot.
 */
import type {
  EndpointsObject,
  EndpointSliceObject,
  IngressBackend,
  IngressClassObject,
  IngressObject,
  PodObject,
  ServiceObject,
  ServicePort,
  SliceEndpoint,
  Snapshot,
} from '../model/objects.js';
import {
  DEFAULT_CLASS_ANNOTATION,
  INGRESS_CLASS_ANNOTATION,
  MIRROR_CONTROLLER,
  SLICE_CONTROLLER,
  keyOf,
  nsOf,
  selectorOf,
  serviceType,
  sliceServiceName,
} from './apiDefaults.js';
import { canonicalIP } from './canonicalIP.js';
import { mirrorDecision, mirrorEndpoints, slicesFromPods, type MirrorDecision } from './derivedSlices.js';
import { hostIPs, podIPs } from './podFacts.js';

export type ServiceIPKind = 'clusterIP' | 'externalIP' | 'loadBalancer';

export interface ServiceIPEntry {
  readonly service: ServiceObject;
  readonly kind: ServiceIPKind;
  /** LB ingress ipMode (P2), null otherwise. */
  readonly ipMode: string | null;
}

export interface IngressInfo {
  readonly obj: IngressObject;
  readonly namespace: string;
  readonly name: string;
  /** I1: spec.ingressClassName, else the deprecated annotation, else null. */
  readonly className: string | null;
  readonly classSource: 'field' | 'annotation' | null;
  readonly created: string;
  /** Order of the Ingress in the precedence list (oldest first, then namespace/name). */
  readonly rank: number;
}

export interface IngressPathRef {
  readonly ingress: IngressInfo;
  readonly host: string | null;
  readonly path: string;
  readonly pathType: string;
  readonly backend: IngressBackend;
  /** Position in the Ingress (rule index, path index) for deterministic ties. */
  readonly order: number;
}

export interface IngressRuleRef {
  readonly ingress: IngressInfo;
  readonly host: string | null;
  readonly paths: readonly IngressPathRef[];
  readonly hasHttp: boolean;
  /** Paths that fail I5 validation (kept to explain them). */
  readonly invalidPaths: readonly { path: string | null; pathType: string | null; problem: string }[];
}

export interface IngressBackendRef {
  readonly ingress: IngressInfo;
  readonly host: string | null;
  readonly path: string | null;
  readonly pathType: string | null;
  readonly defaultBackend: boolean;
  readonly port: number | string | null;
}

export interface EndpointRef {
  readonly serviceKey: string;
  readonly slice: EndpointSliceObject;
  readonly endpoint: SliceEndpoint;
}

export interface DerivedSlices {
  readonly slices: readonly EndpointSliceObject[];
  readonly source: { kind: 'Endpoints'; endpoints: EndpointsObject } | { kind: 'Pods' };
}

export interface SnapshotIndex {
  readonly snapshot: Snapshot;
  readonly hasEndpointSlices: boolean;
  readonly services: ReadonlyMap<string, ServiceObject>;
  readonly serviceNamesByNamespace: ReadonlyMap<string, readonly string[]>;
  readonly servicesByIP: ReadonlyMap<string, readonly ServiceIPEntry[]>;
  readonly servicesByNodePort: ReadonlyMap<number, readonly { service: ServiceObject; port: ServicePort }[]>;
  /** LoadBalancer ingress hostnames (lower case) → Services (P2: hostname-only ingresses). */
  readonly servicesByLBHostname: ReadonlyMap<string, readonly ServiceObject[]>;
  /** Ingress status load-balancer IPs (the controller's address). */
  readonly ingressAddresses: ReadonlySet<string>;
  readonly nodeByIP: ReadonlyMap<string, string>;
  readonly nodeIPs: ReadonlyMap<string, readonly string[]>;
  readonly nodeZone: ReadonlyMap<string, string>;
  readonly slicesByService: ReadonlyMap<string, readonly EndpointSliceObject[]>;
  readonly derivedSlicesByService: ReadonlyMap<string, DerivedSlices>;
  readonly unlabeledSlicesByNamespace: ReadonlyMap<string, readonly EndpointSliceObject[]>;
  readonly orphanSlices: readonly EndpointSliceObject[];
  readonly endpoints: ReadonlyMap<string, EndpointsObject>;
  readonly endpointsByNamespace: ReadonlyMap<string, readonly EndpointsObject[]>;
  readonly mirror: ReadonlyMap<string, MirrorDecision>;
  readonly pods: ReadonlyMap<string, PodObject>;
  readonly podsByIP: ReadonlyMap<string, readonly PodObject[]>;
  readonly podsByNamespace: ReadonlyMap<string, readonly PodObject[]>;
  /** `namespace\0labelKey\0value` → Pods. */
  readonly podsByLabel: ReadonlyMap<string, readonly PodObject[]>;
  readonly endpointRefsByIP: ReadonlyMap<string, readonly EndpointRef[]>;
  readonly ingressClasses: ReadonlyMap<string, IngressClassObject>;
  /** I2: the class admission would apply to a new Ingress (newest default; ties by name). */
  readonly defaultIngressClass: string | null;
  readonly defaultIngressClasses: readonly string[];
  readonly ingresses: readonly IngressInfo[];
  readonly rulesByHost: ReadonlyMap<string, readonly IngressRuleRef[]>;
  /** Wildcard rules keyed by the suffix after "*" (e.g. ".foo.com"). */
  readonly rulesByWildcard: ReadonlyMap<string, readonly IngressRuleRef[]>;
  readonly hostlessRules: readonly IngressRuleRef[];
  readonly defaultBackends: readonly IngressInfo[];
  readonly ingressBackendsByService: ReadonlyMap<string, readonly IngressBackendRef[]>;
  /** spec.tls hosts (lower case, wildcards as written) → the Ingresses listing them (I11). */
  readonly tlsByHost: ReadonlyMap<string, readonly { ingress: IngressInfo; secretName: string | null }[]>;
  /** Canonical form of every endpoint address in the slices (E8), computed once. */
  readonly canonicalAddress: (raw: string | undefined) => string | null;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const byName = (a: { metadata: { name: string } }, b: { metadata: { name: string } }) =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Stable sort by a string key computed once per element. */
function sortedBy<T>(list: readonly T[], key: (x: T) => string): T[] {
  return list
    .map((x, i) => ({ x, k: key(x), i }))
    .sort((a, b) => cmp(a.k, b.k) || a.i - b.i)
    .map((e) => e.x);
}

/** I5: problems that make an Exact/Prefix path invalid, or null. */
export function invalidPathProblem(path: string, pathType: string): string | null {
  if (pathType !== 'Exact' && pathType !== 'Prefix') return null;
  if (!path.startsWith('/')) return 'does not start with /';
  for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (path.includes(seq)) return `contains ${seq}`;
  if (path.endsWith('/..') || path.endsWith('/.')) return 'ends in /. or /..';
  return null;
}

/** Builds the index. O(objects); the snapshot is only read. */
export function buildIndex(snapshot: Snapshot): SnapshotIndex {
  const services = new Map<string, ServiceObject>();
  const serviceNamesByNamespace = new Map<string, string[]>();
  const servicesByIP = new Map<string, ServiceIPEntry[]>();
  const servicesByNodePort = new Map<number, { service: ServiceObject; port: ServicePort }[]>();
  const servicesByLBHostname = new Map<string, ServiceObject[]>();
  const sortedServices = sortedBy(snapshot.services, (o) => keyOf(nsOf(o), o.metadata.name));
  for (const svc of sortedServices) {
    const ns = nsOf(svc);
    const key = keyOf(ns, svc.metadata.name);
    if (services.has(key)) continue;
    services.set(key, svc);
    push(serviceNamesByNamespace, ns, svc.metadata.name);
    const type = serviceType(svc);
    if (type === 'ExternalName') continue;
    const clusterIPs = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
    for (const raw of clusterIPs) {
      const ip = canonicalIP(raw);
      if (ip) push(servicesByIP, ip, { service: svc, kind: 'clusterIP', ipMode: null });
    }
    for (const raw of svc.spec?.externalIPs ?? []) {
      const ip = canonicalIP(raw);
      if (ip) push(servicesByIP, ip, { service: svc, kind: 'externalIP', ipMode: null });
    }
    if (type === 'LoadBalancer') {
      for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
        const ip = canonicalIP(ing.ip);
        if (ip) push(servicesByIP, ip, { service: svc, kind: 'loadBalancer', ipMode: ing.ipMode ?? null });
        else if (ing.hostname) push(servicesByLBHostname, ing.hostname.toLowerCase(), svc);
      }
    }
    if (type === 'NodePort' || type === 'LoadBalancer') {
      for (const p of svc.spec?.ports ?? []) if (p.nodePort) push(servicesByNodePort, p.nodePort, { service: svc, port: p });
    }
  }

  // Pods, node IPs.
  const pods = new Map<string, PodObject>();
  const podsByIP = new Map<string, PodObject[]>();
  const podsByNamespace = new Map<string, PodObject[]>();
  const podsByLabel = new Map<string, PodObject[]>();
  const nodeByIP = new Map<string, string>();
  const nodeIPs = new Map<string, string[]>();
  const sortedPods = sortedBy(snapshot.pods, (o) => keyOf(nsOf(o), o.metadata.name));
  for (const pod of sortedPods) {
    const ns = nsOf(pod);
    const key = keyOf(ns, pod.metadata.name);
    if (pods.has(key)) continue;
    pods.set(key, pod);
    push(podsByNamespace, ns, pod);
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) push(podsByLabel, `${ns}\u0000${k}\u0000${v}`, pod);
    if (!pod.spec?.hostNetwork) for (const ip of podIPs(pod)) push(podsByIP, ip, pod);
    const node = pod.spec?.nodeName;
    if (node) {
      for (const ip of hostIPs(pod)) {
        if (!nodeByIP.has(ip)) {
          nodeByIP.set(ip, node);
          push(nodeIPs, node, ip);
        }
      }
    }
  }

  // EndpointSlices.
  const slicesByService = new Map<string, EndpointSliceObject[]>();
  const unlabeledSlicesByNamespace = new Map<string, EndpointSliceObject[]>();
  const orphanSlices: EndpointSliceObject[] = [];
  const sortedSlices = sortedBy(snapshot.endpointSlices, (o) => o.metadata.name);
  for (const slice of sortedSlices) {
    const ns = nsOf(slice);
    const svcName = sliceServiceName(slice);
    if (svcName === null) {
      push(unlabeledSlicesByNamespace, ns, slice);
      continue;
    }
    const key = keyOf(ns, svcName);
    push(slicesByService, key, slice);
    if (!services.has(key)) orphanSlices.push(slice);
  }
  const hasEndpointSlices = snapshot.endpointSlices.length > 0;

  // Endpoints and derived slices.
  const endpoints = new Map<string, EndpointsObject>();
  const endpointsByNamespace = new Map<string, EndpointsObject[]>();
  const mirror = new Map<string, MirrorDecision>();
  const derivedSlicesByService = new Map<string, DerivedSlices>();
  for (const ep of [...snapshot.endpoints].sort(byName)) {
    const ns = nsOf(ep);
    const key = keyOf(ns, ep.metadata.name);
    if (endpoints.has(key)) continue;
    endpoints.set(key, ep);
    push(endpointsByNamespace, ns, ep);
    const svc = services.get(key);
    const decision = mirrorDecision(ep, svc);
    mirror.set(key, decision);
    if (slicesByService.has(key) || !svc) continue;
    if (decision.mirror) {
      // M4/M5: the mirroring controller would have written these slices.
      derivedSlicesByService.set(key, { slices: mirrorEndpoints(ep, { notReadyServing: null, managedBy: MIRROR_CONTROLLER }), source: { kind: 'Endpoints', endpoints: ep } });
    } else if (decision.reason === 'selector' && !hasEndpointSlices) {
      // Old dump (no EndpointSlices at all): the endpoints controller's output stands for the slices.
      derivedSlicesByService.set(key, { slices: mirrorEndpoints(ep, { notReadyServing: false, managedBy: SLICE_CONTROLLER }), source: { kind: 'Endpoints', endpoints: ep } });
    }
  }

  // Pod label index is needed to derive slices from Pods for snapshots without slices or Endpoints.
  const podsBySelector = (ns: string, selector: Record<string, string>): PodObject[] => selectPods(podsByLabel, ns, selector);
  if (!hasEndpointSlices) {
    for (const [key, svc] of services) {
      if (derivedSlicesByService.has(key) || endpoints.has(key)) continue;
      const selector = selectorOf(svc);
      if (!selector || serviceType(svc) === 'ExternalName') continue;
      derivedSlicesByService.set(key, { slices: slicesFromPods(svc, podsBySelector(nsOf(svc), selector)), source: { kind: 'Pods' } });
    }
  }

  // Endpoint references by IP, node zones.
  const endpointRefsByIP = new Map<string, EndpointRef[]>();
  const nodeZone = new Map<string, string>();
  const canonical = new Map<string, string | null>();
  const canonicalAddress = (raw: string | undefined): string | null => {
    if (raw === undefined) return null;
    let c = canonical.get(raw);
    if (c === undefined) {
      c = canonicalIP(raw);
      canonical.set(raw, c);
    }
    return c;
  };
  const addRefs = (serviceKey: string, slices: readonly EndpointSliceObject[]) => {
    for (const slice of slices) {
      for (const e of slice.endpoints ?? []) {
        const ip = canonicalAddress(e.addresses?.[0]);
        if (ip) push(endpointRefsByIP, ip, { serviceKey, slice, endpoint: e });
        if (e.nodeName && e.zone && !nodeZone.has(e.nodeName)) nodeZone.set(e.nodeName, e.zone);
      }
    }
  };
  for (const [key, slices] of slicesByService) addRefs(key, slices);
  for (const [key, d] of derivedSlicesByService) addRefs(key, d.slices);

  // IngressClasses (I1, I2).
  const ingressClasses = new Map<string, IngressClassObject>();
  for (const c of snapshot.ingressClasses) if (!ingressClasses.has(c.metadata.name)) ingressClasses.set(c.metadata.name, c);
  const defaults = [...ingressClasses.values()]
    .filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
    .sort((a, b) => cmp(b.metadata.creationTimestamp ?? '', a.metadata.creationTimestamp ?? '') || byName(a, b));
  const defaultIngressClasses = defaults.map((c) => c.metadata.name);

  // Ingresses: precedence order oldest first, then namespace/name.
  const ingressObjs = sortedBy(snapshot.ingresses, (o) => `${o.metadata.creationTimestamp ?? ''}\u0000${keyOf(nsOf(o), o.metadata.name)}`);
  const ingresses: IngressInfo[] = [];
  const rulesByHost = new Map<string, IngressRuleRef[]>();
  const rulesByWildcard = new Map<string, IngressRuleRef[]>();
  const hostlessRules: IngressRuleRef[] = [];
  const defaultBackends: IngressInfo[] = [];
  const ingressBackendsByService = new Map<string, IngressBackendRef[]>();
  const seenIngress = new Set<string>();
  const ingressAddresses = new Set<string>();
  const tlsByHost = new Map<string, { ingress: IngressInfo; secretName: string | null }[]>();
  for (const obj of ingressObjs) {
    const ns = nsOf(obj);
    const k = keyOf(ns, obj.metadata.name);
    if (seenIngress.has(k)) continue;
    seenIngress.add(k);
    const field = obj.spec?.ingressClassName || null;
    const annotation = obj.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] || null;
    const info: IngressInfo = {
      obj,
      namespace: ns,
      name: obj.metadata.name,
      className: field ?? annotation,
      classSource: field ? 'field' : annotation ? 'annotation' : null,
      created: obj.metadata.creationTimestamp ?? '',
      rank: ingresses.length,
    };
    ingresses.push(info);
    for (const t of obj.spec?.tls ?? []) for (const h of t.hosts ?? []) push(tlsByHost, h.toLowerCase(), { ingress: info, secretName: t.secretName ?? null });
    for (const lb of obj.status?.loadBalancer?.ingress ?? []) {
      const ip = canonicalIP(lb.ip);
      if (ip) ingressAddresses.add(ip);
    }
    const addBackendRef = (backend: IngressBackend, host: string | null, path: string | null, pathType: string | null, isDefault: boolean) => {
      const svcName = backend.service?.name;
      if (!svcName) return;
      const port = backend.service?.port?.number ?? backend.service?.port?.name ?? null;
      push(ingressBackendsByService, keyOf(ns, svcName), { ingress: info, host, path, pathType, defaultBackend: isDefault, port });
    };
    if (obj.spec?.defaultBackend) {
      defaultBackends.push(info);
      addBackendRef(obj.spec.defaultBackend, null, null, null, true);
    }
    (obj.spec?.rules ?? []).forEach((rule, ri) => {
      const host = rule.host ? rule.host.toLowerCase() : null;
      const paths: IngressPathRef[] = [];
      const invalidPaths: { path: string | null; pathType: string | null; problem: string }[] = [];
      (rule.http?.paths ?? []).forEach((p, pi) => {
        // I5: pathType is required in v1; a manifest without it is treated as ImplementationSpecific.
        const pathType = p.pathType || 'ImplementationSpecific';
        const path = p.path ?? (pathType === 'ImplementationSpecific' ? '/' : '');
        const problem = path === '' ? 'has no path' : invalidPathProblem(path, pathType);
        if (problem) {
          invalidPaths.push({ path: p.path ?? null, pathType: p.pathType ?? null, problem });
          return;
        }
        paths.push({ ingress: info, host: rule.host ?? null, path, pathType, backend: p.backend, order: ri * 10_000 + pi });
        addBackendRef(p.backend, rule.host ?? null, path, pathType, false);
      });
      const ref: IngressRuleRef = { ingress: info, host: rule.host ?? null, paths, hasHttp: Boolean(rule.http), invalidPaths };
      if (host === null) hostlessRules.push(ref);
      else if (host.startsWith('*.')) push(rulesByWildcard, host.slice(1), ref);
      else push(rulesByHost, host, ref);
    });
  }

  return {
    snapshot,
    hasEndpointSlices,
    services,
    serviceNamesByNamespace,
    servicesByIP,
    servicesByNodePort,
    servicesByLBHostname,
    ingressAddresses,
    nodeByIP,
    nodeIPs,
    nodeZone,
    slicesByService,
    derivedSlicesByService,
    unlabeledSlicesByNamespace,
    orphanSlices,
    endpoints,
    endpointsByNamespace,
    mirror,
    pods,
    podsByIP,
    podsByNamespace,
    podsByLabel,
    endpointRefsByIP,
    ingressClasses,
    defaultIngressClass: defaultIngressClasses[0] ?? null,
    defaultIngressClasses,
    ingresses,
    rulesByHost,
    rulesByWildcard,
    hostlessRules,
    defaultBackends,
    ingressBackendsByService,
    tlsByHost,
    // Addresses not seen at build time (none, unless slices are derived later) are parsed directly.
    canonicalAddress: (raw) => (raw !== undefined && canonical.has(raw) ? canonical.get(raw)! : canonicalIP(raw)),
  };
}

/** Pods of `ns` whose labels match the selector, using the label index (smallest posting list first). */
export function selectPods(podsByLabel: ReadonlyMap<string, readonly PodObject[]>, ns: string, selector: Readonly<Record<string, string>>): PodObject[] {
  const lists: (readonly PodObject[])[] = [];
  for (const [k, v] of Object.entries(selector)) {
    const list = podsByLabel.get(`${ns}\u0000${k}\u0000${v}`);
    if (!list) return [];
    lists.push(list);
  }
  if (lists.length === 0) return [];
  lists.sort((a, b) => a.length - b.length);
  const [first, ...rest] = lists;
  if (rest.length === 0) return [...first!];
  const sets = rest.map((l) => new Set(l));
  return first!.filter((p) => sets.every((s) => s.has(p)));
}

/** The slices kube-proxy would read for a Service: labelled slices, else derived ones. */
export function slicesOf(index: SnapshotIndex, serviceKey: string): { slices: readonly EndpointSliceObject[]; derived: DerivedSlices | null } {
  const real = index.slicesByService.get(serviceKey);
  if (real) return { slices: real, derived: null };
  const d = index.derivedSlicesByService.get(serviceKey);
  return d ? { slices: d.slices, derived: d } : { slices: [], derived: null };
}
