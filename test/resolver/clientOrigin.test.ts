/**
 * Where the client is (P2–P5): the same question answered for a Pod, a node and a client outside the
 * cluster, as kube-proxy on the node that handles the traffic does.
 *
 * Upstream sources followed:
 *  - kubernetes/kubernetes pkg/proxy/topology.go CategorizeEndpoints (Local policies: endpoints on the
 *    handling node only; hints used only when every ready endpoint has them and one matches the node's zone);
 *  - pkg/proxy/iptables/proxier.go syncProxyRules: with externalTrafficPolicy Local, "pod traffic for ...
 *    external destinations" (local-traffic detector, by cluster CIDR by default) and "route LOCAL traffic for
 *    ... external destinations" (src-type LOCAL: the node itself) jump to the cluster policy chain; nodePort
 *    rules match only destinations local to the node; "has no local endpoints" DROPs;
 *  - pkg/api/v1/service/util.go ExternalPolicyLocal / InternalPolicyLocal (when each policy applies);
 *  - staging/src/k8s.io/api/core/v1/well_known_labels.go LabelTopologyZone (a node's zone label), and
 *    core/v1 NodeAddress (InternalIP / ExternalIP) for node IPs.
 */
import { describe, expect, it } from 'vitest';
import type { ClientOrigin } from '../../src/model/clientOrigin.js';
import { parseClientOrigin } from '../../src/model/clientOrigin.js';
import type { KubeObject, PodObject } from '../../src/model/objects.js';
import { ask, codes, ep, node, pod, port, slice, svc, toHost, toService } from './builders.js';

const podOn = (name: string, n: string, ip: string, extra: { hostNetwork?: boolean } = {}): PodObject => {
  const p = pod(`clients/${name}`, { node: n, ip });
  return extra.hostNetwork ? { ...p, spec: { ...p.spec, hostNetwork: true } } : p;
};

/**
 * Nodes a (zone-a), b (zone-a), c (zone-b), d (zone-b); endpoints of `web` on a and b only.
 * Services: `local-ext` LoadBalancer ETP Local (nodePort 30080, LB IP 203.0.113.5, external IP 198.51.100.5);
 * `local-int` ClusterIP ITP Local; `zoned` with zone hints (trafficDistribution PreferClose).
 */
function cluster(): KubeObject[] {
  const eps = [ep('10.40.0.1', { ready: true, node: 'a', zone: 'zone-a' }), ep('10.40.0.2', { ready: true, node: 'b', zone: 'zone-a' })];
  return [
    node('a', '172.20.0.1', 'zone-a'),
    node('b', '172.20.0.2', 'zone-a'),
    node('c', '172.20.0.3', 'zone-b'),
    node('d', '172.20.0.4', 'zone-b'),
    podOn('on-a', 'a', '10.41.0.1'),
    podOn('on-c', 'c', '10.41.0.3'),
    podOn('host-c', 'c', '172.20.0.3', { hostNetwork: true }),
    svc('local-ext', { type: 'LoadBalancer', clusterIP: '10.96.40.1', externalIPs: ['198.51.100.5'], externalTrafficPolicy: 'Local', ports: [port(80, { name: 'http', targetPort: 8080, nodePort: 30080 })] }, { status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } } }),
    slice('local-ext-1', 'local-ext', [{ name: 'http', port: 8080, protocol: 'TCP' }], eps),
    svc('local-int', { clusterIP: '10.96.40.2', internalTrafficPolicy: 'Local', ports: [port(80, { name: 'http', targetPort: 8080 })] }),
    slice('local-int-1', 'local-int', [{ name: 'http', port: 8080, protocol: 'TCP' }], eps),
    svc('zoned', { clusterIP: '10.96.40.3', trafficDistribution: 'PreferClose', ports: [port(80, { name: 'http', targetPort: 8080 })] }),
    slice('zoned-1', 'zoned', [{ name: 'http', port: 8080, protocol: 'TCP' }], [
      ep('10.40.1.1', { ready: true, node: 'a', zone: 'zone-a', forZones: ['zone-a'] }),
      ep('10.40.1.3', { ready: true, node: 'c', zone: 'zone-b', forZones: ['zone-b'] }),
    ]),
  ];
}

