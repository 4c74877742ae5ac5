/**
 * SnapshotIndex: a ClusterView over a whole snapshot, built once by `buildIndex` so that answering a
 * question is a handful of map reads, never a scan of the snapshot.
 *
 * Contents: Services by key, by IP (ClusterIP, externalIP, LB ingress IP) and by nodePort; node IPs and
 * zones from Node objects (nodeFacts), else from Pods' status.hostIP and slice endpoint zones; slices by
 * Service (E3 label), unlabeled slices by namespace; slices derived from Endpoints (mirroring, M4–M6) or,
 * when the snapshot has no EndpointSlices at all, from Pods (E4); Pods by key, IP and label; endpoint
 * references by IP (for reverse lookups); Ingress rules by exact host, by wildcard suffix and without host,
 * Ingress default backends, Ingress backends by Service; IngressClasses and the default class (I2).
 * What each object contributes is computed by objectEntries.ts, shared with the history view.
 *
 * The index holds references into the snapshot and never modifies it. Every list is sorted so answers are
 * deterministic whatever the order of objects in the snapshot.
 */
import type {
  EndpointsObject,
  EndpointSliceObject,
  IngressClassObject,
  PodObject,
  ServiceObject,
  Snapshot,
} from '../model/objects.js';
import {
  DEFAULT_CLASS_ANNOTATION,
  MIRROR_CONTROLLER,
  SLICE_CONTROLLER,
  keyOf,
  nsOf,
  selectorOf,
  serviceType,
  sliceServiceName,
} from './apiDefaults.js';
import { canonicalIP } from './canonicalIP.js';
import type {
  ClusterView,
  DerivedSlices,
  EndpointRef,
  IngressBackendRef,
  IngressInfo,
  IngressRuleRef,
  NodePortEntry,
  ServiceIPEntry,
  ServiceSlices,
  TlsRef,
} from './ClusterView.js';
import { mirrorDecision, slicesFromPods, type MirrorDecision } from './derivedSlices.js';
import { MIRROR_MAX_PER_SUBSET, mirrorEndpoints } from './mirrorEndpoints.js';
import { ingressEntries, ingressOrder, serviceEntries } from './objectEntries.js';
import { buildNodeIndex } from './nodeFacts.js';
import { hostIPs, podIPs, selectorMatches } from './podFacts.js';
import { gatewayApiObjects, type GatewayApiObjects } from './gateway/GatewayApiObjects.js';

export type {
  DerivedSlices,
  EndpointRef,
  IngressBackendRef,
  IngressInfo,
  IngressPathRef,
  IngressRuleRef,
  ServiceIPEntry,
  ServiceIPKind,
} from './ClusterView.js';
export { invalidPathProblem } from './objectEntries.js';

