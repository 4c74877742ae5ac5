/**
 * RBAC scope, observed: `routetrace serve` (the compiled CLI, as deployed) runs against the simulator
 * through its whole life (initial lists, watch events, cut watches, expired watches that force relists,
 * an API outage with restarts, the API being queried, SIGTERM), cluster-wide and namespaced; every
 * request the simulator received is mapped to what the Kubernetes authorizer would check, and must be
 * granted by deploy/clusterrole.yaml (or, for the discovery of the Gateway API versions, by the default
 * system:discovery role). Conversely every resource the role grants must have been used, so the role holds
 * nothing the code does not need.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { ServeProcess } from '../serve/serveProcess.js';
import { waitFor } from '../watch/waitFor.js';
import { allowedBy, requestAttributes, type PolicyRule, type RequestAttributes } from './requestAttributes.js';

const role = parse(readFileSync(new URL('../../deploy/clusterrole.yaml', import.meta.url), 'utf8')) as { rules: PolicyRule[] };
/**
 * The default system:discovery ClusterRole, bound to every authenticated user by Kubernetes itself: the
 * discovery documents serve reads to find which Gateway API version a cluster serves.
 */
const SYSTEM_DISCOVERY: PolicyRule = { nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] };
const rules = [...role.rules, SYSTEM_DISCOVERY];

