/**
 * resources: the API resources the simulator serves, one descriptor per kind.
 *
 * A descriptor is everything the HTTP layer, discovery and the store need to know about a kind: its
 * group/version, plural path segment, list kind, scope and short names. Lookup is by kind or by
 * (group, version, plural). Only these kinds exist; every other path answers 404.
 */

const GATEWAY = 'gateway.networking.k8s.io';

export type SimKind = 'Namespace' | 'Service' | 'Endpoints' | 'Pod' | 'EndpointSlice' | 'Ingress' | 'IngressClass' | 'Node'
  | 'GatewayClass' | 'Gateway' | 'HTTPRoute' | 'GRPCRoute' | 'ReferenceGrant';

export interface ResourceType {
  readonly kind: SimKind;
  readonly listKind: string;
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** `v1` or `group/version`. */
  readonly apiVersion: string;
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
}

function rt(kind: SimKind, group: string, plural: string, namespaced: boolean, shortNames: string[], categories: string[] = [], version = 'v1'): ResourceType {
  return {
    kind,
    listKind: `${kind}List`,
    group,
    version,
    apiVersion: group === '' ? version : `${group}/${version}`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames,
    categories,
  };
}

export const RESOURCES: readonly ResourceType[] = [
  rt('Namespace', '', 'namespaces', false, ['ns']),
  rt('Service', '', 'services', true, ['svc'], ['all']),
  rt('Endpoints', '', 'endpoints', true, ['ep']),
  rt('Pod', '', 'pods', true, ['po'], ['all']),
  rt('EndpointSlice', 'discovery.k8s.io', 'endpointslices', true, []),
  rt('Ingress', 'networking.k8s.io', 'ingresses', true, ['ing']),
  rt('IngressClass', 'networking.k8s.io', 'ingressclasses', false, []),
  rt('Node', '', 'nodes', false, ['no']),
  // Gateway API (as its standard-channel CRDs serve it: ReferenceGrant in v1beta1).
  rt('GatewayClass', GATEWAY, 'gatewayclasses', false, ['gc'], ['gateway-api']),
  rt('Gateway', GATEWAY, 'gateways', true, ['gtw'], ['gateway-api']),
  rt('HTTPRoute', GATEWAY, 'httproutes', true, [], ['gateway-api']),
  rt('GRPCRoute', GATEWAY, 'grpcroutes', true, [], ['gateway-api']),
  rt('ReferenceGrant', GATEWAY, 'referencegrants', true, ['refgrant'], ['gateway-api'], 'v1beta1'),
];

/** The Gateway API kinds (a cluster may run without their CRDs: see startSim's gatewayApi option). */
export const GATEWAY_SIM_KINDS: readonly SimKind[] = ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant'];

export const SIM_KINDS: readonly SimKind[] = RESOURCES.map((r) => r.kind);

const byKind = new Map<string, ResourceType>(RESOURCES.map((r) => [r.kind, r]));
const byPath = new Map<string, ResourceType>(RESOURCES.map((r) => [`${r.group}/${r.version}/${r.plural}`, r]));

export function resourceForKind(kind: string): ResourceType | undefined {
  return byKind.get(kind);
}

export function resourceForPath(group: string, version: string, plural: string): ResourceType | undefined {
  return byPath.get(`${group}/${version}/${plural}`);
}

/** Which kinds a simulated cluster serves (all, or all but the Gateway API kinds: CRDs not installed). */
export type Served = (kind: SimKind) => boolean;
export const SERVES_ALL: Served = () => true;

/** The group versions served, in discovery order. */
export function groupVersions(served: Served = SERVES_ALL): { group: string; version: string; resources: ResourceType[] }[] {
  const out = new Map<string, { group: string; version: string; resources: ResourceType[] }>();
  for (const r of RESOURCES) {
    if (!served(r.kind)) continue;
    const key = `${r.group}/${r.version}`;
    if (!out.has(key)) out.set(key, { group: r.group, version: r.version, resources: [] });
    out.get(key)!.resources.push(r);
  }
  return [...out.values()];
}
