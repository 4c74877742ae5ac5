/**
 * §1 Ingress selection (I1–I11) and worked example X8, table-driven. Each backend Service has one ready
 * endpoint whose address identifies it, so the answer's backends show which rule won.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/objects.js';
import { hostMatches, pathMatches } from '../../src/resolver/ingressSelect.js';
import type { ForwardQuestion } from '../../src/model/route.js';
import { ask as askIn, codes, ep, ingress, ingressClass, port, slice, svc, toHost, type PathSpec } from './builders.js';

/**
 * The builders' Ingresses name the class nginx; a class without an IngressClass object is served by no
 * controller (I1, tested in ingress-strict.test.ts), so each case here runs in a cluster that has the
 * IngressClass nginx unless it defines its own.
 */
function ask(objects: KubeObject[], q: ForwardQuestion) {
  const hasNginx = objects.some((o) => o.kind === 'IngressClass' && o.metadata.name === 'nginx');
  return askIn(hasNginx ? objects : [ingressClass('nginx'), ...objects], q);
}

let nextIP = 1;
/** A Service `name` (port 80 "http" → 8080) with one ready endpoint 10.1.0.N:8080. */
function backend(ref: string, ip?: string): KubeObject[] {
  const [ns, name] = ref.includes('/') ? ref.split('/') : ['default', ref];
  const addr = ip ?? `10.1.0.${nextIP++}`;
  return [
    svc(`${ns}/${name}`, { clusterIP: `10.96.1.${nextIP++}`, selector: { app: name! }, ports: [port(80, { name: 'http', targetPort: 8080 })] }),
    slice(`${ns}/${name}-abc`, name!, [{ name: 'http', port: 8080, protocol: 'TCP' }], [ep(addr, { ready: true })], { managedBy: 'staff' }),
  ];
}

