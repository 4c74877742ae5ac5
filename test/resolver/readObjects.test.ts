/**
 * readObjects: kubectl output (List JSON, single object, multi-document YAML, null lists) → Snapshot.
 */
import { describe, expect, it } from 'vitest';
import { ObjectsInputError, readObjects } from '../../src/model/readObjects.js';

const svcJson = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };

describe('readObjects', () => {
  const ok: [string, string, Record<string, number>][] = [
    ['a kubectl List', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [svcJson, { kind: 'Pod', metadata: { name: 'p' } }] }), { services: 1, pods: 1 }],
    ['a typed list (ServiceList)', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceList', items: [svcJson] }), { services: 1 }],
    ['a List with items: null', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: null }), {}],
    ['a single object', JSON.stringify(svcJson), { services: 1 }],
    ['a JSON array', JSON.stringify([svcJson, svcJson]), { services: 2 }],
    ['multi-document YAML with an empty document', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n---\nkind: EndpointSlice\nmetadata:\n  name: a-1\nendpoints: null\nports: null\n', { services: 1, endpointSlices: 1 }],
    ['kubectl -o yaml List', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata: {name: i}\n- kind: IngressClass\n  metadata: {name: nginx}\n- kind: Endpoints\n  metadata: {name: e}\n', { ingresses: 1, ingressClasses: 1, endpoints: 1 }],
    ['an empty file', '', {}],
  ];
  for (const [name, text, counts] of ok) {
    it(`reads ${name}`, () => {
      const { snapshot } = readObjects(text, 'f');
      for (const key of ['services', 'endpoints', 'endpointSlices', 'pods', 'ingresses', 'ingressClasses'] as const) expect(snapshot[key].length, key).toBe(counts[key] ?? 0);
    });
  }
  it('counts kinds it does not read', () => {
    expect(readObjects(JSON.stringify({ kind: 'List', items: [{ kind: 'Deployment', metadata: { name: 'd' } }, svcJson] }), 'f').ignored).toEqual({ Deployment: 1 });
  });
  it('converts a v1beta1 Ingress to the v1 shape', () => {
    const text = 'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: old}\nspec:\n  backend: {serviceName: fb, servicePort: 80}\n  rules:\n  - host: a.example.com\n    http:\n      paths:\n      - path: /x\n        backend: {serviceName: web, servicePort: http}\n';
    const ing = readObjects(text, 'f').snapshot.ingresses[0]!;
    expect(ing.spec?.defaultBackend).toEqual({ service: { name: 'fb', port: { number: 80 } } });
    expect(ing.spec?.rules?.[0]?.http?.paths[0]).toEqual({ path: '/x', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { name: 'http' } } } });
  });
  const bad: [string, string, RegExp][] = [
    ['broken JSON', '{"kind": "List", ', /^f: not valid JSON/],
    ['broken YAML', 'kind: Service\nmetadata: {name: [x\n', /^f: not valid YAML/],
    ['an object without kind', JSON.stringify({ metadata: { name: 'x' } }), /has no kind/],
    ['an object without metadata.name', JSON.stringify({ kind: 'Service', metadata: {} }), /\(Service\) has no metadata.name/],
    ['a scalar document', '42\n', /is not a Kubernetes object/],
    ['items that is not a list', JSON.stringify({ kind: 'List', items: 3 }), /items is not a list/],
    ['Service ports that are not a list', JSON.stringify({ kind: 'Service', metadata: { name: 'web', namespace: 'ns' }, spec: { ports: '80' } }), /Service ns\/web: spec.ports is not a list/],
    ['slice endpoint addresses that are not a list', JSON.stringify({ kind: 'EndpointSlice', metadata: { name: 's' }, endpoints: [{ addresses: '10.0.0.1' }] }), /endpoints\[\].addresses is not a list/],
    ['labels that are not a map', JSON.stringify({ kind: 'Pod', metadata: { name: 'p', labels: ['a'] } }), /metadata.labels is not a map/],
  ];
  for (const [name, text, re] of bad) {
    it(`rejects ${name} with one line`, () => {
      let err: unknown;
      try {
        readObjects(text, 'f');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ObjectsInputError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    });
  }
});
