/**
 * Ingresses that no controller serves, and answering as one controller sees the cluster (I1, I5, I9, I10).
 *
 * Upstream sources followed, per group:
 *  - class: kubernetes/kubernetes staging/src/k8s.io/api/networking/v1/types.go (IngressSpec.ingressClassName,
 *    IngressClassSpec.controller) and kubernetes/ingress-nginx internal/ingress/controller/store/store.go
 *    (GetIngressClass / the class check: an Ingress whose IngressClass does not exist is not served);
 *  - validity: kubernetes/kubernetes pkg/apis/networking/validation/validation.go (ValidateIngressSpec,
 *    validateIngressRules, validateHTTPIngressRuleValue, validateHTTPIngressPath, validateIngressBackend):
 *    the API server rejects the whole object, so an Ingress with any such error cannot exist in a cluster.
 */
import { describe, expect, it } from 'vitest';
import type { IngressObject, KubeObject } from '../../src/model/objects.js';
import { validateIngress } from '../../src/resolver/ingressValidation.js';
import { ask, askReverse, codes, ep, ingress, ingressClass, port, slice, svc, toHost } from './builders.js';

/** Service `name` (port 80 "http" → 8080) with one ready endpoint at `ip`. */
function backend(name: string, ip: string, clusterIP: string): KubeObject[] {
  return [
    svc(name, { clusterIP, selector: { app: name }, ports: [port(80, { name: 'http', targetPort: 8080 })] }),
    slice(`${name}-abc`, name, [{ name: 'http', port: 8080, protocol: 'TCP' }], [ep(ip, { ready: true })], { managedBy: 'staff' }),
  ];
}

const web = backend('web', '10.9.0.1', '10.96.9.1');
const other = backend('other', '10.9.0.2', '10.96.9.2');

describe('I1 an Ingress whose class names no existing IngressClass is served by no controller (types.go IngressSpec.ingressClassName; ingress-nginx store.go)', () => {
  const rows: { name: string; objects: KubeObject[]; host: string; backends: string[]; verdict: string; finding?: string; message?: string }[] = [
    {
      name: 'spec.ingressClassName names a missing class: no route, error finding',
      objects: [ingressClass('nginx'), ...web, ingress('ing', [{ host: 'h.example.com', paths: [{ service: 'web' }] }], { className: 'missing' })],
      host: 'h.example.com',
      backends: [],
      verdict: 'not-found',
      finding: 'INGRESS_CLASS_NOT_FOUND',
      message: 'spec.ingressClassName',
    },
    {
      name: 'the kubernetes.io/ingress.class annotation names a missing class: no route',
      objects: [ingressClass('nginx'), ...web, ingress('ing', [{ host: 'h.example.com', paths: [{ service: 'web' }] }], { className: null, annotationClass: 'gone' })],
      host: 'h.example.com',
      backends: [],
      verdict: 'not-found',
      finding: 'INGRESS_CLASS_NOT_FOUND',
      message: 'kubernetes.io/ingress.class annotation',
    },
    {
      name: 'the annotation names an existing class: routed',
      objects: [ingressClass('legacy'), ...web, ingress('ing', [{ host: 'h.example.com', paths: [{ service: 'web' }] }], { className: null, annotationClass: 'legacy' })],
      host: 'h.example.com',
      backends: ['10.9.0.1:8080'],
      verdict: 'forwarded',
    },
    {
      name: 'a snapshot without any IngressClass: the finding says the dump lacks them',
      objects: [...web, ingress('ing', [{ host: 'h.example.com', paths: [{ service: 'web' }] }], { className: 'nginx' })],
      host: 'h.example.com',
      backends: [],
      verdict: 'not-found',
      finding: 'INGRESS_CLASS_NOT_FOUND',
      message: 'holds no IngressClass at all',
    },
    {
      name: 'the host rule of an unserved Ingress does not hide a served rule without host',
      objects: [
        ingressClass('nginx'),
        ...web,
        ...other,
        ingress('dead', [{ host: 'h.example.com', paths: [{ service: 'web' }] }], { className: 'missing' }),
        ingress('catch', [{ paths: [{ service: 'other' }] }], { className: 'nginx' }),
      ],
      host: 'h.example.com',
      backends: ['10.9.0.2:8080'],
      verdict: 'forwarded',
      finding: 'INGRESS_CLASS_NOT_FOUND',
    },
    {
      name: 'the defaultBackend of an unserved Ingress takes no request',
      objects: [ingressClass('nginx'), ...web, ingress('dflt', [], { className: 'missing', defaultBackend: { service: 'web', port: 80 } })],
      host: 'any.example.com',
      backends: [],
      verdict: 'not-found',
      finding: 'INGRESS_CLASS_NOT_FOUND',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const a = ask(row.objects, toHost(row.host, 80, '/'));
      expect(a.backends).toEqual(row.backends);
      expect(a.verdict).toBe(row.verdict);
      if (row.finding) {
        const f = a.findings.find((x) => x.code === row.finding);
        expect(f, `${row.finding} in ${codes(a).join(', ')}`).toBeDefined();
        if (row.message) expect(f!.message).toContain(row.message);
      }
    });
  }
});