describe('I6/I7/I8 path matching: the official examples table', () => {
  const rows: { name: string; paths: PathSpec[]; request: string; match: string | null }[] = [
    { name: 'I7 Prefix / matches all paths', paths: [{ path: '/', pathType: 'Prefix' }], request: '/any/thing', match: '/ Prefix' },
    { name: 'I6 Exact /foo matches /foo', paths: [{ path: '/foo', pathType: 'Exact' }], request: '/foo', match: '/foo Exact' },
    { name: 'I6 Exact /foo does not match /bar', paths: [{ path: '/foo', pathType: 'Exact' }], request: '/bar', match: null },
    { name: 'I6 Exact /foo does not match /foo/', paths: [{ path: '/foo', pathType: 'Exact' }], request: '/foo/', match: null },
    { name: 'I6 Exact /foo/ does not match /foo', paths: [{ path: '/foo/', pathType: 'Exact' }], request: '/foo', match: null },
    { name: 'I7 Prefix /foo matches /foo', paths: [{ path: '/foo', pathType: 'Prefix' }], request: '/foo', match: '/foo Prefix' },
    { name: 'I7 Prefix /foo matches /foo/', paths: [{ path: '/foo', pathType: 'Prefix' }], request: '/foo/', match: '/foo Prefix' },
    { name: 'I7 Prefix /foo/ matches /foo', paths: [{ path: '/foo/', pathType: 'Prefix' }], request: '/foo', match: '/foo/ Prefix' },
    { name: 'I7 Prefix /foo/ matches /foo/', paths: [{ path: '/foo/', pathType: 'Prefix' }], request: '/foo/', match: '/foo/ Prefix' },
    { name: 'I7 Prefix /aaa/bb does not match /aaa/bbb', paths: [{ path: '/aaa/bb', pathType: 'Prefix' }], request: '/aaa/bbb', match: null },
    { name: 'I7 Prefix /aaa/bbb matches /aaa/bbb', paths: [{ path: '/aaa/bbb', pathType: 'Prefix' }], request: '/aaa/bbb', match: '/aaa/bbb Prefix' },
    { name: 'I7 Prefix /aaa/bbb/ matches /aaa/bbb (trailing slash ignored)', paths: [{ path: '/aaa/bbb/', pathType: 'Prefix' }], request: '/aaa/bbb', match: '/aaa/bbb/ Prefix' },
    { name: 'I7 Prefix /aaa/bbb matches /aaa/bbb/', paths: [{ path: '/aaa/bbb', pathType: 'Prefix' }], request: '/aaa/bbb/', match: '/aaa/bbb Prefix' },
    { name: 'I7 Prefix /aaa/bbb matches subpath /aaa/bbb/ccc', paths: [{ path: '/aaa/bbb', pathType: 'Prefix' }], request: '/aaa/bbb/ccc', match: '/aaa/bbb Prefix' },
    { name: 'I7 prefix /aaa/bbb does not match /aaa/bbbxyz', paths: [{ path: '/aaa/bbb', pathType: 'Prefix' }], request: '/aaa/bbbxyz', match: null },
    { name: 'I8 Prefix /, /aaa: /aaa/ccc takes /aaa', paths: [{ path: '/', pathType: 'Prefix' }, { path: '/aaa', pathType: 'Prefix' }], request: '/aaa/ccc', match: '/aaa Prefix' },
    { name: 'I8 Prefix /, /aaa, /aaa/bbb: /aaa/bbb takes /aaa/bbb', paths: [{ path: '/', pathType: 'Prefix' }, { path: '/aaa', pathType: 'Prefix' }, { path: '/aaa/bbb', pathType: 'Prefix' }], request: '/aaa/bbb', match: '/aaa/bbb Prefix' },
    { name: 'I8 Prefix /, /aaa, /aaa/bbb: /ccc takes /', paths: [{ path: '/', pathType: 'Prefix' }, { path: '/aaa', pathType: 'Prefix' }, { path: '/aaa/bbb', pathType: 'Prefix' }], request: '/ccc', match: '/ Prefix' },
    { name: 'I8 Prefix /aaa: /ccc matches nothing (default backend)', paths: [{ path: '/aaa', pathType: 'Prefix' }], request: '/ccc', match: null },
    { name: 'I8 /foo Prefix and /foo Exact: /foo prefers Exact', paths: [{ path: '/foo', pathType: 'Prefix' }, { path: '/foo', pathType: 'Exact' }], request: '/foo', match: '/foo Exact' },
    { name: 'I8 literal length: /foo/ beats /foo for /foo/x', paths: [{ path: '/foo', pathType: 'Prefix' }, { path: '/foo/', pathType: 'Prefix' }], request: '/foo/x', match: '/foo/ Prefix' },
    { name: 'I5 query and fragment are not part of the path', paths: [{ path: '/foo', pathType: 'Exact' }], request: '/foo?x=1#y', match: '/foo Exact' },
    { name: 'I5 matching is case-sensitive', paths: [{ path: '/Foo', pathType: 'Prefix' }], request: '/foo', match: null },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const objects: KubeObject[] = [ingressClass('nginx', { isDefault: true })];
      const paths = row.paths.map((p, i) => {
        objects.push(...backend(`paths/b${i}`));
        return { ...p, service: `b${i}`, port: 80 };
      });
      objects.push(ingress('paths/ing', [{ host: 'paths.example.com', paths }]));
      const a = ask(objects, toHost('paths.example.com', 80, row.request));
      if (row.match === null) {
        expect(a.ingress).toBeNull();
        expect(a.backends).toEqual([]);
        expect(codes(a)).toContain('NO_INGRESS_RULE_MATCH');
      } else {
        expect(`${a.ingress?.path} ${a.ingress?.pathType}`).toBe(row.match);
        expect(a.backends).toHaveLength(1);
      }
    });
  }
});

