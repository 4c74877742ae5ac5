/**
 * questionsOf: every question worth asking of a state, each kind the resolver answers (host routes with
 * and without Ingress, Service routes by port number and name, with a client node or a client origin (a Pod,
 * a node, outside), ClusterIPs, DNS names, nodePorts (node IPs from Pods and from Node objects), load-balancer
 * addresses, Pod IPs, Ingress questions for one controller, Gateway API hosts and addresses, reverse lookups by
 * Pod and by endpoint IP, and misses).
 * Shared by the property tests that hold two views of one state equal.
 */
import type { ClientOrigin } from '../../src/model/clientOrigin.js';
import type { ForwardQuestion, ReverseQuestion } from '../../src/model/route.js';
import { nsOf } from '../../src/resolver/apiDefaults.js';
import { canonicalIP } from '../../src/resolver/canonicalIP.js';
import { hostIPs, podIPs } from '../../src/resolver/podFacts.js';
import type { SnapshotIndex } from '../../src/resolver/SnapshotIndex.js';

/** Every question worth asking of the state in `whole`. */
export function questionsOf(whole: SnapshotIndex): { forward: ForwardQuestion[]; reverse: ReverseQuestion[] } {
  const s = whole.snapshot;
  const forward: ForwardQuestion[] = [];
  const hosts = new Set<string>(['nowhere.example.com', 'a.wild.example.com', 'b.c.wild.example.com', 'MOVING.example.com:80']);
  for (const ing of s.ingresses) for (const r of ing.spec?.rules ?? []) if (r.host) hosts.add(r.host.startsWith('*.') ? `x${r.host.slice(1)}` : r.host);
  // Gateway API: route hostnames and listener hostnames (wildcards made concrete), and the Gateways' addresses.
  for (const r of [...s.httpRoutes, ...s.grpcRoutes]) {
    for (const raw of r.spec?.hostnames ?? []) {
      const h = raw.startsWith('*.') ? `x${raw.slice(1)}` : raw;
      hosts.add(h);
      // Each rule's own paths, with a header and a method, on the ports of every Gateway's listeners.
      const paths = (r.spec?.rules ?? []).flatMap((rule) => (rule.matches ?? []).map((m) => ('path' in m && m.path?.value) || '/'));
      const ports = new Set(s.gateways.flatMap((g) => (g.spec?.listeners ?? []).map((l) => l.port)));
      for (const path of paths) for (const port of ports) forward.push({ kind: 'host', host: h, port, path: `${path.replace(/\/$/, '')}/x?v=1`, headers: { 'x-canary': 'yes' }, method: 'GET' });
    }
  }
  for (const g of s.gateways) {
    for (const l of g.spec?.listeners ?? []) if (l.hostname) hosts.add(l.hostname.startsWith('*.') ? `y${l.hostname.slice(1)}` : l.hostname);
    for (const a of g.status?.addresses ?? []) forward.push({ kind: 'host', host: a.value, port: 80, path: '/api/x', headers: { 'x-canary': 'yes' }, method: 'POST' });
  }
  for (const host of hosts) for (const [path, port] of [['/', 80], ['/api/v1', 443], ['/fallback/x', 80], ['/bad//x', 443]] as const) forward.push({ kind: 'host', host, port, path });
  const controllers = [...new Set(s.ingressClasses.map((c) => c.spec?.controller ?? ''))].sort();
  for (const host of [...hosts].slice(0, 4)) for (const c of [...controllers, 'example.com/none']) forward.push({ kind: 'host', host, port: 80, path: '/', ingressController: c });
  const nodes = new Set<string>();
  for (const p of s.pods) if (p.spec?.nodeName) nodes.add(p.spec.nodeName);
  const node = [...nodes].sort()[0];
  const firstPod = [...s.pods].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))[0];
  const origins: ClientOrigin[] = [
    { kind: 'external' },
    ...(node ? [{ kind: 'node', name: node } as const] : []),
    ...(firstPod ? [{ kind: 'pod', namespace: nsOf(firstPod), name: firstPod.metadata.name } as const] : []),
    { kind: 'pod', namespace: 'scale-000', name: 'gone' },
  ];
  const nodeObjectIPs = s.nodes.flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address));
  for (const svc of s.services) {
    const ns = nsOf(svc);
    const name = svc.metadata.name;
    const ports = svc.spec?.ports ?? [];
    for (const p of ports) {
      forward.push({ kind: 'service', namespace: ns, name, port: p.port });
      if (p.name) forward.push({ kind: 'service', namespace: ns, name, port: p.name, ...(node ? { clientNode: node } : {}) });
      for (const ip of svc.spec?.clusterIPs ?? []) forward.push({ kind: 'host', host: ip, port: p.port });
      forward.push({ kind: 'host', host: `${name}.${ns}.svc.cluster.local`, port: p.port });
      if (p.nodePort) for (const pod of s.pods.slice(0, 2)) for (const ip of hostIPs(pod)) forward.push({ kind: 'host', host: ip, port: p.nodePort });
      if (p.nodePort) for (const ip of nodeObjectIPs) for (const client of origins) forward.push({ kind: 'host', host: ip, port: p.nodePort, client });
      if (p.name) for (const client of origins) forward.push({ kind: 'service', namespace: ns, name, port: p.name, client });
    }
    forward.push({ kind: 'service', namespace: ns, name, port: 9999 });
    for (const lb of svc.status?.loadBalancer?.ingress ?? []) forward.push({ kind: 'host', host: lb.ip ?? lb.hostname ?? '', port: 80, ...(node ? { clientNode: node } : {}) });
    for (const lb of svc.status?.loadBalancer?.ingress ?? []) for (const client of origins) forward.push({ kind: 'host', host: lb.ip ?? lb.hostname ?? '', port: 80, client });
  }
  forward.push({ kind: 'service', namespace: 'scale-000', name: 'no-such-service', port: 80 });
  forward.push({ kind: 'host', host: 'svc-00001.scale-000', port: 80 });
  forward.push({ kind: 'host', host: '10.255.255.1', port: 80 });
  const reverse: ReverseQuestion[] = [];
  s.pods.forEach((p, i) => {
    if (i % 4 === 0) reverse.push({ kind: 'reverse', pod: { namespace: nsOf(p), name: p.metadata.name } });
    if (i % 9 === 0) for (const ip of podIPs(p)) forward.push({ kind: 'host', host: ip, port: 8080 });
  });
  for (const sl of s.endpointSlices) {
    const ip = canonicalIP(sl.endpoints?.[0]?.addresses?.[0]);
    if (ip) reverse.push({ kind: 'reverse', ip });
  }
  reverse.push({ kind: 'reverse', ip: '192.168.50.10' }, { kind: 'reverse', pod: { namespace: 'scale-000', name: 'gone' } });
  return { forward, reverse };
}
