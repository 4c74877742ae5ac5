/**
 * objectEntries: what one object contributes to a ClusterView's lookups, computed from that object alone
 * (pure). SnapshotIndex files these entries into maps for a whole snapshot; the history view computes them
 * for the few objects a question reads. Sharing them is what keeps the two views equal.
 *
 *  - serviceEntries: a Service's IP entries (ClusterIPs, external IPs, load-balancer IPs; none for
 *    ExternalName), nodePort entries (NodePort/LoadBalancer only) and load-balancer hostnames (lower case).
 *  - ingressEntries: an Ingress's IngressInfo (class per I1, precedence key, the field errors for which the
 *    API server would reject it), its rules, its backend references by Service key (none for a rejected
 *    Ingress), its spec.tls hosts and its status load-balancer IPs.
 *  - nodeZoneOf: the zone a slice states for a node (its first endpoint on the node with a zone).
 */
import type { EndpointSliceObject, IngressBackend, IngressObject, ServiceObject } from '../model/objects.js';
import { INGRESS_CLASS_ANNOTATION, keyOf, nsOf, serviceType } from './apiDefaults.js';
import { canonicalIP } from './canonicalIP.js';
import type { IngressBackendRef, IngressInfo, IngressPathRef, IngressRuleRef, NodePortEntry, ServiceIPEntry, TlsRef } from './ClusterView.js';
import { validateIngress } from './ingressValidation.js';

export interface ServiceEntries {
  /** [canonical IP, entry], in spec order: ClusterIPs, external IPs, load-balancer IPs. */
  readonly ips: readonly (readonly [string, ServiceIPEntry])[];
  readonly nodePorts: readonly (readonly [number, NodePortEntry])[];
  readonly lbHostnames: readonly string[];
}

export function serviceEntries(svc: ServiceObject): ServiceEntries {
  const ips: [string, ServiceIPEntry][] = [];
  const nodePorts: [number, NodePortEntry][] = [];
  const lbHostnames: string[] = [];
  const type = serviceType(svc);
  if (type === 'ExternalName') return { ips, nodePorts, lbHostnames };
  const clusterIPs = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
  for (const raw of clusterIPs) {
    const ip = canonicalIP(raw);
    if (ip) ips.push([ip, { service: svc, kind: 'clusterIP', ipMode: null }]);
  }
  for (const raw of svc.spec?.externalIPs ?? []) {
    const ip = canonicalIP(raw);
    if (ip) ips.push([ip, { service: svc, kind: 'externalIP', ipMode: null }]);
  }
  if (type === 'LoadBalancer') {
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
      const ip = canonicalIP(ing.ip);
      if (ip) ips.push([ip, { service: svc, kind: 'loadBalancer', ipMode: ing.ipMode ?? null }]);
      else if (ing.hostname) lbHostnames.push(ing.hostname.toLowerCase());
    }
  }
  if (type === 'NodePort' || type === 'LoadBalancer') {
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) nodePorts.push([p.nodePort, { service: svc, port: p }]);
  }
  return { ips, nodePorts, lbHostnames };
}

/** I5: problems that make an Exact/Prefix path invalid, or null. */
export function invalidPathProblem(path: string, pathType: string): string | null {
  if (pathType !== 'Exact' && pathType !== 'Prefix') return null;
  if (!path.startsWith('/')) return 'does not start with /';
  for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (path.includes(seq)) return `contains ${seq}`;
  if (path.endsWith('/..') || path.endsWith('/.')) return 'ends in /. or /..';
  return null;
}

export interface IngressEntries {
  readonly info: IngressInfo;
  /** Rules in spec order; `key` is the lower-case host (null: no host). */
  readonly rules: readonly { readonly key: string | null; readonly rule: IngressRuleRef }[];
  /** [Service key, backend ref]: the default backend first, then the valid paths in spec order. */
  readonly backends: readonly (readonly [string, IngressBackendRef])[];
  /** [lower-case host, tls ref] per spec.tls host. */
  readonly tls: readonly (readonly [string, TlsRef])[];
  /** Canonical status load-balancer IPs. */
  readonly lbIPs: readonly string[];
}

/** The precedence key of an Ingress: creation time, then namespace/name. */
export function ingressOrder(obj: IngressObject): string {
  return `${obj.metadata.creationTimestamp ?? ''}\u0000${keyOf(nsOf(obj), obj.metadata.name)}`;
}

export function ingressEntries(obj: IngressObject): IngressEntries {
  const ns = nsOf(obj);
  const field = obj.spec?.ingressClassName || null;
  const annotation = obj.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] || null;
  const info: IngressInfo = {
    obj,
    namespace: ns,
    name: obj.metadata.name,
    className: field ?? annotation,
    classSource: field ? 'field' : annotation ? 'annotation' : null,
    created: obj.metadata.creationTimestamp ?? '',
    order: ingressOrder(obj),
    invalid: validateIngress(obj),
  };
  const tls: [string, TlsRef][] = [];
  for (const t of obj.spec?.tls ?? []) for (const h of t.hosts ?? []) tls.push([h.toLowerCase(), { ingress: info, secretName: t.secretName ?? null }]);
  const lbIPs: string[] = [];
  for (const lb of obj.status?.loadBalancer?.ingress ?? []) {
    const ip = canonicalIP(lb.ip);
    if (ip) lbIPs.push(ip);
  }
  const backends: [string, IngressBackendRef][] = [];
  const addBackendRef = (backend: IngressBackend, host: string | null, path: string | null, pathType: string | null, isDefault: boolean) => {
    const svcName = backend.service?.name;
    // An Ingress the API server rejects sends nothing anywhere.
    if (!svcName || info.invalid.length > 0) return;
    const port = backend.service?.port?.number ?? backend.service?.port?.name ?? null;
    backends.push([keyOf(ns, svcName), { ingress: info, host, path, pathType, defaultBackend: isDefault, port }]);
  };
  if (obj.spec?.defaultBackend) addBackendRef(obj.spec.defaultBackend, null, null, null, true);
  const rules: { key: string | null; rule: IngressRuleRef }[] = [];
  (obj.spec?.rules ?? []).forEach((rule, ri) => {
    const paths: IngressPathRef[] = [];
    (rule.http?.paths ?? []).forEach((p, pi) => {
      // I5: pathType is required in v1 (a manifest without it is invalid, see info.invalid); an empty
      // ImplementationSpecific path matches everything.
      const pathType = p.pathType || 'ImplementationSpecific';
      const path = p.path || (pathType === 'ImplementationSpecific' ? '/' : '');
      if (path === '' || invalidPathProblem(path, pathType)) return;
      paths.push({ ingress: info, host: rule.host ?? null, path, pathType, backend: p.backend, order: ri * 10_000 + pi });
      addBackendRef(p.backend, rule.host ?? null, path, pathType, false);
    });
    rules.push({ key: rule.host ? rule.host.toLowerCase() : null, rule: { ingress: info, host: rule.host ?? null, paths, hasHttp: Boolean(rule.http) } });
  });
  return { info, rules, backends, tls, lbIPs };
}

/** The zone this slice states for `node`: its first endpoint on the node that has a zone. */
export function nodeZoneOf(slice: EndpointSliceObject, node: string): string | undefined {
  for (const e of slice.endpoints ?? []) if (e.nodeName === node && e.zone) return e.zone;
  return undefined;
}