export interface SnapshotIndex extends ClusterView {
  readonly snapshot: Snapshot;
  readonly services: ReadonlyMap<string, ServiceObject>;
  readonly serviceNamesByNamespace: ReadonlyMap<string, readonly string[]>;
  readonly servicesByIP: ReadonlyMap<string, readonly ServiceIPEntry[]>;
  readonly servicesByNodePort: ReadonlyMap<number, readonly NodePortEntry[]>;
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
  readonly mirrorByKey: ReadonlyMap<string, MirrorDecision>;
  readonly pods: ReadonlyMap<string, PodObject>;
  readonly podsByIP: ReadonlyMap<string, readonly PodObject[]>;
  readonly podsByNamespace: ReadonlyMap<string, readonly PodObject[]>;
  /** `namespace\0labelKey\0value` → Pods. */
  readonly podsByLabel: ReadonlyMap<string, readonly PodObject[]>;
  readonly endpointRefsByIP: ReadonlyMap<string, readonly EndpointRef[]>;
  readonly ingressClasses: ReadonlyMap<string, IngressClassObject>;
  readonly ingresses: readonly IngressInfo[];
  readonly rulesByHost: ReadonlyMap<string, readonly IngressRuleRef[]>;
  /** Wildcard rules keyed by the suffix after "*" (e.g. ".foo.com"). */
  readonly rulesByWildcard: ReadonlyMap<string, readonly IngressRuleRef[]>;
  readonly ingressBackendsByService: ReadonlyMap<string, readonly IngressBackendRef[]>;
  /** spec.tls hosts (lower case, wildcards as written) → the Ingresses listing them (I11). */
  readonly tlsByHost: ReadonlyMap<string, readonly TlsRef[]>;
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

/** Builds the index. O(objects); the snapshot is only read. */
export function buildIndex(snapshot: Snapshot): SnapshotIndex {
  const services = new Map<string, ServiceObject>();
  const serviceNamesByNamespace = new Map<string, string[]>();
  const servicesByIP = new Map<string, ServiceIPEntry[]>();
  const servicesByNodePort = new Map<number, NodePortEntry[]>();
  const servicesByLBHostname = new Map<string, ServiceObject[]>();
  const sortedServices = sortedBy(snapshot.services, (o) => keyOf(nsOf(o), o.metadata.name));
  for (const svc of sortedServices) {
    const ns = nsOf(svc);
    const key = keyOf(ns, svc.metadata.name);
    if (services.has(key)) continue;
    services.set(key, svc);
    push(serviceNamesByNamespace, ns, svc.metadata.name);
    const e = serviceEntries(svc);
    for (const [ip, entry] of e.ips) push(servicesByIP, ip, entry);
    for (const [port, entry] of e.nodePorts) push(servicesByNodePort, port, entry);
    for (const h of e.lbHostnames) push(servicesByLBHostname, h, svc);
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
  const nodeZone = new Map<string, string>();
  const sortedSlices = sortedBy(snapshot.endpointSlices, (o) => `${o.metadata.name}\u0000${nsOf(o)}`);
  for (const slice of sortedSlices) {
    const ns = nsOf(slice);
    const svcName = sliceServiceName(slice);
    if (svcName === null) {
      push(unlabeledSlicesByNamespace, ns, slice);
      continue;
    }
    for (const e of slice.endpoints ?? []) if (e.nodeName && e.zone && !nodeZone.has(e.nodeName)) nodeZone.set(e.nodeName, e.zone);
    const key = keyOf(ns, svcName);
    push(slicesByService, key, slice);
    if (!services.has(key)) orphanSlices.push(slice);
  }
  const hasEndpointSlices = snapshot.endpointSlices.length > 0;

  // Endpoints and derived slices.
  const endpoints = new Map<string, EndpointsObject>();
  const endpointsByNamespace = new Map<string, EndpointsObject[]>();
  const mirrorByKey = new Map<string, MirrorDecision>();
  const derivedSlicesByService = new Map<string, DerivedSlices>();
  for (const ep of [...snapshot.endpoints].sort(byName)) {
    const ns = nsOf(ep);
    const key = keyOf(ns, ep.metadata.name);
    if (endpoints.has(key)) continue;
    endpoints.set(key, ep);
    push(endpointsByNamespace, ns, ep);
    const svc = services.get(key);
    mirrorByKey.set(key, mirrorDecision(ep, svc));
    if (slicesByService.has(key) || !svc) continue;
    const d = derivedFromEndpoints(ep, svc, hasEndpointSlices);
    if (d) derivedSlicesByService.set(key, d);
  }

  // Pod label index is needed to derive slices from Pods for snapshots without slices or Endpoints.
  if (!hasEndpointSlices) {
    for (const [key, svc] of services) {
      if (derivedSlicesByService.has(key) || endpoints.has(key)) continue;
      const selector = selectorOf(svc);
      if (!selector || serviceType(svc) === 'ExternalName') continue;
      derivedSlicesByService.set(key, { slices: slicesFromPods(svc, selectPods(podsByLabel, nsOf(svc), selector)), source: { kind: 'Pods' } });
    }
  }

  // Endpoint references by IP.
  const endpointRefsByIP = new Map<string, EndpointRef[]>();
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
      }
    }
  };
  for (const [key, slices] of slicesByService) addRefs(key, slices);
  for (const [key, d] of derivedSlicesByService) addRefs(key, d.slices);

  // IngressClasses (I1, I2).
  const ingressClasses = new Map<string, IngressClassObject>();
  for (const c of snapshot.ingressClasses) if (!ingressClasses.has(c.metadata.name)) ingressClasses.set(c.metadata.name, c);
  const defaultIngressClasses = defaultClassesOf([...ingressClasses.values()]);

  // Ingresses: precedence order oldest first, then namespace/name.
  const ingressObjs = sortedBy(snapshot.ingresses, ingressOrder);
  const ingresses: IngressInfo[] = [];
  const rulesByHost = new Map<string, IngressRuleRef[]>();
  const rulesByWildcard = new Map<string, IngressRuleRef[]>();
  const hostlessRules: IngressRuleRef[] = [];
  const defaultBackends: IngressInfo[] = [];
  const ingressBackendsByService = new Map<string, IngressBackendRef[]>();
  const seenIngress = new Set<string>();
  const ingressAddresses = new Set<string>();
  const tlsByHost = new Map<string, TlsRef[]>();
  for (const obj of ingressObjs) {
    const k = keyOf(nsOf(obj), obj.metadata.name);
    if (seenIngress.has(k)) continue;
    seenIngress.add(k);
    const e = ingressEntries(obj);
    ingresses.push(e.info);
    for (const [h, t] of e.tls) push(tlsByHost, h, t);
    for (const ip of e.lbIPs) ingressAddresses.add(ip);
    if (obj.spec?.defaultBackend) defaultBackends.push(e.info);
    for (const [svcKey, b] of e.backends) push(ingressBackendsByService, svcKey, b);
    for (const { key: host, rule } of e.rules) {
      if (host === null) hostlessRules.push(rule);
      else if (host.startsWith('*.')) push(rulesByWildcard, host.slice(1), rule);
      else push(rulesByHost, host, rule);
    }
  }

  const nodeIndex = buildNodeIndex(snapshot.nodes ?? []);
  const none: readonly never[] = [];
  let gatewayApi: GatewayApiObjects | undefined;
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
    mirrorByKey,
    pods,
    podsByIP,
    podsByNamespace,
    podsByLabel,
    endpointRefsByIP,
    ingressClasses,
    defaultIngressClass: defaultIngressClasses[0] ?? null,
    defaultIngressClasses,
    ingresses,
    hasIngresses: ingresses.length > 0,
    rulesByHost,
    rulesByWildcard,
    hostlessRules,
    defaultBackends,
    ingressBackendsByService,
    tlsByHost,
    // Addresses not seen at build time (none, unless slices are derived later) are parsed directly.
    canonicalAddress: (raw) => (raw !== undefined && canonical.has(raw) ? canonical.get(raw)! : canonicalIP(raw)),
    service: (key) => services.get(key),
    serviceNames: (ns) => serviceNamesByNamespace.get(ns) ?? none,
    servicesAtIP: (ip) => servicesByIP.get(ip) ?? none,
    servicesAtNodePort: (port) => servicesByNodePort.get(port) ?? none,
    servicesAtLBHostname: (h) => servicesByLBHostname.get(h) ?? none,
    isIngressAddress: (ip) => ingressAddresses.has(ip),
    nodeAtIP: (ip) => nodeIndex.byIP.get(ip) ?? nodeByIP.get(ip),
    zoneOfNode: (node) => nodeIndex.zone.get(node) ?? nodeZone.get(node),
    hasNodes: nodeIndex.names.size > 0,
    nodeExists: (name) => nodeIndex.names.has(name),
    slicesOf: (key) => {
      const real = slicesByService.get(key);
      if (real) return { slices: real, derived: null };
      const d = derivedSlicesByService.get(key);
      return d ? { slices: d.slices, derived: d } : NO_SLICES;
    },
    unlabeledSlices: (ns) => unlabeledSlicesByNamespace.get(ns) ?? none,
    orphanSlicesIn: (ns) => orphanSlices.filter((s) => nsOf(s) === ns),
    endpointsObject: (key) => endpoints.get(key),
    endpointsObjectsIn: (ns) => endpointsByNamespace.get(ns) ?? none,
    mirror: (key) => mirrorByKey.get(key),
    pod: (key) => pods.get(key),
    podsAtIP: (ip) => podsByIP.get(ip) ?? none,
    hasPodsIn: (ns) => podsByNamespace.has(ns),
    podsIn: (ns) => podsByNamespace.get(ns) ?? none,
    selectPods: (ns, selector) => selectPods(podsByLabel, ns, selector),
    servicesSelecting: (ns, labels) => (serviceNamesByNamespace.get(ns) ?? none).map((name) => services.get(keyOf(ns, name))!).filter((svc) => {
      const selector = selectorOf(svc);
      return selector !== null && selectorMatches(selector, labels);
    }),
    endpointRefsAt: (ip) => endpointRefsByIP.get(ip) ?? none,
    ingressBackendsOf: (key) => ingressBackendsByService.get(key) ?? none,
    hasIngressClass: (name) => ingressClasses.has(name),
    ingressClassNames: [...ingressClasses.keys()].sort(cmp),
    ingressClassesOfController: (controller) => classesOfController([...ingressClasses.values()], controller),
    rulesForHost: (host) => rulesByHost.get(host) ?? none,
    rulesForWildcard: (suffix) => rulesByWildcard.get(suffix) ?? none,
    tlsForHost: (host) => tlsByHost.get(host) ?? none,
    // Snapshots written before the Gateway API kinds existed (JSON fixtures, scripts) may lack their lists.
    gatewayApi: () => (gatewayApi ??= gatewayApiObjects({
      gatewayClasses: snapshot.gatewayClasses ?? [],
      gateways: snapshot.gateways ?? [],
      httpRoutes: snapshot.httpRoutes ?? [],
      grpcRoutes: snapshot.grpcRoutes ?? [],
      referenceGrants: snapshot.referenceGrants ?? [],
    })),
  };
}

