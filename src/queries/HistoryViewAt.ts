/**
 * HistoryViewAt: the ClusterView of one cluster state read through ObjectLookups (by name, by lookup term,
 * by namespace): the history database at one instant (InstantReader, indexed reads of only the rows a
 * question needs) or the live state (LiveObjects, maps kept up to date per change), so an answer costs what
 * it touches, not what the cluster holds.
 *
 * How each lookup is answered: the objects a lookup term names at t (src/resolver/lookupTerms.ts) are read,
 * then the lookup's own rule is applied to them with the same per-object entries SnapshotIndex uses
 * (objectEntries.ts, derivedSlices.ts) and the same order (by key; Ingresses by precedence; slices by
 * name), so every lookup returns what buildIndex(the whole snapshot at t) would. Namespaced reads of a
 * whole namespace (every Pod of it, every Endpoints object, orphan slices) happen only in the diagnosis of
 * a broken route (selector matching nothing, selector-less Service without endpoints).
 *
 * One limit: reverse lookups in a state without any EndpointSlice (E4: every selector Service's slices are
 * derived from Pods) need the whole cluster; endpointRefsAt then throws, and ClusterState answers such
 * questions from the whole snapshot instead (hasEndpointSlices tells).
 * Every result is memoised for the view's lifetime (one instant, or one version of the live state: a view
 * must not outlive a change of what it reads); objects are shared with the reader.
 */
import type { EndpointsObject, EndpointSliceObject, IngressClassObject, IngressObject, Kind, KubeObject, NodeObject, PodObject, ServiceObject } from '../model/objects.js';
import { keyOf, nsOf, selectorOf, serviceType, sliceServiceName } from '../resolver/apiDefaults.js';
import { canonicalIP } from '../resolver/canonicalIP.js';
import type {
  ClusterView,
  EndpointRef,
  IngressBackendRef,
  IngressInfo,
  IngressRuleRef,
  NodePortEntry,
  ServiceIPEntry,
  ServiceSlices,
  TlsRef,
} from '../resolver/ClusterView.js';
import { compareIngresses } from '../resolver/ClusterView.js';
import { mirrorDecision, slicesFromPods, type MirrorDecision } from '../resolver/derivedSlices.js';
import { TERM, termHash } from '../resolver/lookupTerms.js';
import { ingressEntries, nodeZoneOf, serviceEntries, type IngressEntries } from '../resolver/objectEntries.js';
import { hostIPs, podIPs, selectorMatches } from '../resolver/podFacts.js';
import { buildNodeIndex, type NodeIndex } from '../resolver/nodeFacts.js';
import { classesOfController, defaultClassesOf, derivedFromEndpoints } from '../resolver/SnapshotIndex.js';
import type { ObjectLookups, StoredName } from '../resolver/ObjectLookups.js';
import { gatewayApiObjects, type GatewayApiObjects } from '../resolver/gateway/GatewayApiObjects.js';
import type { GatewayClassObject, GatewayObject, GRPCRouteObject, HTTPRouteObject, ReferenceGrantObject } from '../model/gatewayObjects.js';

const NO_SLICES: ServiceSlices = { slices: [], derived: null };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOfObject = (o: KubeObject) => keyOf(nsOf(o), o.metadata.name);
const byKey = <T extends KubeObject>(list: T[]): T[] => list.sort((a, b) => cmp(keyOfObject(a), keyOfObject(b)));
const byName = <T extends KubeObject>(list: T[]): T[] => list.sort((a, b) => cmp(a.metadata.name, b.metadata.name));

