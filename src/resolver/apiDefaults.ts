/**
 * apiDefaults: the API server's defaulting, applied on read so hand-written manifests resolve like
 * API-server output (S1, E1, E2, M2). Pure functions of one object; inputs are never modified.
 */
import type { EndpointSliceObject, ServiceObject, ServicePort, SliceEndpoint, SlicePort } from '../model/objects.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
export const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** S1: protocol nil → TCP (also for slice and Endpoints ports, E1/M2). */
export function protocolOf(p: { protocol?: string | null } | null | undefined): string {
  return p?.protocol ? p.protocol : 'TCP';
}

/** S2/E1: port name nil → "". */
export function portNameOf(p: { name?: string | null } | null | undefined): string {
  return p?.name ?? '';
}

/** S1: targetPort unset, 0 or "" → port. Numeric strings stay names only if not all digits. */
export function targetPortOf(p: ServicePort): number | string {
  const t = p.targetPort;
  if (t === undefined || t === null || t === 0 || t === '') return p.port;
  if (typeof t === 'string' && /^\d+$/.test(t)) return Number(t);
  return t;
}

/** S1: type nil → ClusterIP. */
export function serviceType(svc: ServiceObject): string {
  return svc.spec?.type || 'ClusterIP';
}

/** T2: headless = clusterIP "None". */
export function isHeadless(svc: ServiceObject): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** `selector: {}` is treated as absent (empty maps do not survive the API round trip). */
export function selectorOf(svc: ServiceObject): Record<string, string> | null {
  const s = svc.spec?.selector;
  return s && Object.keys(s).length > 0 ? s : null;
}

/** S1: policies default to Cluster; sessionAffinity None, ClientIP timeout 10800 s. */
export function internalTrafficPolicy(svc: ServiceObject): string {
  return svc.spec?.internalTrafficPolicy || 'Cluster';
}
export function externalTrafficPolicy(svc: ServiceObject): string {
  return svc.spec?.externalTrafficPolicy || 'Cluster';
}
export function sessionAffinity(svc: ServiceObject): { type: string; timeoutSeconds: number | null } {
  const type = svc.spec?.sessionAffinity || 'None';
  if (type !== 'ClientIP') return { type, timeoutSeconds: null };
  return { type, timeoutSeconds: svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 };
}

/** E2: ready nil → true, serving nil → true, terminating nil → false. */
export function conditionsOf(e: SliceEndpoint): { ready: boolean; serving: boolean; terminating: boolean } {
  const c = e.conditions ?? {};
  return { ready: c.ready ?? true, serving: c.serving ?? true, terminating: c.terminating ?? false };
}

/** E1: a slice port kube-proxy can use has a non-nil, non-zero port. */
export function usableSlicePort(p: SlicePort): p is SlicePort & { port: number } {
  return typeof p.port === 'number' && p.port > 0;
}

/** E3: the Service a slice belongs to ("" / absent label → none). */
export function sliceServiceName(s: EndpointSliceObject): string | null {
  const v = s.metadata.labels?.[SERVICE_NAME_LABEL];
  return v ? v : null;
}

export function nsOf(o: { metadata: { namespace?: string } }): string {
  return o.metadata.namespace || 'default';
}

export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
