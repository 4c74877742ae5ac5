/**
 * watchedResources: for each kind routetrace watches, its API paths and the generated client's list call.
 *
 * One row per kind: the cluster-wide watch path, the namespaced path (absent for cluster-scoped kinds),
 * and a function that lists one page (limit/continue) in one scope. Adding a kind is adding a row.
 */
import { CoreV1Api, DiscoveryV1Api, NetworkingV1Api, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Kind } from '../model/objects.js';

export interface PageRequest {
  readonly limit: number;
  readonly continueToken?: string;
}

export type PageFn = (namespace: string | undefined, page: PageRequest) => Promise<KubernetesListObject<KubernetesObject>>;

export interface WatchedResource {
  readonly kind: Kind;
  readonly namespaced: boolean;
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

type ListObject = KubernetesListObject<KubernetesObject>;

export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  {
    kind: 'Service',
    namespaced: true,
    path: (ns) => nsPath(CORE, 'services', ns),
    pageFn: (kc) => {
      const api = kc.makeApiClient(CoreV1Api);
      return async (ns, p) =>
        (ns === undefined
          ? await api.listServiceForAllNamespaces({ limit: p.limit, _continue: p.continueToken })
          : await api.listNamespacedService({ namespace: ns, limit: p.limit, _continue: p.continueToken })) as ListObject;
    },
  },
  {
    kind: 'Endpoints',
    namespaced: true,
    path: (ns) => nsPath(CORE, 'endpoints', ns),
    pageFn: (kc) => {
      const api = kc.makeApiClient(CoreV1Api);
      return async (ns, p) =>
        (ns === undefined
          ? await api.listEndpointsForAllNamespaces({ limit: p.limit, _continue: p.continueToken })
          : await api.listNamespacedEndpoints({ namespace: ns, limit: p.limit, _continue: p.continueToken })) as ListObject;
    },
  },
  {
    kind: 'EndpointSlice',
    namespaced: true,
    path: (ns) => nsPath(DISCOVERY, 'endpointslices', ns),
    pageFn: (kc) => {
      const api = kc.makeApiClient(DiscoveryV1Api);
      return async (ns, p) =>
        (ns === undefined
          ? await api.listEndpointSliceForAllNamespaces({ limit: p.limit, _continue: p.continueToken })
          : await api.listNamespacedEndpointSlice({ namespace: ns, limit: p.limit, _continue: p.continueToken })) as ListObject;
    },
  },
  {
    kind: 'Pod',
    namespaced: true,
    path: (ns) => nsPath(CORE, 'pods', ns),
    pageFn: (kc) => {
      const api = kc.makeApiClient(CoreV1Api);
      return async (ns, p) =>
        (ns === undefined
          ? await api.listPodForAllNamespaces({ limit: p.limit, _continue: p.continueToken })
          : await api.listNamespacedPod({ namespace: ns, limit: p.limit, _continue: p.continueToken })) as ListObject;
    },
  },
  {
    kind: 'Ingress',
    namespaced: true,
    path: (ns) => nsPath(NETWORKING, 'ingresses', ns),
    pageFn: (kc) => {
      const api = kc.makeApiClient(NetworkingV1Api);
      return async (ns, p) =>
        (ns === undefined
          ? await api.listIngressForAllNamespaces({ limit: p.limit, _continue: p.continueToken })
          : await api.listNamespacedIngress({ namespace: ns, limit: p.limit, _continue: p.continueToken })) as ListObject;
    },
  },
  {
    kind: 'IngressClass',
    namespaced: false,
    path: () => `${NETWORKING}/ingressclasses`,
    pageFn: (kc) => {
      const api = kc.makeApiClient(NetworkingV1Api);
      return async (_ns, p) => (await api.listIngressClass({ limit: p.limit, _continue: p.continueToken })) as ListObject;
    },
  },
];

export function watchedResource(kind: Kind): WatchedResource {
  const r = WATCHED_RESOURCES.find((w) => w.kind === kind);
  if (!r) throw new Error(`watchedResources: no row for kind ${kind}`);
  return r;
}