let dir: string;
let sim: SimHandle | undefined;
let procs: ServeProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rt-rbac-'));
});
afterEach(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  procs = [];
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

interface StreamStats {
  restarts: number;
  relists: number;
}
type Readyz = { ready: boolean; kinds: Record<string, { streams: StreamStats[] }> };

async function readyz(url: string): Promise<Readyz> {
  return (await (await fetch(`${url}/readyz`)).json()) as Readyz;
}
const total = (r: Readyz, field: keyof StreamStats) => Object.values(r.kinds).reduce((n, k) => n + k.streams.reduce((m, s) => m + s[field], 0), 0);

function describeRequest(a: RequestAttributes): string {
  return a.resourceRequest ? `${a.verb} ${a.apiGroup || 'core'}/${a.resource}${a.namespace ? ` in ${a.namespace}` : ''}${a.name ? ` name ${a.name}` : ''}` : `${a.verb} ${a.path} (non-resource URL)`;
}

/** Runs serve through its life against the simulator; returns the attributes of every request it made. */
async function exercise(args: string[]): Promise<RequestAttributes[]> {
  sim = await startSim({ scenario: 'seed', seed: 11, podGraceMs: 100 });
  const p = new ServeProcess(['--server', sim.url, '--listen', '127.0.0.1:0', '--cluster', 'rbac', '--db', join(dir, 'h.db'), ...args]);
  procs.push(p);
  const url = await p.url();
  await waitFor(async () => (await readyz(url)).ready, { what: 'serve ready', timeoutMs: 45_000 });
  sim.churn.step(30); // watch events of every kind
  sim.faults.cutWatches('reset'); // reconnects
  await sim.waitForWatchers(12, undefined, 30_000);
  sim.faults.expireWatches(); // 410: relists
  await waitFor(async () => total(await readyz(url), 'relists') > 0, { what: 'a relist' });
  sim.faults.failFor(500, 1_500); // an outage: failed lists, restarts with back-off
  sim.faults.cutWatches('reset');
  await waitFor(async () => total(await readyz(url), 'restarts') > 0, { what: 'a restart' });
  await waitFor(async () => (await readyz(url)).ready && sim!.watcherCount() >= 12, { what: 'watching again after the outage', timeoutMs: 45_000 });
  // the API answers from its own state, never from the Kubernetes API
  for (const path of ['/graphql?query=%7B__typename%7D', '/api/v1/routes', '/grafana/']) await fetch(url + path).then((r) => r.arrayBuffer());
  p.kill('SIGTERM');
  expect((await p.exited).code).toBe(0);
  return sim.requests().map((r) => requestAttributes(r.method, r.path, r.query));
}

function grantedResources(): string[] {
  return role.rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${g}/${res}`))).sort();
}

describe('serve stays within deploy/clusterrole.yaml', () => {
  for (const [name, args] of [
    ['watching all namespaces', []],
    ['watching two namespaces', ['--namespace', 'default', '--namespace', 'kube-system']],
  ] as const) {
    it(`${name}: every request is granted, and every granted resource is used`, async () => {
      const seen = await exercise([...args]);
      expect(seen.length).toBeGreaterThan(20);
      const denied = seen.filter((a) => !allowedBy(rules, a)).map(describeRequest);
      expect([...new Set(denied)]).toEqual([]);
      expect(new Set(seen.filter((a) => a.resourceRequest).map((a) => a.verb))).toEqual(new Set(['list', 'watch']));
      // Outside the role: only the discovery of the Gateway API group's versions.
      const discovery = [...new Set(seen.filter((a) => !a.resourceRequest).map(describeRequest))].sort();
      expect(discovery).toEqual(['get /apis/gateway.networking.k8s.io/v1 (non-resource URL)', 'get /apis/gateway.networking.k8s.io/v1beta1 (non-resource URL)']);
      const used = [...new Set(seen.flatMap((a) => (a.resourceRequest ? [`${a.apiGroup}/${a.resource}`] : [])))].sort();
      expect(used).toEqual(grantedResources());
      if (args.length) {
        const namespaces = new Set(seen.flatMap((a) => (a.resourceRequest && a.namespace ? [a.namespace] : [])));
        expect(namespaces).toEqual(new Set(['default', 'kube-system']));
      }
    }, 120_000);
  }
});

describe('requestAttributes and allowedBy (what the authorizer would check)', () => {
  const cases: [string, string, string, string, boolean][] = [
    ['GET', '/api/v1/pods', 'limit=500', 'list core/pods', true],
    ['GET', '/api/v1/pods', 'watch=true&resourceVersion=5', 'watch core/pods', true],
    ['GET', '/api/v1/namespaces/default/services', 'watch=1', 'watch core/services in default', true],
    ['GET', '/api/v1/watch/namespaces/default/endpoints', '', 'watch core/endpoints in default', true],
    ['GET', '/api/v1/namespaces/default/pods/web-0', '', 'get core/pods in default name web-0', true],
    ['GET', '/apis/discovery.k8s.io/v1/endpointslices', '', 'list discovery.k8s.io/endpointslices', true],
    ['GET', '/apis/networking.k8s.io/v1/ingressclasses', 'watch=true', 'watch networking.k8s.io/ingressclasses', true],
    ['GET', '/api/v1/nodes', 'limit=500', 'list core/nodes', true],
    ['GET', '/api/v1/nodes', 'watch=true&resourceVersion=5', 'watch core/nodes', true],
    ['GET', '/api/v1/nodes/node-1/proxy/metrics', '', 'get core/nodes/proxy name node-1', false],
    ['PATCH', '/api/v1/nodes/node-1', '', 'patch core/nodes name node-1', false],
    ['GET', '/apis/gateway.networking.k8s.io/v1/httproutes', 'limit=500', 'list gateway.networking.k8s.io/httproutes', true],
    ['GET', '/apis/gateway.networking.k8s.io/v1beta1/namespaces/shop/referencegrants', 'watch=true', 'watch gateway.networking.k8s.io/referencegrants in shop', true],
    ['GET', '/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/r/status', '', 'get gateway.networking.k8s.io/httproutes/status in shop name r', false],
    ['PUT', '/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/r', '', 'update gateway.networking.k8s.io/httproutes in shop name r', false],
    ['GET', '/api/v1/namespaces', '', 'list core/namespaces', false],
    ['GET', '/api/v1/namespaces/default', '', 'get core/namespaces in default name default', false],
    ['GET', '/api/v1/secrets', '', 'list core/secrets', false],
    ['GET', '/api/v1/namespaces/default/configmaps', '', 'list core/configmaps in default', false],
    ['GET', '/api/v1/namespaces/default/pods/web-0/log', '', 'get core/pods/log in default name web-0', false],
    ['GET', '/api/v1/namespaces/default/pods/web-0/status', '', 'get core/pods/status in default name web-0', false],
    ['POST', '/api/v1/namespaces/default/services', '', 'create core/services in default', false],
    ['PUT', '/api/v1/namespaces/default/services/web', '', 'update core/services in default name web', false],
    ['PATCH', '/api/v1/namespaces/default/pods/web-0', '', 'patch core/pods in default name web-0', false],
    ['DELETE', '/api/v1/namespaces/default/pods/web-0', '', 'delete core/pods in default name web-0', false],
    ['DELETE', '/api/v1/namespaces/default/pods', '', 'deletecollection core/pods in default', false],
    ['GET', '/apis/apps/v1/deployments', '', 'list apps/deployments', false],
    ['GET', '/apis', '', 'get /apis (non-resource URL)', false],
    ['GET', '/version', '', 'get /version (non-resource URL)', false],
  ];
  for (const [method, path, query, expected, allowed] of cases) {
    it(`${method} ${path}${query ? `?${query}` : ''} is "${expected}", ${allowed ? 'granted' : 'denied'}`, () => {
      const a = requestAttributes(method, path, query);
      expect(describeRequest(a)).toBe(expected);
      expect(allowedBy(role.rules, a)).toBe(allowed);
      // The default discovery role grants no resource and no write.
      if (a.resourceRequest) expect(allowedBy(rules, a)).toBe(allowed);
    });
  }

  it('honours wildcards and resourceNames in rules', () => {
    const a = requestAttributes('GET', '/api/v1/namespaces/x/secrets/s', '');
    expect(allowedBy([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], a)).toBe(true);
    expect(allowedBy([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['other'] }], a)).toBe(false);
    expect(allowedBy([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['s'] }], a)).toBe(true);
    expect(allowedBy([{ nonResourceURLs: ['/version'], verbs: ['get'] }], requestAttributes('GET', '/version', ''))).toBe(true);
  });
});
