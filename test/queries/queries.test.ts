import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { ClusterState } from '../../src/queries/ClusterState.js';
import { Queries } from '../../src/queries/Queries.js';
import { QueryError } from '../../src/queries/QueryError.js';
import type { TimelineEvent } from '../../src/queries/timeline.js';
import type { LiveSnapshot } from '../../src/state/LiveSnapshot.js';
import { resolve } from '../../src/resolver/resolve.js';
import type { Kind, KubeObject } from '../../src/model/objects.js';
import { snapshotOfKindsAt } from '../../src/history/snapshotOfKindsAt.js';
import { clusterIdOf } from '../../src/history/clusterIdOf.js';
import { at, recordStory, T0, tempDir, V1, V2 } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let writer: HistoryWriter;
let live: LiveSnapshot;
let queries: Queries;
const NOW = T0 + 60_000;

beforeAll(async () => {
  tmp = tempDir();
  ({ writer, live } = await recordStory(path.join(tmp.dir, 'history.db')));
  const database = writer.database;
  const state = new ClusterState({ live, history: { reader: new HistoryReader(database), database, cluster: 'test' }, now: () => NOW });
  queries = new Queries(state);
});
afterAll(async () => {
  await writer?.close();
  tmp.remove();
});

const backends = (pods: { ip: string }[]) => pods.map((p) => `${p.ip}:8080`).sort();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof QueryError) return e.code;
    throw e;
  }
  return undefined;
}

describe('route as of a time, from history', () => {
  const cases = [
    { name: 'before the rollout: the old Pods', s: 5, want: backends(V1) },
    { name: 'mid-rollout: a new Pod ready, an old one terminating (excluded)', s: 25, want: ['10.0.1.2:8080', '10.0.1.3:8080', '10.0.2.1:8080'] },
    { name: 'after the rollout: the new Pods', s: 45, want: backends(V2) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = queries.routes.route({ host: 'shop.example.com', port: 80, at: at(c.s) });
      expect(r.answer.ingress?.name).toBe('my-app-ingress');
      expect(r.answer.service?.name).toBe('my-app-service');
      expect(r.answer.backends).toEqual(c.want);
      expect(r.at.getTime()).toBe(at(c.s).getTime());
    });
  }
});

describe('the CKA scenario: an EndpointSlice applied at T = +50 s', () => {
  const q = { namespace: 'kube-public', name: 'external-webserver-cka03-svcn', port: 80 };
  it('before T: no endpoints, and the finding says so', () => {
    const r = queries.routes.routeToService({ ...q, at: at(49) }).answer;
    expect(r.endpoints).toEqual([]);
    expect(r.backends).toEqual([]);
    expect(r.findings.map((f) => f.code)).toContain('NO_ENDPOINTS');
  });
  it('after T: 192.168.141.31:9999', () => {
    const r = queries.routes.routeToService({ ...q, at: at(51) }).answer;
    expect(r.backends).toEqual(['192.168.141.31:9999']);
    expect(r.findings.map((f) => f.code)).not.toContain('NO_ENDPOINTS');
  });
  it('the same by ClusterIP', () => {
    expect(queries.routes.route({ host: '10.43.109.238', port: 80, at: at(49) }).answer.backends).toEqual([]);
    expect(queries.routes.route({ host: '10.43.109.238', port: 80, at: at(51) }).answer.backends).toEqual(['192.168.141.31:9999']);
  });
});

describe('now: the live snapshot and history give identical answers', () => {
  it('the snapshots are equal', () => {
    expect(live.snapshot()).toEqual(new HistoryReader(writer.database).currentSnapshot('test'));
  });
  const questions = [
    { name: 'Ingress host', host: 'shop.example.com', port: 80 },
    { name: 'cluster DNS name', host: 'my-app-service.default.svc.cluster.local', port: 80 },
    { name: 'ClusterIP of the CKA Service', host: '10.43.109.238', port: 80 },
    { name: 'a Pod IP', host: '10.0.2.2', port: 8080 },
    { name: 'an unknown host', host: 'nowhere.example.com', port: 80 },
  ];
  for (const q of questions) {
    it(`route: ${q.name}`, () => {
      const fromLive = queries.routes.route({ host: q.host, port: q.port });
      const fromHistory = queries.routes.route({ host: q.host, port: q.port, at: new Date(NOW) });
      expect(JSON.stringify(fromLive.answer)).toBe(JSON.stringify(fromHistory.answer));
    });
  }
  it('reverse of a new Pod', () => {
    const a = queries.routes.reverse({ pod: { namespace: 'default', name: 'my-app-v2-b' } }).answer;
    const b = queries.routes.reverse({ pod: { namespace: 'default', name: 'my-app-v2-b' }, at: new Date(NOW) }).answer;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.services.map((s) => s.name)).toEqual(['my-app-service']);
    expect(a.ingresses.map((i) => i.host)).toEqual(['shop.example.com']);
  });
});

