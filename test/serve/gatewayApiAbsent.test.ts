/**
 * A cluster without the Gateway API CRDs: serve (in-process, the production ingest thread) against a
 * simulator that does not serve gateway.networking.k8s.io. The Gateway API kinds count as synced (listed
 * empty), readiness is unaffected, /readyz shows them absent and /metrics reports routetrace_kind_served 0,
 * nothing is logged as a failure and no request loop runs; once the CRDs are installed the kinds are
 * discovered (v1; ReferenceGrant v1beta1), watched, stored, and routes through a Gateway are answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConfig } from '../../src/config.js';
import { productionDependencies, ServeRuntime } from '../../src/main.js';
import { GATEWAY_KINDS } from '../../src/model/objects.js';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { jsonLogger } from '../../src/watch/Logger.js';
import { parsePromText, sampleValue } from '../ops/promText.js';
import { waitFor } from '../watch/waitFor.js';

let dir: string;
let sim: SimHandle;
let rt: ServeRuntime;
const logs: Record<string, unknown>[] = [];

type Readyz = { ready: boolean; kinds: Record<string, { state: string; streams: { state: string; servedVersion?: string }[] }> };
const readyz = async (): Promise<Readyz> => (await (await fetch(`${rt.url}/readyz`)).json()) as Readyz;
const gatewayRequests = () => sim.requests().filter((r) => r.path.startsWith('/apis/gateway.networking.k8s.io')).length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rt-gw-absent-'));
  sim = await startSim({ scenario: 'seed', gatewayApi: false });
  rt = await ServeRuntime.start(serveConfig({ server: sim.url, db: join(dir, 'h.db'), listen: '127.0.0.1:0', cluster: 'no-crds' }, {}), {
    ...productionDependencies(jsonLogger((l) => logs.push(JSON.parse(l) as Record<string, unknown>))),
    informer: { backoffBaseMs: 100, backoffMaxMs: 1_000, absentProbeMs: 400 },
    flushIntervalMs: 200,
  });
  await waitFor(() => rt.readiness().ready, { what: 'serve ready', describe: () => rt.readiness() });
}, 60_000);

afterAll(async () => {
  await rt?.stop('test end');
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('serve on a cluster without the Gateway API CRDs', () => {
  it('is ready; /readyz shows the Gateway API kinds synced and absent', async () => {
    const r = await readyz();
    expect(r.ready).toBe(true);
    for (const kind of GATEWAY_KINDS) {
      expect(r.kinds[kind]?.state, kind).toBe('synced');
      expect(r.kinds[kind]?.streams.map((s) => s.state), kind).toEqual(['absent']);
    }
    expect(r.kinds['Service']?.streams[0]?.state).toBe('watching');
  });

  it('/metrics: routetrace_kind_served is 0 for the absent kinds, 1 for the others; ready is 1', async () => {
    const s = parsePromText(await (await fetch(`${rt.url}/metrics`)).text());
    for (const kind of GATEWAY_KINDS) expect(sampleValue(s, 'routetrace_kind_served', { kind }), kind).toBe(0);
    expect(sampleValue(s, 'routetrace_kind_served', { kind: 'Service' })).toBe(1);
    expect(sampleValue(s, 'routetrace_kind_synced', { kind: 'HTTPRoute' })).toBe(1);
    expect(sampleValue(s, 'routetrace_ready', {})).toBe(1);
  });

  it('logs each absent kind once, no failure, and probes only at its slow interval', async () => {
    const first = gatewayRequests();
    await new Promise((r) => setTimeout(r, 1_000));
    const perKindPerProbe = 2; // v1, then v1beta1 where a kind has it
    // 1 s at one probe per 400 ms: at most 3 more probes per kind.
    expect(gatewayRequests() - first).toBeLessThanOrEqual(GATEWAY_KINDS.length * perKindPerProbe * 3);
    for (const kind of GATEWAY_KINDS) expect(logs.filter((l) => l['event'] === 'kind.absent' && l['kind'] === kind), kind).toHaveLength(1);
    expect(logs.filter((l) => l['level'] === 'error' || l['level'] === 'warn')).toEqual([]);
  });

  it('picks the kinds up once the CRDs are installed, and answers routes through a Gateway', async () => {
    sim.installGatewayApi();
    sim.apply({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'sim' }, spec: { controllerName: 'sim.routetrace.dev/gateway-controller' } });
    sim.apply({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'sim', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } });
    sim.apply({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec: { parentRefs: [{ name: 'gw' }], hostnames: ['late.example.com'], rules: [{ backendRefs: [{ name: 'my-app-service', port: 80 }] }] } });
    await waitFor(async () => {
      const r = await readyz();
      return GATEWAY_KINDS.every((k) => r.kinds[k]?.streams[0]?.state === 'watching');
    }, { what: 'the Gateway API kinds watched', timeoutMs: 20_000 });
    const r = await readyz();
    expect(r.kinds['HTTPRoute']?.streams[0]?.servedVersion).toBe('v1');
    expect(r.kinds['ReferenceGrant']?.streams[0]?.servedVersion).toBe('v1beta1');
    expect(r.ready).toBe(true);
    await waitFor(async () => {
      const a = await (await fetch(`${rt.url}/api/v1/route?host=late.example.com&at=${Date.now()}`)).json() as { gateway?: { route: { name: string } | null }; backends: string[] };
      return a.gateway?.route?.name === 'r' && a.backends.length === 3;
    }, { what: 'the route through the Gateway, from history', timeoutMs: 20_000 });
    expect(logs.filter((l) => l['event'] === 'kind.served').map((l) => l['kind']).sort()).toEqual([...GATEWAY_KINDS].sort());
  });
});