describe('I3 host matching', () => {
  const rows: [string, string | null, string, boolean][] = [
    ['I3 exact host matches itself', 'foo.bar.com', 'foo.bar.com', true],
    ['I3 host comparison is case-insensitive', 'foo.bar.com', 'FOO.Bar.com', true],
    ['I3 wildcard *.foo.com matches bar.foo.com', '*.foo.com', 'bar.foo.com', true],
    ['I3 wildcard *.foo.com does not match baz.bar.foo.com', '*.foo.com', 'baz.bar.foo.com', false],
    ['I3 wildcard *.foo.com does not match foo.com', '*.foo.com', 'foo.com', false],
    ['I3 rule without host matches every host', null, 'anything.example.org', true],
  ];
  for (const [name, rule, request, want] of rows) it(name, () => expect(hostMatches(rule, request.toLowerCase())).toBe(want));

  it('I3 the :port in the Host is stripped (shop.example.com:8443 → shop rules)', () => {
    const a = ask([...backend('shop'), ingress('shop', [{ host: 'shop.example.com', paths: [{ service: 'shop' }] }])], toHost('shop.example.com:8443', 80, '/'));
    expect(a.ingress?.name).toBe('shop');
  });

  it('I3 a wildcard rule takes one-label hosts through the resolver', () => {
    const a = ask([...backend('w'), ingress('ing', [{ host: '*.foo.com', paths: [{ service: 'w' }] }])], toHost('bar.foo.com', 80, '/'));
    expect(a.ingress?.host).toBe('*.foo.com');
  });
});

describe('I4 host precedence', () => {
  const objects = () => [
    ...backend('exact', '10.2.0.1'),
    ...backend('wild', '10.2.0.2'),
    ...backend('nohost', '10.2.0.3'),
    ingress('a', [{ host: 'bar.foo.com', paths: [{ path: '/api', service: 'exact' }] }]),
    ingress('b', [{ host: '*.foo.com', paths: [{ path: '/', service: 'wild' }] }]),
    ingress('c', [{ paths: [{ path: '/', service: 'nohost' }] }]),
  ];
  it('I4 exact host beats wildcard and host-less rules', () => {
    expect(ask(objects(), toHost('bar.foo.com', 80, '/api/x')).backends).toEqual(['10.2.0.1:8080']);
  });
  it('I4 wildcard host beats host-less rules', () => {
    expect(ask(objects(), toHost('qux.foo.com', 80, '/')).backends).toEqual(['10.2.0.2:8080']);
  });
  it('I4 a host that matched host rules is not re-tried against host-less rules', () => {
    const a = ask(objects(), toHost('bar.foo.com', 80, '/other'));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toContain('NO_INGRESS_RULE_MATCH');
  });
  it('I4 other hosts fall to the host-less rule', () => {
    expect(ask(objects(), toHost('other.example.com', 80, '/')).backends).toEqual(['10.2.0.3:8080']);
  });
});

describe('I5 path types', () => {
  it('I5 an invalid Prefix path (contains //) makes the Ingress invalid: nothing routed, reported', () => {
    const a = ask([...backend('x'), ingress('ing', [{ host: 'h.example.com', paths: [{ path: '/a//b', service: 'x' }] }])], toHost('h.example.com', 80, '/a//b'));
    expect(a.ingress).toBeNull();
    expect(codes(a)).toContain('INGRESS_INVALID');
  });
  it('I5 ImplementationSpecific paths are matched as Prefix and flagged', () => {
    const a = ask([...backend('x'), ingress('ing', [{ host: 'h.example.com', paths: [{ path: '/app', pathType: 'ImplementationSpecific', service: 'x' }] }])], toHost('h.example.com', 80, '/app/1'));
    expect(a.ingress?.pathType).toBe('ImplementationSpecific');
    expect(codes(a)).toContain('INGRESS_IMPLEMENTATION_SPECIFIC');
  });
  it('I5 a path without pathType: networking/v1 has no default, the API server rejects the Ingress', () => {
    const a = ask([...backend('x'), ingress('ing', [{ host: 'h.example.com', paths: [{ path: '/app', pathType: null, service: 'x' }] }])], toHost('h.example.com', 80, '/app'));
    expect(a.ingress).toBeNull();
    expect(a.findings.find((f) => f.code === 'INGRESS_INVALID')?.message).toContain('spec.rules[0].http.paths[0].pathType');
  });
  it('I7 pathMatches: Prefix / matches the empty-path request', () => expect(pathMatches('Prefix', '/', '/')).toBe(true));
});

