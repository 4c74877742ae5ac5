/**
 * Reverse lookup: which Services and Ingress hosts/paths reach a Pod or an IP.
 */
import { describe, expect, it } from 'vitest';
import { askReverse, codes, endpointsObj, ep, ingress, pod, port, slice, svc } from './builders.js';

const objects = () => [
  svc('web', { clusterIP: '10.96.0.1', type: 'NodePort', selector: { app: 'web' }, ports: [port(80, { name: 'http', targetPort: 'http', nodePort: 30080 }), port(9100, { name: 'metrics', targetPort: 9100 })] }),
  svc('web-admin', { clusterIP: '10.96.0.2', selector: { app: 'web' }, ports: [port(81, { name: 'admin', targetPort: 'admin' })] }),
  svc('other', { clusterIP: '10.96.0.3', selector: { app: 'other' } }),
  pod('web-0', { labels: { app: 'web' }, ip: '10.1.0.1', node: 'node-1', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9100 }] }),
  pod('web-1', { labels: { app: 'web' }, ip: '10.1.0.2', node: 'node-2', ready: false, ports: [{ name: 'http', containerPort: 8080 }] }),
  slice('web-abc', 'web', [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9100 }], [ep('10.1.0.1', { pod: 'web-0', node: 'node-1' }), ep('10.1.0.2', { pod: 'web-1', ready: false, serving: false })], { managedBy: 'endpointslice-controller.k8s.io', owner: 'web' }),
  slice('web-admin-abc', 'web-admin', [], [ep('10.1.0.1', { pod: 'web-0' })], { managedBy: 'endpointslice-controller.k8s.io', owner: 'web-admin' }),
  ingress('shop', [{ host: 'shop.example.com', paths: [{ path: '/', service: 'web', port: 'http' }, { path: '/metrics', service: 'web', port: 9100 }] }], { defaultBackend: { service: 'web', port: 80 } }),
];

describe('reverse lookup', () => {
  it('reverse: a Pod is reached by each Service port that lists it, with entry points and Ingress paths', () => {
    const a = askReverse(objects(), { kind: 'reverse', pod: { namespace: 'default', name: 'web-0' } });
    expect(a.target).toEqual({ addresses: ['10.1.0.1'], pod: { namespace: 'default', name: 'web-0' }, node: 'node-1' });
    expect(a.services.map((s) => `${s.name}:${s.port}->${s.endpointPort} ${s.receivesTraffic}`)).toEqual(['web:80->8080 true', 'web:9100->9100 true']);
    expect(a.services[0]!.entryPoints).toEqual(['10.96.0.1:80', '<every node>:30080']);
    expect(a.ingresses.map((i) => `${i.host ?? '-'} ${i.path ?? 'default'} → ${i.servicePort}`)).toEqual(['- default → 80', 'shop.example.com / → 80', 'shop.example.com /metrics → 9100']);
  });
  it('reverse: a selecting Service that does not list the Pod is explained (named port missing)', () => {
    const a = askReverse(objects(), { kind: 'reverse', pod: { namespace: 'default', name: 'web-0' } });
    // web-admin's slice lists the Pod with ports [] (no "admin" container port): no Service port reaches it.
    expect(codes(a)).toContain('ENDPOINT_PORT_NAME_MISMATCH');
  });
  it('reverse: a not-ready Pod is listed but receives no traffic', () => {
    const a = askReverse(objects(), { kind: 'reverse', ip: '10.1.0.2' });
    expect(a.target.pod).toEqual({ namespace: 'default', name: 'web-1' });
    expect(a.services[0]).toMatchObject({ name: 'web', receivesTraffic: false, reason: 'not ready' });
  });
  it('reverse: an IP no Service lists', () => {
    const a = askReverse(objects(), { kind: 'reverse', ip: '10.9.9.9' });
    expect(a.services).toEqual([]);
    expect(codes(a)).toEqual(['NOT_AN_ENDPOINT']);
  });
  it('reverse: an external IP behind a selector-less Service via mirrored Endpoints', () => {
    const a = askReverse([svc('db', { clusterIP: '10.96.1.1', ports: [port(3306)] }), endpointsObj('db', [{ addresses: [{ ip: '192.168.50.10' }], ports: [{ port: 3306 }] }])], { kind: 'reverse', ip: '192.168.50.10' });
    expect(a.services.map((s) => `${s.name}:${s.port}->${s.endpointPort}`)).toEqual(['db:3306->3306']);
  });
  it('reverse: a Pod selected by a Service but absent from its slices because it is not ready', () => {
    const a = askReverse([svc('web', { selector: { app: 'web' } }), pod('w', { labels: { app: 'web' }, ip: '10.2.0.1', ready: false }), slice('web-1', 'web', [{ port: 8080 }], [])], { kind: 'reverse', pod: { namespace: 'default', name: 'w' } });
    expect(codes(a)).toEqual(expect.arrayContaining(['PODS_NOT_READY', 'NOT_AN_ENDPOINT']));
  });
  it('reverse: an unknown Pod', () => {
    expect(codes(askReverse([], { kind: 'reverse', pod: { namespace: 'default', name: 'nope' } }))).toEqual(['POD_NOT_FOUND']);
  });
});