const NO_SLICES: ServiceSlices = { slices: [], derived: null };

/**
 * M4/M5 and the old-dump rule: the slices derived from a Service's Endpoints object when the Service has
 * no labelled slice (mirrored when mirrorable; for a selector Service only when the state holds no
 * EndpointSlice at all), or null.
 */
export function derivedFromEndpoints(ep: EndpointsObject, svc: ServiceObject, hasEndpointSlices: boolean): DerivedSlices | null {
  const decision = mirrorDecision(ep, svc);
  if (decision.mirror) {
    const m = mirrorEndpoints(ep, { notReadyServing: null, managedBy: MIRROR_CONTROLLER, maxPerSubset: MIRROR_MAX_PER_SUBSET });
    return { slices: m.slices, source: { kind: 'Endpoints', endpoints: ep, skipped: m.skipped } };
  }
  if (decision.reason === 'selector' && !hasEndpointSlices) {
    // Old dump (no EndpointSlices at all): the endpoints controller's output stands for the slices.
    return { slices: mirrorEndpoints(ep, { notReadyServing: false, managedBy: SLICE_CONTROLLER, maxPerSubset: null }).slices, source: { kind: 'Endpoints', endpoints: ep, skipped: [] } };
  }
  return null;
}

/** I1: the names of the IngressClasses of one controller (spec.controller), sorted. */
export function classesOfController(classes: readonly IngressClassObject[], controller: string): string[] {
  return classes.filter((c) => c.spec?.controller === controller).map((c) => c.metadata.name).sort(cmp);
}

/** I2: the IngressClasses marked default, newest first (ties by name). */
export function defaultClassesOf(classes: readonly IngressClassObject[]): string[] {
  return classes
    .filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
    .sort((a, b) => cmp(b.metadata.creationTimestamp ?? '', a.metadata.creationTimestamp ?? '') || byName(a, b))
    .map((c) => c.metadata.name);
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
