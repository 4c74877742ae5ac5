/**
 * clientPlacement: where kube-proxy sees a question's client (P3, P4): its node (for Local traffic policies
 * and SameNode hints; its zone is looked up from the node only when hints need it) and what kind of
 * client it is, which decides how kube-proxy treats traffic to external addresses:
 *
 *  - a Pod: its spec.nodeName (a hostNetwork Pod is a process of its node);
 *  - a node: itself (a Node object of that name must exist when the state holds Nodes);
 *  - external: no node of its own; the node is the one the traffic enters (nodeIP:nodePort), or unknown
 *    (a load balancer picks nodes by health check).
 * Without `client`, the legacy clientNode/clientZone stand as given and no origin is known.
 * Pure; problems (unknown Pod or node, Pod not scheduled) are findings, never errors.
 */
import { clientOriginText, type ClientOrigin } from '../model/clientOrigin.js';
import type { ClientContext, Finding } from '../model/route.js';
import { keyOf } from './apiDefaults.js';
import { finding, ref } from './findingCatalogue.js';
import type { ClusterView } from './ClusterView.js';

export type OriginKind = 'pod' | 'node' | 'external' | 'unknown';

export interface Placement {
  /** What kube-proxy sees: a Pod's traffic, a node's own traffic, traffic from outside, or not said. */
  readonly kind: OriginKind;
  readonly node: string | null;
  readonly zone: string | null;
  readonly findings: readonly Finding[];
}

export function placeClient(view: ClusterView, q: ClientContext): Placement {
  const zone = q.clientZone ?? null;
  const c: ClientOrigin | undefined = q.client;
  if (!c) return { kind: 'unknown', node: q.clientNode ?? null, zone, findings: [] };
  if (c.kind === 'external') return { kind: 'external', node: null, zone, findings: [] };
  if (c.kind === 'node') {
    const findings =
      view.hasNodes && !view.nodeExists(c.name)
        ? [finding('CLIENT_NOT_FOUND', `There is no Node ${c.name}; the answer assumes a node of that name.`, [ref('Node', null, c.name)])]
        : [];
    return { kind: 'node', node: c.name, zone, findings };
  }
  const pod = view.pod(keyOf(c.namespace, c.name));
  const podRef = ref('Pod', c.namespace, c.name);
  if (!pod) {
    return { kind: 'pod', node: null, zone, findings: [finding('CLIENT_NOT_FOUND', `There is no Pod ${c.namespace}/${c.name}; its node is unknown, so node-local policies are answered for every node.`, [podRef])] };
  }
  const node = pod.spec?.nodeName ?? null;
  const findings = node === null ? [finding('CLIENT_NOT_FOUND', `Pod ${clientOriginText(c).slice(4)} is not scheduled to a node; node-local policies are answered for every node.`, [podRef])] : [];
  return { kind: pod.spec?.hostNetwork ? 'node' : 'pod', node, zone, findings };
}
