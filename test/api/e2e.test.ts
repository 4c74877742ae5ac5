/**
 * End to end: `serve` in-process (real client-node informers, real HistoryWriter, the API on its HTTP
 * server) against the simulator with the seed scenario. Driven only through the simulator's write API and
 * read only over HTTP (GraphQL and REST), as a user would:
 *  - a rollout of my-app (new Pods become ready one by one, old ones terminate) changes the backends;
 *    route(at: before) shows the old Pods, route(at: after) the new ones; the timeline lists each endpoint
 *    change once, in order;
 *  - a forced API server outage shows up in the timeline as a watch gap;
 *  - the CKA scenario: applying the EndpointSlice of kube-public/external-webserver-cka03-svcn at T: no
 *    endpoints before T, 192.168.141.31:9999 after;
 *  - now from the live snapshot equals now from history once the history has caught up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConfig } from '../../src/config.js';
import { productionDependencies, ServeRuntime } from '../../src/main.js';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { silentLogger } from '../../src/watch/Logger.js';
import { waitFor } from '../watch/waitFor.js';
import { getJson, gql } from './helpers.js';

let dir: string;
let sim: SimHandle;
let rt: ServeRuntime;
let url: string;

const OLD = [
  { name: 'my-app-7d9f8c6b5-4xkzq', ip: '192.168.1.2' },
  { name: 'my-app-7d9f8c6b5-9wq2m', ip: '192.168.1.3' },
  { name: 'my-app-7d9f8c6b5-tz7hd', ip: '192.168.1.4' },
];
const NEW = [0, 1, 2].map((i) => ({ name: `my-app-5c8d9e7f6-v2x${i}`, ip: `192.168.2.${10 + i}` }));

function newPod(p: { name: string; ip: string }, ready: boolean) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: p.name, namespace: 'default', labels: { app: 'my-app', 'pod-template-hash': '5c8d9e7f6' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'my-app', image: 'nginx:1.28', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
    status: {
      phase: 'Running', hostIP: '172.18.0.2', hostIPs: [{ ip: '172.18.0.2' }], podIP: p.ip, podIPs: [{ ip: p.ip }],
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: ready ? 'True' : 'False' }, { type: 'ContainersReady', status: ready ? 'True' : 'False' }],
    },
  };
}

async function endpointsNow(): Promise<{ address: string; conditions: { ready: boolean; terminating: boolean } }[]> {
  const r = await getJson(`${url}/api/v1/route?service=default/my-app-service&port=80`);
  return r.status === 200 ? r.body.endpoints : [];
}

let before: Date;
let after: Date;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rt-api-e2e-'));
  sim = await startSim({ scenario: 'seed', seed: 5, podGraceMs: 400 });
  rt = await ServeRuntime.start(serveConfig({ server: sim.url, db: join(dir, 'h.db'), listen: '127.0.0.1:0', cluster: 'e2e' }, {}), {
    ...productionDependencies(silentLogger),
    informer: { backoffBaseMs: 100, backoffMaxMs: 1_000 },
    flushIntervalMs: 200,
  });
  url = rt.url;
  await waitFor(() => rt.readiness().ready, { what: 'serve ready', describe: () => rt.readiness() });
  await waitFor(async () => (await endpointsNow()).length === 3, { what: 'the seed endpoints' });
  before = new Date();
  await new Promise((r) => setTimeout(r, 50)); // distinct instants on a coarse clock

  // The rollout, one Pod at a time: the new Pod starts not ready, becomes ready, then an old Pod terminates.
  for (let i = 0; i < 3; i++) {
    sim.apply(newPod(NEW[i]!, false));
    await waitFor(async () => (await endpointsNow()).some((e) => e.address === NEW[i]!.ip), { what: `${NEW[i]!.name} listed` });
    sim.apply(newPod(NEW[i]!, true));
    await waitFor(async () => (await endpointsNow()).some((e) => e.address === NEW[i]!.ip && e.conditions.ready), { what: `${NEW[i]!.name} ready` });
    sim.remove('Pod', 'default', OLD[i]!.name);
    await waitFor(async () => !(await endpointsNow()).some((e) => e.address === OLD[i]!.ip), { what: `${OLD[i]!.name} gone`, timeoutMs: 30_000 });
  }
  // "now" answers come from the live snapshot at once; the history is written in batches. Wait until the
  // stored history holds the last removal before closing the window (its observed time is already past).
  const last = OLD[OLD.length - 1]!.ip;
  await waitFor(
    async () => {
      const r = await getJson(`${url}/api/v1/timeline?service=default/my-app-service&from=${before.getTime()}&to=${Date.now()}&first=500`);
      return r.status === 200 && (r.body.events as { type: string; endpoint: { address: string } | null }[]).some((e) => e.type === 'ENDPOINT_REMOVED' && e.endpoint?.address === last);
    },
    { what: 'the stored history to hold the rollout', timeoutMs: 30_000 },
  );
  await new Promise((r) => setTimeout(r, 50));
  after = new Date();
}, 120_000);

afterAll(async () => {
  await rt?.stop('test end');
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const routeQuery = `query($at: DateTime) { route(host: "ibtisam-iq.com", port: 443, at: $at) { at backends ingress { name } service { name } } }`;

describe('end to end against the simulator', () => {
  it('route(at: before) shows the old Pods and route(at: after) the new ones', async () => {
    const b = await gql(url, routeQuery, { at: before.toISOString() });
    const a = await gql(url, routeQuery, { at: after.getTime() });
    expect(b.body.errors).toBeUndefined();
    expect(b.body.data.route.backends).toEqual(OLD.map((p) => `${p.ip}:8080`));
    expect(a.body.data.route.backends).toEqual(NEW.map((p) => `${p.ip}:8080`));
    expect(a.body.data.route.ingress.name).toBe('my-app-ingress');
  });

  it('the timeline lists each endpoint change of the rollout once, in order', async () => {
    const r = await getJson(`${url}/api/v1/timeline?service=default/my-app-service&from=${before.getTime()}&to=${after.getTime()}&first=500`);
    expect(r.status).toBe(200);
    const events: { id: string; type: string; observedTime: string; endpoint: { address: string } | null }[] = r.body.events;
    const ep = events.filter((e) => e.type.startsWith('ENDPOINT_'));
    const times = ep.map((e) => Date.parse(e.observedTime));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const idx = (type: string, ip: string) => ep.findIndex((e) => e.type === type && e.endpoint?.address === ip);
    const count = (type: string, ip: string) => ep.filter((e) => e.type === type && e.endpoint?.address === ip).length;
    for (const p of NEW) {
      expect(count('ENDPOINT_ADDED', p.ip), `${p.ip} added`).toBe(1);
      expect(count('ENDPOINT_READY', p.ip), `${p.ip} ready`).toBe(1);
      expect(count('ENDPOINT_REMOVED', p.ip)).toBe(0);
      expect(idx('ENDPOINT_ADDED', p.ip)).toBeLessThan(idx('ENDPOINT_READY', p.ip));
    }
    for (const p of OLD) {
      expect(count('ENDPOINT_REMOVED', p.ip), `${p.ip} removed`).toBe(1);
      expect(count('ENDPOINT_ADDED', p.ip)).toBe(0);
      expect(count('ENDPOINT_TERMINATING', p.ip)).toBeLessThanOrEqual(1);
      if (count('ENDPOINT_TERMINATING', p.ip)) expect(idx('ENDPOINT_TERMINATING', p.ip)).toBeLessThan(idx('ENDPOINT_REMOVED', p.ip));
    }
    // the rollout order: new Pod i is ready before old Pod i leaves, and old Pod i leaves before new Pod i+1 comes
    for (let i = 0; i < 3; i++) {
      expect(idx('ENDPOINT_READY', NEW[i]!.ip)).toBeLessThan(idx('ENDPOINT_REMOVED', OLD[i]!.ip));
      if (i < 2) expect(idx('ENDPOINT_REMOVED', OLD[i]!.ip)).toBeLessThan(idx('ENDPOINT_ADDED', NEW[i + 1]!.ip));
    }
    expect(ep.every((e) => e.endpoint !== null)).toBe(true);
  });

  it('now: the live answer equals the history answer once history has caught up', async () => {
    await waitFor(
      async () => {
        const live = await getJson(`${url}/api/v1/route?host=ibtisam-iq.com&port=443`);
        const hist = await getJson(`${url}/api/v1/route?host=ibtisam-iq.com&port=443&at=${Date.now()}`);
        return JSON.stringify(live.body) === JSON.stringify(hist.body);
      },
      { what: 'live and history answers to agree' },
    );
  });

  it('the CKA scenario: no endpoints before the EndpointSlice is applied, 192.168.141.31:9999 after', async () => {
    const q = (at: Date) => getJson(`${url}/api/v1/route?service=kube-public/external-webserver-cka03-svcn&port=80&at=${encodeURIComponent(at.toISOString())}`);
    const T = new Date();
    await new Promise((r) => setTimeout(r, 20));
    sim.apply({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'external-webserver-cka03-svcn', namespace: 'kube-public', labels: { 'kubernetes.io/service-name': 'external-webserver-cka03-svcn' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.168.141.31'] }],
      ports: [{ port: 9999, protocol: 'TCP' }],
    });
    await waitFor(async () => (await getJson(`${url}/api/v1/route?service=kube-public/external-webserver-cka03-svcn&port=80`)).body.backends?.length === 1, { what: 'the slice to arrive' });
    await waitFor(async () => (await q(new Date())).body.backends?.length === 1, { what: 'the slice to be stored' });
    const beforeT = await q(new Date(T.getTime() - 1));
    expect(beforeT.body.endpoints).toEqual([]);
    expect(beforeT.body.findings.map((f: { code: string }) => f.code)).toContain('NO_ENDPOINTS');
    const afterT = await q(new Date());
    expect(afterT.body.backends).toEqual(['192.168.141.31:9999']);
  });

  it('a forced API server outage appears in the timeline as a watch gap', async () => {
    const from = new Date();
    await sim.faults.restart(1_500);
    await waitFor(() => rt.readiness().ready, { what: 'recovery after the outage', timeoutMs: 45_000 });
    await waitFor(
      async () => {
        const r = await getJson(`${url}/api/v1/timeline?service=default/my-app-service&from=${from.getTime()}&to=${Date.now()}`);
        return r.body.events?.some((e: { type: string }) => e.type === 'WATCH_GAP');
      },
      { what: 'a WATCH_GAP event', timeoutMs: 45_000 },
    );
    const r = await gql(url, `query($from: DateTime) { timeline(service: { namespace: "default", name: "my-app-service" }, from: $from) { edges { node { type gap { kind from to reason } } } } }`, { from: from.toISOString() });
    const gaps = r.body.data.timeline.edges.map((e: { node: { type: string; gap: unknown } }) => e.node).filter((n: { type: string }) => n.type === 'WATCH_GAP');
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) expect(Date.parse(g.gap.to)).toBeGreaterThanOrEqual(Date.parse(g.gap.from));
  });
});
