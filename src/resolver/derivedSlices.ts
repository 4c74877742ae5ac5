/**
 * derivedSlices: EndpointSlices a snapshot lacks but the cluster's controllers would have written.
 *
 *  - mirrorEndpoints (its own file): what the EndpointSlice mirroring controller writes for a mirrorable
 *    Endpoints object, also used for selector Services in an old dump that holds Endpoints but no
 *    EndpointSlices at all (then not-ready addresses are ready=false, serving=false, as E4).
 *  - slicesFromPods: what the EndpointSlice controller writes for a selector Service (E4, S3–S5), used only
 *    when the snapshot holds neither EndpointSlices nor Endpoints for it.
 *  - mirrorDecision: M4's conditions.
 * Output objects are new; inputs are never modified.
 */
import type { EndpointsObject, EndpointSliceObject, PodObject, ServiceObject, SliceEndpoint, SlicePort } from '../model/objects.js';
import {
  LEADER_ANNOTATION,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  SKIP_MIRROR_LABEL,
  SLICE_CONTROLLER,
  nsOf,
  portNameOf,
  protocolOf,
  selectorOf,
  targetPortOf,
} from './apiDefaults.js';
import { canonicalIP, ipFamily } from './canonicalIP.js';
import { podReady, resolveNamedPort } from './podFacts.js';

export type MirrorDecision =
  | { mirror: true }
  | { mirror: false; reason: 'skip-mirror' | 'leader' | 'no-service' | 'selector' };

/** M4: is this Endpoints object mirrored to EndpointSlices? */
export function mirrorDecision(ep: EndpointsObject, service: ServiceObject | undefined): MirrorDecision {
  if (ep.metadata.labels?.[SKIP_MIRROR_LABEL] === 'true') return { mirror: false, reason: 'skip-mirror' };
  if (ep.metadata.annotations?.[LEADER_ANNOTATION] !== undefined) return { mirror: false, reason: 'leader' };
  if (!service) return { mirror: false, reason: 'no-service' };
  if (selectorOf(service)) return { mirror: false, reason: 'selector' };
  return { mirror: true };
}

/** E4/S3–S5: the slices the EndpointSlice controller would write for a selector Service from its Pods. */
export function slicesFromPods(svc: ServiceObject, pods: readonly PodObject[]): EndpointSliceObject[] {
  const ns = nsOf(svc);
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const families = svc.spec?.ipFamilies?.length ? svc.spec.ipFamilies : null;
  const groups = new Map<string, { addressType: string; ports: SlicePort[]; endpoints: SliceEndpoint[] }>();
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const ips = (pod.status?.podIPs?.map((p) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []))
      .map((x) => canonicalIP(x))
      .filter((x): x is string => x !== null);
    if (ips.length === 0) continue;
    const ports: SlicePort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const t = targetPortOf(sp);
      const num = typeof t === 'number' ? t : resolveNamedPort(pod, t, protocolOf(sp));
      if (num === null) continue; // S4: no endpoint for this Service port
      ports.push({ name: portNameOf(sp), port: num, protocol: protocolOf(sp), ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const serving = podReady(pod);
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const ready = publishNotReady || (serving && !terminating);
    for (const ip of ips) {
      const addressType = ipFamily(ip);
      if (families && !families.includes(addressType)) continue;
      const key = `${addressType}|${JSON.stringify(ports)}`;
      let g = groups.get(key);
      if (!g) {
        g = { addressType, ports, endpoints: [] };
        groups.set(key, g);
      }
      const hostname = pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? pod.spec.hostname : null;
      g.endpoints.push({
        addresses: [ip],
        conditions: { ready, serving, terminating },
        ...(hostname ? { hostname } : {}),
        ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata.name },
      });
    }
  }
  const labels = { [SERVICE_NAME_LABEL]: svc.metadata.name, [MANAGED_BY_LABEL]: SLICE_CONTROLLER };
  let i = 0;
  if (groups.size === 0) {
    // E5: placeholder slice with no endpoints and no ports.
    return [{ kind: 'EndpointSlice', metadata: { namespace: ns, name: `${svc.metadata.name}-derived-0`, labels }, addressType: 'IPv4', endpoints: [], ports: [] }];
  }
  return [...groups.values()].map((g) => ({
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name: `${svc.metadata.name}-derived-${i++}`, labels },
    addressType: g.addressType,
    endpoints: g.endpoints,
    ports: g.ports,
  }));
}

