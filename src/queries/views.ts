/**
 * views: read-only summaries of single objects for listings (services, ingresses, pod), built from a
 * snapshot's objects with the resolver's API defaults, so a listing says what routing sees.
 */
import type { IngressBackend, IngressObject, PodObject, ServiceObject } from '../model/objects.js';
import { nsOf, portNameOf, protocolOf, selectorOf, serviceType, targetPortOf } from '../resolver/apiDefaults.js';
import { hostIPs, podIPs, podReady } from '../resolver/podFacts.js';
import { hostMatches, normalizeHost } from '../resolver/ingressSelect.js';

export interface ServiceInfo {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | null;
  readonly type: string;
  readonly clusterIPs: readonly string[];
  readonly externalIPs: readonly string[];
  readonly loadBalancerIngress: readonly string[];
  readonly externalName: string | null;
  readonly selector: Readonly<Record<string, string>> | null;
  readonly labels: Readonly<Record<string, string>> | null;
  readonly ports: readonly { name: string | null; protocol: string; port: number; targetPort: number | string; nodePort: number | null }[];
}

export function serviceInfo(svc: ServiceObject): ServiceInfo {
  const spec = svc.spec ?? {};
  return {
    namespace: nsOf(svc),
    name: svc.metadata.name,
    uid: svc.metadata.uid ?? null,
    type: serviceType(svc),
    clusterIPs: spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [],
    externalIPs: spec.externalIPs ?? [],
    loadBalancerIngress: (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean),
    externalName: spec.externalName ?? null,
    selector: selectorOf(svc),
    labels: svc.metadata.labels ?? null,
    ports: (spec.ports ?? []).map((p) => ({
      name: portNameOf(p) || null,
      protocol: protocolOf(p),
      port: p.port,
      targetPort: targetPortOf(p),
      nodePort: p.nodePort ?? null,
    })),
  };
}

export interface IngressPathInfo {
  readonly host: string | null;
  readonly path: string | null;
  readonly pathType: string | null;
  readonly defaultBackend: boolean;
  readonly backendService: string | null;
  readonly backendPort: number | string | null;
  readonly backendResource: string | null;
}

export interface IngressView {
  readonly namespace: string;
  readonly name: string;
  readonly ingressClass: string | null;
  readonly tlsHosts: readonly string[];
  readonly paths: readonly IngressPathInfo[];
}

function backendFields(b: IngressBackend): Pick<IngressPathInfo, 'backendService' | 'backendPort' | 'backendResource'> {
  return {
    backendService: b.service?.name ?? null,
    backendPort: b.service?.port?.number ?? b.service?.port?.name ?? null,
    backendResource: b.resource ? `${b.resource.kind}/${b.resource.name}` : null,
  };
}

/** The Ingress's paths; with `host`, only the rules that match it (exact, wildcard, or no host). */
export function ingressView(ing: IngressObject, host?: string): IngressView | null {
  const spec = ing.spec ?? {};
  const wanted = host === undefined ? undefined : normalizeHost(host);
  const paths: IngressPathInfo[] = [];
  for (const rule of spec.rules ?? []) {
    const ruleHost = rule.host ?? null;
    if (wanted !== undefined && !hostMatches(ruleHost, wanted)) continue;
    for (const p of rule.http?.paths ?? []) {
      paths.push({ host: ruleHost, path: p.path ?? null, pathType: p.pathType ?? null, defaultBackend: false, ...backendFields(p.backend) });
    }
  }
  if (spec.defaultBackend && wanted === undefined) {
    paths.push({ host: null, path: null, pathType: null, defaultBackend: true, ...backendFields(spec.defaultBackend) });
  }
  if (wanted !== undefined && paths.length === 0) return null;
  return {
    namespace: nsOf(ing),
    name: ing.metadata.name,
    ingressClass: spec.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'] ?? null,
    tlsHosts: (spec.tls ?? []).flatMap((t) => t.hosts ?? []),
    paths,
  };
}

export interface PodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | null;
  readonly podIPs: readonly string[];
  readonly hostIPs: readonly string[];
  readonly node: string | null;
  readonly phase: string | null;
  readonly ready: boolean;
  readonly deleting: boolean;
  readonly labels: Readonly<Record<string, string>> | null;
  readonly ports: readonly { container: string; name: string | null; containerPort: number; protocol: string }[];
}

export function podInfo(pod: PodObject): PodInfo {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  return {
    namespace: nsOf(pod),
    name: pod.metadata.name,
    uid: pod.metadata.uid ?? null,
    podIPs: podIPs(pod),
    hostIPs: hostIPs(pod),
    node: pod.spec?.nodeName ?? null,
    phase: pod.status?.phase ?? null,
    ready: podReady(pod),
    deleting: pod.metadata.deletionTimestamp != null,
    labels: pod.metadata.labels ?? null,
    ports: containers.flatMap((c) => (c.ports ?? []).map((p) => ({ container: c.name, name: p.name ?? null, containerPort: p.containerPort, protocol: protocolOf(p) }))),
  };
}
