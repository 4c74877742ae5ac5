/**
 * servicePort: the Service port a question or an Ingress backend names (I9, S1, S2) and the Service's
 * address family (P1). A number is matched against spec.ports[].port (never targetPort or nodePort), a
 * string against spec.ports[].name; with no port the single port is used; the protocol defaults to TCP.
 */
import type { ServiceObject, ServicePort } from '../model/objects.js';
import { portNameOf, protocolOf } from './apiDefaults.js';
import { canonicalIP, ipFamily, type IPFamily } from './canonicalIP.js';

export function portText(p: ServicePort): string {
  return `${p.port}${p.name ? ` (${p.name})` : ''}/${protocolOf(p)}`;
}

/** I9/S2: the Service port for a number (Service `port`, never targetPort/nodePort) or a port name. */
export function findServicePort(svc: ServiceObject, portRef: number | string | undefined, protocol: string | undefined): ServicePort | null {
  const ports = svc.spec?.ports ?? [];
  if (portRef === undefined) return ports.length === 1 && (!protocol || protocolOf(ports[0]) === protocol) ? ports[0]! : null;
  const matching = typeof portRef === 'number' ? ports.filter((p) => p.port === portRef) : ports.filter((p) => portNameOf(p) === portRef);
  if (protocol) return matching.find((p) => protocolOf(p) === protocol) ?? null;
  return matching.find((p) => protocolOf(p) === 'TCP') ?? matching[0] ?? null;
}

export function primaryFamily(svc: ServiceObject): IPFamily {
  const f = svc.spec?.ipFamilies?.[0];
  if (f === 'IPv4' || f === 'IPv6') return f;
  const ip = canonicalIP(svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP);
  return ip ? ipFamily(ip) : 'IPv4';
}

export function clusterIPsOf(svc: ServiceObject): string[] {
  const raw = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
  return raw.filter((x) => x !== 'None' && x !== '');
}
