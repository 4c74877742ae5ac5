import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/resolver/SnapshotIndex.js';
import { resolve } from '../../src/resolver/resolve.js';
import { at, T0, V1, V2 } from '../queries/fixtures.js';
import { getJson, gql, startTestServer, type TestServer } from './helpers.js';
import { describeBackends } from '../helpers/backends.js';

let s: TestServer;

const v1 = V1.map((p) => `${p.ip}:8080`).sort();
const v2 = V2.map((p) => `${p.ip}:8080`).sort();

describeBackends('API over the recorded story', (backend) => {
  beforeAll(async () => {
    s = await startTestServer(undefined, backend);
  });
  afterAll(async () => {
    await s?.close();
  });

  describe('REST /api/v1', () => {
    it('route now answers exactly the resolver JSON (the shape of resolve --json)', async () => {
      const r = await getJson(`${s.url}/api/v1/route?host=shop.example.com&port=80`);
      expect(r.status).toBe(200);
      const direct = resolve(buildIndex(s.live.snapshot()), { kind: 'host', host: 'shop.example.com', port: 80 });
      expect(r.body).toEqual(JSON.parse(JSON.stringify(direct)));
      expect(r.body.backends).toEqual(v2);
      expect(r.headers.get('x-routetrace-at')).toMatch(/^\d{4}-/);
    });

    const timeForms = [
      { name: 'RFC 3339', before: at(5).toISOString(), after: at(45).toISOString() },
      { name: 'epoch ms', before: String(at(5).getTime()), after: String(at(45).getTime()) },
      { name: 'RFC 3339 with offset', before: '2026-11-26T09:00:05+01:00', after: '2026-11-26T09:00:45+01:00' },
    ];
    for (const f of timeForms) {
      it(`route at a past time (${f.name}): old Pods before the rollout, new ones after`, async () => {
        const before = await getJson(`${s.url}/api/v1/route?host=shop.example.com&at=${encodeURIComponent(f.before)}`);
        const after = await getJson(`${s.url}/api/v1/route?host=shop.example.com&at=${encodeURIComponent(f.after)}`);
        expect(before.body.backends).toEqual(v1);
        expect(after.body.backends).toEqual(v2);
      });
    }

    it('route to a Service by reference', async () => {
      const r = await getJson(`${s.url}/api/v1/route?service=kube-public/external-webserver-cka03-svcn&port=80&at=${at(51).getTime()}`);
      expect(r.body.backends).toEqual(['192.168.141.31:9999']);
    });

    it('reverse, timeline and routeDiff', async () => {
      const rev = await getJson(`${s.url}/api/v1/reverse?ip=10.0.2.1`);
      expect(rev.body.services.map((x: any) => x.name)).toEqual(['my-app-service']);
      const tl = await getJson(`${s.url}/api/v1/timeline?service=default/my-app-service&from=${at(0).getTime()}&to=${at(60).toISOString()}&first=3`);
      expect(tl.status).toBe(200);
      expect(tl.body.totalCount).toBe(9);
      expect(tl.body.events.map((e: any) => e.type)).toEqual(['ENDPOINT_ADDED', 'ENDPOINT_READY', 'ENDPOINT_TERMINATING']);
      const next = await getJson(`${s.url}/api/v1/timeline?service=default/my-app-service&from=${at(0).getTime()}&to=${at(60).toISOString()}&first=3&after=${tl.body.pageInfo.endCursor}`);
      expect(next.body.events[0].type).toBe('ENDPOINT_ADDED');
      expect(next.body.events[0].endpoint.address).toBe('10.0.2.2');
      const diff = await getJson(`${s.url}/api/v1/routeDiff?host=shop.example.com&from=${at(5).getTime()}&to=${at(45).getTime()}`);
      expect(diff.body.backendsAdded.sort()).toEqual(v2);
    });

    const bad = [
      { name: 'port out of range', q: '/route?host=a.example.com&port=99999', code: 'INVALID_PORT' },
      { name: 'port not a number', q: '/route?host=a.example.com&port=eighty', code: 'INVALID_PORT' },
      { name: 'bad time', q: '/route?host=a.example.com&at=yesterday', code: 'INVALID_TIME' },
      { name: 'impossible date', q: '/route?host=a.example.com&at=2026-02-30T00:00:00Z', code: 'INVALID_TIME' },
      { name: 'bad host', q: '/route?host=%3Cscript%3E', code: 'INVALID_HOST' },
      { name: 'no host or service', q: '/route', code: 'BAD_USER_INPUT' },
      { name: 'unknown parameter', q: '/route?host=a.example.com&bogus=1', code: 'BAD_USER_INPUT' },
      { name: 'repeated parameter', q: '/route?host=a.example.com&host=b.example.com', code: 'BAD_USER_INPUT' },
      { name: 'unknown namespace', q: '/route?service=nope/x', code: 'NOT_FOUND' },
      { name: 'forged cursor', q: '/timeline?service=default/my-app-service&after=AAAA', code: 'INVALID_CURSOR' },
      { name: 'routeDiff without to', q: '/routeDiff?host=a.example.com&from=-1h', code: 'BAD_USER_INPUT' },
    ];
    for (const b of bad) {
      it(`400 with a stable code: ${b.name}`, async () => {
        const r = await getJson(`${s.url}/api/v1${b.q}`);
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ code: b.code, message: expect.any(String) });
      });
    }

    it('serves an OpenAPI document that lists every endpoint', async () => {
      const r = await getJson(`${s.url}/api/v1/openapi.json`);
      expect(r.body.openapi).toBe('3.1.0');
      expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/api/v1/route', '/api/v1/reverse', '/api/v1/timeline', '/api/v1/routeDiff']));
      expect(r.body.paths['/api/v1/route'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['host', 'port', 'path', 'at']));
    });
  });

  describe('GraphQL /graphql', () => {
    it('route(at:) before and after the rollout; raw is the resolver JSON', async () => {
      const q = `query($at: DateTime) { route(host: "shop.example.com", port: 80, at: $at) { at backends service { name port } raw } }`;
      const before = await gql(s.url, q, { at: at(5).toISOString() });
      const after = await gql(s.url, q, { at: at(45).getTime() });
      expect(before.body.data.route.backends).toEqual(v1);
      expect(before.body.data.route.at).toBe(at(5).toISOString());
      expect(after.body.data.route.backends).toEqual(v2);
      const rest = await getJson(`${s.url}/api/v1/route?host=shop.example.com&port=80&at=${at(45).getTime()}`);
      expect(after.body.data.route.raw).toEqual(rest.body);
    });

    it('every query of the schema answers', async () => {
      const q = `{
        routeToService(namespace: "default", name: "my-app-service", port: "http") { backends }
        service(namespace: "default", name: "my-app-service") { type selector ports { port targetPort } routes { backends } }
        services(namespace: "default", filter: { labels: ["app=my-app"] }, first: 1) { totalCount edges { cursor node { name } } pageInfo { hasNextPage } }
        endpoints(service: { namespace: "default", name: "my-app-service" }) { address selected }
        ingresses(host: "shop.example.com") { name paths { host path backendService backendPort } }
        pod(namespace: "default", name: "my-app-v2-a") { podIPs ready reverse { services { name } } }
        reverse(ip: "10.0.2.3") { services { name receivesTraffic } ingresses { host } }
        timeline(service: { namespace: "default", name: "my-app-service" }, from: "${at(0).toISOString()}", to: ${at(60).getTime()}, first: 2) { totalCount edges { node { type observedTime changeTime endpoint { address } } } }
        routeDiff(host: "shop.example.com", from: ${at(5).getTime()}, to: ${at(45).getTime()}) { changed backendsAdded summary }
        history(kind: EndpointSlice, namespace: "default", name: "my-app-service-abc", first: 2) { totalCount edges { node { validFrom validTo } } }
      }`;
      const r = await gql(s.url, q);
      expect(r.body.errors).toBeUndefined();
      const d = r.body.data;
      expect(d.routeToService.backends).toEqual(v2);
      expect(d.service.selector).toEqual({ app: 'my-app' });
      expect(d.service.routes[0].backends).toEqual(v2);
      expect(d.services.totalCount).toBe(1);
      expect(d.endpoints.filter((e: any) => e.selected)).toHaveLength(3);
      expect(d.ingresses[0].paths[0].backendService).toBe('my-app-service');
      expect(d.pod.reverse.services[0].name).toBe('my-app-service');
      expect(d.reverse.ingresses[0].host).toBe('shop.example.com');
      expect(d.timeline.totalCount).toBe(9);
      expect(d.timeline.edges[1].node).toMatchObject({ type: 'ENDPOINT_READY', changeTime: new Date(T0 + 18_000).toISOString() });
      expect(d.routeDiff.changed).toBe(true);
      expect(d.history.totalCount).toBe(5);
    });

    it('takes the client origin and the controller (route, routeToService)', async () => {
      const q = `{
        outside: routeToService(namespace: "default", name: "my-app-service", port: 80, client: "external") { verdict findings { code } question { client } }
        fromPod: routeToService(namespace: "default", name: "my-app-service", port: 80, client: "pod:default/my-app-v2-a") { backends question { client } }
        nginx: route(host: "shop.example.com", controller: "k8s.io/ingress-nginx") { backends question { ingressController } }
        none: route(host: "shop.example.com", controller: "example.com/none") { backends findings { code } }
      }`;
      const r = await gql(s.url, q);
      expect(r.body.errors).toBeUndefined();
      const d = r.body.data;
      expect(d.outside.verdict).toBe('not-found');
      expect(d.outside.findings.map((f: { code: string }) => f.code)).toContain('CLIENT_CANNOT_REACH');
      expect(d.outside.question.client).toBe('external');
      expect(d.fromPod.backends).toEqual(v2);
      expect(d.fromPod.question.client).toBe('pod:default/my-app-v2-a');
      expect(d.nginx.backends).toEqual(v2);
      expect(d.nginx.question.ingressController).toBe('k8s.io/ingress-nginx');
      expect(d.none.backends).toEqual([]);
      expect(d.none.findings.map((f: { code: string }) => f.code)).toContain('INGRESS_CONTROLLER_HAS_NO_CLASS');
      const rest = await getJson(`${s.url}/api/v1/route?service=default/my-app-service&port=80&client=external`);
      expect(rest.body.verdict).toBe('not-found');
      expect(rest.body.question.client).toEqual({ kind: 'external' });
      const bad = await getJson(`${s.url}/api/v1/route?host=shop.example.com&client=somewhere`);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('BAD_USER_INPUT');
    });

    const errors = [
      { name: 'a bad client', q: '{ route(host: "a.example.com", client: "pod:nope") { backends } }', code: 'BAD_USER_INPUT', status: 200 },
      { name: 'a bad time literal', q: '{ route(host: "a.example.com", at: "tomorrow-ish") { backends } }', code: 'INVALID_TIME', status: 400 },
      { name: 'a bad time variable', q: 'query($t: DateTime) { route(host: "a.example.com", at: $t) { backends } }', v: { t: 'x' }, code: 'INVALID_TIME', status: 400 },
      { name: 'a port out of range', q: '{ route(host: "a.example.com", port: 0) { backends } }', code: 'INVALID_PORT', status: 200 },
      { name: 'an unknown namespace', q: '{ routeToService(namespace: "nope", name: "x") { backends } }', code: 'NOT_FOUND', status: 200 },
      { name: 'a syntax error', q: '{ route(host: ', code: 'GRAPHQL_PARSE_FAILED', status: 400 },
      { name: 'an unknown field', q: '{ nope }', code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
      { name: 'a wrongly typed variable', q: 'query($p: Int) { route(host: "a.example.com", port: $p) { backends } }', v: { p: 'eighty' }, code: 'BAD_USER_INPUT', status: 400 },
    ];
    for (const e of errors) {
      it(`stable code for ${e.name}`, async () => {
        const r = await gql(s.url, e.q, e.v ?? {});
        expect(r.status).toBe(e.status);
        expect(r.body.errors[0].extensions.code).toBe(e.code);
      });
    }

    it('answers the standard introspection query (IDEs and codegen use it)', async () => {
      const { getIntrospectionQuery } = await import('graphql');
      const r = await gql(s.url, getIntrospectionQuery());
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.__schema.queryType.name).toBe('Query');
    });

    it('rejects queries over the depth limit', async () => {
      let typeRef = 'name';
      for (let i = 0; i < 20; i++) typeRef = `ofType { ${typeRef} }`;
      const r = await gql(s.url, `{ __schema { types { fields { type { ${typeRef} } } } } }`);
      expect(r.status).toBe(400);
      expect(r.body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
    });

    it('rejects queries over the cost limit', async () => {
      const aliases = Array.from({ length: 600 }, (_, i) => `r${i}: route(host: "shop.example.com") { backends }`).join(' ');
      const r = await gql(s.url, `{ ${aliases} }`);
      expect(r.status).toBe(400);
      expect(r.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
      const wide = await gql(s.url, '{ services(first: 500) { edges { node { routes { endpoints { address pod { name } } findings { code message } } } } } }');
      expect(wide.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    });

    it('caps page sizes', async () => {
      const r = await gql(s.url, '{ services(first: 100000) { totalCount edges { node { name } } } }');
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.services.edges.length).toBe(r.body.data.services.totalCount);
    });

    it('serves a GraphQL IDE to browsers that loads nothing from the internet', async () => {
      const r = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      const html = await r.text();
      expect(html).toContain('<textarea id="query"');
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
      expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    });
  });
});

