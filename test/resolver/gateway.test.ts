/**
 * Gateway API resolution (src/resolver/gateway/GATEWAY.md, G1–G9), table-driven. Each case names the rule
 * and the part of the Gateway API specification it follows. Backend Services each have one ready endpoint
 * whose address names them (a → 10.2.0.1, b → 10.2.0.2, ...), so `backends` shows which rule won.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/objects.js';
import type { HostQuestion, RouteAnswer } from '../../src/model/route.js';
import { hostnameMatches, intersectHostnames } from '../../src/resolver/gateway/gatewayHostnames.js';
import { pathMatches } from '../../src/resolver/gateway/gatewayRouteMatch.js';
import { ask, codes, ingress, ingressClass } from './builders.js';
import { backendService, gateway, gatewayClass, grpcRoute, httpRoute, listener, referenceGrant, to } from './gatewayBuilders.js';

const A = '10.2.0.1:8080';
const B = '10.2.0.2:8080';
const C = '10.2.0.3:8080';
const services = [...backendService('default/a', '10.2.0.1'), ...backendService('default/b', '10.2.0.2'), ...backendService('default/c', '10.2.0.3')];
const parent = { name: 'gw' };
const base = (...listeners: ReturnType<typeof listener>[]) => [gatewayClass(), gateway('default/gw', listeners.length ? listeners : [listener('http', 80)], { address: '203.0.113.10' }), ...services];
const http = (host: string, path = '/', extra: Partial<HostQuestion> = {}): HostQuestion => ({ kind: 'host', host, port: 80, path, ...extra });

interface Case {
  readonly name: string;
  readonly objects: KubeObject[];
  readonly q: HostQuestion;
  readonly backends?: string[];
  readonly verdict?: RouteAnswer['verdict'];
  readonly codes?: string[];
  readonly noCodes?: string[];
  readonly route?: string | null;
  readonly listener?: string;
  readonly rule?: number;
}

function check(c: Case): void {
  const a = ask(c.objects, c.q);
  if (c.backends) expect(a.backends).toEqual([...c.backends].sort());
  if (c.verdict) expect(a.verdict).toBe(c.verdict);
  for (const code of c.codes ?? []) expect(codes(a)).toContain(code);
  for (const code of c.noCodes ?? []) expect(codes(a)).not.toContain(code);
  if (c.route !== undefined) expect(a.gateway?.route ? `${a.gateway.route.namespace}/${a.gateway.route.name}` : null).toBe(c.route);
  if (c.listener !== undefined) expect(a.gateway?.listener.name).toBe(c.listener);
  if (c.rule !== undefined) expect(a.gateway?.rule?.index).toBe(c.rule);
}

function run(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => check(c));
  });
}

describe('G1/G3 hostname rules (Listener.Hostname, HTTPRouteSpec.Hostnames)', () => {
  const rows: [string, string | null, string, boolean][] = [
    ['no hostname matches any host', null, 'x.example.com', true],
    ['exact matches itself, ignoring case', 'API.example.com', 'api.example.com', true],
    ['exact does not match another host', 'api.example.com', 'web.example.com', false],
    ['*.example.com matches one more label', '*.example.com', 'a.example.com', true],
    ['*.example.com matches two more labels', '*.example.com', 'a.b.example.com', true],
    ['*.example.com does not match example.com', '*.example.com', 'example.com', false],
    ['*.example.com does not match badexample.com', '*.example.com', 'badexample.com', false],
  ];
  for (const [name, pattern, host, want] of rows) it(name, () => expect(hostnameMatches(pattern, host)).toBe(want));
  const pairs: [string, string | null, string | null, string | null | false][] = [
    ['route without hostnames takes the listener hostname', null, 'api.example.com', 'api.example.com'],
    ['wildcard route and exact listener intersect in the exact name', '*.example.com', 'api.example.com', 'api.example.com'],
    ['exact route under a wildcard listener', 'api.example.com', '*.example.com', 'api.example.com'],
    ['two wildcards intersect in the narrower', '*.example.com', '*.api.example.com', '*.api.example.com'],
    ['unrelated names do not intersect', 'api.example.com', 'web.example.com', false],
    ['wildcard route and listener of another domain do not intersect', '*.example.org', '*.example.com', false],
  ];
  for (const [name, a, b, want] of pairs) it(name, () => expect(intersectHostnames(a, b)).toBe(want));
});

describe('G5 PathPrefix matches whole path elements (HTTPPathMatch)', () => {
  const rows: [string, string, string, string, boolean][] = [
    ['PathPrefix / matches everything', 'PathPrefix', '/', '/any/thing', true],
    ['PathPrefix /foo matches /foo', 'PathPrefix', '/foo', '/foo', true],
    ['PathPrefix /foo matches /foo/', 'PathPrefix', '/foo', '/foo/', true],
    ['PathPrefix /foo matches /foo/bar', 'PathPrefix', '/foo', '/foo/bar', true],
    ['PathPrefix /foo does not match /foobar', 'PathPrefix', '/foo', '/foobar', false],
    ['PathPrefix /foo/ (trailing slash ignored) matches /foo', 'PathPrefix', '/foo/', '/foo', true],
    ['Exact /foo does not match /foo/', 'Exact', '/foo', '/foo/', false],
    ['RegularExpression matches the whole path', 'RegularExpression', '/v[0-9]+/.*', '/v2/items', true],
    ['RegularExpression is anchored', 'RegularExpression', '/v[0-9]+', '/v2/items', false],
  ];
  for (const [name, type, value, path, want] of rows) it(name, () => expect(pathMatches(type, value, path)).toBe(want));
});

run('G1 listener matching and isolation (Listener, GEP-1713)', [
  {
    name: 'G1 a listener without hostname on the request port takes the request',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }])],
    q: http('shop.example.com'), backends: [A], verdict: 'forwarded', listener: 'http', route: 'default/r',
  },
  {
    name: 'G1 the most specific listener isolates its hostname: exact beats wildcard',
    objects: [
      ...base(listener('wild', 80, { hostname: '*.example.com' }), listener('api', 80, { hostname: 'api.example.com' })),
      httpRoute('default/wild', [{ name: 'gw', sectionName: 'wild' }], [{ backendRefs: [to('a')] }]),
      httpRoute('default/api', [{ name: 'gw', sectionName: 'api' }], [{ backendRefs: [to('b')] }]),
    ],
    q: http('api.example.com'), backends: [B], listener: 'api', route: 'default/api',
  },
  {
    name: 'G1 other hosts fall to the wildcard listener',
    objects: [
      ...base(listener('wild', 80, { hostname: '*.example.com' }), listener('api', 80, { hostname: 'api.example.com' })),
      httpRoute('default/wild', [{ name: 'gw', sectionName: 'wild' }], [{ backendRefs: [to('a')] }]),
      httpRoute('default/api', [{ name: 'gw', sectionName: 'api' }], [{ backendRefs: [to('b')] }]),
    ],
    q: http('web.example.com'), backends: [A], listener: 'wild',
  },
  {
    name: 'G1 isolation: a request for the exact listener never reaches routes of the wildcard listener',
    objects: [
      ...base(listener('wild', 80, { hostname: '*.example.com' }), listener('api', 80, { hostname: 'api.example.com' })),
      httpRoute('default/wild', [{ name: 'gw', sectionName: 'wild' }], [{ backendRefs: [to('a')] }]),
      httpRoute('default/api', [{ name: 'gw', sectionName: 'api' }], [{ matches: [{ path: { type: 'Exact', value: '/only' } }], backendRefs: [to('b')] }]),
    ],
    q: http('api.example.com', '/other'), backends: [], verdict: 'not-found', codes: ['GATEWAY_NO_ROUTE_MATCH'], listener: 'api',
  },
  {
    name: 'G1 a route naming a host on a port without a listener: no listener',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }], { hostnames: ['shop.example.com'] })],
    q: { kind: 'host', host: 'shop.example.com', port: 8080 }, verdict: 'not-found', codes: ['GATEWAY_NO_LISTENER'],
  },
  {
    name: 'G1 the Gateway address reaches its listeners',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }])],
    q: { kind: 'host', host: '203.0.113.10', port: 80, path: '/' }, backends: [A], route: 'default/r',
  },
  {
    name: 'G1 a TLS listener on the port is not followed',
    objects: [...base(listener('tls', 443, { protocol: 'TLS', tls: { mode: 'Passthrough' } }))],
    q: { kind: 'host', host: '203.0.113.10', port: 443 }, verdict: 'unhandled', codes: ['GATEWAY_LISTENER_PROTOCOL'],
  },
]);

run('G2 route attachment (ParentReference, AllowedRoutes)', [
  {
    name: 'G2 sectionName naming another listener: not attached to this one',
    objects: [...base(listener('http', 80), listener('https', 443)), httpRoute('default/r', [{ name: 'gw', sectionName: 'https' }], [{ backendRefs: [to('a')] }])],
    q: http('shop.example.com'), verdict: 'not-found', codes: ['GATEWAY_NO_ROUTE_MATCH', 'GATEWAY_ROUTE_NOT_ATTACHED'],
  },
  {
    name: 'G2 parentRef port selects the listener on that port',
    objects: [...base(listener('http', 80), listener('alt', 8080)), httpRoute('default/r', [{ name: 'gw', port: 8080 }], [{ backendRefs: [to('a')] }])],
    q: { kind: 'host', host: 'shop.example.com', port: 8080 }, backends: [A], listener: 'alt',
  },
  {
    name: 'G2 parentRef port of another listener: not attached',
    objects: [...base(listener('http', 80), listener('alt', 8080)), httpRoute('default/r', [{ name: 'gw', port: 8080 }], [{ backendRefs: [to('a')] }])],
    q: http('shop.example.com'), verdict: 'not-found', codes: ['GATEWAY_ROUTE_NOT_ATTACHED'],
  },
  {
    name: 'G2 allowedRoutes from Same (default) refuses a route of another namespace',
    objects: [...base(), httpRoute('team/r', [{ name: 'gw', namespace: 'default' }], [{ backendRefs: [to('a', undefined, { namespace: 'default' })] }])],
    q: http('shop.example.com'), verdict: 'not-found', codes: ['GATEWAY_ROUTE_NOT_ATTACHED'],
  },
  {
    name: 'G2 allowedRoutes from All admits a route of another namespace',
    objects: [
      ...base(listener('http', 80, { allowedRoutes: { namespaces: { from: 'All' } } })),
      httpRoute('team/r', [{ name: 'gw', namespace: 'default' }], [{ backendRefs: [to('a', undefined, { namespace: 'default' })] }]),
      referenceGrant('default/allow-team', [{ kind: 'HTTPRoute', namespace: 'team' }], [{ kind: 'Service' }]),
    ],
    q: http('shop.example.com'), backends: [A], route: 'team/r',
  },
  {
    name: 'G2 a Selector on kubernetes.io/metadata.name admits the named namespace',
    objects: [
      ...base(listener('http', 80, { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team'] }] } } } })),
      httpRoute('team/r', [{ name: 'gw', namespace: 'default' }], [{ backendRefs: [to('a', undefined, { namespace: 'default' })] }]),
      referenceGrant('default/allow-team', [{ kind: 'HTTPRoute', namespace: 'team' }], [{ kind: 'Service' }]),
    ],
    q: http('shop.example.com'), backends: [A],
  },
  {
    name: 'G2 a Selector on kubernetes.io/metadata.name refuses other namespaces',
    objects: [
      ...base(listener('http', 80, { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } } } })),
      httpRoute('team/r', [{ name: 'gw', namespace: 'default' }], [{ backendRefs: [to('a', undefined, { namespace: 'default' })] }]),
    ],
    q: http('shop.example.com'), verdict: 'not-found', codes: ['GATEWAY_ROUTE_NOT_ATTACHED'],
  },
  {
    name: 'G2 a Selector on other labels is decided by the route status (Accepted)',
    objects: [
      ...base(listener('http', 80, { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'true' } } } } })),
      httpRoute('team/r', [{ name: 'gw', namespace: 'default' }], [{ backendRefs: [to('a', undefined, { namespace: 'default' })] }], {
        status: { parents: [{ parentRef: { name: 'gw', namespace: 'default' }, controllerName: 'example.com/gateway-controller', conditions: [{ type: 'Accepted', status: 'True' }] }] },
      }),
      referenceGrant('default/allow-team', [{ kind: 'HTTPRoute', namespace: 'team' }], [{ kind: 'Service' }]),
    ],
    q: http('shop.example.com'), backends: [A], codes: ['GATEWAY_ATTACHMENT_FROM_STATUS'],
  },
  {
    name: 'G2 allowedRoutes.kinds without HTTPRoute refuses HTTPRoutes',
    objects: [...base(listener('http', 80, { allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } })), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }])],
    q: http('shop.example.com'), verdict: 'not-found', codes: ['GATEWAY_ROUTE_NOT_ATTACHED'],
  },
  {
    name: 'G2 a route naming another Gateway does not attach',
    objects: [...base(), httpRoute('default/r', [{ name: 'other-gw' }], [{ backendRefs: [to('a')] }])],
    q: http('shop.example.com'), verdict: 'not-found', codes: ['GATEWAY_NO_ROUTE_MATCH'], noCodes: ['GATEWAY_ROUTE_NOT_ATTACHED'],
  },
]);

run('G3 hostname intersection (HTTPRouteSpec.Hostnames)', [
  {
    name: 'G3 route hostnames that do not intersect the listener: not attached',
    objects: [...base(listener('api', 80, { hostname: 'api.example.com' })), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }], { hostnames: ['web.example.com', 'api.example.com.cn'] })],
    q: http('api.example.com'), verdict: 'not-found', codes: ['GATEWAY_NO_ROUTE_MATCH'],
  },
  {
    name: 'G3 a wildcard route hostname attaches to an exact listener',
    objects: [...base(listener('api', 80, { hostname: 'api.example.com' })), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }], { hostnames: ['*.example.com'] })],
    q: http('api.example.com'), backends: [A],
  },
  {
    name: 'G3 a route hostname mismatching the only listener is reported',
    objects: [...base(listener('api', 80, { hostname: '*.example.com' })), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }], { hostnames: ['shop.example.org'] })],
    q: http('x.example.com'), verdict: 'not-found', codes: ['GATEWAY_NO_ROUTE_MATCH'],
  },
  {
    name: 'G3 the request host must match a route hostname',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }], { hostnames: ['shop.example.com'] }), httpRoute('default/s', [parent], [{ backendRefs: [to('b')] }], { hostnames: ['blog.example.com'] })],
    q: http('blog.example.com'), backends: [B], route: 'default/s',
  },
]);

const exact = (value: string) => ({ path: { type: 'Exact', value } });
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });

run('G4 rule precedence (HTTPRouteRule.Matches, GRPCRouteRule.Matches)', [
  {
    name: 'G4 an Exact path beats a PathPrefix of the same path',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [prefix('/foo')], backendRefs: [to('a')] }, { matches: [exact('/foo')], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/foo'), backends: [B], rule: 1,
  },
  {
    name: 'G4 the longest PathPrefix wins',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [prefix('/')], backendRefs: [to('a')] }, { matches: [prefix('/api/v2')], backendRefs: [to('c')] }, { matches: [prefix('/api')], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/api/v2/items'), backends: [C], rule: 1,
  },
  {
    name: 'G4 across routes: the longest PathPrefix wins over an older route',
    objects: [...base(), httpRoute('default/old', [parent], [{ matches: [prefix('/api')], backendRefs: [to('a')] }], { created: '2026-01-01T00:00:00Z' }), httpRoute('default/new', [parent], [{ matches: [prefix('/api/v2')], backendRefs: [to('b')] }], { created: '2026-06-01T00:00:00Z' })],
    q: http('h.example.com', '/api/v2'), backends: [B], route: 'default/new',
  },
  {
    name: 'G4 a method match beats none on the same path',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [prefix('/api')], backendRefs: [to('a')] }, { matches: [{ ...prefix('/api'), method: 'POST' }], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/api', { method: 'POST' }), backends: [B],
  },
  {
    name: 'G4 a method match beats more header matches',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ ...prefix('/api'), headers: [{ name: 'x-a', value: '1' }, { name: 'x-b', value: '2' }] }], backendRefs: [to('a')] }, { matches: [{ ...prefix('/api'), method: 'GET' }], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/api', { headers: { 'x-a': '1', 'x-b': '2' } }), backends: [B],
  },
  {
    name: 'G4 more header matches win',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ headers: [{ name: 'x-a', value: '1' }] }], backendRefs: [to('a')] }, { matches: [{ headers: [{ name: 'x-a', value: '1' }, { name: 'x-b', value: '2' }] }], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/', { headers: { 'x-a': '1', 'x-b': '2' } }), backends: [B],
  },
  {
    name: 'G4 more header matches beat more query param matches',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ queryParams: [{ name: 'v', value: '2' }, { name: 'w', value: '3' }] }], backendRefs: [to('a')] }, { matches: [{ headers: [{ name: 'x-a', value: '1' }] }], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/?v=2&w=3', { headers: { 'x-a': '1' } }), backends: [B],
  },
  {
    name: 'G4 more query param matches win',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ queryParams: [{ name: 'v', value: '2' }] }], backendRefs: [to('a')] }, { matches: [{ queryParams: [{ name: 'v', value: '2' }, { name: 'w', value: '3' }] }], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/?v=2&w=3'), backends: [B],
  },
  {
    name: 'G4 ties across routes: the oldest route wins',
    objects: [...base(), httpRoute('default/a-new', [parent], [{ backendRefs: [to('a')] }], { created: '2026-06-01T00:00:00Z' }), httpRoute('default/z-old', [parent], [{ backendRefs: [to('b')] }], { created: '2026-01-01T00:00:00Z' })],
    q: http('h.example.com'), backends: [B], route: 'default/z-old',
  },
  {
    name: 'G4 ties in age: {namespace}/{name} alphabetically first wins',
    objects: [...base(listener('http', 80, { allowedRoutes: { namespaces: { from: 'All' } } })), httpRoute('default/b', [{ name: 'gw', namespace: 'default' }], [{ backendRefs: [to('b')] }]), httpRoute('default/a', [parent], [{ backendRefs: [to('a')] }])],
    q: http('h.example.com'), backends: [A], route: 'default/a',
  },
  {
    name: 'G4 ties within a route: the first rule in list order wins',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [prefix('/x')], backendRefs: [to('a')] }, { matches: [prefix('/x')], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/x'), backends: [A], rule: 0,
  },
  {
    name: 'G4 a route with an exact hostname beats one with a wildcard hostname',
    objects: [...base(), httpRoute('default/wild', [parent], [{ matches: [exact('/x')], backendRefs: [to('a')] }], { hostnames: ['*.example.com'], created: '2026-01-01T00:00:00Z' }), httpRoute('default/exact', [parent], [{ backendRefs: [to('b')] }], { hostnames: ['h.example.com'] })],
    q: http('h.example.com', '/x'), backends: [B], route: 'default/exact',
  },
  {
    name: 'G4 gRPC: a GRPCRoute with service and method beats one with the service only',
    objects: [...base(), grpcRoute('default/g', [parent], [{ matches: [{ method: { service: 'shop.Cart' } }], backendRefs: [to('a')] }, { matches: [{ method: { service: 'shop.Cart', method: 'Add' } }], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/shop.Cart/Add', { method: 'POST', headers: { 'content-type': 'application/grpc' } }), backends: [B],
  },
]);

run('G5 match conditions (HTTPRouteMatch, GRPCRouteMatch)', [
  {
    name: 'G5 a rule without matches takes every request',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }])],
    q: http('h.example.com', '/deep/path?x=1'), backends: [A],
  },
  {
    name: 'G5 PathPrefix /foo does not take /foobar',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [prefix('/foo')], backendRefs: [to('a')] }])],
    q: http('h.example.com', '/foobar'), verdict: 'not-found', codes: ['GATEWAY_NO_ROUTE_MATCH'],
  },
  {
    name: 'G5 header names are case-insensitive',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ headers: [{ name: 'X-Canary', value: 'yes' }] }], backendRefs: [to('b')] }, { backendRefs: [to('a')] }])],
    q: http('h.example.com', '/', { headers: { 'x-canary': 'yes' } }), backends: [B],
  },
  {
    name: 'G5 header values are case-sensitive (Exact)',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ headers: [{ name: 'x-canary', value: 'yes' }] }], backendRefs: [to('b')] }, { backendRefs: [to('a')] }])],
    q: http('h.example.com', '/', { headers: { 'x-canary': 'YES' } }), backends: [A],
  },
  {
    name: 'G5 RegularExpression header values',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ headers: [{ type: 'RegularExpression', name: 'user-agent', value: '.*Mobile.*' }] }], backendRefs: [to('b')] }, { backendRefs: [to('a')] }])],
    q: http('h.example.com', '/', { headers: { 'User-Agent': 'x Mobile y' } }), backends: [B],
  },
  {
    name: 'G5 query param match reads the query of the path',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ queryParams: [{ name: 'beta', value: 'on' }] }], backendRefs: [to('b')] }, { backendRefs: [to('a')] }])],
    q: http('h.example.com', '/items?beta=on'), backends: [B],
  },
  {
    name: 'G5 a method match refuses other methods',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [{ method: 'DELETE' }], backendRefs: [to('a')] }])],
    q: http('h.example.com', '/'), verdict: 'not-found', codes: ['GATEWAY_NO_ROUTE_MATCH'],
  },
  {
    name: 'G5 a gRPC request goes to a GRPCRoute before an HTTPRoute',
    objects: [...base(), httpRoute('default/h', [parent], [{ backendRefs: [to('a')] }]), grpcRoute('default/g', [parent], [{ matches: [{ method: { service: 'shop.Cart' } }], backendRefs: [to('b')] }])],
    q: http('h.example.com', '/shop.Cart/Get', { method: 'POST', headers: { 'content-type': 'application/grpc' } }), backends: [B], route: 'default/g',
  },
  {
    name: 'G5 a plain HTTP request never matches a GRPCRoute',
    objects: [...base(), grpcRoute('default/g', [parent], [{ backendRefs: [to('b')] }])],
    q: http('h.example.com', '/shop.Cart/Get'), verdict: 'not-found', codes: ['GATEWAY_NO_ROUTE_MATCH'],
  },
]);

run('G6/G7 backendRefs, weights and ReferenceGrants (HTTPBackendRef, ReferenceGrant)', [
  {
    name: 'G6 weights 90/10: both backends receive traffic, shares in the answer',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a', 90), to('b', 10)] }])],
    q: http('h.example.com'), backends: [A, B], verdict: 'forwarded', codes: ['GATEWAY_WEIGHTED_BACKENDS'],
  },
  {
    name: 'G6 weight 0: that backend receives nothing',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a', 1), to('b', 0)] }])],
    q: http('h.example.com'), backends: [A], codes: ['GATEWAY_BACKEND_WEIGHT_ZERO'],
  },
  {
    name: 'G6 a missing backend Service: its share fails, the others still receive traffic',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a', 1), to('nope', 1)] }])],
    q: http('h.example.com'), backends: [A], verdict: 'forwarded', codes: ['GATEWAY_BACKEND_NOT_FOUND'],
  },
  {
    name: 'G6 only a missing backend: not found',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('nope')] }])],
    q: http('h.example.com'), backends: [], verdict: 'not-found', codes: ['GATEWAY_BACKEND_NOT_FOUND'],
  },
  {
    name: 'G6 a rule without backendRefs answers 500',
    objects: [...base(), httpRoute('default/r', [parent], [{}])],
    q: http('h.example.com'), verdict: 'not-found', codes: ['GATEWAY_RULE_NO_BACKENDS'],
  },
  {
    name: 'G6 a backend of another kind is not followed',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'x' }] }])],
    q: http('h.example.com'), verdict: 'not-found', codes: ['GATEWAY_BACKEND_UNSUPPORTED_KIND'],
  },
  {
    name: 'G6 a Service backend without port',
    objects: [...base(), httpRoute('default/r', [parent], [{ backendRefs: [{ name: 'a' }] }])],
    q: http('h.example.com'), verdict: 'not-found', codes: ['GATEWAY_BACKEND_PORT_MISSING'],
  },
  {
    name: 'G7 a backend in another namespace without a ReferenceGrant is not permitted',
    objects: [...base(), ...backendService('other/d', '10.2.0.4'), httpRoute('default/r', [parent], [{ backendRefs: [to('d', undefined, { namespace: 'other' })] }])],
    q: http('h.example.com'), backends: [], verdict: 'not-found', codes: ['GATEWAY_BACKEND_NOT_PERMITTED'],
  },
  {
    name: 'G7 a ReferenceGrant in the backend namespace permits it',
    objects: [...base(), ...backendService('other/d', '10.2.0.4'), referenceGrant('other/g', [{ kind: 'HTTPRoute', namespace: 'default' }], [{ kind: 'Service', name: 'd' }]), httpRoute('default/r', [parent], [{ backendRefs: [to('d', undefined, { namespace: 'other' })] }])],
    q: http('h.example.com'), backends: ['10.2.0.4:8080'], verdict: 'forwarded',
  },
  {
    name: 'G7 a ReferenceGrant for another Service name does not permit it',
    objects: [...base(), ...backendService('other/d', '10.2.0.4'), referenceGrant('other/g', [{ kind: 'HTTPRoute', namespace: 'default' }], [{ kind: 'Service', name: 'e' }]), httpRoute('default/r', [parent], [{ backendRefs: [to('d', undefined, { namespace: 'other' })] }])],
    q: http('h.example.com'), verdict: 'not-found', codes: ['GATEWAY_BACKEND_NOT_PERMITTED'],
  },
  {
    name: 'G7 a ReferenceGrant from GRPCRoutes does not permit an HTTPRoute',
    objects: [...base(), ...backendService('other/d', '10.2.0.4'), referenceGrant('other/g', [{ kind: 'GRPCRoute', namespace: 'default' }], [{ kind: 'Service' }]), httpRoute('default/r', [parent], [{ backendRefs: [to('d', undefined, { namespace: 'other' })] }])],
    q: http('h.example.com'), verdict: 'not-found', codes: ['GATEWAY_BACKEND_NOT_PERMITTED'],
  },
]);

run('G8 filters (HTTPRouteFilter)', [
  {
    name: 'G8 RequestRedirect answers the client, no backend',
    objects: [...base(), httpRoute('default/r', [parent], [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }])],
    q: http('h.example.com', '/x'), backends: [], verdict: 'redirected', codes: ['GATEWAY_REDIRECT'],
  },
  {
    name: 'G8 URLRewrite is noted and the request still reaches the backend',
    objects: [...base(), httpRoute('default/r', [parent], [{ matches: [prefix('/old')], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } } }], backendRefs: [to('a')] }])],
    q: http('h.example.com', '/old/page'), backends: [A], codes: ['GATEWAY_URL_REWRITE'],
  },
  {
    name: 'G8 RequestMirror is listed as a mirror, not a backend',
    objects: [...base(), httpRoute('default/r', [parent], [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'b', port: 80 } } }], backendRefs: [to('a')] }])],
    q: http('h.example.com'), backends: [A], codes: ['GATEWAY_MIRROR'],
  },
]);

run('G9 GatewayClass and interplay with Ingress', [
  {
    name: 'G9 a Gateway whose GatewayClass does not exist is reported',
    objects: [gateway('default/gw', [listener('http', 80)], { className: 'missing' }), ...services, httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }])],
    q: http('h.example.com'), codes: ['GATEWAY_CLASS_NOT_FOUND'],
  },
  {
    name: 'G1 a host with Ingress rules only stays with the Ingress even beside a catch-all listener',
    objects: [...base(), ingressClass('nginx'), ingress('default/ing', [{ host: 'legacy.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'c', port: 80 }] }])],
    q: http('legacy.example.com'), backends: [C], route: null,
  },
  {
    name: 'G1 a host served by a Gateway route and an Ingress rule follows the Gateway, with a finding',
    objects: [...base(), ingressClass('nginx'), httpRoute('default/r', [parent], [{ backendRefs: [to('a')] }], { hostnames: ['both.example.com'] }), ingress('default/ing', [{ host: 'both.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'c', port: 80 }] }])],
    q: http('both.example.com'), backends: [A], codes: ['GATEWAY_AND_INGRESS'],
  },
]);

describe('answers without a Gateway are unchanged', () => {
  it('has no gateway member', () => {
    const a = ask([...services], { kind: 'host', host: 'a.default.svc.cluster.local', port: 80 });
    expect('gateway' in a).toBe(false);
    expect(a.backends).toEqual([A]);
  });
  it('the 90/10 answer gives each backend its weight and share', () => {
    const a = ask([...base(), httpRoute('default/r', [parent], [{ backendRefs: [to('a', 90), to('b', 10)] }])], http('h.example.com'));
    expect(a.gateway?.backends.map((b) => [b.name, b.weight, b.share, b.status, b.backends])).toEqual([
      ['a', 90, 0.9, 'resolved', [A]],
      ['b', 10, 0.1, 'resolved', [B]],
    ]);
    expect(a.service?.name).toBe('a');
  });
});
