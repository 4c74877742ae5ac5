/**
 * gatewayAttachment: whether a route attaches to a Gateway listener (gateway-api apis/v1: CommonRouteSpec.ParentRefs,
 * ParentReference.SectionName/Port, Listener.AllowedRoutes, and the hostname intersection of
 * HTTPRouteSpec.Hostnames). Pure.
 *
 * A route attaches to listener L of Gateway G when
 *  1. one of its parentRefs names G (group gateway.networking.k8s.io and kind Gateway by default, the
 *     route's namespace by default) and, when given, sectionName equals L's name and port equals L's port;
 *  2. L's allowedRoutes admit it: kinds (by default HTTPRoute and GRPCRoute on HTTP/HTTPS listeners) and
 *     namespaces (from: Same by default, All, or Selector over the route namespace's labels);
 *  3. the route's hostnames intersect L's hostname (a route without hostnames takes L's).
 * Namespace labels are not recorded; a Selector is evaluated on the label every namespace carries,
 * kubernetes.io/metadata.name, and when it names other labels the route's own status (as the Gateway's
 * controller wrote it) decides, which the result says.
 */
import type { GatewayObject, GRPCRouteObject, HTTPRouteObject, LabelSelector, Listener, ParentReference } from '../../model/gatewayObjects.js';
import { GATEWAY_GROUP } from '../../model/gatewayObjects.js';
import { nsOf } from '../apiDefaults.js';
import { intersectHostnames } from './gatewayHostnames.js';

export type RouteKind = 'HTTPRoute' | 'GRPCRoute';

export interface RouteRef {
  readonly kind: RouteKind;
  readonly obj: HTTPRouteObject | GRPCRouteObject;
}

export type Attachment =
  | { readonly attached: true; readonly hostnames: readonly (string | null)[]; readonly fromStatus: boolean }
  | { readonly attached: false; readonly reason: string; readonly message: string };

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The parentRefs of a route that name this Gateway. */
export function refsToGateway(route: RouteRef, gateway: GatewayObject): ParentReference[] {
  const routeNs = nsOf(route.obj);
  return (route.obj.spec?.parentRefs ?? []).filter(
    (p) => (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (p.kind ?? 'Gateway') === 'Gateway' && (p.namespace ?? routeNs) === nsOf(gateway) && p.name === gateway.metadata.name,
  );
}

function defaultKinds(protocol: string): string[] {
  switch (protocol) {
    case 'HTTP':
    case 'HTTPS': return ['HTTPRoute', 'GRPCRoute'];
    case 'TLS': return ['TLSRoute'];
    case 'TCP': return ['TCPRoute'];
    case 'UDP': return ['UDPRoute'];
    default: return [];
  }
}

/** Whether a listener's allowedRoutes.kinds admit a route kind. */
export function kindAllowed(listener: Listener, kind: RouteKind): boolean {
  const kinds = listener.allowedRoutes?.kinds;
  if (kinds && kinds.length > 0) return kinds.some((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && k.kind === kind);
  return defaultKinds(listener.protocol).includes(kind);
}

/** A label selector over the only namespace label known (kubernetes.io/metadata.name); null when it names others. */
function namespaceSelectorMatches(selector: LabelSelector | null | undefined, namespace: string): boolean | null {
  const labels: Record<string, string> = { [NAMESPACE_NAME_LABEL]: namespace };
  const ml = Object.entries(selector?.matchLabels ?? {});
  const me = selector?.matchExpressions ?? [];
  if (ml.some(([k]) => k !== NAMESPACE_NAME_LABEL) || me.some((e) => e.key !== NAMESPACE_NAME_LABEL)) return null;
  if (!ml.every(([k, v]) => labels[k] === v)) return false;
  return me.every((e) => {
    const v = labels[e.key];
    switch (e.operator) {
      case 'In': return v !== undefined && (e.values ?? []).includes(v);
      case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
      default: return false;
    }
  });
}

/** Whether the route's status says the Gateway's controller accepted it for this listener. */
function acceptedInStatus(route: RouteRef, gateway: GatewayObject, listener: Listener): boolean {
  return (route.obj.status?.parents ?? []).some(
    (p) => p.parentRef.name === gateway.metadata.name && (p.parentRef.namespace ?? nsOf(route.obj)) === nsOf(gateway)
      && (!p.parentRef.sectionName || p.parentRef.sectionName === listener.name)
      && (p.conditions ?? []).some((c) => c.type === 'Accepted' && c.status === 'True'),
  );
}

/** Whether (and with which hostnames) a route attaches to a listener; null when no parentRef names the Gateway. */
export function attachment(route: RouteRef, gateway: GatewayObject, listener: Listener): Attachment | null {
  const refs = refsToGateway(route, gateway);
  if (refs.length === 0) return null;
  const routeNs = nsOf(route.obj);
  const gwNs = nsOf(gateway);
  if (!refs.some((p) => (!p.sectionName || p.sectionName === listener.name) && (p.port === null || p.port === undefined || p.port === listener.port))) {
    const named = refs.map((p) => [p.sectionName ? `sectionName ${p.sectionName}` : '', p.port ? `port ${p.port}` : ''].filter(Boolean).join(' ')).join('; ');
    return { attached: false, reason: 'NoMatchingParent', message: `its parentRef names ${named} of the Gateway, not listener ${listener.name} (port ${listener.port})` };
  }
  if (!kindAllowed(listener, route.kind)) {
    return { attached: false, reason: 'NotAllowedByListeners', message: `listener ${listener.name} (${listener.protocol}) does not allow ${route.kind}s` };
  }
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  let fromStatus = false;
  if (from === 'Same' && routeNs !== gwNs) {
    return { attached: false, reason: 'NotAllowedByListeners', message: `listener ${listener.name} admits routes from the Gateway's own namespace ${gwNs} only (allowedRoutes.namespaces.from Same)` };
  }
  if (from === 'Selector') {
    const m = namespaceSelectorMatches(listener.allowedRoutes?.namespaces?.selector, routeNs);
    if (m === null) {
      if (!acceptedInStatus(route, gateway, listener)) {
        return { attached: false, reason: 'NotAllowedByListeners', message: `listener ${listener.name} admits namespaces by a label selector; namespace labels are not recorded and the route's status does not show it accepted` };
      }
      fromStatus = true;
    } else if (!m) {
      return { attached: false, reason: 'NotAllowedByListeners', message: `listener ${listener.name}'s namespace selector does not select namespace ${routeNs}` };
    }
  } else if (from !== 'Same' && from !== 'All') {
    return { attached: false, reason: 'NotAllowedByListeners', message: `listener ${listener.name} has allowedRoutes.namespaces.from ${from}, which is not a known value` };
  }
  const listenerHost = listener.hostname ?? null;
  const routeHosts = route.obj.spec?.hostnames ?? [];
  if (routeHosts.length === 0) return { attached: true, hostnames: [listenerHost], fromStatus };
  const hostnames = routeHosts.map((h) => intersectHostnames(h, listenerHost)).filter((h): h is string | null => h !== false);
  if (hostnames.length === 0) {
    return { attached: false, reason: 'NoMatchingListenerHostname', message: `none of its hostnames (${routeHosts.join(', ')}) intersects listener ${listener.name}'s hostname ${listenerHost}` };
  }
  return { attached: true, hostnames, fromStatus };
}
