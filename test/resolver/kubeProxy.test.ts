/**
 * §5 which endpoints kube-proxy sends traffic to (P1–P8) and worked examples X3, X9, X10; the pure
 * selection function is tested directly as well as through resolve.
 */
import { describe, expect, it } from 'vitest';
import type { JoinedEndpoint } from '../../src/resolver/endpointJoin.js';
import { kubeProxySelect, topologyMode } from '../../src/resolver/kubeProxySelect.js';
import { ask, codes, ep, pod, port, slice, svc, toHost, toService } from './builders.js';

function je(address: string, o: Partial<JoinedEndpoint> = {}): JoinedEndpoint {
  return { address, port: 80, target: `${address}:80`, ready: true, serving: true, terminating: false, node: null, zone: null, pod: null, hostname: null, slice: 's', forZones: null, forNodes: null, ...o };
}

describe('P4 decision procedure (pure)', () => {
  const base = { trafficKind: 'internal' as const, internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster', externallyAccessible: false, node: null, zone: null };
  const rows: { name: string; endpoints: JoinedEndpoint[]; extra?: Partial<Parameters<typeof kubeProxySelect>[0]>; chosen: string[]; outcome: string }[] = [
    { name: 'P4 ready endpoints are used when any exist', endpoints: [je('a'), je('b', { ready: false, serving: true, terminating: true })], chosen: ['a'], outcome: 'forwarded' },
    { name: 'P4 no ready: serving+terminating fallback', endpoints: [je('a', { ready: false, serving: false }), je('b', { ready: false, serving: true, terminating: true })], chosen: ['b'], outcome: 'forwarded' },
    { name: 'P4 no ready and no serving-terminating: REJECT', endpoints: [je('a', { ready: false, serving: false }), je('b', { ready: false, serving: false, terminating: true })], chosen: [], outcome: 'rejected' },
    { name: 'P4 no endpoints: REJECT', endpoints: [], chosen: [], outcome: 'rejected' },
    { name: 'P3 ITP Local: only endpoints on the client node', endpoints: [je('a', { node: 'n1' }), je('b', { node: 'n2' })], extra: { internalTrafficPolicy: 'Local', node: 'n2' }, chosen: ['b'], outcome: 'forwarded' },
    { name: 'P3 ITP Local, none on the client node: DROP', endpoints: [je('a', { node: 'n1' })], extra: { internalTrafficPolicy: 'Local', node: 'n2' }, chosen: [], outcome: 'dropped' },
    { name: 'P3 an endpoint without nodeName is never local', endpoints: [je('a')], extra: { internalTrafficPolicy: 'Local', node: 'n1' }, chosen: [], outcome: 'dropped' },
    { name: 'P4 Local falls back to local serving-terminating endpoints', endpoints: [je('a', { node: 'n1', ready: false, terminating: true }), je('b', { node: 'n2' })], extra: { internalTrafficPolicy: 'Local', node: 'n1' }, chosen: ['a'], outcome: 'forwarded' },
    { name: 'P3 ETP Local applies to external traffic of an externally accessible Service', endpoints: [je('a', { node: 'n1' }), je('b', { node: 'n2' })], extra: { trafficKind: 'external', externalTrafficPolicy: 'Local', externallyAccessible: true, node: 'n1' }, chosen: ['a'], outcome: 'forwarded' },
    { name: 'P3 ETP Local is ignored for internal traffic', endpoints: [je('a', { node: 'n1' }), je('b', { node: 'n2' })], extra: { externalTrafficPolicy: 'Local', externallyAccessible: true, node: 'n1' }, chosen: ['a', 'b'], outcome: 'forwarded' },
    { name: 'P3 ETP Local is ignored when the Service is not externally accessible', endpoints: [je('a', { node: 'n1' }), je('b', { node: 'n2' })], extra: { trafficKind: 'external', externalTrafficPolicy: 'Local', externallyAccessible: false, node: 'n1' }, chosen: ['a', 'b'], outcome: 'forwarded' },
    { name: 'P3 ITP Local with unknown client node: union of every node’s local set', endpoints: [je('a', { node: 'n1' }), je('b', { node: 'n2', ready: false, serving: false }), je('c')], extra: { internalTrafficPolicy: 'Local' }, chosen: ['a'], outcome: 'forwarded' },
    { name: 'P4 SameZone hints: only endpoints hinted for the client zone', endpoints: [je('a', { forZones: ['z1'] }), je('b', { forZones: ['z2'] })], extra: { zone: 'z2' }, chosen: ['b'], outcome: 'forwarded' },
    { name: 'P4 hints ignored when one ready endpoint lacks them', endpoints: [je('a', { forZones: ['z1'] }), je('b')], extra: { zone: 'z1' }, chosen: ['a', 'b'], outcome: 'forwarded' },
    { name: 'P4 hints ignored when none names the client zone', endpoints: [je('a', { forZones: ['z1'] }), je('b', { forZones: ['z2'] })], extra: { zone: 'z3' }, chosen: ['a', 'b'], outcome: 'forwarded' },
    { name: 'P4 SameNode hints win over zone hints when all ready endpoints carry forNodes', endpoints: [je('a', { forNodes: ['n1'], forZones: ['z1'] }), je('b', { forNodes: ['n2'], forZones: ['z1'] })], extra: { node: 'n2', zone: 'z1' }, chosen: ['b'], outcome: 'forwarded' },
    { name: 'P4 only ready endpoints are inspected for hints (unhinted terminating ones do not disable them)', endpoints: [je('a', { forZones: ['z1'] }), je('b', { ready: false, serving: true, terminating: true })], extra: { zone: 'z1' }, chosen: ['a'], outcome: 'forwarded' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const s = kubeProxySelect({ ...base, ...row.extra, endpoints: row.endpoints });
      expect(s.chosen.map((e) => e.address)).toEqual(row.chosen);
      expect(s.outcome).toBe(row.outcome);
    });
  }
  it('P4 topologyMode is "" without ready endpoints', () => expect(topologyMode([je('a', { ready: false, forZones: ['z1'] })], null, 'z1')).toBe(''));
});

