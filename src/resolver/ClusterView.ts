/**
 * ClusterView: the read-only lookups the resolver makes of a cluster state, and nothing else.
 *
 * The resolver (resolve, reverseLookup, routeService, ingressSelect, serviceDiagnosis) reads a cluster only
 * through this interface, so one pure resolver answers from any source that can answer these lookups:
 *  - SnapshotIndex (buildIndex): a whole snapshot indexed in memory (the live state, a kubectl dump, a
 *    history snapshot rebuilt whole);
 *  - HistoryViewAt (src/queries): a state read through ObjectLookups, each lookup a read of only what it
 *    needs, so the cost of an answer follows the answer, not the cluster: the history database at one
 *    instant (InstantReader), or the live state (LiveObjects, kept up to date per change).
 * Both must return, for every lookup, exactly what the other would for the same state (same objects, same
 * order); a property test holds them equal. Keys are `namespace/name` (keyOf); hosts are lower case; IPs are
 * canonical (canonicalIP). Lists are sorted as documented on each lookup and must not be mutated.
 */
import type {
  EndpointsObject,
  EndpointSliceObject,
  IngressBackend,
  IngressObject,
  PodObject,
  ServiceObject,
  ServicePort,
  SliceEndpoint,
} from '../model/objects.js';
import type { MirrorDecision } from './derivedSlices.js';
import type { IngressFieldError } from './ingressValidation.js';
import type { MirrorSkip } from './mirrorEndpoints.js';
import type { GatewayApiObjects } from './gateway/GatewayApiObjects.js';

export type ServiceIPKind = 'clusterIP' | 'externalIP' | 'loadBalancer';

export interface ServiceIPEntry {
  readonly service: ServiceObject;
  readonly kind: ServiceIPKind;
  /** LB ingress ipMode (P2), null otherwise. */
  readonly ipMode: string | null;
}

export interface NodePortEntry {
  readonly service: ServiceObject;
  readonly port: ServicePort;
}

export interface IngressInfo {
  readonly obj: IngressObject;
  readonly namespace: string;
  readonly name: string;
  /** I1: spec.ingressClassName, else the deprecated annotation, else null. */
  readonly className: string | null;
  readonly classSource: 'field' | 'annotation' | null;
  readonly created: string;
  /** Precedence key (oldest first, then namespace/name): compare with compareIngresses. */
  readonly order: string;
  /** Field errors for which the API server would reject the Ingress as a whole (empty: valid). */
  readonly invalid: readonly IngressFieldError[];
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
}

export interface IngressBackendRef {
  readonly ingress: IngressInfo;
  readonly host: string | null;
  readonly path: string | null;
  readonly pathType: string | null;
  readonly defaultBackend: boolean;
  readonly port: number | string | null;
}

export interface TlsRef {
  readonly ingress: IngressInfo;
  readonly secretName: string | null;
}

export interface EndpointRef {
  readonly serviceKey: string;
  readonly slice: EndpointSliceObject;
  readonly endpoint: SliceEndpoint;
}

export interface DerivedSlices {
  readonly slices: readonly EndpointSliceObject[];
  /** skipped: addresses the mirroring controller leaves out (M6 capacity, invalid IPs). */
  readonly source: { kind: 'Endpoints'; endpoints: EndpointsObject; skipped: readonly MirrorSkip[] } | { kind: 'Pods' };
}

/** The slices kube-proxy would read for a Service: labelled slices (derived null), else derived ones. */
export interface ServiceSlices {
  readonly slices: readonly EndpointSliceObject[];
  readonly derived: DerivedSlices | null;
}

/** Ingress precedence (I8 ties): oldest first, then namespace/name. */
export function compareIngresses(a: IngressInfo, b: IngressInfo): number {
  return a.order < b.order ? -1 : a.order > b.order ? 1 : 0;
}

export interface ClusterView {
  /** E4: the state holds at least one EndpointSlice (else slices are derived from Endpoints or Pods). */
  readonly hasEndpointSlices: boolean;

  /** The Service `key`. */
  service(key: string): ServiceObject | undefined;
  /** Names of the Services of a namespace, sorted. */
  serviceNames(namespace: string): readonly string[];
  /** Services with this ClusterIP, external IP or load-balancer ingress IP, by Service key, then spec order. */
  servicesAtIP(ip: string): readonly ServiceIPEntry[];
  /** NodePort/LoadBalancer Service ports with this nodePort, by Service key, then spec order. */
  servicesAtNodePort(nodePort: number): readonly NodePortEntry[];
  /** Services with this load-balancer ingress hostname (lower case, P2), by Service key. */
  servicesAtLBHostname(hostname: string): readonly ServiceObject[];
  /** Whether an Ingress's status lists this load-balancer IP (the controller's address). */
  isIngressAddress(ip: string): boolean;

