/**
 * gatewayObjects: the Gateway API object shapes routetrace reads (gateway.networking.k8s.io), limited to
 * the fields routing depends on, exactly as objects.ts does for the core kinds.
 *
 * GatewayClass, Gateway, HTTPRoute and GRPCRoute are read in their v1 shape; ReferenceGrant in its
 * v1beta1 shape (identical in v1). Every field is optional or nullable as in hand-written manifests;
 * the resolver applies the API's defaults (listener allowedRoutes from Same, path match PathPrefix "/",
 * backendRef weight 1, kind Service, ...). The projection (gatewayProjection.ts) keeps exactly these fields;
 * header-modifying filters, timeouts, retry and session persistence settings are not kept: they do not
 * change where a request goes.
 */
import type { KubeObject } from './objects.js';

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string | null;
}

export interface GatewayClassObject extends KubeObject {
  spec?: { controllerName?: string | null } | null;
  status?: { conditions?: Condition[] | null } | null;
}

export interface RouteGroupKind {
  group?: string | null;
  kind: string;
}

export interface Listener {
  name: string;
  hostname?: string | null;
  port: number;
  protocol: string;
  tls?: { mode?: string | null; certificateRefs?: { group?: string | null; kind?: string | null; name: string; namespace?: string | null }[] | null } | null;
  allowedRoutes?: {
    namespaces?: { from?: string | null; selector?: LabelSelector | null } | null;
    kinds?: RouteGroupKind[] | null;
  } | null;
}

export interface GatewayObject extends KubeObject {
  spec?: {
    gatewayClassName?: string | null;
    listeners?: Listener[] | null;
    addresses?: { type?: string | null; value: string }[] | null;
  } | null;
  status?: {
    addresses?: { type?: string | null; value: string }[] | null;
    conditions?: Condition[] | null;
    listeners?: { name: string; attachedRoutes?: number | null; conditions?: Condition[] | null }[] | null;
  } | null;
}

export interface ParentReference {
  group?: string | null;
  kind?: string | null;
  namespace?: string | null;
  name: string;
  sectionName?: string | null;
  port?: number | null;
}

export interface BackendObjectReference {
  group?: string | null;
  kind?: string | null;
  name: string;
  namespace?: string | null;
  port?: number | null;
}

export interface BackendRef extends BackendObjectReference {
  weight?: number | null;
  filters?: RouteFilter[] | null;
}

export interface HTTPPathModifier {
  type: string;
  replaceFullPath?: string | null;
  replacePrefixMatch?: string | null;
}

export interface RouteFilter {
  type: string;
  requestRedirect?: {
    scheme?: string | null;
    hostname?: string | null;
    path?: HTTPPathModifier | null;
    port?: number | null;
    statusCode?: number | null;
  } | null;
  urlRewrite?: { hostname?: string | null; path?: HTTPPathModifier | null } | null;
  requestMirror?: {
    backendRef: BackendObjectReference;
    percent?: number | null;
    fraction?: { numerator: number; denominator?: number | null } | null;
  } | null;
  extensionRef?: { group?: string | null; kind: string; name: string } | null;
}

export interface HeaderMatch {
  type?: string | null;
  name: string;
  value: string;
}

export interface HTTPRouteMatch {
  path?: { type?: string | null; value?: string | null } | null;
  headers?: HeaderMatch[] | null;
  queryParams?: HeaderMatch[] | null;
  method?: string | null;
}

export interface GRPCRouteMatch {
  method?: { type?: string | null; service?: string | null; method?: string | null } | null;
  headers?: HeaderMatch[] | null;
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName?: string | null;
  conditions?: Condition[] | null;
}

export interface HTTPRouteObject extends KubeObject {
  spec?: {
    parentRefs?: ParentReference[] | null;
    hostnames?: string[] | null;
    rules?: { name?: string | null; matches?: HTTPRouteMatch[] | null; filters?: RouteFilter[] | null; backendRefs?: BackendRef[] | null }[] | null;
  } | null;
  status?: { parents?: RouteParentStatus[] | null } | null;
}

export interface GRPCRouteObject extends KubeObject {
  spec?: {
    parentRefs?: ParentReference[] | null;
    hostnames?: string[] | null;
    rules?: { name?: string | null; matches?: GRPCRouteMatch[] | null; filters?: RouteFilter[] | null; backendRefs?: BackendRef[] | null }[] | null;
  } | null;
  status?: { parents?: RouteParentStatus[] | null } | null;
}

export interface ReferenceGrantObject extends KubeObject {
  spec?: {
    from?: { group: string; kind: string; namespace: string }[] | null;
    to?: { group: string; kind: string; name?: string | null }[] | null;
  } | null;
}

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
