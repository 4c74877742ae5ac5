/**
 * mirrorEndpoints: the EndpointSlices the EndpointSlice mirroring controller writes for one Endpoints object
 * (M2, M5, M6), and the addresses it leaves out.
 *
 * Follows kubernetes/kubernetes pkg/controller/endpointslicemirroring:
 *  - reconciler.go reconcile: subsets are walked in the order the Endpoints lists them; in each, the ready
 *    `addresses` first, then `notReadyAddresses`, each in listed order. At most `maxPerSubset` (the
 *    controller's --mirroring-max-endpoints-per-subset, default 1000) valid addresses are taken per subset;
 *    the walk stops there, so every later address of the subset (ready or not) is skipped
 *    (event TooManyAddressesToMirror). An address that is not an IP is skipped without counting (event
 *    InvalidIPAddress).
 *  - reconciler_helpers.go desiredCalc + endpointslice util EndpointSet: endpoints are grouped by
 *    (address type, port list) and kept in a set keyed by (addresses, hostname, targetRef namespace/name);
 *    inserting an equal key replaces the earlier entry, so an address listed both ready and not ready is
 *    mirrored not ready (M2). reconcileByPortMapping writes at most maxPerSubset endpoints per group.
 *  - utils.go addressToEndpoint / epPortsToEpsPorts / newEndpointSlice: canonical IP, ready only (serving
 *    and terminating left nil), hostname, nodeName, targetRef; ports copied 1:1; labels of the Endpoints
 *    plus service-name and managed-by.
 * The controller's order inside a slice is its set's iteration order (not defined); routetrace lists a
 * slice's endpoints by address so answers are reproducible. Pure; inputs are never modified.
 */
import type { EndpointAddress, EndpointsObject, EndpointSliceObject, SliceEndpoint, SlicePort } from '../model/objects.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, nsOf, portNameOf, protocolOf } from './apiDefaults.js';
import { canonicalIP, ipFamily, ipSortKey } from './canonicalIP.js';

/** --mirroring-max-endpoints-per-subset default (pkg/controller/endpointslicemirroring/config/v1alpha1/defaults.go). */
export const MIRROR_MAX_PER_SUBSET = 1000;

/** Addresses of one subset that were not mirrored. */
export interface MirrorSkip {
  /** Index of the subset in the Endpoints object. */
  readonly subset: number;
  /** Valid addresses past the per-subset cap, in listed order, with whether they were listed ready. */
  readonly overCapacity: readonly { readonly ip: string; readonly ready: boolean }[];
  /** Addresses that are not IPs. */
  readonly invalid: readonly string[];
}

export interface MirrorResult {
  readonly slices: EndpointSliceObject[];
  readonly skipped: readonly MirrorSkip[];
}

export interface MirrorOptions {
  /**
   * serving of not-ready addresses: null (left nil → true, M7) for the mirroring controller; false when the
   * Endpoints stands for the endpoints controller's output in a dump without slices (E4).
   */
  readonly notReadyServing: boolean | null;
  readonly managedBy: string;
  /** Per-subset cap; null: no cap (not the mirroring controller). */
  readonly maxPerSubset: number | null;
}

function setKey(ip: string, a: EndpointAddress): string {
  return `${ip}\u0000${a.hostname ?? ''}\u0000${a.targetRef?.namespace ?? ''}\u0000${a.targetRef?.name ?? ''}`;
}

export function mirrorEndpoints(ep: EndpointsObject, opts: MirrorOptions): MirrorResult {
  const ns = nsOf(ep);
  const cap = opts.maxPerSubset ?? Number.POSITIVE_INFINITY;
  // (addressType, port list) → endpoint set, groups in first-seen order.
  const groups = new Map<string, { addressType: string; ports: SlicePort[]; set: Map<string, SliceEndpoint> }>();
  const skipped: MirrorSkip[] = [];
  (ep.subsets ?? []).forEach((subset, index) => {
    const ports: SlicePort[] = (subset.ports ?? []).map((p) => ({
      name: portNameOf(p),
      port: p.port,
      protocol: protocolOf(p),
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const portKey = JSON.stringify(ports.map((p) => [p.name, p.port, p.protocol, p.appProtocol ?? null]).sort());
    const overCapacity: { ip: string; ready: boolean }[] = [];
    const invalid: string[] = [];
    let added = 0;
    const listed = [...(subset.addresses ?? []).map((a) => ({ a, ready: true })), ...(subset.notReadyAddresses ?? []).map((a) => ({ a, ready: false }))];
    for (const { a, ready } of listed) {
      const ip = canonicalIP(a.ip);
      if (added >= cap) {
        if (ip === null) invalid.push(a.ip);
        else overCapacity.push({ ip, ready });
        continue;
      }
      if (ip === null) {
        invalid.push(a.ip);
        continue;
      }
      added++;
      const addressType = ipFamily(ip);
      const key = `${addressType}|${portKey}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { addressType, ports, set: new Map() }));
      const conditions: SliceEndpoint['conditions'] = ready ? { ready: true } : { ready: false, ...(opts.notReadyServing === null ? {} : { serving: opts.notReadyServing, terminating: false }) };
      const k = setKey(ip, a);
      g.set.delete(k); // a later equal entry replaces the earlier one
      g.set.set(k, {
        addresses: [ip],
        conditions,
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      });
    }
    if (overCapacity.length > 0 || invalid.length > 0) skipped.push({ subset: index, overCapacity, invalid });
  });
  const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: ep.metadata.name, [MANAGED_BY_LABEL]: opts.managedBy };
  const annotations: Record<string, string> = { ...(ep.metadata.annotations ?? {}) };
  let i = 0;
  const slices = [...groups.values()].map((g) => {
    // reconcileByPortMapping: one slice per group, at most maxPerSubset endpoints (first inserted kept).
    const endpoints = [...g.set.values()].slice(0, cap);
    const keyed = endpoints.map((e) => ({ e, k: ipSortKey(e.addresses[0]!) }));
    keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { namespace: ns, name: `${ep.metadata.name}-derived-${i++}`, labels, annotations },
      addressType: g.addressType,
      endpoints: keyed.map((x) => x.e),
      ports: g.ports,
    };
  });
  return { slices, skipped };
}
