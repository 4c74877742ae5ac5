/**
 * podFacts: what the controllers read from a Pod: readiness, termination, whether it can be an endpoint,
 * and the per-Pod resolution of a Service port's targetPort (numeric: copied; named: the first container,
 * then restartable init container, port with that name and the Service port's protocol).
 */
import type { PodObject, ServicePort } from '../model/objects.js';

export function podReady(pod: PodObject): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function podTerminating(pod: PodObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** A Pod that may appear as an endpoint at all: has an IP and is neither Succeeded nor Failed. */
export function podEligible(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return !!pod.status?.podIP;
}

/** The Pod's port for a Service port, or undefined when a named targetPort does not resolve on this Pod. */
export function resolveTargetPort(pod: PodObject, sp: ServicePort): number | undefined {
  const tp = sp.targetPort;
  if (tp === undefined || tp === null || tp === '' || tp === 0) return sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  const proto = sp.protocol ?? 'TCP';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.name === tp && (p.protocol ?? 'TCP') === proto) return p.containerPort;
    }
  }
  return undefined;
}
