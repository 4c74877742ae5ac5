/**
 * GatewayApiObjects: the Gateway API objects of one cluster state, as the resolver reads them
 * (ClusterView.gatewayApi()). Both views (SnapshotIndex and HistoryViewAt) build it with gatewayApiObjects()
 * from the objects of each kind, so both give the same lists in the same order: by namespace (nsOf) then
 * name, the first object of a duplicated key kept. Gateway API objects are few (a cluster has some
 * Gateways and routes per team), so they are read whole rather than through lookup terms.
 */
import type { GatewayClassObject, GatewayObject, GRPCRouteObject, HTTPRouteObject, ReferenceGrantObject } from '../../model/gatewayObjects.js';
import type { KubeObject } from '../../model/objects.js';
import { keyOf, nsOf } from '../apiDefaults.js';

export interface GatewayApiObjects {
  readonly gatewayClasses: readonly GatewayClassObject[];
  readonly gateways: readonly GatewayObject[];
  readonly httpRoutes: readonly HTTPRouteObject[];
  readonly grpcRoutes: readonly GRPCRouteObject[];
  readonly referenceGrants: readonly ReferenceGrantObject[];
}

function ordered<T extends KubeObject>(list: readonly T[], clusterScoped = false): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  const key = (o: T) => (clusterScoped ? `/${o.metadata.name}` : keyOf(nsOf(o), o.metadata.name));
  for (const o of [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))) {
    const k = key(o);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(o);
  }
  return out;
}

/**
 * The objects in resolver order. Without any Gateway no route can take traffic, so every list is empty then
 * (and a view need not read the other kinds: `lists` may read them lazily, as getters).
 */
export function gatewayApiObjects(lists: GatewayApiObjects): GatewayApiObjects {
  if (lists.gateways.length === 0) return NO_GATEWAY_API;
  return {
    gatewayClasses: ordered(lists.gatewayClasses, true),
    gateways: ordered(lists.gateways),
    httpRoutes: ordered(lists.httpRoutes),
    grpcRoutes: ordered(lists.grpcRoutes),
    referenceGrants: ordered(lists.referenceGrants),
  };
}

export const NO_GATEWAY_API: GatewayApiObjects = Object.freeze({ gatewayClasses: [], gateways: [], httpRoutes: [], grpcRoutes: [], referenceGrants: [] });