describeBackends('unknown errors are masked', (backend) => {
  it('a failure inside a read answers INTERNAL_SERVER_ERROR without details', async () => {
    const logged: string[] = [];
    const { createApi } = await import('../../src/api/createApi.js');
    const { HttpServer } = await import('../../src/server.js');
    const log = { log: (_l: string, e: string, f?: Record<string, unknown>) => void logged.push(`${e} ${JSON.stringify(f)}`) };
    const api = createApi(log);
    // A real history database that fails underneath the API: its connection is closed behind its back.
    const { HistoryWriter } = await import('../../src/history/HistoryWriter.js');
    const { tempDir } = await import('../queries/fixtures.js');
    const tmp = tempDir();
    const writer = await HistoryWriter.open({ ...backend.location(tmp.dir, 'broken.db'), cluster: 'x' });
    api.attachHistory(writer.database, 'x');
    writer.database.db.close();
    const http = new HttpServer(api.routes, log);
    const { url } = await http.listen({ host: '127.0.0.1', port: 0 });
    try {
      const g = await gql(url, `{ reverse(ip: "10.0.0.1", at: ${T0}) { services { name } } }`);
      expect(g.body.errors[0]).toMatchObject({ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(g.body)).not.toMatch(/open|sqlite|database/i);
      const r = await getJson(`${url}/api/v1/reverse?ip=10.0.0.1&at=${T0}`);
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error' });
      expect(logged.join('\n')).toContain('not open');
    } finally {
      await http.close();
      await api.stop();
      tmp.remove();
    }
  });
});
