/**
 * objects: the Kubernetes object shapes routetrace reads, limited to the fields routing depends on.
 *
 * These are the API's own JSON shapes (as `kubectl get -o json` prints them), narrowed: every field here
 * is optional or nullable exactly as in manifests, because inputs may be hand-written manifests rather
 * than API-server output (defaults are applied by the resolver, not assumed here).
 *
 * Contract shared by three parts:
 *  - the resolver reads only these fields;
 *  - the history store's projection keeps exactly these fields (and nothing else: no env, command,
 *    volumes, secrets, arbitrary annotations), so a snapshot rebuilt from history resolves the same as
 *    the live objects;
 *  - the simulator produces objects of these shapes (plus whatever else it likes).
 * Timestamps are RFC 3339 strings. The Gateway API kinds are declared in gatewayObjects.ts.
 */
import type { GatewayClassObject, GatewayObject, GRPCRouteObject, HTTPRouteObject, ReferenceGrantObject } from './gatewayObjects.js';

/** Annotations routing depends on; all others are dropped by the projection. */
export const ROUTING_ANNOTATIONS: readonly string[] = [
  'kubernetes.io/ingress.class',
  'ingressclass.kubernetes.io/is-default-class',
  'service.kubernetes.io/topology-mode',
  'service.kubernetes.io/topology-aware-hints',
  'endpoints.kubernetes.io/over-capacity',
  'control-plane.alpha.kubernetes.io/leader',
];

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string> | null;
  /** Only ROUTING_ANNOTATIONS are kept. */
  annotations?: Record<string, string> | null;
  ownerReferences?: OwnerReference[] | null;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface ServicePort {
  name?: string | null;
  protocol?: string | null;
  appProtocol?: string | null;
  port: number;
  targetPort?: number | string | null;
  nodePort?: number | null;
}

export interface LoadBalancerIngress {
  ip?: string | null;
  hostname?: string | null;
  ipMode?: string | null;
  ports?: { port: number; protocol?: string | null; error?: string | null }[] | null;
}

export interface ServiceObject extends KubeObject {
  spec?: {
    type?: string | null;
    clusterIP?: string | null;
    clusterIPs?: string[] | null;
    ipFamilies?: string[] | null;
    ipFamilyPolicy?: string | null;
    selector?: Record<string, string> | null;
    ports?: ServicePort[] | null;
    externalIPs?: string[] | null;
    externalName?: string | null;
    sessionAffinity?: string | null;
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number | null } | null } | null;
    externalTrafficPolicy?: string | null;
    internalTrafficPolicy?: string | null;
    publishNotReadyAddresses?: boolean | null;
    trafficDistribution?: string | null;
    loadBalancerIP?: string | null;
    loadBalancerSourceRanges?: string[] | null;
    allocateLoadBalancerNodePorts?: boolean | null;
    healthCheckNodePort?: number | null;
  } | null;
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] | null } | null } | null;
}

export interface ObjectReference {
  kind?: string | null;
  namespace?: string | null;
  name?: string | null;
  uid?: string | null;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string | null;
  nodeName?: string | null;
  targetRef?: ObjectReference | null;
}

export interface EndpointPort {
  name?: string | null;
  port: number;
  protocol?: string | null;
  appProtocol?: string | null;
}

/** Legacy v1 Endpoints. */
export interface EndpointsObject extends KubeObject {
  subsets?: {
    addresses?: EndpointAddress[] | null;
    notReadyAddresses?: EndpointAddress[] | null;
    ports?: EndpointPort[] | null;
  }[] | null;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null } | null;
  hostname?: string | null;
  nodeName?: string | null;
  zone?: string | null;
  targetRef?: ObjectReference | null;
  hints?: { forZones?: { name: string }[] | null; forNodes?: { name: string }[] | null } | null;
}

export interface SlicePort {
  name?: string | null;
  port?: number | null;
  protocol?: string | null;
  appProtocol?: string | null;
}

/** discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointSliceObject extends KubeObject {
  addressType?: string | null;
  endpoints?: SliceEndpoint[] | null;
  ports?: SlicePort[] | null;
}

export interface ContainerPort {
  name?: string | null;
  containerPort: number;
  protocol?: string | null;
  hostPort?: number | null;
}

export interface PodContainer {
  name: string;
  /** Only for init containers: "Always" marks a restartable sidecar whose ports count for named targetPorts. */
  restartPolicy?: string | null;
  ports?: ContainerPort[] | null;
}

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string | null;
}

