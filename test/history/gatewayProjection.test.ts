/**
 * The projection of the Gateway API kinds keeps the fields routing reads (gatewayObjects.ts) and nothing
 * else, with sorted keys; empty rules and list positions are kept (a rule without matches still routes).
 */
import { describe, expect, it } from 'vitest';
import type { GatewayKind, KubeObject } from '../../src/model/objects.js';
import { canonicalJson, project } from '../../src/model/project.js';

const meta = (name: string) => ({
  namespace: 'shop', name, uid: `u-${name}`, resourceVersion: '7', creationTimestamp: '2026-11-26T08:00:00Z', generation: 3,
  annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}', 'team': 'a' }, managedFields: [{ manager: 'kubectl' }],
});

function keysSorted(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(keysSorted);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    return keys.join() === [...keys].sort().join() && Object.values(v).every(keysSorted);
  }
  return true;
}

const cases: { name: string; kind: GatewayKind; raw: Record<string, unknown>; kept: unknown; dropped: string[] }[] = [
  {
    name: 'HTTPRoute: parents, hostnames, matches, redirect/rewrite/mirror filters and weighted backends kept',
    kind: 'HTTPRoute',
    raw: {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('checkout'),
      spec: {
        parentRefs: [{ name: 'gw', sectionName: 'http' }],
        hostnames: ['shop.example.com'],
        rules: [
          {
            name: 'canary',
            matches: [{ path: { type: 'PathPrefix', value: '/checkout' }, headers: [{ name: 'x-canary', value: 'yes' }], queryParams: [{ name: 'v', value: '2' }], method: 'GET' }],
            filters: [
              { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-secret-token', value: 'abc' }] } },
              { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
              { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 }, percent: 5 } },
            ],
            backendRefs: [{ name: 'v1', port: 80, weight: 90 }, { name: 'v2', port: 80, weight: 10, filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'a', value: 'b' }] } }] }],
            timeouts: { request: '10s' },
            sessionPersistence: { sessionName: 'cookie' },
          },
          {},
        ],
      },
      status: { parents: [{ parentRef: { name: 'gw' }, controllerName: 'c', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'long text', lastTransitionTime: '2026-11-26T08:00:00Z', observedGeneration: 3 }] }] },
    },
    kept: {
      parentRefs: [{ name: 'gw', sectionName: 'http' }],
      hostnames: ['shop.example.com'],
      rules: [
        {
          backendRefs: [{ name: 'v1', port: 80, weight: 90 }, { filters: [{ type: 'ResponseHeaderModifier' }], name: 'v2', port: 80, weight: 10 }],
          filters: [
            { type: 'RequestHeaderModifier' },
            { type: 'URLRewrite', urlRewrite: { path: { replacePrefixMatch: '/', type: 'ReplacePrefixMatch' } } },
            { requestMirror: { backendRef: { name: 'shadow', port: 80 }, percent: 5 }, type: 'RequestMirror' },
          ],
          matches: [{ headers: [{ name: 'x-canary', value: 'yes' }], method: 'GET', path: { type: 'PathPrefix', value: '/checkout' }, queryParams: [{ name: 'v', value: '2' }] }],
          name: 'canary',
        },
        {},
      ],
    },
    dropped: ['x-secret-token', 'timeouts', 'sessionPersistence', 'long text', 'managedFields', 'last-applied', 'generation', 'lastTransitionTime'],
  },
  {
    name: 'Gateway: class, listeners with allowedRoutes and TLS refs, addresses and listener status kept',
    kind: 'Gateway',
    raw: {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('gw'),
      spec: {
        gatewayClassName: 'sim',
        listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }], options: { 'vendor/opt': 'x' } }, allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'true' } } } } }],
        infrastructure: { labels: { a: 'b' } },
      },
      status: { addresses: [{ type: 'IPAddress', value: '198.51.100.10' }], listeners: [{ name: 'https', attachedRoutes: 2, supportedKinds: [{ kind: 'HTTPRoute' }], conditions: [] }] },
    },
    kept: {
      gatewayClassName: 'sim',
      listeners: [{ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'true' } } } }, hostname: '*.example.com', name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }], mode: 'Terminate' } }],
    },
    dropped: ['infrastructure', 'vendor/opt', 'supportedKinds'],
  },
  {
    name: 'ReferenceGrant: from and to kept',
    kind: 'ReferenceGrant',
    raw: { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: meta('g'), spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'web' }], to: [{ group: '', kind: 'Service', name: 'api' }] } },
    kept: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'web' }], to: [{ group: '', kind: 'Service', name: 'api' }] },
    dropped: ['managedFields'],
  },
];

describe('the projection of the Gateway API kinds', () => {
  it.each(cases)('$name', ({ kind, raw, kept, dropped }) => {
    const p = project(kind, raw as unknown as KubeObject) as unknown as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(p['spec']))).toEqual(kept);
    const text = canonicalJson(p);
    for (const d of dropped) expect(text, d).not.toContain(d);
    expect(keysSorted(p)).toBe(true);
    expect(p['metadata']).toEqual({ creationTimestamp: '2026-11-26T08:00:00Z', name: raw['metadata'] && (raw['metadata'] as { name: string }).name, namespace: 'shop', resourceVersion: '7', uid: expect.any(String) });
  });

  it('keeps route status conditions as type, status, reason', () => {
    const p = project('HTTPRoute', cases[0]!.raw as unknown as KubeObject) as unknown as { status: unknown };
    expect(p.status).toEqual({ parents: [{ conditions: [{ reason: 'Accepted', status: 'True', type: 'Accepted' }], controllerName: 'c', parentRef: { name: 'gw' } }] });
  });

  it('is stable: projecting a projection changes nothing', () => {
    for (const c of cases) {
      const once = project(c.kind, c.raw as unknown as KubeObject);
      expect(canonicalJson(project(c.kind, once))).toBe(canonicalJson(once));
    }
  });
});