describe('I8 precedence across Ingresses', () => {
  it('I8 the same host+path in two Ingresses: the oldest wins and the other is reported shadowed', () => {
    const a = ask(
      [
        ...backend('old', '10.3.0.1'),
        ...backend('new', '10.3.0.2'),
        ingress('newer', [{ host: 'h.example.com', paths: [{ path: '/', service: 'new' }] }], { created: '2026-11-21T00:00:00Z' }),
        ingress('older', [{ host: 'h.example.com', paths: [{ path: '/', service: 'old' }] }], { created: '2026-11-19T00:00:00Z' }),
      ],
      toHost('h.example.com', 80, '/'),
    );
    expect(a.backends).toEqual(['10.3.0.1:8080']);
    expect(codes(a)).toContain('INGRESS_SHADOWED_PATH');
  });
  it('I8 longest path wins across Ingresses of the same host', () => {
    const a = ask(
      [...backend('root', '10.3.1.1'), ...backend('api', '10.3.1.2'), ingress('r', [{ host: 'h.example.com', paths: [{ path: '/', service: 'root' }] }]), ingress('s', [{ host: 'h.example.com', paths: [{ path: '/api', service: 'api' }] }])],
      toHost('h.example.com', 80, '/api/v1'),
    );
    expect(a.backends).toEqual(['10.3.1.2:8080']);
  });
});

describe('I9 backend → Service port', () => {
  it('I9 port.number must be a Service port, not the targetPort', () => {
    const a = ask([...backend('web'), ingress('ing', [{ host: 'h.example.com', paths: [{ service: 'web', port: 8080 }] }])], toHost('h.example.com', 80, '/'));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toContain('INGRESS_BACKEND_PORT_NOT_FOUND');
    expect(a.findings.find((f) => f.code === 'INGRESS_BACKEND_PORT_NOT_FOUND')?.message).toContain('targetPort');
  });
  it('I9 port.name must be a Service port name (not a container port name)', () => {
    const a = ask([...backend('web'), ingress('ing', [{ host: 'h.example.com', paths: [{ service: 'web', port: 'grpc' }] }])], toHost('h.example.com', 80, '/'));
    expect(codes(a)).toContain('INGRESS_BACKEND_PORT_NOT_FOUND');
  });
  it('I9 port.name selects the Service port by name', () => {
    const a = ask([...backend('web', '10.4.0.1'), ingress('ing', [{ host: 'h.example.com', paths: [{ service: 'web', port: 'http' }] }])], toHost('h.example.com', 80, '/'));
    expect(a.service?.port).toBe(80);
    expect(a.backends).toEqual(['10.4.0.1:8080']);
  });
  it('I9 the Service is looked up in the Ingress namespace only', () => {
    const a = ask([...backend('other/web'), ingress('default/ing', [{ host: 'h.example.com', paths: [{ service: 'web' }] }])], toHost('h.example.com', 80, '/'));
    expect(codes(a)).toContain('INGRESS_BACKEND_SERVICE_NOT_FOUND');
    expect(a.ingress?.name).toBe('ing');
  });
  it('I9 a resource backend is not followed', () => {
    const a = ask([ingress('ing', [{ host: 'h.example.com', paths: [{ resource: { kind: 'StorageBucket', name: 'static', apiGroup: 'k8s.example.com' } }] }])], toHost('h.example.com', 80, '/'));
    expect(a.verdict).toBe('unhandled');
    expect(codes(a)).toContain('INGRESS_RESOURCE_BACKEND');
  });
});