/** An Ingress with host h.example.com and the given paths (each to Service web port 80 unless stated). */
function withPaths(paths: { path?: string | null; pathType?: string | null }[], extra: Parameters<typeof ingress>[2] = {}): IngressObject {
  return ingress('ing', [{ host: 'h.example.com', paths: paths.map((p) => ({ ...p, service: 'web' })) }], extra);
}

function patched(base: IngressObject, edit: (spec: Record<string, unknown>) => void): IngressObject {
  const copy = structuredClone(base) as IngressObject;
  edit(copy.spec as Record<string, unknown>);
  return copy;
}

const valid = withPaths([{ path: '/', pathType: 'Prefix' }]);
/** The valid Ingress plus a second rule for `host`. */
const secondRuleHost = (host: string) => patched(valid, (s) => (s['rules'] as Record<string, unknown>[]).push({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }));
const firstBackend = (s: Record<string, unknown>) => ((s['rules'] as { http: { paths: { backend: Record<string, unknown> }[] } }[])[0]!.http.paths[0]!.backend);

describe('I5/I9/I10 an Ingress the API server would reject routes nothing (pkg/apis/networking/validation/validation.go)', () => {
  const rows: { name: string; ing: IngressObject; field: string; problem: string }[] = [
    { name: 'one invalid Prefix path among valid ones (contains //)', ing: withPaths([{ path: '/', pathType: 'Prefix' }, { path: '/a//b', pathType: 'Prefix' }]), field: 'spec.rules[0].http.paths[1].path', problem: "must not contain '//'" },
    { name: 'an Exact path that is not absolute', ing: withPaths([{ path: '/', pathType: 'Prefix' }, { path: 'api', pathType: 'Exact' }]), field: 'spec.rules[0].http.paths[1].path', problem: 'must be an absolute path' },
    { name: 'a Prefix path ending in /..', ing: withPaths([{ path: '/', pathType: 'Prefix' }, { path: '/a/..', pathType: 'Prefix' }]), field: 'spec.rules[0].http.paths[1].path', problem: "cannot end with '/..'" },
    { name: 'a Prefix path containing %2F', ing: withPaths([{ path: '/', pathType: 'Prefix' }, { path: '/a%2Fb', pathType: 'Prefix' }]), field: 'spec.rules[0].http.paths[1].path', problem: "must not contain '%2F'" },
    { name: 'a path without pathType (networking/v1 has no default)', ing: withPaths([{ path: '/', pathType: 'Prefix' }, { path: '/x', pathType: null }]), field: 'spec.rules[0].http.paths[1].pathType', problem: 'pathType must be specified' },
    { name: 'an unsupported pathType', ing: withPaths([{ path: '/', pathType: 'Regex' }]), field: 'spec.rules[0].http.paths[0].pathType', problem: 'Unsupported value "Regex"' },
    { name: 'an ImplementationSpecific path that is not absolute', ing: withPaths([{ path: '/', pathType: 'Prefix' }, { path: 'app', pathType: 'ImplementationSpecific' }]), field: 'spec.rules[0].http.paths[1].path', problem: 'must be an absolute path' },
    { name: 'a second rule whose host is an IP address', ing: secondRuleHost('192.0.2.1'), field: 'spec.rules[1].host', problem: 'must be a DNS name, not an IP address' },
    { name: 'a second rule whose host has upper-case letters', ing: secondRuleHost('H.example.org'), field: 'spec.rules[1].host', problem: 'lowercase RFC 1123 subdomain' },
    { name: 'a second rule whose wildcard host is not of the form *.domain', ing: secondRuleHost('a*.example.com'), field: 'spec.rules[1].host', problem: "must start with '*.'" },
    { name: 'a backend with both service and resource', ing: patched(valid, (s) => (firstBackend(s)['resource'] = { kind: 'Bucket', name: 'b' })), field: 'spec.rules[0].http.paths[0].backend', problem: 'cannot set both resource and service backends' },
    { name: 'a service port with both name and number', ing: patched(valid, (s) => (firstBackend(s)['service'] = { name: 'web', port: { number: 80, name: 'http' } })), field: 'spec.rules[0].http.paths[0].backend.service.port', problem: 'cannot set both port name & port number' },
    { name: 'a service port with neither name nor number', ing: patched(valid, (s) => (firstBackend(s)['service'] = { name: 'web', port: {} })), field: 'spec.rules[0].http.paths[0].backend.service.port', problem: 'port name or number is required' },
    { name: 'a service port number out of range', ing: patched(valid, (s) => (firstBackend(s)['service'] = { name: 'web', port: { number: 70000 } })), field: 'spec.rules[0].http.paths[0].backend.service.port.number', problem: 'between 1 and 65535' },
    { name: 'a service name that is not a DNS-1035 label', ing: patched(valid, (s) => (firstBackend(s)['service'] = { name: '1web', port: { number: 80 } })), field: 'spec.rules[0].http.paths[0].backend.service.name', problem: 'DNS-1035 label' },
    { name: 'a TLS host that is no DNS name', ing: patched(valid, (s) => (s['tls'] = [{ hosts: ['h.example.com', 'bad_host.example.com'], secretName: 'h-tls' }])), field: 'spec.tls[0].hosts[1]', problem: 'lowercase RFC 1123 subdomain' },
    { name: 'a TLS secretName that is no object name', ing: patched(valid, (s) => (s['tls'] = [{ hosts: ['h.example.com'], secretName: 'H_TLS' }])), field: 'spec.tls[0].secretName', problem: 'lowercase RFC 1123 subdomain' },
    { name: 'an ingressClassName that is no object name', ing: patched(valid, (s) => (s['ingressClassName'] = 'Nginx_Public')), field: 'spec.ingressClassName', problem: 'lowercase RFC 1123 subdomain' },
    { name: 'an http rule with no paths', ing: patched(valid, (s) => ((s['rules'] as Record<string, unknown>[]).push({ host: 'x.example.com', http: { paths: [] } }))), field: 'spec.rules[1].http.paths', problem: 'Required value' },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.field} is named and nothing is routed`, () => {
      expect(validateIngress(row.ing)).toContainEqual({ field: row.field, problem: expect.stringContaining(row.problem) });
      const a = ask([ingressClass('nginx'), ...web, row.ing], toHost('h.example.com', 80, '/'));
      expect(a.backends).toEqual([]);
      expect(a.ingress).toBeNull();
      expect(a.verdict).toBe('not-found');
      const f = a.findings.find((x) => x.code === 'INGRESS_INVALID');
      expect(f?.severity).toBe('error');
      expect(f?.message).toContain(row.field);
    });
  }

  it('neither rules nor defaultBackend: spec is named', () => {
    expect(validateIngress(patched(valid, (s) => (s['rules'] = [])))).toEqual([{ field: 'spec', problem: 'either `defaultBackend` or `rules` must be specified' }]);
  });
  it('a valid Ingress has no field errors and routes', () => {
    expect(validateIngress(valid)).toEqual([]);
    expect(ask([ingressClass('nginx'), ...web, valid], toHost('h.example.com', 80, '/')).backends).toEqual(['10.9.0.1:8080']);
  });
  it('an empty ImplementationSpecific path is valid (it matches everything)', () => {
    expect(validateIngress(withPaths([{ path: null, pathType: 'ImplementationSpecific' }]))).toEqual([]);
  });
  it('a rejected Ingress is not listed as reaching its backend in a reverse lookup', () => {
    const bad = withPaths([{ path: '/', pathType: 'Prefix' }, { path: '/a//b', pathType: 'Prefix' }]);
    expect(askReverse([ingressClass('nginx'), ...web, bad], { kind: 'reverse', ip: '10.9.0.1' }).ingresses).toEqual([]);
    expect(askReverse([ingressClass('nginx'), ...web, valid], { kind: 'reverse', ip: '10.9.0.1' }).ingresses).toHaveLength(1);
  });
});

describe('I1 answering as one controller sees the cluster (IngressClassSpec.controller, types.go)', () => {
  const objects = (): KubeObject[] => [
    ingressClass('nginx', { controller: 'k8s.io/ingress-nginx' }),
    ingressClass('nginx-internal', { controller: 'k8s.io/ingress-nginx' }),
    ingressClass('traefik', { controller: 'traefik.io/ingress-controller' }),
    ...web,
    ...other,
    ingress('public', [{ host: 'h.example.com', paths: [{ service: 'web' }] }], { className: 'nginx-internal' }),
    ingress('edge', [{ host: 'h.example.com', paths: [{ service: 'other' }] }], { className: 'traefik' }),
  ];
  const rows: { name: string; q: Parameters<typeof toHost>[3]; backends: string[]; finding?: string }[] = [
    { name: 'controller k8s.io/ingress-nginx serves every class naming it', q: { ingressController: 'k8s.io/ingress-nginx' }, backends: ['10.9.0.1:8080'] },
    { name: 'controller traefik.io/ingress-controller sees only its class', q: { ingressController: 'traefik.io/ingress-controller' }, backends: ['10.9.0.2:8080'] },
    { name: 'a controller no IngressClass names serves nothing', q: { ingressController: 'example.com/none' }, backends: [], finding: 'INGRESS_CONTROLLER_HAS_NO_CLASS' },
    { name: 'an explicit class: only that class', q: { ingressClass: 'traefik' }, backends: ['10.9.0.2:8080'] },
    { name: 'a class with no Ingress for the host: no route', q: { ingressClass: 'nginx' }, backends: [], finding: 'NO_INGRESS_RULE_MATCH' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const a = ask(objects(), toHost('h.example.com', 80, '/', row.q));
      expect(a.backends).toEqual(row.backends);
      if (row.finding) expect(codes(a)).toContain(row.finding);
    });
  }
});
