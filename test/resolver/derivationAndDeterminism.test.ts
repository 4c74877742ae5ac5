/**
 * Slices derived as the controllers would write them (E4–E6, S5, M5) and deterministic answers: the same
 * objects in any order give byte-identical answers (historical answers must be reproducible).
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/objects.js';
import { slicesFromPods } from '../../src/resolver/derivedSlices.js';
import { mirrorEndpoints } from '../../src/resolver/mirrorEndpoints.js';
import { ask, deepFreeze, endpointsObj, ep, ingress, ingressClass, pod, port, slice, svc, toHost, toService } from './builders.js';

describe('derived slices', () => {
  const web = svc('web', { selector: { app: 'web' }, ports: [port(80, { name: 'http', targetPort: 'web' })] }, { labels: { team: 'a' } });
  it('S5 example: Pods are grouped by resolved port list; a Pod resolving nothing lands in a slice with ports []', () => {
    const pods = deepFreeze([
      pod('a', { labels: { app: 'web' }, ip: '10.0.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('b', { labels: { app: 'web' }, ip: '10.0.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
      pod('c', { labels: { app: 'web' }, ip: '10.0.0.3' }),
    ]);
    const slices = slicesFromPods(deepFreeze(web), pods);
    expect(slices.map((s) => [s.ports, s.endpoints?.map((e) => e.addresses[0])])).toEqual([
      [[{ name: 'http', port: 8080, protocol: 'TCP' }], ['10.0.0.1']],
      [[{ name: 'http', port: 9090, protocol: 'TCP' }], ['10.0.0.2']],
      [[], ['10.0.0.3']],
    ]);
  });
  it('E5 no qualifying Pod: exactly one placeholder slice with endpoints [] and ports []', () => {
    const slices = slicesFromPods(deepFreeze(web), []);
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ endpoints: [], ports: [] });
  });
  it('E6 derived slices carry kubernetes.io/service-name and the controller managed-by label', () => {
    const [s] = slicesFromPods(deepFreeze(web), deepFreeze([pod('a', { labels: { app: 'web' }, ip: '10.0.0.1', ports: [{ name: 'web', containerPort: 8080 }] })]));
    expect(s!.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  });
  it('E4 hostname is set only when the Pod subdomain is the Service name', () => {
    const pods = deepFreeze([pod('a', { labels: { app: 'web' }, ip: '10.0.0.1', hostname: 'a', subdomain: 'web' }), pod('b', { labels: { app: 'web' }, ip: '10.0.0.2', hostname: 'b', subdomain: 'other' })]);
    const s = slicesFromPods(deepFreeze(svc('web', { selector: { app: 'web' } })), pods);
    expect(s[0]!.endpoints!.map((e) => e.hostname ?? null)).toEqual(['a', null]);
  });
  it('M5 mirrored slices: Endpoints labels + service-name + mirroring managed-by; ready/not-ready; no zone', () => {
    const [s] = mirrorEndpoints(deepFreeze(endpointsObj('db', [{ addresses: [{ ip: '10.1.0.1', nodeName: 'n1' }], notReadyAddresses: [{ ip: '10.1.0.2' }], ports: [{ port: 5432, name: 'pg' }] }], { labels: { tier: 'db' } })), { notReadyServing: null, managedBy: 'endpointslicemirroring-controller.k8s.io', maxPerSubset: 1000 }).slices;
    expect(s!.metadata.labels).toEqual({ tier: 'db', 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    expect(s!.endpoints).toEqual([
      { addresses: ['10.1.0.1'], conditions: { ready: true }, nodeName: 'n1' },
      { addresses: ['10.1.0.2'], conditions: { ready: false } },
    ]);
    expect(s!.ports).toEqual([{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  });
});

describe('deterministic answers', () => {
  const objects = (): KubeObject[] => [
    ingressClass('nginx', { isDefault: true }),
    svc('web', { selector: { app: 'web' }, clusterIP: '10.96.0.1', ports: [port(80, { name: 'http', targetPort: 'http' })] }),
    svc('web2', { selector: { app: 'web' }, clusterIP: '10.96.0.2', ports: [port(80, { name: 'http', targetPort: 'http' })] }),
    ...[3, 1, 2].map((i) => pod(`web-${i}`, { labels: { app: 'web' }, ip: `10.1.0.${i}`, ready: i !== 2, ports: [{ name: 'http', containerPort: 8080 }] })),
    slice('web-b', 'web', [{ name: 'http', port: 8080 }], [ep('10.1.0.3', { pod: 'web-3' }), ep('10.1.0.10', { pod: 'web-1' })]),
    slice('web-a', 'web', [{ name: 'http', port: 8080 }], [ep('10.1.0.2', { pod: 'web-2', ready: false }), ep('10.1.0.3', { pod: 'web-3' })]),
    ingress('b', [{ host: 'h.example.com', paths: [{ path: '/', service: 'web', port: 'http' }] }], { created: '2026-11-20T10:00:00Z' }),
    ingress('a', [{ host: 'h.example.com', paths: [{ path: '/', service: 'web2', port: 80 }] }], { created: '2026-11-20T10:00:00Z' }),
  ];
  const shuffled = (xs: KubeObject[], seed: number) => {
    const out = [...xs];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const questions = [toHost('h.example.com', 443, '/x'), toService('default/web', 'http'), toHost('10.96.0.1', 80)];
  for (const q of questions) {
    it(`the same objects in any order give the same answer (${q.kind === 'host' ? q.host : 'default/web'})`, () => {
      const first = JSON.stringify(ask(objects(), q));
      for (let seed = 1; seed <= 5; seed++) expect(JSON.stringify(ask(shuffled(objects(), seed), q))).toBe(first);
    });
  }
  it('endpoints are ordered numerically by address and findings by severity', () => {
    const a = ask(objects(), toService('default/web', 80));
    expect(a.endpoints.map((e) => e.address)).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.10']);
    const sev = a.findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity));
    expect([...sev].sort()).toEqual(sev);
  });
  it('equal timestamps: the Ingress tie-break is namespace/name order', () => {
    expect(ask(objects(), toHost('h.example.com', 80, '/')).ingress?.name).toBe('a');
  });
});