describe('I10 defaultBackend', () => {
  it('I10 a request matching no rule goes to the defaultBackend', () => {
    const a = ask([...backend('fallback', '10.5.0.1'), ...backend('web'), ingress('ing', [{ host: 'h.example.com', paths: [{ path: '/app', service: 'web' }] }], { defaultBackend: { service: 'fallback', port: 80 } })], toHost('other.example.com', 80, '/'));
    expect(a.ingress).toMatchObject({ name: 'ing', path: null, pathType: null, defaultBackend: true });
    expect(a.backends).toEqual(['10.5.0.1:8080']);
    expect(codes(a)).toContain('INGRESS_DEFAULT_BACKEND');
  });
  it('I10 a known host with no matching path uses that Ingress defaultBackend', () => {
    const a = ask([...backend('fallback', '10.5.1.1'), ...backend('web'), ingress('ing', [{ host: 'h.example.com', paths: [{ path: '/app', service: 'web' }] }], { defaultBackend: { service: 'fallback', port: 80 } })], toHost('h.example.com', 80, '/nope'));
    expect(a.backends).toEqual(['10.5.1.1:8080']);
  });
  it('I10 an Ingress with only a defaultBackend and no rules takes every request', () => {
    const a = ask([...backend('fallback', '10.5.2.1'), ingress('ing', [], { defaultBackend: { service: 'fallback', port: 80 } })], toHost('any.example.com', 80, '/x'));
    expect(a.backends).toEqual(['10.5.2.1:8080']);
  });
  it('I10 a rule without http paths is reported and serves nothing by itself', () => {
    const a = ask([ingress('ing', [{ host: 'h.example.com', noHttp: true }])], toHost('h.example.com', 80, '/'));
    expect(codes(a)).toEqual(expect.arrayContaining(['INGRESS_RULE_WITHOUT_HTTP', 'NO_INGRESS_RULE_MATCH']));
  });
});

describe('I1/I2 IngressClass', () => {
  it('I1 with an explicit class only the Ingresses of that class take part', () => {
    const objects = [ingressClass('nginx'), ingressClass('traefik'), ...backend('a', '10.6.0.1'), ...backend('b', '10.6.0.2'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { className: 'nginx' }), ingress('ib', [{ host: 'h.example.com', paths: [{ service: 'b' }] }], { className: 'traefik' })];
    expect(ask(objects, toHost('h.example.com', 80, '/', { ingressClass: 'traefik' })).backends).toEqual(['10.6.0.2:8080']);
    expect(ask(objects, toHost('h.example.com', 80, '/', { ingressClass: 'nginx' })).backends).toEqual(['10.6.0.1:8080']);
  });
  it('I1 the deprecated kubernetes.io/ingress.class annotation is honoured', () => {
    const objects = [ingressClass('legacy'), ...backend('a', '10.6.1.1'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { className: null, annotationClass: 'legacy' })];
    const a = ask(objects, toHost('h.example.com', 80, '/', { ingressClass: 'legacy' }));
    expect(a.ingress?.ingressClass).toBe('legacy');
    expect(a.backends).toEqual(['10.6.1.1:8080']);
  });
  it('I1 several classes serving one host: the default class is followed and the choice reported', () => {
    const objects = [ingressClass('nginx'), ingressClass('traefik', { isDefault: true }), ...backend('a', '10.6.2.1'), ...backend('b', '10.6.2.2'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { className: 'nginx' }), ingress('ib', [{ host: 'h.example.com', paths: [{ service: 'b' }] }], { className: 'traefik' })];
    const a = ask(objects, toHost('h.example.com', 80, '/'));
    expect(a.backends).toEqual(['10.6.2.2:8080']);
    expect(codes(a)).toContain('MULTIPLE_INGRESS_CLASSES_MATCH');
  });
  it('I1 a class that names no IngressClass object is reported', () => {
    const a = ask([...backend('a'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { className: 'missing' })], toHost('h.example.com', 80, '/'));
    expect(codes(a)).toContain('INGRESS_CLASS_NOT_FOUND');
  });
  it('I2 an Ingress without class is not given the default class afterwards (reported)', () => {
    const a = ask([ingressClass('nginx', { isDefault: true }), ...backend('a'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { className: null })], toHost('h.example.com', 80, '/'));
    const f = a.findings.find((x) => x.code === 'INGRESS_NO_CLASS');
    expect(f?.message).toContain('applied only when an Ingress is created');
    expect(a.ingress?.ingressClass).toBeNull();
  });
  it('I2 several default classes: the newest is the default (ties by name)', () => {
    const a = ask(
      [ingressClass('old', { isDefault: true, created: '2026-01-01T00:00:00Z' }), ingressClass('newer', { isDefault: true, created: '2026-06-01T00:00:00Z' }), ...backend('a'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { className: null })],
      toHost('h.example.com', 80, '/'),
    );
    const f = a.findings.find((x) => x.code === 'MULTIPLE_DEFAULT_INGRESS_CLASSES');
    expect(f?.message).toContain('the newest, newer');
  });
});

