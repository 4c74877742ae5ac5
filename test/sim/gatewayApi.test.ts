/**
 * The simulator's Gateway API: the status a conformant implementation writes (GatewayController), table-driven
 * over named cases; discovery, lists and kubectl apply of the kinds; a cluster without the CRDs; and the
 * scenario steps the canary scenario uses.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayObject, HTTPRouteObject } from '../../src/model/gatewayObjects.js';
import { Cluster } from '../../src/sim/Cluster.js';
import { GATEWAY_CONTROLLER_NAME } from '../../src/sim/GatewayController.js';
import { httpRequest, startSim, type SimHandle } from '../helpers/sim.js';

const GW = 'gateway.networking.k8s.io/v1';

function cluster(): Cluster {
  const c = new Cluster({ now: () => new Date('2026-11-20T10:00:00Z'), seed: 3, historyWindow: 1000, podGraceMs: 1000 });
  c.batch(() => {
    for (const ns of ['default', 'team']) c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: ns === 'team' ? { shared: 'true' } : {} } });
    c.apply({ apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'sim' }, spec: { controllerName: GATEWAY_CONTROLLER_NAME } });
    c.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    c.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'team' }, spec: { ports: [{ port: 80 }] } });
  });
  return c;
}

function gateway(listeners: object[], className = 'sim'): object {
  return { apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: className, listeners } };
}

function route(ns: string, spec: object): object {
  return { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: ns }, spec };
}

const conditions = (r: HTTPRouteObject | undefined) => Object.fromEntries((r?.status?.parents?.[0]?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`]));
const http80 = { name: 'http', port: 80, protocol: 'HTTP' };

describe('the simulated controller sets route conditions as a conformant implementation', () => {
  const cases: { name: string; listeners: object[]; routeNs?: string; spec: object; extra?: object[]; want: Record<string, string> }[] = [
    { name: 'attached, references resolved', listeners: [http80], spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }, want: { Accepted: 'True Accepted', ResolvedRefs: 'True ResolvedRefs' } },
    { name: 'sectionName of no listener: NoMatchingParent', listeners: [http80], spec: { parentRefs: [{ name: 'gw', sectionName: 'https' }], rules: [] }, want: { Accepted: 'False NoMatchingParent' } },
    { name: 'route of another namespace under from Same: NotAllowedByListeners', listeners: [http80], routeNs: 'team', spec: { parentRefs: [{ name: 'gw', namespace: 'default' }], rules: [] }, want: { Accepted: 'False NotAllowedByListeners' } },
    { name: 'namespace selector on a label the namespace has: Accepted', listeners: [{ ...http80, allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'true' } } } } }], routeNs: 'team', spec: { parentRefs: [{ name: 'gw', namespace: 'default' }], rules: [] }, want: { Accepted: 'True Accepted' } },
    { name: 'hostnames not intersecting the listener: NoMatchingListenerHostname', listeners: [{ ...http80, hostname: 'a.example.com' }], spec: { parentRefs: [{ name: 'gw' }], hostnames: ['b.example.com'], rules: [] }, want: { Accepted: 'False NoMatchingListenerHostname' } },
    { name: 'missing backend Service: BackendNotFound', listeners: [http80], spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'nope', port: 80 }] }] }, want: { Accepted: 'True Accepted', ResolvedRefs: 'False BackendNotFound' } },
    { name: 'backend in another namespace without a grant: RefNotPermitted', listeners: [http80], spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'api', namespace: 'team', port: 80 }] }] }, want: { ResolvedRefs: 'False RefNotPermitted' } },
    {
      name: 'backend in another namespace with a grant: ResolvedRefs',
      listeners: [http80],
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'api', namespace: 'team', port: 80 }] }] },
      extra: [{ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'team' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }], to: [{ group: '', kind: 'Service' }] } }],
      want: { ResolvedRefs: 'True ResolvedRefs' },
    },
    { name: 'a backend of another kind: InvalidKind', listeners: [http80], spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }] }, want: { ResolvedRefs: 'False InvalidKind' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cl = cluster();
      cl.batch(() => {
        cl.apply(gateway(c.listeners));
        for (const o of c.extra ?? []) cl.apply(o);
        cl.apply(route(c.routeNs ?? 'default', c.spec));
      });
      const r = cl.store.get('HTTPRoute', c.routeNs ?? 'default', 'r') as HTTPRouteObject | undefined;
      expect(r?.status?.parents?.[0]?.controllerName).toBe(GATEWAY_CONTROLLER_NAME);
      for (const [type, want] of Object.entries(c.want)) expect(conditions(r)[type], type).toBe(want);
    });
  }

  it('the Gateway gets an address, Accepted/Programmed and attachedRoutes per listener', () => {
    const cl = cluster();
    cl.batch(() => {
      cl.apply(gateway([http80, { name: 'other', port: 8080, protocol: 'HTTP' }]));
      cl.apply(route('default', { parentRefs: [{ name: 'gw', sectionName: 'http' }], rules: [] }));
    });
    const g = cl.store.get('Gateway', 'default', 'gw') as GatewayObject;
    expect(g.status?.addresses?.[0]?.value).toMatch(/^198\.51\.100\.\d+$/);
    expect(g.status?.conditions?.map((x) => `${x.type}=${x.status}`)).toEqual(['Accepted=True', 'Programmed=True']);
    expect(g.status?.listeners?.map((l) => [l.name, l.attachedRoutes])).toEqual([['http', 1], ['other', 0]]);
  });

  it('leaves Gateways of another controller and their routes alone', () => {
    const cl = cluster();
    cl.batch(() => {
      cl.apply({ apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'foreign' }, spec: { controllerName: 'example.com/other' } });
      cl.apply(gateway([http80], 'foreign'));
      cl.apply(route('default', { parentRefs: [{ name: 'gw' }], rules: [] }));
    });
    expect(cl.store.get('Gateway', 'default', 'gw')?.status).toBeUndefined();
    expect(cl.store.get('GatewayClass', undefined, 'foreign')?.status).toBeUndefined();
    expect((cl.store.get('HTTPRoute', 'default', 'r') as HTTPRouteObject).status).toBeUndefined();
  });

  it('a quiet cluster writes nothing more (statuses are stable)', () => {
    const cl = cluster();
    cl.batch(() => {
      cl.apply(gateway([http80]));
      cl.apply(route('default', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }));
    });
    const rv = cl.store.rv;
    cl.batch(() => cl.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }));
    expect(cl.store.rv - rv).toBeLessThanOrEqual(1);
  });
});

describe('serving the Gateway API', () => {
  let sim: SimHandle;
  let bare: SimHandle;
  beforeAll(async () => {
    sim = await startSim({ scenario: 'canary', steps: 'manual' });
    bare = await startSim({ scenario: 'seed', gatewayApi: false });
  });
  afterAll(async () => {
    await sim?.close();
    await bare?.close();
  });

  it('discovery lists the group with v1 preferred and ReferenceGrant under v1beta1', async () => {
    const group = JSON.parse((await httpRequest(`${sim.url}/apis/gateway.networking.k8s.io`)).body) as { versions: { version: string }[]; preferredVersion: { version: string } };
    expect(group.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1']);
    expect(group.preferredVersion.version).toBe('v1');
    const beta = JSON.parse((await httpRequest(`${sim.url}/apis/gateway.networking.k8s.io/v1beta1`)).body) as { resources: { name: string }[] };
    expect(beta.resources.map((r) => r.name)).toContain('referencegrants');
    const list = JSON.parse((await httpRequest(`${sim.url}/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes`)).body) as { kind: string; items: { metadata: { name: string } }[] };
    expect(list.kind).toBe('HTTPRouteList');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['checkout']);
  });

  it('without the CRDs: the group is not discovered and its paths answer 404, the seed still serves the rest', async () => {
    const groups = JSON.parse((await httpRequest(`${bare.url}/apis`)).body) as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).not.toContain('gateway.networking.k8s.io');
    expect((await httpRequest(`${bare.url}/apis/gateway.networking.k8s.io/v1`)).status).toBe(404);
    expect((await httpRequest(`${bare.url}/apis/gateway.networking.k8s.io/v1/httproutes`)).status).toBe(404);
    expect((await httpRequest(`${bare.url}/api/v1/services`)).status).toBe(200);
    expect(bare.state().Gateway).toEqual([]);
  });

  it('scenario steps: the canary step is pending until asked for, then replaces the route', () => {
    expect(sim.pendingSteps()).toBe(1);
    const before = sim.get('HTTPRoute', 'shop', 'checkout') as HTTPRouteObject;
    expect(before.spec?.rules?.[0]?.backendRefs?.map((b) => b.weight ?? 1)).toEqual([1]);
    sim.nextStep();
    const after = sim.get('HTTPRoute', 'shop', 'checkout') as HTTPRouteObject;
    expect(after.spec?.rules?.[0]?.backendRefs?.map((b) => [b.name, b.weight])).toEqual([['checkout-v1', 90], ['checkout-v2', 10]]);
    expect(after.metadata.annotations?.['sim.routetrace.dev/apply-after']).toBeUndefined();
    expect(after.status?.parents?.[0]?.conditions?.find((c) => c.type === 'Accepted')?.status).toBe('True');
    expect(sim.pendingSteps()).toBe(0);
    expect(sim.nextStep()).toBeUndefined();
  });
});

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const KUBECTL = hasKubectl();

describe.skipIf(!KUBECTL)('kubectl apply of Gateway API objects (skipped: kubectl is not installed)', () => {
  let sim: SimHandle;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'routetrace-kubectl-gw-'));
    sim = await startSim({ scenario: 'seed' });
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const kubectl = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('kubectl', ['--server', sim.url, '--cache-dir', join(dir, 'cache'), ...args], { env: { ...process.env, KUBECONFIG: join(dir, 'none') }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });

  it('applies an HTTPRoute, re-applies a change, and reads the status the controller wrote', async () => {
    const file = join(dir, 'route.yaml');
    const yaml = (backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: extra, namespace: default }
spec:
  parentRefs: [{ name: web-gateway }]
  hostnames: [extra.ibtisam-iq.com]
  rules:
    - backendRefs: [{ name: ${backend}, port: 80 }]
`;
    writeFileSync(file, yaml('my-app-service'));
    const created = await kubectl('apply', '-f', file);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('httproute.gateway.networking.k8s.io/extra created');
    writeFileSync(file, yaml('missing-service'));
    const changed = await kubectl('apply', '-f', file);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('configured');
    const got = await kubectl('get', 'httproute', 'extra', '-o', 'json');
    const r = JSON.parse(got.stdout) as HTTPRouteObject;
    expect(conditions(r)).toEqual({ Accepted: 'True Accepted', ResolvedRefs: 'False BackendNotFound' });
    const table = await kubectl('get', 'gateways,httproutes,gatewayclasses', '-A');
    expect(table.stdout).toMatch(/web-gateway\s+sim\s+198\.51\.100\.\d+\s+True/);
  });
});