/** The stored namespaces an API namespace stands for: objects stored without one count as "default" (nsOf). */
function storedNamespaces(namespace: string): readonly string[] {
  return namespace === 'default' ? ['default', ''] : [namespace];
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

export class HistoryViewAt implements ClusterView {
  private readonly memo = new Map<string, unknown>();
  private readonly ingressMemo = new WeakMap<IngressObject, IngressEntries>();

  constructor(private readonly reader: ObjectLookups) {}

  private once<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = compute();
    this.memo.set(key, v);
    return v;
  }

  private withTerm<T extends KubeObject>(kind: Kind, term: string): T[] {
    return this.reader.withTerm(kind, termHash(term)) as T[];
  }

  private named<T extends KubeObject>(kind: Kind, key: string): T | undefined {
    const [ns, name] = splitKey(key);
    for (const stored of storedNamespaces(ns)) {
      const o = this.reader.named(kind, stored, name);
      if (o) return o as T;
    }
    return undefined;
  }

  private inNamespace<T extends KubeObject>(kind: Kind, namespace: string): T[] {
    return storedNamespaces(namespace).flatMap((ns) => this.reader.objectsIn(kind, ns)) as T[];
  }

  private entries(ing: IngressObject): IngressEntries {
    let e = this.ingressMemo.get(ing);
    if (!e) this.ingressMemo.set(ing, (e = ingressEntries(ing)));
    return e;
  }

  /** Ingresses with a term, by precedence. */
  private ingressesWith(term: string): IngressEntries[] {
    return this.withTerm<IngressObject>('Ingress', term).map((o) => this.entries(o)).sort((a, b) => compareIngresses(a.info, b.info));
  }

  // ---------------------------------------------------------------- Services

  get hasEndpointSlices(): boolean {
    return this.once('hasSlices', () => this.reader.exists('EndpointSlice'));
  }

  service(key: string): ServiceObject | undefined {
    return this.once(`svc ${key}`, () => this.named<ServiceObject>('Service', key));
  }

  serviceNames(namespace: string): readonly string[] {
    return this.once(`svcNames ${namespace}`, () => {
      const names = storedNamespaces(namespace).flatMap((ns) => this.reader.namesIn('Service', ns).map((n: StoredName) => n.name));
      return [...new Set(names)].sort(cmp);
    });
  }

  servicesAtIP(ip: string): readonly ServiceIPEntry[] {
    return this.once(`svcIP ${ip}`, () =>
      byKey(this.withTerm<ServiceObject>('Service', TERM.serviceIP(ip))).flatMap((svc) => serviceEntries(svc).ips.filter(([x]) => x === ip).map(([, e]) => e)),
    );
  }

  servicesAtNodePort(nodePort: number): readonly NodePortEntry[] {
    return this.once(`svcNP ${nodePort}`, () =>
      byKey(this.withTerm<ServiceObject>('Service', TERM.serviceNodePort(nodePort))).flatMap((svc) => serviceEntries(svc).nodePorts.filter(([p]) => p === nodePort).map(([, e]) => e)),
    );
  }

  servicesAtLBHostname(hostname: string): readonly ServiceObject[] {
    return this.once(`svcLBH ${hostname}`, () =>
      byKey(this.withTerm<ServiceObject>('Service', TERM.serviceLBHostname(hostname))).filter((svc) => serviceEntries(svc).lbHostnames.includes(hostname)),
    );
  }

  isIngressAddress(ip: string): boolean {
    return this.once(`ingLB ${ip}`, () => this.withTerm<IngressObject>('Ingress', TERM.ingressAddress(ip)).some((o) => this.entries(o).lbIPs.includes(ip)));
  }

  // ---------------------------------------------------------------- nodes

  private nodeIndex(): NodeIndex {
    return this.once('nodes', () => buildNodeIndex(this.reader.objectsOfKind('Node') as NodeObject[]));
  }

  get hasNodes(): boolean {
    return this.nodeIndex().names.size > 0;
  }

  nodeExists(name: string): boolean {
    return this.nodeIndex().names.has(name);
  }

  nodeAtIP(ip: string): string | undefined {
    const fromNode = this.nodeIndex().byIP.get(ip);
    if (fromNode !== undefined) return fromNode;
    return this.once(`nodeIP ${ip}`, () => {
      const names = this.reader.namesWithTerm('Pod', termHash(TERM.podNodeIP(ip)));
      names.sort((a, b) => cmp(keyOf(a.namespace || 'default', a.name), keyOf(b.namespace || 'default', b.name)));
      for (const pod of this.reader.objectsOf(names) as PodObject[]) {
        if (pod.spec?.nodeName && hostIPs(pod).includes(ip)) return pod.spec.nodeName;
      }
      return undefined;
    });
  }

  zoneOfNode(node: string): string | undefined {
    const fromNode = this.nodeIndex().zone.get(node);
    if (fromNode !== undefined) return fromNode;
    return this.once(`zone ${node}`, () => {
      const names = this.reader.namesWithTerm('EndpointSlice', termHash(TERM.nodeZone(node)));
      names.sort((a, b) => cmp(`${a.name}\u0000${a.namespace || 'default'}`, `${b.name}\u0000${b.namespace || 'default'}`));
      for (const slice of this.reader.objectsOf(names) as EndpointSliceObject[]) {
        if (sliceServiceName(slice) === null) continue;
        const zone = nodeZoneOf(slice, node);
        if (zone !== undefined) return zone;
      }
      return undefined;
    });
  }

  // ---------------------------------------------------------------- slices and Endpoints

  slicesOf(serviceKey: string): ServiceSlices {
    return this.once(`slices ${serviceKey}`, () => {
      const [ns, name] = splitKey(serviceKey);
      const real = byName(this.withTerm<EndpointSliceObject>('EndpointSlice', TERM.sliceService(serviceKey)).filter((s) => nsOf(s) === ns && sliceServiceName(s) === name));
      if (real.length > 0) return { slices: real, derived: null };
      const svc = this.service(serviceKey);
      if (!svc) return NO_SLICES;
      const ep = this.endpointsObject(serviceKey);
      if (ep) {
        const d = derivedFromEndpoints(ep, svc, this.hasEndpointSlices);
        return d ? { slices: d.slices, derived: d } : NO_SLICES;
      }
      const selector = selectorOf(svc);
      if (this.hasEndpointSlices || !selector || serviceType(svc) === 'ExternalName') return NO_SLICES;
      const derived = { slices: slicesFromPods(svc, this.selectPods(ns, selector)), source: { kind: 'Pods' as const } };
      return { slices: derived.slices, derived };
    });
  }

  unlabeledSlices(namespace: string): readonly EndpointSliceObject[] {
    return this.once(`unlabeled ${namespace}`, () =>
      byName(this.withTerm<EndpointSliceObject>('EndpointSlice', TERM.sliceUnlabeled(namespace)).filter((s) => nsOf(s) === namespace && sliceServiceName(s) === null)),
    );
  }

  orphanSlicesIn(namespace: string): readonly EndpointSliceObject[] {
    return this.once(`orphans ${namespace}`, () =>
      byName(this.inNamespace<EndpointSliceObject>('EndpointSlice', namespace).filter((s) => {
        const label = sliceServiceName(s);
        return label !== null && this.service(keyOf(namespace, label)) === undefined;
      })),
    );
  }

  endpointsObject(key: string): EndpointsObject | undefined {
    return this.once(`ep ${key}`, () => this.named<EndpointsObject>('Endpoints', key));
  }

  endpointsObjectsIn(namespace: string): readonly EndpointsObject[] {
    return this.once(`eps ${namespace}`, () => byName(this.inNamespace<EndpointsObject>('Endpoints', namespace)));
  }

  mirror(key: string): MirrorDecision | undefined {
    const ep = this.endpointsObject(key);
    return ep ? mirrorDecision(ep, this.service(key)) : undefined;
  }

  // ---------------------------------------------------------------- Pods

  pod(key: string): PodObject | undefined {
    return this.once(`pod ${key}`, () => this.named<PodObject>('Pod', key));
  }

  podsAtIP(ip: string): readonly PodObject[] {
    return this.once(`podIP ${ip}`, () => byKey(this.withTerm<PodObject>('Pod', TERM.podIP(ip)).filter((p) => !p.spec?.hostNetwork && podIPs(p).includes(ip))));
  }

  hasPodsIn(namespace: string): boolean {
    return this.once(`hasPods ${namespace}`, () => storedNamespaces(namespace).some((ns) => this.reader.exists('Pod', ns)));
  }

  podsIn(namespace: string): readonly PodObject[] {
    return this.once(`pods ${namespace}`, () => byName(this.inNamespace<PodObject>('Pod', namespace)));
  }

  servicesSelecting(namespace: string, labels: Readonly<Record<string, string>>): readonly ServiceObject[] {
    return this.once(`selecting ${namespace} ${JSON.stringify(labels)}`, () => {
      // A Service whose selector the labels match has each of its selector entries among them: the union of
      // the Services selecting on any one of the labels is a superset.
      const found = new Map<string, ServiceObject>();
      for (const [k, v] of Object.entries(labels)) {
        for (const svc of this.withTerm<ServiceObject>('Service', TERM.serviceSelects(namespace, k, v))) found.set(keyOfObject(svc), svc);
      }
      return byName([...found.values()].filter((svc) => {
        const selector = selectorOf(svc);
        return nsOf(svc) === namespace && selector !== null && selectorMatches(selector, labels);
      }));
    });
  }

  selectPods(namespace: string, selector: Readonly<Record<string, string>>): readonly PodObject[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return [];
    return this.once(`select ${namespace} ${JSON.stringify(entries)}`, () => {
      if (entries.length === 1) {
        // One label: the term's objects are the candidates, read with their versions in one statement.
        const [k, v] = entries[0]!;
        return byName(this.withTerm<PodObject>('Pod', TERM.podLabel(namespace, k, v)).filter((p) => nsOf(p) === namespace && selectorMatches(selector, p.metadata.labels)));
      }
      let ids: Map<number, StoredName> | null = null;
      for (const [k, v] of entries) {
        const found = this.reader.namesWithTerm('Pod', termHash(TERM.podLabel(namespace, k, v)));
        const next = new Map<number, StoredName>();
        for (const n of found) if (ids === null || ids.has(n.objectId)) next.set(n.objectId, n);
        ids = next;
        if (ids.size === 0) return [];
      }
      const pods = (this.reader.objectsOf([...ids!.values()]) as PodObject[]).filter((p) => nsOf(p) === namespace && selectorMatches(selector, p.metadata.labels));
      return byName(pods);
    });
  }

  // ---------------------------------------------------------------- reverse lookups

  endpointRefsAt(ip: string): readonly EndpointRef[] {
    if (!this.hasEndpointSlices) throw new Error('HistoryViewAt.endpointRefsAt: a state without EndpointSlices needs the whole snapshot (E4)');
    return this.once(`refs ${ip}`, () => {
      const refs: EndpointRef[] = [];
      const add = (serviceKey: string, slices: readonly EndpointSliceObject[]) => {
        for (const slice of slices) for (const endpoint of slice.endpoints ?? []) if (this.canonicalAddress(endpoint.addresses?.[0]) === ip) refs.push({ serviceKey, slice, endpoint });
      };
      for (const s of this.withTerm<EndpointSliceObject>('EndpointSlice', TERM.endpointAddress(ip))) {
        const label = sliceServiceName(s);
        if (label !== null) add(keyOf(nsOf(s), label), [s]);
      }
      for (const ep of this.withTerm<EndpointsObject>('Endpoints', TERM.endpointAddress(ip))) {
        const key = keyOfObject(ep);
        const { derived } = this.slicesOf(key);
        if (derived?.source.kind === 'Endpoints' && derived.source.endpoints === ep) add(key, derived.slices);
      }
      return refs;
    });
  }

  ingressBackendsOf(serviceKey: string): readonly IngressBackendRef[] {
    return this.once(`backends ${serviceKey}`, () =>
      this.ingressesWith(TERM.ingressBackend(serviceKey)).flatMap((e) => e.backends.filter(([k]) => k === serviceKey).map(([, b]) => b)),
    );
  }

  // ---------------------------------------------------------------- Ingresses

  private classes(): ReadonlyMap<string, IngressClassObject> {
    return this.once('classes', () => {
      const m = new Map<string, IngressClassObject>();
      for (const c of this.reader.objectsOfKind('IngressClass') as IngressClassObject[]) if (!m.has(c.metadata.name)) m.set(c.metadata.name, c);
      return m;
    });
  }

  hasIngressClass(name: string): boolean {
    return this.classes().has(name);
  }

  get ingressClassNames(): readonly string[] {
    return this.once('classNames', () => [...this.classes().keys()].sort(cmp));
  }

  ingressClassesOfController(controller: string): readonly string[] {
    return this.once(`controller ${controller}`, () => classesOfController([...this.classes().values()], controller));
  }

  get defaultIngressClasses(): readonly string[] {
    return this.once('defaultClasses', () => defaultClassesOf([...this.classes().values()]));
  }

  get defaultIngressClass(): string | null {
    return this.defaultIngressClasses[0] ?? null;
  }

  get hasIngresses(): boolean {
    return this.once('hasIngresses', () => this.reader.exists('Ingress'));
  }

  private rulesWith(term: string, host: (key: string | null) => boolean): IngressRuleRef[] {
    return this.ingressesWith(term).flatMap((e) => e.rules.filter((r) => host(r.key)).map((r) => r.rule));
  }

  rulesForHost(host: string): readonly IngressRuleRef[] {
    return this.once(`rules ${host}`, () => this.rulesWith(TERM.ingressHost(host), (k) => k === host));
  }

  rulesForWildcard(suffix: string): readonly IngressRuleRef[] {
    return this.once(`wild ${suffix}`, () => this.rulesWith(TERM.ingressWildcard(suffix), (k) => k !== null && k.startsWith('*.') && k.slice(1) === suffix));
  }

  get hostlessRules(): readonly IngressRuleRef[] {
    return this.once('hostless', () => this.rulesWith(TERM.ingressHostless, (k) => k === null));
  }

  get defaultBackends(): readonly IngressInfo[] {
    return this.once('defaults', () => this.ingressesWith(TERM.ingressDefaultBackend).filter((e) => e.info.obj.spec?.defaultBackend).map((e) => e.info));
  }

  tlsForHost(host: string): readonly TlsRef[] {
    return this.once(`tls ${host}`, () => this.ingressesWith(TERM.ingressTls(host)).flatMap((e) => e.tls.filter(([h]) => h === host).map(([, t]) => t)));
  }

  canonicalAddress(raw: string | undefined): string | null {
    return raw === undefined ? null : canonicalIP(raw);
  }

  // ---------------------------------------------------------------- Gateway API

  gatewayApi(): GatewayApiObjects {
    // The other kinds are read only when a Gateway exists (gatewayApiObjects reads them only then).
    const reader = this.reader;
    return this.once('gatewayApi', () => gatewayApiObjects({
      gateways: reader.objectsOfKind('Gateway') as GatewayObject[],
      get gatewayClasses() { return reader.objectsOfKind('GatewayClass') as GatewayClassObject[]; },
      get httpRoutes() { return reader.objectsOfKind('HTTPRoute') as HTTPRouteObject[]; },
      get grpcRoutes() { return reader.objectsOfKind('GRPCRoute') as GRPCRouteObject[]; },
      get referenceGrants() { return reader.objectsOfKind('ReferenceGrant') as ReferenceGrantObject[]; },
    }));
  }
}
