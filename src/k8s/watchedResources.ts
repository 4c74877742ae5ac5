/**
 * watchedResources: for each kind routetrace watches, its API paths and how one page of it is listed.
 *
 * One row per kind: the API group path, the plural, and whether it is namespaced. Lists and watches use
 * the same path (cluster-wide, or one namespace's); a page is a plain JSON GET of that path with
 * limit/continue (getJson: no generated model classes on the ingest path). Adding a kind is adding a row.
 * The Gateway API kinds are optional: their CRDs may be absent, and which version a cluster serves
 * (v1, or v1beta1 on older installs) is found by discovery before they are watched.
 */
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { Kind } from '../model/objects.js';
import { getJson } from './getJson.js';

export interface PageRequest {
  readonly limit: number;
  readonly continueToken?: string;
}

export type PageFn = (namespace: string | undefined, page: PageRequest) => Promise<KubernetesListObject<KubernetesObject>>;

export interface WatchedResource {
  readonly kind: Kind;
  readonly namespaced: boolean;
  /** For a kind of an optional API group (CRDs that may be absent): the group and the versions to try, preferred first. */
  readonly optional?: { readonly group: string; readonly plural: string; readonly versions: readonly string[] };
  /** Watch path for `namespace` (undefined: all namespaces). */
  path(namespace: string | undefined): string;
  /** Creates the page-list function bound to one kubeconfig. */
  pageFn(kc: KubeConfig): PageFn;
}

function nsPath(prefix: string, plural: string, namespace: string | undefined): string {
  return namespace === undefined ? `${prefix}/${plural}` : `${prefix}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}

const CORE = '/api/v1';
const DISCOVERY = '/apis/discovery.k8s.io/v1';
const NETWORKING = '/apis/networking.k8s.io/v1';
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

type ListObject = KubernetesListObject<KubernetesObject>;

function resource(kind: Kind, namespaced: boolean, prefix: string, plural: string): WatchedResource {
  const path = (ns: string | undefined) => (namespaced ? nsPath(prefix, plural, ns) : `${prefix}/${plural}`);
  return {
    kind,
    namespaced,
    path,
    pageFn: (kc) => async (ns, p) => {
      const query = new URLSearchParams({ limit: String(p.limit) });
      if (p.continueToken) query.set('continue', p.continueToken);
      return getJson<ListObject>(kc, `${path(namespaced ? ns : undefined)}?${query.toString()}`);
    },
  };
}

export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  resource('Service', true, CORE, 'services'),
  resource('Endpoints', true, CORE, 'endpoints'),
  resource('EndpointSlice', true, DISCOVERY, 'endpointslices'),
  resource('Pod', true, CORE, 'pods'),
  resource('Ingress', true, NETWORKING, 'ingresses'),
  resource('IngressClass', false, NETWORKING, 'ingressclasses'),
  resource('Node', false, CORE, 'nodes'),
  gatewayResource('GatewayClass', false, 'gatewayclasses', ['v1', 'v1beta1']),
  gatewayResource('Gateway', true, 'gateways', ['v1', 'v1beta1']),
  gatewayResource('HTTPRoute', true, 'httproutes', ['v1', 'v1beta1']),
  gatewayResource('GRPCRoute', true, 'grpcroutes', ['v1']),
  gatewayResource('ReferenceGrant', true, 'referencegrants', ['v1', 'v1beta1']),
];

/** A Gateway API kind: its CRD may be absent, and the served version is found by discovery (OptionalResourceStream). */
function gatewayResource(kind: Kind, namespaced: boolean, plural: string, versions: string[]): WatchedResource {
  return { ...resource(kind, namespaced, `/apis/${GATEWAY_GROUP}/${versions[0]}`, plural), optional: { group: GATEWAY_GROUP, plural, versions } };
}

/** The same resource served at another version of its group (optional kinds only). */
export function atVersion(r: WatchedResource, version: string): WatchedResource {
  if (!r.optional) throw new Error(`watchedResources: ${r.kind} has a fixed version`);
  return { ...resource(r.kind, r.namespaced, `/apis/${r.optional.group}/${version}`, r.optional.plural), optional: r.optional };
}

export function watchedResource(kind: Kind): WatchedResource {
  const r = WATCHED_RESOURCES.find((w) => w.kind === kind);
  if (!r) throw new Error(`watchedResources: no row for kind ${kind}`);
  return r;
}