const pod_ = (name: string): ClientOrigin => ({ kind: 'pod', namespace: 'clients', name });
const node_ = (name: string): ClientOrigin => ({ kind: 'node', name });
const external: ClientOrigin = { kind: 'external' };
const BOTH = ['10.40.0.1:8080', '10.40.0.2:8080'];

describe('P3/P4 traffic policies answered for the client', () => {
  const rows: { name: string; host: string; port: number; client: ClientOrigin; verdict: string; backends: string[]; finding?: string }[] = [
    // internalTrafficPolicy Local (topology.go: local endpoints of the client's node)
    { name: 'ITP Local, a Pod on a node with an endpoint: only that endpoint', host: '10.96.40.2', port: 80, client: pod_('on-a'), verdict: 'forwarded', backends: ['10.40.0.1:8080'] },
    { name: 'ITP Local, a Pod on a node without endpoint: dropped', host: '10.96.40.2', port: 80, client: pod_('on-c'), verdict: 'dropped', backends: [], finding: 'NO_LOCAL_ENDPOINTS' },
    { name: 'ITP Local, node b itself: its own endpoint', host: '10.96.40.2', port: 80, client: node_('b'), verdict: 'forwarded', backends: ['10.40.0.2:8080'] },
    { name: 'ITP Local, a client outside the cluster cannot reach a ClusterIP', host: '10.96.40.2', port: 80, client: external, verdict: 'not-found', backends: [], finding: 'CLIENT_CANNOT_REACH' },
    // externalTrafficPolicy Local from outside: the handling node's local endpoints
    { name: 'ETP Local, outside client to node a IP:nodePort: node a endpoint', host: '172.20.0.1', port: 30080, client: external, verdict: 'forwarded', backends: ['10.40.0.1:8080'] },
    { name: 'ETP Local, outside client to node c IP:nodePort: dropped', host: '172.20.0.3', port: 30080, client: external, verdict: 'dropped', backends: [] },
    { name: 'ETP Local, outside client to the LB IP: the nodes with local endpoints (health check)', host: '203.0.113.5', port: 80, client: external, verdict: 'forwarded', backends: BOTH },
    // externalTrafficPolicy Local from inside: short-circuited to the cluster endpoints
    { name: 'ETP Local, a Pod on node c to the LB IP: every endpoint (pod traffic short-circuit)', host: '203.0.113.5', port: 80, client: pod_('on-c'), verdict: 'forwarded', backends: BOTH, finding: 'EXTERNAL_POLICY_BYPASSED' },
    { name: 'ETP Local, a Pod on node c to the external IP: every endpoint', host: '198.51.100.5', port: 80, client: pod_('on-c'), verdict: 'forwarded', backends: BOTH, finding: 'EXTERNAL_POLICY_BYPASSED' },
    { name: 'ETP Local, node c itself to the LB IP: every endpoint (src-type LOCAL)', host: '203.0.113.5', port: 80, client: node_('c'), verdict: 'forwarded', backends: BOTH, finding: 'EXTERNAL_POLICY_BYPASSED' },
    { name: 'ETP Local, node c to its own IP:nodePort: every endpoint (src-type LOCAL)', host: '172.20.0.3', port: 30080, client: node_('c'), verdict: 'forwarded', backends: BOTH },
    { name: 'ETP Local, node a to node c IP:nodePort: external on node c, dropped', host: '172.20.0.3', port: 30080, client: node_('a'), verdict: 'dropped', backends: [] },
    { name: 'ETP Local, a Pod on node a to node c IP:nodePort: pod traffic, every endpoint', host: '172.20.0.3', port: 30080, client: pod_('on-a'), verdict: 'forwarded', backends: BOTH },
    { name: 'ETP Local, a hostNetwork Pod on node c to the LB IP: the node itself, every endpoint', host: '203.0.113.5', port: 80, client: pod_('host-c'), verdict: 'forwarded', backends: BOTH },
    { name: 'ETP Local does not apply to the ClusterIP: a Pod on node c reaches every endpoint', host: '10.96.40.1', port: 80, client: pod_('on-c'), verdict: 'forwarded', backends: BOTH },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const a = ask(cluster(), toHost(row.host, row.port, undefined, { client: row.client }));
      expect(a.verdict).toBe(row.verdict);
      expect(a.backends).toEqual(row.backends);
      if (row.finding) expect(codes(a)).toContain(row.finding);
    });
  }
});

