/**
 * podFacts: what the EndpointSlice controller reads from a Pod (E4, S3, S4), as pure functions.
 */
import type { PodObject } from '../model/objects.js';
import { protocolOf } from './apiDefaults.js';
import { canonicalIP } from './canonicalIP.js';

/** The Pod's Ready condition is True (E4: serving). */
export function podReady(pod: PodObject): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Canonical Pod IPs (status.podIPs, else status.podIP). */
export function podIPs(pod: PodObject): string[] {
  const raw = pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip) : pod.status?.podIP ? [pod.status.podIP] : [];
  const out: string[] = [];
  for (const r of raw) {
    const ip = canonicalIP(r);
    if (ip !== null && !out.includes(ip)) out.push(ip);
  }
  return out;
}

/** Canonical node IPs of the Pod's node (status.hostIPs, else status.hostIP). */
export function hostIPs(pod: PodObject): string[] {
  const raw = pod.status?.hostIPs?.length ? pod.status.hostIPs.map((p) => p.ip) : pod.status?.hostIP ? [pod.status.hostIP] : [];
  return raw.map((r) => canonicalIP(r)).filter((x): x is string => x !== null);
}

/** Containers whose ports count: regular containers, then restartable (sidecar) init containers (S4). */
function portContainers(pod: PodObject) {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
}

/** S4: the number of the first container port named `name` with `protocol`, or null. */
export function resolveNamedPort(pod: PodObject, name: string, protocol: string): number | null {
  for (const c of portContainers(pod)) {
    for (const p of c.ports ?? []) {
      if (p.name === name && protocolOf(p) === protocol) return p.containerPort;
    }
  }
  return null;
}

/** Declared container ports as "80/TCP" strings. */
export function declaredPorts(pod: PodObject): string[] {
  const out: string[] = [];
  for (const c of portContainers(pod)) for (const p of c.ports ?? []) out.push(`${p.name ? `${p.name}:` : ''}${p.containerPort}/${protocolOf(p)}`);
  return out;
}

/** S3: does some container declare this port number and protocol? */
export function declaresPortNumber(pod: PodObject, port: number, protocol: string): boolean {
  return portContainers(pod).some((c) => (c.ports ?? []).some((p) => p.containerPort === port && protocolOf(p) === protocol));
}

/** Label selector (equality map) matches the labels. */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}