describe('X3 terminating fallback through resolve', () => {
  it('X3 a terminating but still serving Pod takes the traffic when none is ready', () => {
    const a = ask([svc('web'), slice('web-1', 'web', [{ port: 8080 }], [ep('10.0.0.1', { ready: false, serving: false }), ep('10.0.0.2', { ready: false, serving: true, terminating: true })])], toService('default/web', 80));
    expect(a.backends).toEqual(['10.0.0.2:8080']);
    const f = a.findings.find((x) => x.code === 'NO_READY_ENDPOINTS');
    expect(f?.message).toContain('falls back');
  });
});

describe('X9 internalTrafficPolicy Local', () => {
  const objects = () => [svc('web', { internalTrafficPolicy: 'Local' }), slice('web-1', 'web', [{ port: 8080 }], [ep('10.1.0.1', { node: 'node1' })])];
  it('X9 client on node2 → DROP with NO_LOCAL_ENDPOINTS', () => {
    const a = ask(objects(), toService('default/web', 80, { clientNode: 'node2' }));
    expect(a.verdict).toBe('dropped');
    expect(codes(a)).toContain('NO_LOCAL_ENDPOINTS');
  });
  it('X9 client on node1 → the node1 endpoints', () => {
    expect(ask(objects(), toService('default/web', 80, { clientNode: 'node1' })).backends).toEqual(['10.1.0.1:8080']);
  });
  it('X9 client node unknown → union over nodes, explained', () => {
    const a = ask(objects(), toService('default/web', 80));
    expect(a.backends).toEqual(['10.1.0.1:8080']);
    expect(codes(a)).toContain('TRAFFIC_POLICY_LOCAL');
  });
});