export interface PodObject extends KubeObject {
  spec?: {
    nodeName?: string | null;
    hostname?: string | null;
    subdomain?: string | null;
    hostNetwork?: boolean | null;
    containers?: PodContainer[] | null;
    initContainers?: PodContainer[] | null;
  } | null;
  status?: {
    phase?: string | null;
    podIP?: string | null;
    podIPs?: { ip: string }[] | null;
    hostIP?: string | null;
    hostIPs?: { ip: string }[] | null;
    conditions?: PodCondition[] | null;
  } | null;
}

export interface IngressServiceBackend {
  name: string;
  port?: { number?: number | null; name?: string | null } | null;
}

export interface IngressBackend {
  service?: IngressServiceBackend | null;
  resource?: { apiGroup?: string | null; kind: string; name: string } | null;
}

export interface IngressObject extends KubeObject {
  spec?: {
    ingressClassName?: string | null;
    defaultBackend?: IngressBackend | null;
    rules?: {
      host?: string | null;
      http?: { paths: { path?: string | null; pathType?: string | null; backend: IngressBackend }[] } | null;
    }[] | null;
    tls?: { hosts?: string[] | null; secretName?: string | null }[] | null;
  } | null;
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] | null } | null } | null;
}

export interface IngressClassObject extends KubeObject {
  spec?: { controller?: string | null } | null;
}

/**
 * core/v1 Node, narrowed to what routing needs: its addresses (a client or a nodePort on a node IP) and
 * its zone label (topology hints; topology.kubernetes.io/zone, else the deprecated failure-domain label).
 */
export interface NodeObject extends KubeObject {
  status?: { addresses?: { type: string; address: string }[] | null } | null;
}

/** Node labels routing depends on; the projection keeps only these. */
export const NODE_ZONE_LABELS: readonly string[] = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

/** The Gateway API kinds (gateway.networking.k8s.io); clusters without their CRDs simply have none. */
export const GATEWAY_KINDS = ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant'] as const;
export type GatewayKind = (typeof GATEWAY_KINDS)[number];

/** The kinds routetrace keeps as history (IngressClass is read for resolution only). */
export const KINDS = ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Ingress', 'IngressClass', 'Node', ...GATEWAY_KINDS] as const;
export type Kind = (typeof KINDS)[number];

/** Whether a kind is one of the Gateway API kinds (optional in a cluster: their CRDs may be absent). */
export function isGatewayKind(kind: string): kind is GatewayKind {
  return (GATEWAY_KINDS as readonly string[]).includes(kind);
}

/** A cluster snapshot: every object of the routing kinds at one instant. Plain data; never mutated by readers. */
export interface Snapshot {
  services: readonly ServiceObject[];
  endpoints: readonly EndpointsObject[];
  endpointSlices: readonly EndpointSliceObject[];
  pods: readonly PodObject[];
  ingresses: readonly IngressObject[];
  ingressClasses: readonly IngressClassObject[];
  /** Node objects; a dump may lack them (node IPs then come from Pods' hostIP, zones from slices). */
  nodes: readonly NodeObject[];
  gatewayClasses: readonly GatewayClassObject[];
  gateways: readonly GatewayObject[];
  httpRoutes: readonly HTTPRouteObject[];
  grpcRoutes: readonly GRPCRouteObject[];
  referenceGrants: readonly ReferenceGrantObject[];
}

/** The Snapshot field that holds each kind's objects. */
export const SNAPSHOT_FIELD: Readonly<Record<Kind, keyof Snapshot>> = {
  Service: 'services',
  Endpoints: 'endpoints',
  EndpointSlice: 'endpointSlices',
  Pod: 'pods',
  Ingress: 'ingresses',
  IngressClass: 'ingressClasses',
  Node: 'nodes',
  GatewayClass: 'gatewayClasses',
  Gateway: 'gateways',
  HTTPRoute: 'httpRoutes',
  GRPCRoute: 'grpcRoutes',
  ReferenceGrant: 'referenceGrants',
};

export function emptySnapshot(): Snapshot {
  return {
    services: [], endpoints: [], endpointSlices: [], pods: [], ingresses: [], ingressClasses: [], nodes: [],
    gatewayClasses: [], gateways: [], httpRoutes: [], grpcRoutes: [], referenceGrants: [],
  };
}

/** Identity key of an object within a cluster: `Kind/namespace/name` (namespace empty for cluster-scoped). */
export function objectKey(kind: string, meta: Pick<ObjectMeta, 'namespace' | 'name'>): string {
  return `${kind}/${meta.namespace ?? ''}/${meta.name}`;
}