describe('I11 TLS', () => {
  it('I11 HTTPS for a host listed in spec.tls reports the secret', () => {
    const a = ask([...backend('a'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { tls: [{ hosts: ['h.example.com'], secretName: 'h-tls' }] })], toHost('h.example.com', 443, '/'));
    expect(a.ingress?.tls).toEqual({ secretName: 'h-tls' });
    expect(codes(a)).not.toContain('INGRESS_TLS_NO_HOST');
  });
  it('I11 HTTPS for a host absent from every tls.hosts gets the default certificate (reported), routing unchanged', () => {
    const a = ask([...backend('a', '10.7.0.1'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { tls: [{ hosts: ['other.example.com'], secretName: 'o-tls' }] })], toHost('h.example.com', 443, '/'));
    expect(a.ingress?.tls).toBeNull();
    expect(codes(a)).toContain('INGRESS_TLS_NO_HOST');
    expect(a.backends).toEqual(['10.7.0.1:8080']);
  });
  it('I11 plain HTTP on port 80 does not check TLS', () => {
    const a = ask([...backend('a'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }])], toHost('h.example.com', 80, '/'));
    expect(codes(a)).not.toContain('INGRESS_TLS_NO_HOST');
  });
  it('I3 an Ingress host is entered only on 80 and 443', () => {
    const a = ask([...backend('a'), ingress('ia', [{ host: 'h.example.com', paths: [{ service: 'a' }] }])], toHost('h.example.com', 8080, '/'));
    expect(a.ingress).toBeNull();
    expect(codes(a)).toContain('NO_INGRESS_RULE_MATCH');
  });
});

describe('X8 worked example: shop.example.com', () => {
  const objects = () => [
    ...backend('svc-a', '10.8.0.1'),
    ...backend('svc-b', '10.8.0.2'),
    svc('svc-c', { clusterIP: '10.96.8.3', ports: [port(8080, { name: 'http', targetPort: 8080 })] }),
    slice('svc-c-1', 'svc-c', [{ name: 'http', port: 8080 }], [ep('10.8.0.3')]),
    ...backend('svc-d', '10.8.0.4'),
    ingress('a', [{ host: 'shop.example.com', paths: [{ path: '/', service: 'svc-a' }] }]),
    ingress('b', [{ host: 'shop.example.com', paths: [{ path: '/api', service: 'svc-b', port: 'http' }] }]),
    ingress('c', [{ host: 'shop.example.com', paths: [{ path: '/api/v1', pathType: 'Exact', service: 'svc-c', port: 8080 }] }]),
    ingress('d', [{ paths: [{ path: '/', service: 'svc-d' }] }]),
  ];
  const rows: [string, string, string, string][] = [
    ['X8 /api/v1 → C (longest)', 'shop.example.com', '/api/v1', '10.8.0.3:8080'],
    ['X8 /api/v1/x → B', 'shop.example.com', '/api/v1/x', '10.8.0.2:8080'],
    ['X8 /apix → A', 'shop.example.com', '/apix', '10.8.0.1:8080'],
    ['X8 other.example.com → D', 'other.example.com', '/', '10.8.0.4:8080'],
    ['X8 shop.example.com:8443 → shop rules', 'shop.example.com:8443', '/apix', '10.8.0.1:8080'],
  ];
  for (const [name, host, path, want] of rows) it(name, () => expect(ask(objects(), toHost(host, 80, path)).backends).toEqual([want]));
  it('X8 wildcard *.example.com does not catch a.b.example.com', () => {
    const a = ask([...backend('w'), ingress('w', [{ host: '*.example.com', paths: [{ service: 'w' }] }])], toHost('a.b.example.com', 80, '/'));
    expect(a.ingress).toBeNull();
  });
});

