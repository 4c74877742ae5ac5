/**
 * endpointJoin: the endpoints kube-proxy holds for one Service port (§3).
 *
 * E9: a slice contributes when it has a port whose name (nil → "") and protocol (nil → TCP) equal the
 * Service port's; the destination port is that slice port's number (never compared with port/targetPort).
 * E1/P1: only slices of the traffic's address family; FQDN slices and slices labelled
 * service-proxy-name or headless are ignored; ports nil/0 are skipped; only addresses[0] is used.
 * E2: condition defaults. E8: candidates keyed by canonical ip:port; a non-terminating copy replaces an
 * existing one, a terminating copy never does; slices are visited in name order, so ties are deterministic.
 */
import type { EndpointSliceObject, SliceEndpoint } from '../model/objects.js';
import type { Finding } from '../model/route.js';
import { HEADLESS_LABEL, SERVICE_PROXY_NAME_LABEL, conditionsOf, nsOf, portNameOf, protocolOf, usableSlicePort } from './apiDefaults.js';
import { canonicalIP, hostPort, ipFamily, ipSortKey, type IPFamily } from './canonicalIP.js';
import { finding, ref } from './findingCatalogue.js';

export interface JoinedEndpoint {
  readonly address: string;
  readonly port: number;
  readonly target: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly node: string | null;
  readonly zone: string | null;
  readonly pod: { readonly namespace: string; readonly name: string } | null;
  readonly hostname: string | null;
  readonly slice: string;
  readonly forZones: readonly string[] | null;
  readonly forNodes: readonly string[] | null;
}

export interface JoinResult {
  readonly endpoints: readonly JoinedEndpoint[];
  /** Slices of the right family with at least one endpoint (whether or not their ports matched). */
  readonly slicesWithEndpoints: readonly EndpointSliceObject[];
  /** (name/protocol) of slice ports seen on those slices, for mismatch messages. */
  readonly slicePortsSeen: readonly string[];
  readonly findings: readonly Finding[];
}

export function toJoined(e: SliceEndpoint, address: string, port: number, sliceName: string, sliceNs: string): JoinedEndpoint {
  const c = conditionsOf(e);
  const tr = e.targetRef;
  return {
    address,
    port,
    target: hostPort(address, port),
    ready: c.ready,
    serving: c.serving,
    terminating: c.terminating,
    node: e.nodeName ?? null,
    zone: e.zone ?? null,
    pod: tr && (tr.kind ?? 'Pod') === 'Pod' && tr.name ? { namespace: tr.namespace || sliceNs, name: tr.name } : null,
    hostname: e.hostname ?? null,
    slice: sliceName,
    forZones: e.hints?.forZones ? e.hints.forZones.map((z) => z.name) : null,
    forNodes: e.hints?.forNodes ? e.hints.forNodes.map((n) => n.name) : null,
  };
}

/** Joins slices (already sorted by name) for the Service port (name, protocol) in one address family. */
export function joinEndpoints(
  slices: readonly EndpointSliceObject[],
  servicePort: { readonly name: string; readonly protocol: string },
  family: IPFamily,
  canonical: (raw: string | undefined) => string | null = canonicalIP,
): JoinResult {
  const findings: Finding[] = [];
  const byTarget = new Map<string, JoinedEndpoint>();
  const slicesWithEndpoints: EndpointSliceObject[] = [];
  const portsSeen = new Set<string>();
  for (const slice of slices) {
    const ns = nsOf(slice);
    const sliceRef = ref('EndpointSlice', ns, slice.metadata.name);
    const labels = slice.metadata.labels ?? {};
    const addressType = slice.addressType ?? 'IPv4';
    if (addressType !== family) {
      if (addressType === 'FQDN') {
        findings.push(finding('SLICE_FAMILY_MISMATCH', `EndpointSlice ${slice.metadata.name} has addressType FQDN, which kube-proxy never uses.`, [sliceRef]));
      }
      continue;
    }
    if (labels[SERVICE_PROXY_NAME_LABEL] !== undefined || labels[HEADLESS_LABEL] !== undefined) {
      const which = labels[SERVICE_PROXY_NAME_LABEL] !== undefined ? `${SERVICE_PROXY_NAME_LABEL}=${labels[SERVICE_PROXY_NAME_LABEL]}` : HEADLESS_LABEL;
      findings.push(finding('SLICE_IGNORED_BY_PROXY', `EndpointSlice ${slice.metadata.name} carries the label ${which}, so kube-proxy ignores it.`, [sliceRef]));
      continue;
    }
    const eps = slice.endpoints ?? [];
    if (eps.length > 0) {
      slicesWithEndpoints.push(slice);
      for (const p of slice.ports ?? []) portsSeen.add(`${portNameOf(p) === '' ? '(unnamed)' : portNameOf(p)}/${protocolOf(p)}${p.port ? ` ${p.port}` : ''}`);
    }
    const port = (slice.ports ?? []).find((p) => usableSlicePort(p) && portNameOf(p) === servicePort.name && protocolOf(p) === servicePort.protocol);
    if (!port || !usableSlicePort(port)) continue;
    for (const e of eps) {
      const raw = e.addresses?.[0];
      if (raw === undefined) continue;
      const ip = canonical(raw);
      if (ip === null || ipFamily(ip) !== family) {
        findings.push(finding('ENDPOINT_ADDRESS_INVALID', `EndpointSlice ${slice.metadata.name} lists ${JSON.stringify(raw)}, which is not an ${family} address; it is skipped.`, [sliceRef]));
        continue;
      }
      if ((e.addresses?.length ?? 0) > 1) {
        findings.push(
          finding('ENDPOINT_MULTIPLE_ADDRESSES', `An endpoint in EndpointSlice ${slice.metadata.name} lists ${e.addresses.length} addresses; kube-proxy uses only the first, ${ip}.`, [sliceRef]),
        );
      }
      const joined = toJoined(e, ip, port.port, slice.metadata.name, ns);
      const existing = byTarget.get(joined.target);
      if (!existing) {
        byTarget.set(joined.target, joined);
        continue;
      }
      const replace = !joined.terminating;
      const kept = replace ? joined : existing;
      byTarget.set(joined.target, kept);
      findings.push(
        finding(
          'DUPLICATE_ENDPOINT',
          `${joined.target} appears in EndpointSlices ${existing.slice} and ${joined.slice}; kube-proxy keeps the copy from ${kept.slice}${!existing.terminating && !joined.terminating ? ' (both are non-terminating: the later slice by name wins here)' : ' (a terminating copy never replaces another)'}.`,
          [ref('EndpointSlice', ns, existing.slice), sliceRef],
        ),
      );
    }
  }
  const endpoints = sortEndpoints([...byTarget.values()]);
  return { endpoints, slicesWithEndpoints, slicePortsSeen: [...portsSeen].sort(), findings };
}

/** Deterministic endpoint order: IPv4 before IPv6, numerically, then port. */
export function sortEndpoints<T extends { address: string; port: number }>(list: T[]): T[] {
  const keyed = list.map((e) => ({ e, k: ipSortKey(e.address) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.e.port - b.e.port));
  return keyed.map((x) => x.e);
}