describe('timeline', () => {
  const summary = (events: readonly TimelineEvent[]) => events.map((e) => `${(e.observedTime.getTime() - T0) / 1000} ${e.type}${e.endpoint ? ` ${e.endpoint.address}` : ''}`);

  it('lists each endpoint change of the rollout once, in order, and the watch gap', async () => {
    const r = await queries.timeline({ service: { namespace: 'default', name: 'my-app-service' }, from: at(0), to: at(60) });
    expect(summary(r.page.edges.map((e) => e.node))).toEqual([
      '10 ENDPOINT_ADDED 10.0.2.1',
      '20 ENDPOINT_READY 10.0.2.1',
      '20 ENDPOINT_TERMINATING 10.0.1.1',
      '30 ENDPOINT_ADDED 10.0.2.2',
      '30 ENDPOINT_ADDED 10.0.2.3',
      '30 ENDPOINT_REMOVED 10.0.1.1',
      '40 ENDPOINT_REMOVED 10.0.1.2',
      '40 ENDPOINT_REMOVED 10.0.1.3',
      '42 WATCH_GAP',
    ]);
    expect(r.page.totalCount).toBe(9);
  });

  it('gives the time Kubernetes states for a change beside the observed time', async () => {
    const r = await queries.timeline({ service: { namespace: 'default', name: 'my-app-service' }, from: at(15), to: at(25) });
    const ready = r.page.edges.find((e) => e.node.type === 'ENDPOINT_READY')!.node;
    expect(ready.observedTime.getTime()).toBe(at(20).getTime());
    expect(ready.changeTime?.getTime()).toBe(at(18).getTime());
    const terminating = r.page.edges.find((e) => e.node.type === 'ENDPOINT_TERMINATING')!.node;
    expect(terminating.changeTime?.getTime()).toBe(at(19).getTime());
  });

  it('pages with cursors give the same events as one page', async () => {
    const all = await queries.timeline({ service: { namespace: 'default', name: 'my-app-service' }, from: at(-1), to: at(60) });
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const r = await queries.timeline({ service: { namespace: 'default', name: 'my-app-service' }, from: at(-1), to: at(60), first: 4, after });
      paged.push(...r.page.edges.map((e) => e.node.id));
      if (!r.page.pageInfo.hasNextPage) break;
      after = r.page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all.page.edges.map((e) => e.node.id));
    expect(new Set(paged).size).toBe(paged.length);
  });

  it('includes the first observation when the interval starts before it', async () => {
    const r = await queries.timeline({ service: { namespace: 'default', name: 'my-app-service' }, from: at(-1), to: at(5) });
    expect(summary(r.page.edges.map((e) => e.node))).toEqual(['0 SERVICE_CREATED', '0 INGRESS_RULES_CHANGED', '0 ENDPOINT_ADDED 10.0.1.1', '0 ENDPOINT_ADDED 10.0.1.2', '0 ENDPOINT_ADDED 10.0.1.3']);
  });

  it('by host follows the Services the host reaches', async () => {
    const r = await queries.timeline({ host: 'shop.example.com', port: 80, from: at(0), to: at(60) });
    expect(r.services).toEqual([{ namespace: 'default', name: 'my-app-service' }]);
    expect(r.page.totalCount).toBe(9);
  });

  it('the CKA Service: one endpoint added at T', async () => {
    const r = await queries.timeline({ service: { namespace: 'kube-public', name: 'external-webserver-cka03-svcn' }, from: at(0), to: at(60) });
    expect(summary(r.page.edges.map((e) => e.node))).toEqual(['42 WATCH_GAP', '50 ENDPOINT_ADDED 192.168.141.31']);
    expect(r.page.edges[1]!.node.endpoint?.port).toBe(9999);
  });
});

