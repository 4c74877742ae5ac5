/**
 * kubeProxySelect: which of a Service port's endpoints kube-proxy sends one client's traffic to (§5, P3–P5),
 * a pure function modelled on kube-proxy's endpoint categorisation.
 *
 *   usable(local?)  = ready endpoints (on the node if local?), else serving+terminating ones (fallback)
 *   topology mode   = SameNode when every ready endpoint has forNodes hints and one names the node;
 *                     SameZone when every ready endpoint has forZones hints and one names the zone; else none
 *   cluster set     = ready endpoints filtered by the mode, else serving+terminating (topology ignored)
 *   internal        = ITP Local ? usable(local) : cluster set;  external = ETP Local ? usable(local) : cluster set
 *   no ready and no serving+terminating endpoint → REJECT; chosen set empty → DROP.
 * "Local" means the endpoint's nodeName is the node; an endpoint without nodeName is never local (P3).
 * When the node a Local policy needs is unknown, the answer is the union over nodes (and says so).
 */
import type { JoinedEndpoint } from './endpointJoin.js';

export interface SelectInput {
  readonly endpoints: readonly JoinedEndpoint[];
  readonly trafficKind: 'internal' | 'external';
  readonly internalTrafficPolicy: string;
  readonly externalTrafficPolicy: string;
  /** P3: ETP applies only when the Service is externally accessible. */
  readonly externallyAccessible: boolean;
  /**
   * P4: external traffic from a Pod or from the node itself is sent to the cluster endpoints whatever the
   * externalTrafficPolicy (pkg/proxy/iptables/proxier.go: "pod traffic for ... external destinations" and
   * "route LOCAL traffic for ... external destinations" jump to the cluster policy chain).
   */
  readonly shortCircuit?: boolean;
  readonly node: string | null;
  readonly zone: string | null;
}

export type TopologyMode = '' | 'SameNode' | 'SameZone';

export interface Selection {
  readonly chosen: readonly JoinedEndpoint[];
  readonly outcome: 'forwarded' | 'rejected' | 'dropped';
  /** A Local traffic policy applies to this traffic. */
  readonly policyLocal: boolean;
  /** policyLocal and the node is unknown: chosen is the union of every node's local set. */
  readonly nodeUnknown: boolean;
  readonly topologyMode: TopologyMode;
  /** Only serving+terminating endpoints were left (no ready one). */
  readonly terminatingFallback: boolean;
  /** Why each endpoint is or is not chosen, keyed by target. */
  readonly reasons: ReadonlyMap<string, string>;
}

const isReady = (e: JoinedEndpoint) => e.ready;
const isFallback = (e: JoinedEndpoint) => e.serving && e.terminating;

/** P4 usable(E, local?). */
function usable(endpoints: readonly JoinedEndpoint[], node: string | null | undefined): JoinedEndpoint[] {
  const inScope = node === undefined ? endpoints : endpoints.filter((e) => e.node !== null && e.node === node);
  const ready = inScope.filter(isReady);
  return ready.length > 0 ? ready : inScope.filter(isFallback);
}

/** P4 topologyMode: only ready endpoints are inspected; hints are used wholesale or not at all. */
export function topologyMode(endpoints: readonly JoinedEndpoint[], node: string | null, zone: string | null): TopologyMode {
  const ready = endpoints.filter(isReady);
  if (ready.length === 0) return '';
  if (node !== null && ready.every((e) => e.forNodes !== null && e.forNodes.length > 0) && ready.some((e) => e.forNodes!.includes(node))) return 'SameNode';
  if (zone !== null && ready.every((e) => e.forZones !== null && e.forZones.length > 0) && ready.some((e) => e.forZones!.includes(zone))) return 'SameZone';
  return '';
}

export function kubeProxySelect(input: SelectInput): Selection {
  const { endpoints, node, zone } = input;
  const reasons = new Map<string, string>();
  const hasAny = endpoints.some((e) => isReady(e) || isFallback(e));
  const policy = input.trafficKind === 'internal' ? input.internalTrafficPolicy : input.externallyAccessible && !input.shortCircuit ? input.externalTrafficPolicy : 'Cluster';
  const policyLocal = policy === 'Local';
  const mode = topologyMode(endpoints, node, zone);
  const readyCount = endpoints.filter(isReady).length;

  let chosen: JoinedEndpoint[];
  let nodeUnknown = false;
  if (policyLocal) {
    if (node !== null) {
      chosen = usable(endpoints, node);
    } else {
      nodeUnknown = true;
      const nodes = [...new Set(endpoints.map((e) => e.node).filter((n): n is string => n !== null))].sort();
      const union = new Set<JoinedEndpoint>();
      for (const n of nodes) for (const e of usable(endpoints, n)) union.add(e);
      chosen = endpoints.filter((e) => union.has(e));
    }
  } else {
    const ready = endpoints.filter(isReady);
    chosen =
      mode === ''
        ? ready
        : ready.filter((e) => (mode === 'SameNode' ? e.forNodes!.includes(node!) : e.forZones!.includes(zone!)));
    if (chosen.length === 0) chosen = endpoints.filter(isFallback);
  }
  const chosenSet = new Set(chosen);
  const terminatingFallback = readyCount === 0 && chosen.length > 0;

  for (const e of endpoints) {
    let why: string;
    if (chosenSet.has(e)) {
      why = e.ready ? 'ready' : 'serving while terminating (fallback: no ready endpoint)';
      if (policyLocal) why += node !== null ? `, on client node ${node}` : `, local to node ${e.node}`;
      if (!policyLocal && mode === 'SameNode') why += `, hinted for node ${node}`;
      if (!policyLocal && mode === 'SameZone') why += `, hinted for zone ${zone}`;
    } else if (!e.ready && !isFallback(e)) {
      why = e.terminating ? 'terminating and not serving' : 'not ready';
    } else if (!e.ready && readyCount > 0 && !policyLocal) {
      why = 'serving while terminating: unused while ready endpoints exist';
    } else if (policyLocal && (e.node === null || e.node !== node)) {
      why = e.node === null ? 'no nodeName: never local' : `on node ${e.node}, not the client node ${node}`;
    } else if (policyLocal) {
      why = 'not ready while the node has ready local endpoints';
    } else if (mode !== '') {
      why = mode === 'SameNode' ? `hinted for other nodes (${(e.forNodes ?? []).join(', ')})` : `hinted for other zones (${(e.forZones ?? []).join(', ')})`;
    } else {
      why = 'not used';
    }
    reasons.set(e.target, why);
  }

  const outcome = !hasAny ? 'rejected' : chosen.length === 0 ? 'dropped' : 'forwarded';
  return { chosen: outcome === 'forwarded' ? chosen : [], outcome, policyLocal, nodeUnknown, topologyMode: mode, terminatingFallback, reasons };
}
