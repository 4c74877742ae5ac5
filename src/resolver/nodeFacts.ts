/**
 * nodeFacts: what routing reads from Node objects: the node's IPs (status.addresses of type InternalIP or
 * ExternalIP, canonical) and its zone (label topology.kubernetes.io/zone, else the deprecated
 * failure-domain.beta.kubernetes.io/zone), the same label the EndpointSlice controller copies into
 * endpoint zones (staging/src/k8s.io/endpointslice/utils.go podToEndpoint) and kube-proxy reads for its own
 * node (pkg/proxy/node.go / cmd/kube-proxy/app/server.go: topology labels of the proxier's Node).
 *
 * NodeIndex files a list of Nodes once (sorted by name, first object of a name wins); both cluster views
 * build it from the Nodes they hold. Pure.
 */
import type { NodeObject } from '../model/objects.js';
import { canonicalIP } from './canonicalIP.js';

const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const ADDRESS_TYPES = new Set(['InternalIP', 'ExternalIP']);

export function nodeZone(node: NodeObject): string | undefined {
  for (const l of ZONE_LABELS) {
    const z = node.metadata.labels?.[l];
    if (z) return z;
  }
  return undefined;
}

/** Canonical InternalIP/ExternalIP addresses of the node, in listed order. */
export function nodeIPs(node: NodeObject): string[] {
  const out: string[] = [];
  for (const a of node.status?.addresses ?? []) {
    if (!ADDRESS_TYPES.has(a.type)) continue;
    const ip = canonicalIP(a.address);
    if (ip !== null && !out.includes(ip)) out.push(ip);
  }
  return out;
}

export interface NodeIndex {
  readonly names: ReadonlySet<string>;
  readonly byIP: ReadonlyMap<string, string>;
  readonly zone: ReadonlyMap<string, string>;
}

export function buildNodeIndex(nodes: readonly NodeObject[]): NodeIndex {
  const sorted = [...nodes].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const names = new Set<string>();
  const byIP = new Map<string, string>();
  const zone = new Map<string, string>();
  for (const n of sorted) {
    const name = n.metadata.name;
    if (names.has(name)) continue;
    names.add(name);
    for (const ip of nodeIPs(n)) if (!byIP.has(ip)) byIP.set(ip, name);
    const z = nodeZone(n);
    if (z !== undefined) zone.set(name, z);
  }
  return { names, byIP, zone };
}