describe('P4/P5 topology hints with the zone from the client node\'s Node object', () => {
  const rows: { name: string; client: ClientOrigin; backends: string[] }[] = [
    { name: 'a Pod on node c (zone-b, no endpoint of its own): the zone-b endpoint', client: pod_('on-c'), backends: ['10.40.1.3:8080'] },
    { name: 'node b (zone-a, no endpoint of its own): the zone-a endpoint', client: node_('b'), backends: ['10.40.1.1:8080'] },
    { name: 'node d (zone-b from its label only): the zone-b endpoint', client: node_('d'), backends: ['10.40.1.3:8080'] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(ask(cluster(), toService('zoned', 80, { client: row.client })).backends).toEqual(row.backends);
    });
  }
  it('without Node objects the zone of a node without endpoints is unknown: hints are not used', () => {
    const noNodes = cluster().filter((o) => o.kind !== 'Node');
    expect(ask(noNodes, toService('zoned', 80, { client: node_('d') })).backends).toEqual(['10.40.1.1:8080', '10.40.1.3:8080']);
  });
});

describe('client placement', () => {
  it('a Node object alone makes its IP a node IP (no Pod reports it as hostIP)', () => {
    const a = ask(cluster(), toHost('172.20.0.4', 30080, undefined, { client: external }));
    expect(a.service?.via).toBe('node d (172.20.0.4) nodePort 30080');
    expect(a.verdict).toBe('dropped');
  });
  it('an unknown Pod is reported and node-local policies are answered for every node', () => {
    const a = ask(cluster(), toHost('10.96.40.2', 80, undefined, { client: pod_('nope') }));
    expect(codes(a)).toContain('CLIENT_NOT_FOUND');
    expect(a.backends).toEqual(BOTH);
  });
  it('an unknown node is reported', () => {
    expect(codes(ask(cluster(), toService('local-int', 80, { client: node_('zz') })))).toContain('CLIENT_NOT_FOUND');
  });
  it('a Service question from outside the cluster is unreachable', () => {
    const a = ask(cluster(), toService('local-int', 80, { client: external }));
    expect(a.verdict).toBe('not-found');
    expect(codes(a)).toContain('CLIENT_CANNOT_REACH');
  });
  it('a cluster DNS name from outside the cluster is unreachable', () => {
    expect(ask(cluster(), toHost('local-int.default.svc.cluster.local', 80, undefined, { client: external })).verdict).toBe('not-found');
  });

  const parses: [string, ClientOrigin | null][] = [
    ['pod:default/web-0', { kind: 'pod', namespace: 'default', name: 'web-0' }],
    ['node:ip-10-0-0-1.ec2.internal', { kind: 'node', name: 'ip-10-0-0-1.ec2.internal' }],
    ['external', { kind: 'external' }],
    ['pod:web-0', null],
    ['node:', null],
    ['pod:Default/web', null],
    ['somewhere', null],
  ];
  for (const [text, want] of parses) it(`parses '${text}'`, () => expect(parseClientOrigin(text)).toEqual(want));
});