describe('P3/P6 externalTrafficPolicy Local', () => {
  const objects = () => [
    svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000, selector: { app: 'lb' }, ports: [port(80, { targetPort: 8080, nodePort: 30080 })] }),
    pod('lb-0', { labels: { app: 'lb' }, ip: '10.2.0.1', node: 'node1', hostIP: '192.0.2.1' }),
    pod('x', { ip: '10.2.0.9', node: 'node2', hostIP: '192.0.2.2' }),
    slice('lb-1', 'lb', [{ port: 8080 }], [ep('10.2.0.1', { node: 'node1', pod: 'lb-0' })], { managedBy: 'endpointslice-controller.k8s.io', owner: 'lb' }),
  ];
  it('P3 NodeIP:nodePort on a node with a local endpoint reaches it', () => {
    expect(ask(objects(), toHost('192.0.2.1', 30080)).backends).toEqual(['10.2.0.1:8080']);
  });
  it('P3 NodeIP:nodePort on a node without local endpoint is dropped; P6 its health check fails', () => {
    const a = ask(objects(), toHost('192.0.2.2', 30080));
    expect(a.verdict).toBe('dropped');
    expect(codes(a)).toEqual(expect.arrayContaining(['NO_LOCAL_ENDPOINTS', 'HEALTH_CHECK_FAILS']));
  });
  it('P3 the ClusterIP path ignores ETP Local', () => {
    expect(ask(objects(), toService('default/lb', 80, { clientNode: 'node2' })).backends).toEqual(['10.2.0.1:8080']);
  });
  it('P6 a node with only terminating local endpoints fails the health check while still serving', () => {
    const objs = objects();
    objs[3] = slice('lb-1', 'lb', [{ port: 8080 }], [ep('10.2.0.1', { node: 'node1', ready: false, serving: true, terminating: true })]);
    const a = ask(objs, toHost('192.0.2.1', 30080));
    expect(a.backends).toEqual(['10.2.0.1:8080']);
    expect(codes(a)).toContain('HEALTH_CHECK_FAILS');
  });
});

describe('X10 / P5 topology', () => {
  const objects = () => [
    svc('web', { trafficDistribution: 'PreferClose' }),
    slice('web-1', 'web', [{ port: 8080 }], [ep('10.3.0.1', { zone: 'a', node: 'n-a1', forZones: ['a'] }), ep('10.3.0.2', { zone: 'a', node: 'n-a2', forZones: ['a'] }), ep('10.3.0.3', { zone: 'b', node: 'n-b1', forZones: ['b'] })]),
  ];
  it('X10 client in zone c: no endpoint hinted for c, hints ignored, all three used', () => {
    const a = ask(objects(), toService('default/web', 80, { clientZone: 'c' }));
    expect(a.backends).toHaveLength(3);
    expect(codes(a)).toContain('TOPOLOGY_HINTS');
  });
  it('X10 client in zone a: the two zone-a endpoints', () => {
    expect(ask(objects(), toService('default/web', 80, { clientZone: 'a' })).backends).toEqual(['10.3.0.1:8080', '10.3.0.2:8080']);
  });
  it('P5 the client zone is derived from the client node when not given', () => {
    expect(ask(objects(), toService('default/web', 80, { clientNode: 'n-b1' })).backends).toEqual(['10.3.0.3:8080']);
  });
  it('P5 kube-proxy looks only at the hints present: trafficDistribution without hints in the slices uses every ready endpoint', () => {
    const a = ask([svc('web', { trafficDistribution: 'PreferClose' }), slice('web-1', 'web', [{ port: 8080 }], [ep('10.3.1.1', { zone: 'a' }), ep('10.3.1.2', { zone: 'b' })])], toService('default/web', 80, { clientZone: 'a' }));
    expect(a.backends).toHaveLength(2);
  });
});

describe('P7 publishNotReadyAddresses and P8 endpoint restrictions', () => {
  it('P7 producers mark every Pod ready; consumers need no special case (derived from Pods)', () => {
    const a = ask([svc('web', { publishNotReadyAddresses: true, selector: { app: 'web' } }), pod('w', { labels: { app: 'web' }, ip: '10.4.0.1', ready: false })], toService('default/web', 80));
    expect(a.backends).toEqual(['10.4.0.1:8080']);
    expect(a.findings.find((f) => f.code === 'PODS_NOT_READY')?.severity).toBe('warning');
  });
  it('P7 slices already marked ready by the controller are used as they are', () => {
    const a = ask([svc('web', { publishNotReadyAddresses: true }), slice('web-1', 'web', [{ port: 8080 }], [ep('10.4.1.1', { ready: true, serving: false })])], toService('default/web', 80));
    expect(a.backends).toEqual(['10.4.1.1:8080']);
  });
  it('P8 loopback / link-local / another ClusterIP as hand-made endpoints are reported', () => {
    const a = ask([svc('other', { clusterIP: '10.96.5.5' }), svc('ext', { clusterIP: '10.96.5.6' }), slice('ext-1', 'ext', [{ port: 8080 }], [ep('127.0.0.1'), ep('169.254.1.1'), ep('10.96.5.5')])], toService('default/ext', 80));
    expect(codes(a).filter((c) => c === 'ENDPOINT_ADDRESS_RESTRICTED')).toHaveLength(3);
  });
});