  /**
   * The node with this IP: a Node object's InternalIP/ExternalIP (nodeFacts), else the node a Pod's
   * status.hostIP(s) name for it (the first Pod by namespace/name wins).
   */
  nodeAtIP(ip: string): string | undefined;
  /**
   * The zone of a node: its Node object's zone label (nodeFacts), else as slice endpoints state it: from
   * the first labelled EndpointSlice by (name, namespace) listing an endpoint on the node with a zone, its
   * first such endpoint.
   */
  zoneOfNode(node: string): string | undefined;
  /** Whether the state holds Node objects at all (a dump may lack them). */
  readonly hasNodes: boolean;
  /** Whether a Node object of this name exists. */
  nodeExists(name: string): boolean;

  /** The slices of a Service (labelled ones sorted by name, else derived: mirrored Endpoints, or Pods under E4). */
  slicesOf(serviceKey: string): ServiceSlices;
  /** EndpointSlices of a namespace without the kubernetes.io/service-name label, sorted by name. */
  unlabeledSlices(namespace: string): readonly EndpointSliceObject[];
  /** Labelled EndpointSlices of a namespace whose Service does not exist, sorted by name. */
  orphanSlicesIn(namespace: string): readonly EndpointSliceObject[];

  /** The Endpoints object `key`. */
  endpointsObject(key: string): EndpointsObject | undefined;
  /** Endpoints objects of a namespace, sorted by name. */
  endpointsObjectsIn(namespace: string): readonly EndpointsObject[];
  /** M4 for the Endpoints object `key` (undefined when there is none). */
  mirror(key: string): MirrorDecision | undefined;

  /** The Pod `key`. */
  pod(key: string): PodObject | undefined;
  /** Pods (not hostNetwork) with this IP, by key. */
  podsAtIP(ip: string): readonly PodObject[];
  /** Whether a namespace holds any Pod. */
  hasPodsIn(namespace: string): boolean;
  /** Every Pod of a namespace, by name. */
  podsIn(namespace: string): readonly PodObject[];
  /** Services of a namespace with a selector that these labels match (empty selectors never match), by name. */
  servicesSelecting(namespace: string, labels: Readonly<Record<string, string>>): readonly ServiceObject[];
  /** Pods of a namespace whose labels match an equality selector, by name (empty selector: none). */
  selectPods(namespace: string, selector: Readonly<Record<string, string>>): readonly PodObject[];

  /** Endpoints (labelled and derived slices) whose first address is this IP. Order is not significant. */
  endpointRefsAt(ip: string): readonly EndpointRef[];
  /** Ingress paths and default backends naming the Service `key`, in precedence order, then spec order. */
  ingressBackendsOf(serviceKey: string): readonly IngressBackendRef[];

  hasIngressClass(name: string): boolean;
  /** Names of every IngressClass, sorted. */
  readonly ingressClassNames: readonly string[];
  /** Names of the IngressClasses whose spec.controller is `controller`, sorted. */
  ingressClassesOfController(controller: string): readonly string[];
  /** I2: the class admission would apply to a new Ingress (newest default; ties by name). */
  readonly defaultIngressClass: string | null;
  readonly defaultIngressClasses: readonly string[];
  /** Whether the state holds any Ingress. */
  readonly hasIngresses: boolean;
  /** Rules with exactly this host, in precedence order, then spec order. */
  rulesForHost(host: string): readonly IngressRuleRef[];
  /** Wildcard rules for a suffix (".foo.com" for "*.foo.com"), in precedence order, then spec order. */
  rulesForWildcard(suffix: string): readonly IngressRuleRef[];
  /** Rules without host, in precedence order, then spec order. */
  readonly hostlessRules: readonly IngressRuleRef[];
  /** Ingresses with a spec.defaultBackend, in precedence order. */
  readonly defaultBackends: readonly IngressInfo[];
  /** spec.tls entries listing this host (lower case, wildcards as written), in precedence order. */
  tlsForHost(host: string): readonly TlsRef[];

  /** The Gateway API objects (few: read whole), each kind by namespace then name. */
  gatewayApi(): GatewayApiObjects;

  /** Canonical form of an endpoint address (E8), or null. */
  canonicalAddress(raw: string | undefined): string | null;
}