describe('I3 requests to the controller address', () => {
  it('I3 an IP is never an Ingress host: requests to the controller IP match only rules without host', () => {
    const ing = ingress('ing', [{ host: 'h.example.com', paths: [{ service: 'named' }] }, { paths: [{ service: 'any' }] }]);
    const withStatus = { ...ing, status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } } };
    const a = ask([...backend('named', '10.9.0.1'), ...backend('any', '10.9.0.2'), withStatus], toHost('203.0.113.5', 80, '/'));
    expect(a.ingress?.host).toBeNull();
    expect(a.backends).toEqual(['10.9.0.2:8080']);
  });
});

describe('I11 TLS hosts across Ingresses', () => {
  it('I11 a wildcard tls host covers one-label hosts', () => {
    const a = ask([...backend('a'), ingress('ia', [{ host: 'x.example.com', paths: [{ service: 'a' }] }], { tls: [{ hosts: ['*.example.com'], secretName: 'wild-tls' }] })], toHost('x.example.com', 443, '/'));
    expect(a.ingress?.tls).toEqual({ secretName: 'wild-tls' });
  });
  it('I11 another Ingress listing the host in spec.tls provides the certificate', () => {
    const a = ask(
      [...backend('a'), ingress('routes', [{ host: 'h.example.com', paths: [{ service: 'a' }] }]), ingress('certs', [{ host: 'h.example.com', paths: [{ path: '/certs-only', service: 'a' }] }], { tls: [{ hosts: ['h.example.com'], secretName: 'h-tls' }] })],
      toHost('h.example.com', 443, '/'),
    );
    expect(a.ingress?.name).toBe('routes');
    expect(a.ingress?.tls).toEqual({ secretName: 'h-tls' });
  });
  it('I11 a tls entry of another class does not count', () => {
    const a = ask(
      [...backend('a'), ingress('routes', [{ host: 'h.example.com', paths: [{ service: 'a' }] }], { className: 'nginx' }), ingress('certs', [{ host: 'other.example.com', paths: [{ service: 'a' }] }], { className: 'traefik', tls: [{ hosts: ['h.example.com'], secretName: 'h-tls' }] })],
      toHost('h.example.com', 443, '/', { ingressClass: 'nginx' }),
    );
    expect(codes(a)).toContain('INGRESS_TLS_NO_HOST');
  });
});

describe('I10 defaultBackend of another Ingress', () => {
  it('I10 a known host with no matching path and no own defaultBackend: another Ingress defaultBackend serves it (it matches none of its rules)', () => {
    const a = ask(
      [...backend('web'), ...backend('fallback', '10.5.3.1'), ingress('routes', [{ host: 'h.example.com', paths: [{ path: '/app', service: 'web' }] }]), ingress('catchall', [], { defaultBackend: { service: 'fallback', port: 80 } })],
      toHost('h.example.com', 80, '/other'),
    );
    expect(a.ingress).toMatchObject({ name: 'catchall', defaultBackend: true });
    expect(a.backends).toEqual(['10.5.3.1:8080']);
    expect(a.findings.find((f) => f.code === 'INGRESS_DEFAULT_BACKEND')?.message).toContain('ingress-nginx would answer 404');
  });
});