describe('routeDiff and history', () => {
  it('routeDiff says which backends came and went', () => {
    const d = queries.routeDiff({ host: 'shop.example.com', port: 80, from: at(5), to: at(45) });
    expect(d.changed).toBe(true);
    expect([...d.backendsAdded].sort()).toEqual(backends(V2));
    expect([...d.backendsRemoved].sort()).toEqual(backends(V1));
  });
  it('routeDiff of an unchanged route says so', () => {
    const d = queries.routeDiff({ host: 'shop.example.com', port: 80, from: at(41), to: at(59) });
    expect(d.changed).toBe(false);
    expect(d.summary).toEqual([]);
  });
  it('history lists the stored versions of the slice, oldest first', async () => {
    const page = await queries.history({ kind: 'EndpointSlice', namespace: 'default', name: 'my-app-service-abc' });
    expect(page.totalCount).toBe(5);
    expect(page.edges.map((e) => e.node.validFrom.getTime())).toEqual([0, 10, 20, 30, 40].map((s) => at(s).getTime()));
  });
});

describe('bad input gets a stable code', () => {
  const cases: { name: string; run: () => unknown; code: string }[] = [
    { name: 'empty host', run: () => queries.routes.route({ host: ' ' }), code: 'INVALID_HOST' },
    { name: 'host with a space', run: () => queries.routes.route({ host: 'a b' }), code: 'INVALID_HOST' },
    { name: 'port out of range', run: () => queries.routes.route({ host: 'shop.example.com', port: 70000 }), code: 'INVALID_PORT' },
    { name: 'path without /', run: () => queries.routes.route({ host: 'shop.example.com', path: 'x' }), code: 'BAD_USER_INPUT' },
    { name: 'unknown namespace', run: () => queries.routes.routeToService({ namespace: 'nope', name: 'x' }), code: 'NOT_FOUND' },
    { name: 'bad namespace name', run: () => queries.routes.routeToService({ namespace: 'No_Such', name: 'x' }), code: 'BAD_USER_INPUT' },
    { name: 'reverse with both ip and pod', run: () => queries.routes.reverse({ ip: '10.0.0.1', pod: { namespace: 'default', name: 'x' } }), code: 'BAD_USER_INPUT' },
    { name: 'reverse with a bad ip', run: () => queries.routes.reverse({ ip: '10.0.0.300' }), code: 'BAD_USER_INPUT' },
    { name: 'a negative page size', run: () => queries.routes.services({ first: -1 }), code: 'BAD_USER_INPUT' },
    { name: 'a forged cursor', run: () => queries.routes.services({ after: 'bm90LWEtY3Vyc29y' }), code: 'INVALID_CURSOR' },
  ];
  for (const c of cases) it(c.name, () => expect(codeOf(c.run)).toBe(c.code));

  it('timeline from after to', async () => {
    await expect(queries.timeline({ service: { namespace: 'default', name: 'x' }, from: at(10), to: at(5) })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('as-of answers rebuilt from the objects involved equal answers from the whole snapshot', () => {
  const questions = [
    { host: 'shop.example.com', port: 80 },
    { host: 'shop.example.com', port: 443, path: '/api' },
    { host: 'my-app-service.default.svc.cluster.local', port: 80 },
    { host: 'my-app-service.default', port: 80 },
    { host: 'external-webserver-cka03-svcn.kube-public.svc', port: 80 },
    { host: '10.96.0.1', port: 80 },
    { host: '10.43.109.238', port: 80 },
    { host: '10.0.2.1', port: 8080 },
    { host: '172.18.0.2', port: 30080 },
    { host: 'nowhere.example.com', port: 80 },
  ];
  for (const s of [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]) {
    it(`at +${s} s`, () => {
      const whole = queries.state.stateAt(at(s)).index;
      for (const q of questions) {
        const expected = resolve(whole, { kind: 'host', ...q });
        const got = queries.routes.route({ ...q, at: at(s) }).answer;
        expect(JSON.stringify(got), JSON.stringify(q)).toBe(JSON.stringify(expected));
      }
      const svc = { kind: 'service' as const, namespace: 'kube-public', name: 'external-webserver-cka03-svcn', port: 80 };
      expect(JSON.stringify(queries.routes.routeToService({ ...svc, at: at(s) }).answer)).toBe(JSON.stringify(resolve(whole, svc)));
    });
  }
});

describe('snapshotOfKindsAt equals HistoryReader.snapshotAt with the same filter', () => {
  const filters: { kinds: Kind[]; namespace?: string }[] = [
    { kinds: ['Service', 'Ingress', 'IngressClass'] },
    { kinds: ['Pod', 'EndpointSlice', 'Endpoints'], namespace: 'default' },
    { kinds: ['EndpointSlice'], namespace: 'kube-public' },
    { kinds: ['Pod'], namespace: 'nope' },
  ];
  for (const s of [-1, 0, 10, 20, 30, 40, 50]) {
    it(`at +${s} s`, () => {
      const reader = new HistoryReader(writer.database);
      const id = clusterIdOf(writer.database, 'test');
      for (const f of filters) {
        expect(snapshotOfKindsAt(writer.database, id, at(s), f.kinds, f.namespace)).toEqual(reader.snapshotAt('test', at(s), f));
      }
    });
  }
});

describe('timeline: Pod IP and endpoint port changes', () => {
  it('lists a changed IP of a backing Pod once (not the first IP of a new Pod), and a changed endpoint port', async () => {
    const { HistoryWriter } = await import('../../src/history/HistoryWriter.js');
    const { myAppService, mySlice, pod } = await import('./fixtures.js');
    const dir = tempDir();
    const w = await HistoryWriter.open({ file: path.join(dir.dir, 'ip.db'), cluster: 'ip', batchMs: 5 });
    try {
      w.listed('Service', [myAppService()], at(0));
      w.listed('Pod', [pod('p', '10.0.9.1', '1')], at(0));
      w.listed('EndpointSlice', [mySlice('2', [{ ip: '10.0.9.1', pod: 'p' }])], at(0));
      w.event('Pod', 'MODIFIED', pod('p', '10.0.9.2', '3'), at(10));
      w.event('EndpointSlice', 'MODIFIED', mySlice('4', [{ ip: '10.0.9.2', pod: 'p' }]), at(11));
      const moved = mySlice('5', [{ ip: '10.0.9.2', pod: 'p' }]) as unknown as { ports: { port: number }[] };
      moved.ports[0]!.port = 8081;
      w.event('EndpointSlice', 'MODIFIED', moved as unknown as KubeObject, at(15));
      await w.flush();
      const q = new Queries(new ClusterState({ history: { reader: new HistoryReader(w.database), database: w.database, cluster: 'ip' }, now: () => NOW }));
      const r = await q.timeline({ service: { namespace: 'default', name: 'my-app-service' }, from: at(-1), to: at(20) });
      const types = r.page.edges.map((e) => `${(e.node.observedTime.getTime() - T0) / 1000} ${e.node.type}${e.node.endpoint ? ` ${e.node.endpoint.address}` : ''}`);
      expect(types).toEqual(['0 SERVICE_CREATED', '0 ENDPOINT_ADDED 10.0.9.1', '10 POD_IP_CHANGED', '11 ENDPOINT_ADDED 10.0.9.2', '11 ENDPOINT_REMOVED 10.0.9.1', '15 ENDPOINT_PORT_CHANGED 10.0.9.2']);
      expect(r.page.edges.at(-1)!.node).toMatchObject({ before: 8080, after: 8081, endpoint: { port: 8081, portName: 'http' } });
      const ipChange = r.page.edges.find((e) => e.node.type === 'POD_IP_CHANGED')!.node;
      expect(ipChange).toMatchObject({ before: ['10.0.9.1'], after: ['10.0.9.2'], object: { kind: 'Pod', namespace: 'default', name: 'p' } });
    } finally {
      await w.close();
      dir.remove();
    }
  });
});

describe('listings as of a time read only the kinds they list, and agree with the whole snapshot', () => {
  for (const s of [-1, 5, 25, 45, 55]) {
    it(`at +${s} s`, async () => {
      const { namespacesOf } = await import('../../src/queries/inputs.js');
      const { serviceInfo, podInfo } = await import('../../src/queries/views.js');
      const whole = queries.state.historySnapshot(at(s));
      for (const ns of ['default', 'kube-public', 'nope']) expect(queries.state.namespaceExists(ns, at(s)), ns).toBe(namespacesOf(whole).has(ns));
      if (s < 0) {
        expect(codeOf(() => queries.routes.services({ namespace: 'default', at: at(s) }))).toBe('NOT_FOUND');
        return;
      }
      const listed = queries.routes.services({ at: at(s) }).answer.edges.map((e) => e.node);
      expect(listed).toEqual(whole.services.map(serviceInfo));
      for (const p of whole.pods) expect(queries.routes.pod({ namespace: 'default', name: p.metadata.name, at: at(s) }).answer).toEqual(podInfo(p));
      expect(queries.routes.pod({ namespace: 'default', name: 'my-app-v2-c', at: at(s) }).answer !== null).toBe(s >= 30);
      expect(queries.routes.ingresses({ host: 'shop.example.com', at: at(s) }).answer.map((i) => i.name)).toEqual(['my-app-ingress']);
    });
  }
});

describe('missing state sources are client errors with codes', () => {
  it('no history and a live snapshot not yet synced: NOT_READY; neither: HISTORY_UNAVAILABLE', async () => {
    const { LiveSnapshot } = await import('../../src/state/LiveSnapshot.js');
    const notSynced = new Queries(new ClusterState({ live: new LiveSnapshot() }));
    expect(codeOf(() => notSynced.routes.route({ host: 'a.example.com' }))).toBe('NOT_READY');
    expect(codeOf(() => notSynced.routes.services({}))).toBe('NOT_READY');
    expect(codeOf(() => notSynced.routes.route({ host: 'a.example.com', at: at(1) }))).toBe('HISTORY_UNAVAILABLE');
    const nothing = new Queries(new ClusterState());
    expect(codeOf(() => nothing.routes.route({ host: 'a.example.com' }))).toBe('HISTORY_UNAVAILABLE');
    await expect(nothing.timeline({ service: { namespace: 'default', name: 'x' } })).rejects.toMatchObject({ code: 'HISTORY_UNAVAILABLE' });
  });
});

describe('timeline without any EndpointSlice in the cluster (rule E4: endpoints derived from Pods)', () => {
  it('follows the Pods the way the resolver does', async () => {
    const { HistoryWriter } = await import('../../src/history/HistoryWriter.js');
    const { myAppService, pod } = await import('./fixtures.js');
    const dir = tempDir();
    const w = await HistoryWriter.open({ file: path.join(dir.dir, 'e4.db'), cluster: 'e4', batchMs: 5 });
    try {
      w.listed('Service', [myAppService()], at(0));
      w.listed('Pod', [pod('p1', '10.0.7.1', '1'), pod('p2', '10.0.7.2', '1')], at(0));
      w.event('Pod', 'MODIFIED', pod('p1', '10.0.7.1', '2', { ready: false, readyAt: 9 }), at(10));
      w.event('Pod', 'ADDED', pod('p3', '10.0.7.3', '3'), at(20));
      await w.flush();
      const q = new Queries(new ClusterState({ history: { reader: new HistoryReader(w.database), database: w.database, cluster: 'e4' }, now: () => NOW }));
      const r = await q.timeline({ service: { namespace: 'default', name: 'my-app-service' }, from: at(-1), to: at(30) });
      expect(r.page.edges.map((e) => `${(e.node.observedTime.getTime() - T0) / 1000} ${e.node.type}${e.node.endpoint ? ` ${e.node.endpoint.address}` : ''}`)).toEqual([
        '0 SERVICE_CREATED', '0 ENDPOINT_ADDED 10.0.7.1', '0 ENDPOINT_ADDED 10.0.7.2', '10 ENDPOINT_NOT_READY 10.0.7.1', '20 ENDPOINT_ADDED 10.0.7.3',
      ]);
      expect(r.page.edges[3]!.node.changeTime?.getTime()).toBe(at(9).getTime());
      expect(q.routes.route({ host: 'my-app-service.default', port: 80, at: at(15) }).answer.backends).toEqual(['10.0.7.2:8080']);
      expect(q.routes.route({ host: 'my-app-service.default', port: 80, at: at(25) }).answer.backends).toEqual(['10.0.7.2:8080', '10.0.7.3:8080']);
    } finally {
      await w.close();
      dir.remove();
    }
  });
});
