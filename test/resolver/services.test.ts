/**
 * §2 Service ports (S1–S6), §6 Service types (T1–T6) and P1/P2 (what kube-proxy handles, traffic kinds),
 * table-driven against frozen snapshots.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/resolver/SnapshotIndex.js';
import { ask, codes, ep, pod, port, slice, snapshot, svc, toHost, toService } from './builders.js';

describe('S1 defaults', () => {
  it('S1 protocol nil → TCP and targetPort nil → port (manifest without either)', () => {
    const a = ask(
      [svc('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }), slice('web-1', 'web', [{ port: 80 }], [ep('10.0.0.1')], { managedBy: 'endpointslice-controller.k8s.io', owner: 'web' })],
      toService('default/web', 80),
    );
    expect(a.service).toMatchObject({ protocol: 'TCP', targetPort: 80, portName: '', type: 'ClusterIP' });
    expect(a.backends).toEqual(['10.0.0.1:80']);
  });
  it('S1 targetPort 0 and "" default to port', () => {
    for (const t of [0, '']) {
      const a = ask([svc('web', { ports: [{ port: 81, targetPort: t }] })], toService('default/web', 81));
      expect(a.service?.targetPort).toBe(81);
    }
  });
  it('S1 sessionAffinity defaults to None; ClientIP timeout defaults to 10800 s and is noted', () => {
    const none = ask([svc('web')], toService('default/web', 80));
    expect(none.service?.sessionAffinity).toEqual({ type: 'None', timeoutSeconds: null });
    const a = ask([svc('web', { sessionAffinity: 'ClientIP' }), slice('web-1', 'web', [{ port: 8080 }], [ep('10.0.0.1')])], toService('default/web', 80));
    expect(a.service?.sessionAffinity).toEqual({ type: 'ClientIP', timeoutSeconds: 10800 });
    expect(a.findings.find((f) => f.code === 'SESSION_AFFINITY')?.message).toContain('10800');
  });
  it('S1 sessionAffinityConfig timeout is echoed', () => {
    const a = ask([svc('web', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })], toService('default/web', 80));
    expect(a.service?.sessionAffinity.timeoutSeconds).toBe(60);
  });
  it('S1 NodePort/LoadBalancer external policy defaults to Cluster', () => {
    const a = ask([svc('web', { type: 'NodePort' })], toService('default/web', 80));
    expect(a.service?.externalTrafficPolicy).toBe('Cluster');
  });
});

describe('S2 port identity', () => {
  const objects = () => [
    svc('dns', { clusterIP: '10.96.0.53', ports: [port(53, { name: 'dns', protocol: 'UDP' }), port(53, { name: 'dns-tcp', protocol: 'TCP' })] }),
    slice('dns-1', 'dns', [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'dns-tcp', port: 5354, protocol: 'TCP' }], [ep('10.0.0.9')]),
  ];
  it('S2 same number, different protocol: TCP by default', () => expect(ask(objects(), toService('default/dns', 53)).backends).toEqual(['10.0.0.9:5354']));
  it('S2 same number, different protocol: UDP when asked', () => expect(ask(objects(), toService('default/dns', 53, { protocol: 'UDP' })).backends).toEqual(['10.0.0.9:5353']));
  it('S2 a port is found by its name', () => expect(ask(objects(), toService('default/dns', 'dns')).backends).toEqual(['10.0.0.9:5353']));
  it('S2 an unknown port is SERVICE_PORT_NOT_FOUND listing the ports', () => {
    const a = ask(objects(), toService('default/dns', 54));
    expect(codes(a)).toContain('SERVICE_PORT_NOT_FOUND');
    expect(a.findings[0]!.message).toContain('53 (dns)/UDP');
  });
  it('S2 the only port is used when none is given', () => {
    const a = ask([svc('one', { ports: [port(9000, { targetPort: 9001 })] }), slice('one-1', 'one', [{ port: 9001 }], [ep('10.0.0.2')])], toService('default/one'));
    expect(a.backends).toEqual(['10.0.0.2:9001']);
  });
});

describe('S3/S4/S5 targetPort translation', () => {
  it('S3 a numeric targetPort no container declares still receives traffic (warning)', () => {
    const a = ask(
      [
        svc('api', { selector: { app: 'api' }, ports: [port(80, { targetPort: 8080 })] }),
        pod('api-0', { labels: { app: 'api' }, ip: '10.1.1.1', ports: [{ containerPort: 80 }] }),
        slice('api-1', 'api', [{ port: 8080 }], [ep('10.1.1.1', { pod: 'api-0' })], { managedBy: 'endpointslice-controller.k8s.io', owner: 'api' }),
      ],
      toService('default/api', 80),
    );
    expect(a.backends).toEqual(['10.1.1.1:8080']);
    expect(a.findings.find((f) => f.code === 'NUMERIC_TARGET_PORT_UNDECLARED')?.message).toContain('80/TCP');
  });
  it('S4 a named targetPort resolves per Pod; a Pod without it gets no traffic on that port', () => {
    const a = ask(
      [
        svc('web', { selector: { app: 'web' }, ports: [port(80, { name: 'http', targetPort: 'web' })] }),
        pod('a', { labels: { app: 'web' }, ip: '10.2.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
        pod('b', { labels: { app: 'web' }, ip: '10.2.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
        pod('c', { labels: { app: 'web' }, ip: '10.2.0.3' }),
        slice('web-1', 'web', [{ name: 'http', port: 8080 }], [ep('10.2.0.1', { pod: 'a' })]),
        slice('web-2', 'web', [{ name: 'http', port: 9090 }], [ep('10.2.0.2', { pod: 'b' })]),
        slice('web-3', 'web', [], [ep('10.2.0.3', { pod: 'c' })]),
      ],
      toService('default/web', 80),
    );
    expect(a.backends).toEqual(['10.2.0.1:8080', '10.2.0.2:9090']);
    const f = a.findings.find((x) => x.code === 'TARGET_PORT_NOT_DECLARED');
    expect(f?.severity).toBe('warning');
    expect(f?.objects).toContainEqual({ kind: 'Pod', namespace: 'default', name: 'c' });
  });
  it('S4/X4 a named port must also match the protocol (UDP Service, dns/TCP container): no endpoint', () => {
    const a = ask(
      [svc('dns', { selector: { app: 'dns' }, ports: [port(53, { name: 'dns', protocol: 'UDP', targetPort: 'dns' })] }), pod('d', { labels: { app: 'dns' }, ip: '10.2.1.1', ports: [{ name: 'dns', containerPort: 53, protocol: 'TCP' }] }), slice('dns-1', 'dns', [], [ep('10.2.1.1', { pod: 'd' })])],
      toService('default/dns', 53, { protocol: 'UDP' }),
    );
    expect(a.backends).toEqual([]);
    expect(a.findings.find((x) => x.code === 'TARGET_PORT_NOT_DECLARED')?.severity).toBe('error');
    expect(codes(a)).toContain('NO_ENDPOINTS');
  });
  it('S4 ports of restartable sidecar init containers count for named targetPorts', () => {
    const a = ask(
      [svc('web', { selector: { app: 'web' }, ports: [port(80, { name: 'http', targetPort: 'proxy' })] }), pod('a', { labels: { app: 'web' }, ip: '10.2.2.1', sidecarPorts: [{ name: 'proxy', containerPort: 15001 }] }), slice('web-1', 'web', [{ name: 'http', port: 15001 }], [ep('10.2.2.1', { pod: 'a' })])],
      toService('default/web', 80),
    );
    expect(codes(a)).not.toContain('TARGET_PORT_NOT_DECLARED');
    expect(a.backends).toEqual(['10.2.2.1:15001']);
  });
  it('S5 without slices in the snapshot, slices are derived per resolved port list (E4/S5)', () => {
    const a = ask(
      [
        svc('web', { selector: { app: 'web' }, ports: [port(80, { name: 'http', targetPort: 'web' })] }),
        pod('a', { labels: { app: 'web' }, ip: '10.2.3.1', ports: [{ name: 'web', containerPort: 8080 }] }),
        pod('b', { labels: { app: 'web' }, ip: '10.2.3.2', ports: [{ name: 'web', containerPort: 9090 }] }),
        pod('c', { labels: { app: 'web' }, ip: '10.2.3.3' }),
      ],
      toService('default/web', 80),
    );
    expect(a.backends).toEqual(['10.2.3.1:8080', '10.2.3.2:9090']);
    expect(codes(a)).toEqual(expect.arrayContaining(['ENDPOINTS_DERIVED_FROM_PODS', 'TARGET_PORT_NOT_DECLARED']));
  });
  it('S6 selector-less Service: targetPort is dead, the slice port is used (X1)', () => {
    const a = ask([svc('ext', { clusterIP: '10.96.0.50', ports: [port(80, { targetPort: 80 })] }), slice('ext-1', 'ext', [{ port: 9999 }], [ep('192.168.141.31')], { managedBy: null })], toHost('10.96.0.50', 80));
    expect(a.backends).toEqual(['192.168.141.31:9999']);
    expect(codes(a)).toEqual(expect.arrayContaining(['TARGET_PORT_IGNORED', 'SLICE_NO_MANAGED_BY']));
  });
});

describe('T1–T6 Service types', () => {
  it('T1 ClusterIP: host = ClusterIP is internal traffic', () => {
    const a = ask([svc('web', { clusterIP: '10.96.0.7' }), slice('web-1', 'web', [{ port: 8080 }], [ep('10.0.7.1')])], toHost('10.96.0.7', 80));
    expect(a.service).toMatchObject({ name: 'web', trafficKind: 'internal', via: 'ClusterIP 10.96.0.7' });
    expect(a.backends).toEqual(['10.0.7.1:8080']);
  });
  const headless = () => [
    svc('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [port(5432, { name: 'pg', targetPort: 5432 })] }),
    slice('db-1', 'db', [{ name: 'pg', port: 5432 }], [ep('10.3.0.1', { ready: true }), ep('10.3.0.2'), ep('10.3.0.3', { ready: false })], { labels: { 'service.kubernetes.io/headless': '' } }),
  ];
  it('T2 headless: DNS returns every ready address (nil = ready); no kube-proxy', () => {
    const a = ask(headless(), toHost('db.default.svc.cluster.local', 5432));
    expect(a.verdict).toBe('dns');
    expect(a.backends).toEqual(['10.3.0.1:5432', '10.3.0.2:5432']);
    expect(codes(a)).toContain('HEADLESS');
  });
  it('T2 headless: the client dials the asked port; slice ports are not translated (noted)', () => {
    const a = ask(
      [svc('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [port(5432, { name: 'pg', targetPort: 6432 })] }), slice('db-1', 'db', [{ name: 'pg', port: 6432 }], [ep('10.3.1.1')])],
      toService('default/db', 5432),
    );
    expect(a.backends).toEqual(['10.3.1.1:5432']);
    expect(a.findings.find((f) => f.code === 'HEADLESS')?.message).toContain('6432');
  });
  it('T2 headless with publishNotReadyAddresses: the controller marks all ready, so all are returned (P7)', () => {
    const a = ask(
      [svc('db', { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'db' }, ports: [port(5432)] }), pod('db-0', { labels: { app: 'db' }, ip: '10.3.2.1', ready: false }), pod('db-1', { labels: { app: 'db' }, ip: '10.3.2.2' })],
      toService('default/db', 5432),
    );
    expect(a.backends).toEqual(['10.3.2.1:5432', '10.3.2.2:5432']);
  });
  const nodePortObjects = () => [
    svc('web', { type: 'NodePort', clusterIP: '10.96.0.8', selector: { app: 'web' }, ports: [port(80, { targetPort: 8080, nodePort: 30080 })] }),
    pod('web-0', { labels: { app: 'web' }, ip: '10.4.0.1', node: 'node-1', hostIP: '192.0.2.11' }),
    pod('other', { ip: '10.4.0.9', node: 'node-2', hostIP: '192.0.2.12' }),
    slice('web-1', 'web', [{ port: 8080 }], [ep('10.4.0.1', { node: 'node-1', pod: 'web-0' })], { managedBy: 'endpointslice-controller.k8s.io', owner: 'web' }),
  ];
  it('T3 NodePort: NodeIP:nodePort is external traffic to the Service', () => {
    const a = ask(nodePortObjects(), toHost('192.0.2.12', 30080));
    expect(a.service).toMatchObject({ name: 'web', port: 80, nodePort: 30080, trafficKind: 'external' });
    expect(a.backends).toEqual(['10.4.0.1:8080']);
  });
  it('T3 a node IP on a port that is no nodePort is NODE_PORT_NOT_FOUND', () => {
    expect(codes(ask(nodePortObjects(), toHost('192.0.2.12', 30081)))).toContain('NODE_PORT_NOT_FOUND');
  });
  it('T4 LoadBalancer ingress IP (ipMode VIP) is external traffic', () => {
    const a = ask(
      [svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.9', ports: [port(443, { targetPort: 8443, nodePort: 31443 })] }, { status: { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } } }), slice('lb-1', 'lb', [{ port: 8443 }], [ep('10.5.0.1')])],
      toHost('203.0.113.10', 443),
    );
    expect(a.service).toMatchObject({ name: 'lb', trafficKind: 'external', via: 'load-balancer IP 203.0.113.10' });
    expect(a.backends).toEqual(['10.5.0.1:8443']);
  });
  it('P2 LoadBalancer ipMode Proxy is not captured by kube-proxy (noted)', () => {
    const a = ask(
      [svc('lb', { type: 'LoadBalancer', ports: [port(443, { targetPort: 8443, nodePort: 31443 })] }, { status: { loadBalancer: { ingress: [{ ip: '203.0.113.11', ipMode: 'Proxy' }] } } }), slice('lb-1', 'lb', [{ port: 8443 }], [ep('10.5.1.1')])],
      toHost('203.0.113.11', 443),
    );
    expect(codes(a)).toContain('LB_NOT_CAPTURED');
  });
  it('T4 allocateLoadBalancerNodePorts false with nodePort 0: no NodePort path exists, the LB IP still works', () => {
    const objects = [
      svc('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [port(443, { targetPort: 8443, nodePort: 0 })] }, { status: { loadBalancer: { ingress: [{ ip: '203.0.113.12' }] } } }),
      slice('lb-1', 'lb', [{ port: 8443 }], [ep('10.5.2.1')]),
      pod('p', { ip: '10.5.2.9', hostIP: '192.0.2.21' }),
    ];
    expect(buildIndex(snapshot(...objects)).servicesByNodePort.size).toBe(0);
    expect(ask(objects, toHost('203.0.113.12', 443)).backends).toEqual(['10.5.2.1:8443']);
    expect(ask(objects, toHost('192.0.2.21', 443)).service).toBeNull();
  });
  it('T5 externalIPs: externalIP:port (not nodePort) reaches the Service as external traffic', () => {
    const a = ask([svc('web', { externalIPs: ['198.51.100.7'], ports: [port(80, { targetPort: 8080 })] }), slice('web-1', 'web', [{ port: 8080 }], [ep('10.6.0.1')])], toHost('198.51.100.7', 80));
    expect(a.service).toMatchObject({ trafficKind: 'external', via: 'external IP 198.51.100.7' });
    expect(a.backends).toEqual(['10.6.0.1:8080']);
  });
  it('T6 ExternalName: CNAME only, no endpoints, selector and ports ignored', () => {
    const a = ask([svc('pay', { type: 'ExternalName', externalName: 'api.pay.example.com', clusterIP: null, selector: { app: 'x' } }), pod('x', { labels: { app: 'x' }, ip: '10.7.0.1' })], toHost('pay.default.svc', 443));
    expect(a).toMatchObject({ externalName: 'api.pay.example.com', backends: [], verdict: 'dns', endpoints: [] });
    expect(codes(a)).toEqual(['EXTERNAL_NAME']);
  });
});

describe('DNS names and lookups', () => {
  const objects = () => [svc('shop/api', { clusterIP: '10.96.9.1' }), slice('shop/api-1', 'api', [{ port: 8080 }], [ep('10.9.0.1')])];
  for (const host of ['api.shop.svc.cluster.local', 'api.shop.svc', 'api.shop', 'API.shop.svc.cluster.local.']) {
    it(`cluster DNS name ${host} reaches the Service`, () => expect(ask(objects(), toHost(host, 80)).service?.name).toBe('api'));
  }
  it('svc.ns names a Service only when it exists (else it is an Ingress host)', () => {
    const a = ask(objects(), toHost('nope.shop', 80));
    expect(codes(a)).toContain('NO_INGRESS_RULE_MATCH');
  });
  it('an unknown full cluster DNS name is SERVICE_NOT_FOUND with a suggestion', () => {
    const a = ask(objects(), toHost('apo.shop.svc.cluster.local', 80));
    expect(codes(a)).toEqual(['SERVICE_NOT_FOUND']);
    expect(a.findings[0]!.message).toContain('Did you mean api?');
  });
  it('a Pod IP is reached directly', () => {
    const a = ask([pod('p', { ip: '10.9.9.9' })], toHost('10.9.9.9', 8080));
    expect(a.backends).toEqual(['10.9.9.9:8080']);
    expect(codes(a)).toEqual(['DIRECT_POD_IP']);
  });
  it('an IP nothing owns is SERVICE_NOT_FOUND', () => expect(codes(ask([], toHost('10.200.0.1', 80)))).toEqual(['SERVICE_NOT_FOUND']));
});

describe('P1 Services and slices kube-proxy ignores', () => {
  it('P1 a Service labelled service-proxy-name is left to another proxy', () => {
    const a = ask([svc('web', {}, { labels: { 'service.kubernetes.io/service-proxy-name': 'cilium' } }), slice('web-1', 'web', [{ port: 8080 }], [ep('10.0.1.1')])], toService('default/web', 80));
    expect(a.verdict).toBe('unhandled');
    expect(a.backends).toEqual([]);
    expect(a.endpoints).toHaveLength(1);
    expect(codes(a)).toContain('SERVICE_PROXY_SKIPPED');
  });
  it('P1 slices labelled service-proxy-name or headless are ignored', () => {
    const a = ask(
      [svc('web'), slice('web-1', 'web', [{ port: 8080 }], [ep('10.0.2.1')], { labels: { 'service.kubernetes.io/service-proxy-name': 'x' } }), slice('web-2', 'web', [{ port: 8080 }], [ep('10.0.2.2')], { labels: { 'service.kubernetes.io/headless': '' } }), slice('web-3', 'web', [{ port: 8080 }], [ep('10.0.2.3')])],
      toService('default/web', 80),
    );
    expect(a.backends).toEqual(['10.0.2.3:8080']);
    expect(codes(a).filter((c) => c === 'SLICE_IGNORED_BY_PROXY')).toHaveLength(2);
  });
  it('P1 dual-stack: an IPv6 ClusterIP uses only IPv6 slices', () => {
    const objects = [
      svc('web', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20', 'fd00:10:96::20'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' }),
      slice('web-v4', 'web', [{ port: 8080 }], [ep('10.0.3.1')]),
      slice('web-v6', 'web', [{ port: 8080 }], [ep('fd00:10:244::1')], { addressType: 'IPv6' }),
    ];
    expect(ask(objects, toHost('fd00:10:96:0::20', 80)).backends).toEqual(['[fd00:10:244::1]:8080']);
    expect(ask(objects, toHost('10.96.0.20', 80)).backends).toEqual(['10.0.3.1:8080']);
    expect(ask(objects, toService('default/web', 80)).backends).toEqual(['10.0.3.1:8080']);
    expect(ask(objects, toHost('[fd00:10:96::20]:80')).backends).toEqual(['[fd00:10:244::1]:8080']);
  });
  it('P1 IPv6 primary family for a Service reference follows spec.ipFamilies[0]', () => {
    const objects = [svc('web', { clusterIP: 'fd00::20', clusterIPs: ['fd00::20', '10.96.0.21'], ipFamilies: ['IPv6', 'IPv4'] }), slice('web-v4', 'web', [{ port: 8080 }], [ep('10.0.4.1')]), slice('web-v6', 'web', [{ port: 8080 }], [ep('fd00:10:244::4')], { addressType: 'IPv6' })];
    expect(ask(objects, toService('default/web', 80)).backends).toEqual(['[fd00:10:244::4]:8080']);
  });
});

describe('P2 load-balancer hostnames', () => {
  it('P2 a hostname-only LB ingress reaches the Service as external traffic (not captured by kube-proxy, noted)', () => {
    const a = ask(
      [svc('lb', { type: 'LoadBalancer', ports: [port(443, { targetPort: 8443, nodePort: 31443 })] }, { status: { loadBalancer: { ingress: [{ hostname: 'abc.elb.example.com' }] } } }), slice('lb-1', 'lb', [{ port: 8443 }], [ep('10.5.9.1')])],
      toHost('ABC.elb.example.com', 443),
    );
    expect(a.service).toMatchObject({ name: 'lb', trafficKind: 'external' });
    expect(a.backends).toEqual(['10.5.9.1:8443']);
    expect(codes(a)).toContain('LB_NOT_CAPTURED');
  });
});

describe('T2 headless without ports', () => {
  it('T2 a headless Service without ports still answers DNS; the client dials the asked port', () => {
    const a = ask([svc('db', { clusterIP: 'None', ports: null }), slice('db-1', 'db', [], [ep('10.3.9.1'), ep('10.3.9.2', { ready: false })])], toHost('db.default.svc.cluster.local', 5432));
    expect(a.backends).toEqual(['10.3.9.1:5432']);
    expect(a.verdict).toBe('dns');
  });
});
