/**
 * The list/watch wire protocol of the simulator, one named test per detail of client-node-watch.md §4–§5,
 * over real HTTP on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, RawWatch, startSim, type SimHandle, waitUntil } from '../helpers/sim.js';

let sim: SimHandle;
const watches: RawWatch[] = [];

function watch(path: string): RawWatch {
  const w = new RawWatch(`${sim.url}${path}`);
  watches.push(w);
  return w;
}

function svc(name: string, labels: Record<string, string> = {}, ns = 'proto') {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec: { selector: { app: name }, ports: [{ port: 80 }] } };
}

beforeAll(async () => {
  sim = await startSim({ scenario: 'seed', bookmarkMs: 50, podGraceMs: 60_000 });
});

afterAll(async () => {
  for (const w of watches) w.close();
  await sim.close();
});

describe('list', () => {
  it('answers with Content-Type application/json, the list kind and the current global resourceVersion', async () => {
    sim.apply(svc('list-rv'));
    sim.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'other' }, spec: { controller: 'x' } });
    const r = await httpRequest(`${sim.url}/api/v1/services`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r.body);
    expect(body.kind).toBe('ServiceList');
    expect(body.apiVersion).toBe('v1');
    // The global version, not the largest Service version (an IngressClass was written last).
    expect(body.metadata.resourceVersion).toBe(String(sim.resourceVersion()));
    expect(Math.max(...body.items.map((i: { metadata: { resourceVersion: string } }) => Number(i.metadata.resourceVersion)))).toBeLessThan(sim.resourceVersion());
  });

  it('serves cluster-wide and namespaced paths for every kind', async () => {
    const paths: [string, string, number][] = [
      ['/api/v1/services', 'ServiceList', 4],
      ['/api/v1/namespaces/default/services', 'ServiceList', 3],
      ['/api/v1/endpoints', 'EndpointsList', 3],
      ['/api/v1/namespaces/kube-public/endpoints', 'EndpointsList', 0],
      ['/api/v1/pods', 'PodList', 3],
      ['/api/v1/namespaces/default/pods', 'PodList', 3],
      ['/api/v1/namespaces', 'NamespaceList', 3],
      ['/apis/discovery.k8s.io/v1/endpointslices', 'EndpointSliceList', 3],
      ['/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', 'EndpointSliceList', 3],
      ['/apis/networking.k8s.io/v1/ingresses', 'IngressList', 1],
      ['/apis/networking.k8s.io/v1/namespaces/default/ingresses', 'IngressList', 1],
      ['/apis/networking.k8s.io/v1/ingressclasses', 'IngressClassList', 1],
    ];
    for (const [path, kind, atLeast] of paths) {
      const r = await httpRequest(`${sim.url}${path}`);
      expect(r.status, path).toBe(200);
      const body = JSON.parse(r.body);
      expect(body.kind, path).toBe(kind);
      expect(body.items.length, path).toBeGreaterThanOrEqual(atLeast);
      const ns = path.match(/namespaces\/([^/]+)\//)?.[1];
      if (ns) for (const i of body.items) expect(i.metadata.namespace).toBe(ns);
    }
  });

  const selectorCases: [string, string, string[]][] = [
    ['equality', 'tier=web', ['sel-a', 'sel-b']],
    ['double equals', 'tier==web', ['sel-a', 'sel-b']],
    ['inequality (also matches missing key)', 'tier!=web', ['sel-c', 'sel-d']],
    ['set in', 'env in (prod,stage)', ['sel-a', 'sel-c']],
    ['set notin', 'env notin (prod)', ['sel-b', 'sel-c', 'sel-d']],
    ['exists', 'env', ['sel-a', 'sel-b', 'sel-c']],
    ['does not exist', '!env', ['sel-d']],
    ['conjunction', 'tier=web,env=prod', ['sel-a']],
  ];
  for (const [name, selector, want] of selectorCases) {
    it(`filters by labelSelector: ${name} (${selector})`, async () => {
      sim.apply(svc('sel-a', { tier: 'web', env: 'prod' }, 'sel'));
      sim.apply(svc('sel-b', { tier: 'web', env: 'dev' }, 'sel'));
      sim.apply(svc('sel-c', { tier: 'db', env: 'stage' }, 'sel'));
      sim.apply(svc('sel-d', {}, 'sel'));
      const r = await httpRequest(`${sim.url}/api/v1/namespaces/sel/services?labelSelector=${encodeURIComponent(selector)}`);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(want);
    });
  }

  it('rejects a malformed labelSelector with a 400 Status', async () => {
    const r = await httpRequest(`${sim.url}/api/v1/services?labelSelector=${encodeURIComponent('a in (b')}`);
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
  });

  it('pages with limit/continue over one snapshot: same resourceVersion, later writes invisible, no continue on the last page', async () => {
    for (let i = 0; i < 7; i++) sim.apply(svc(`page-${i}`, {}, 'paging'));
    const base = `${sim.url}/api/v1/namespaces/paging/services?limit=3`;
    const p1 = JSON.parse((await httpRequest(base)).body);
    expect(p1.items).toHaveLength(3);
    expect(p1.metadata.continue).toBeTruthy();
    expect(p1.metadata.remainingItemCount).toBe(4);
    sim.apply(svc('page-99', {}, 'paging'));
    sim.remove('Service', 'paging', 'page-6');
    const p2 = JSON.parse((await httpRequest(`${base}&continue=${encodeURIComponent(p1.metadata.continue)}`)).body);
    const p3 = JSON.parse((await httpRequest(`${base}&continue=${encodeURIComponent(p2.metadata.continue)}`)).body);
    expect([p1, p2, p3].map((p) => p.metadata.resourceVersion)).toEqual([p1.metadata.resourceVersion, p1.metadata.resourceVersion, p1.metadata.resourceVersion]);
    expect(p3.metadata.continue).toBeUndefined();
    const names = [...p1.items, ...p2.items, ...p3.items].map((i: { metadata: { name: string } }) => i.metadata.name);
    expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
  });

  it('answers 410 Expired for a continue token after compaction', async () => {
    for (let i = 0; i < 4; i++) sim.apply(svc(`exp-${i}`, {}, 'paging2'));
    const p1 = JSON.parse((await httpRequest(`${sim.url}/api/v1/namespaces/paging2/services?limit=2`)).body);
    sim.faults.compact();
    const r = await httpRequest(`${sim.url}/api/v1/namespaces/paging2/services?limit=2&continue=${encodeURIComponent(p1.metadata.continue)}`);
    expect(r.status).toBe(410);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });
});

describe('watch', () => {
  it('flushes 200 headers at once, before any event exists to send', async () => {
    const w = watch(`/api/v1/namespaces/empty-ns/services?watch=true&resourceVersion=${sim.resourceVersion()}`);
    await w.ready;
    expect(w.status).toBe(200);
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.lines).toHaveLength(0);
  });

  it('accepts watch=1 as well as watch=true', async () => {
    const w = watch(`/api/v1/namespaces/default/pods?watch=1`);
    await waitUntil(() => w.lines.length >= 3, 'initial events');
    expect(w.events().every((e) => e.type === 'ADDED')).toBe(true);
  });

  it('sends one compact JSON event per line', async () => {
    const w = watch(`/api/v1/namespaces/compact/services?watch=true&resourceVersion=${sim.resourceVersion()}`);
    await w.ready;
    sim.apply(svc('c1', { a: 'b' }, 'compact'));
    sim.apply(svc('c1', { a: 'c' }, 'compact'));
    await waitUntil(() => w.lines.length >= 2, 'two events');
    for (const line of w.lines) {
      const parsed = JSON.parse(line);
      expect(line).toBe(JSON.stringify(parsed));
      expect(Object.keys(parsed)).toEqual(['type', 'object']);
    }
    expect(w.raw.endsWith('\n')).toBe(true);
    expect(w.events().map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
  });

  it('with an empty resourceVersion sends synthetic ADDED for current objects, then live events', async () => {
    const w = watch(`/api/v1/namespaces/default/services?watch=true`);
    await waitUntil(() => w.lines.length >= 3, 'synthetic ADDEDs');
    const initial = w.events().map((e) => `${e.type} ${e.object.metadata!.name}`);
    expect(initial).toEqual(['ADDED external-db', 'ADDED my-app-nodeport', 'ADDED my-app-service']);
    sim.apply(svc('live-1', {}, 'default'));
    await waitUntil(() => w.lines.length >= 4, 'live event');
    expect(w.events()[3]!.object.metadata!.name).toBe('live-1');
  });

  it('replays every event after the given resourceVersion, in order, then streams live', async () => {
    const from = sim.resourceVersion();
    sim.apply(svc('r1', {}, 'replay'));
    sim.apply(svc('r2', {}, 'replay'));
    sim.apply(svc('r1', { changed: 'yes' }, 'replay'));
    sim.remove('Service', 'replay', 'r2');
    const w = watch(`/api/v1/namespaces/replay/services?watch=true&resourceVersion=${from}`);
    await waitUntil(() => w.lines.length >= 4, 'replayed events');
    sim.apply(svc('r3', {}, 'replay'));
    await waitUntil(() => w.lines.length >= 5, 'live event');
    const want = sim.changeLog(from).filter((c) => c.kind === 'Service' && c.namespace === 'replay').map((c) => `${c.type} ${c.name} ${c.rv}`);
    expect(w.events().map((e) => `${e.type} ${e.object.metadata!.name} ${e.object.metadata!.resourceVersion}`)).toEqual(want);
  });

  it('DELETED carries the deletion resourceVersion, newer than the last stored version', async () => {
    const o = sim.apply(svc('doomed', {}, 'del'));
    const lastRv = Number(o.metadata.resourceVersion);
    const w = watch(`/api/v1/namespaces/del/services?watch=true&resourceVersion=${lastRv}`);
    await w.ready;
    sim.remove('Service', 'del', 'doomed');
    await waitUntil(() => w.lines.length >= 1, 'DELETED');
    const ev = w.events()[0]!;
    expect(ev.type).toBe('DELETED');
    const deletion = sim.changeLog(lastRv).find((c) => c.kind === 'Service' && c.name === 'doomed' && c.type === 'DELETED')!;
    expect(Number(ev.object.metadata!.resourceVersion)).toBe(deletion.rv);
    expect(deletion.rv).toBeGreaterThan(lastRv);
  });

  it('gives every MODIFIED a new resourceVersion, strictly increasing across all kinds', async () => {
    const from = sim.resourceVersion();
    sim.apply(svc('inc', {}, 'inc'));
    sim.apply(svc('inc', { x: '1' }, 'inc'));
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'inc-pod', namespace: 'inc', labels: { app: 'inc' } }, spec: { containers: [{ name: 'c' }] } });
    const rvs = sim.changeLog(from).map((c) => c.rv);
    expect(rvs.length).toBeGreaterThan(4); // includes controller writes (slices, endpoints)
    for (let i = 1; i < rvs.length; i++) expect(rvs[i]).toBe(rvs[i - 1]! + 1);
  });

  it('answers a too-old resourceVersion with an in-stream ERROR 410 Expired, then closes the stream', async () => {
    const old = sim.resourceVersion();
    sim.apply(svc('after-old', {}, 'expire'));
    sim.faults.compact();
    const w = watch(`/api/v1/services?watch=true&resourceVersion=${old}`);
    await w.ended;
    expect(w.status).toBe(200);
    const evs = w.events();
    expect(evs).toHaveLength(1);
    expect(evs[0]!.type).toBe('ERROR');
    expect(evs[0]!.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('answers a too-old resourceVersion with HTTP 410 when configured to', async () => {
    const other = await startSim({ expiredWatch: 'http', historyWindow: 2 });
    try {
      const from = other.resourceVersion();
      for (let i = 0; i < 5; i++) other.apply(svc(`w${i}`, {}, 'default'));
      const r = await httpRequest(`${other.url}/api/v1/services?watch=true&resourceVersion=${from}`);
      expect(r.status).toBe(410);
      expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      // Within the window it still replays.
      const svcChanges = other.changeLog().filter((c) => c.kind === 'Service');
      const ok = new RawWatch(`${other.url}/api/v1/services?watch=true&resourceVersion=${svcChanges.at(-2)!.rv - 1}`);
      await waitUntil(() => ok.lines.length >= 2, 'replay inside the window');
      ok.close();
    } finally {
      await other.close();
    }
  });

  it('sends BOOKMARK events with the current resourceVersion when allowWatchBookmarks=true', async () => {
    const w = watch(`/api/v1/namespaces/bm/services?watch=true&allowWatchBookmarks=true&resourceVersion=${sim.resourceVersion()}`);
    const plain = watch(`/api/v1/namespaces/bm/services?watch=true&resourceVersion=${sim.resourceVersion()}`);
    await waitUntil(() => w.lines.length >= 2, 'bookmarks');
    const bm = w.events()[0]!;
    expect(bm.type).toBe('BOOKMARK');
    expect(bm.object).toEqual({ kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: bm.object.metadata!.resourceVersion } });
    expect(Number(bm.object.metadata!.resourceVersion)).toBeLessThanOrEqual(sim.resourceVersion());
    expect(plain.lines).toHaveLength(0);
  });

  it('sends initial events then an initial-events-end BOOKMARK with sendInitialEvents=true', async () => {
    const w = watch(`/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`);
    await waitUntil(() => w.lines.length >= 4, 'initial events');
    const evs = w.events();
    expect(evs.slice(0, 3).map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED']);
    expect(evs[3]!.type).toBe('BOOKMARK');
    expect(evs[3]!.object.metadata!.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('closes the stream cleanly after timeoutSeconds', async () => {
    const t0 = Date.now();
    const w = watch(`/api/v1/namespaces/to/services?watch=true&timeoutSeconds=1&resourceVersion=${sim.resourceVersion()}`);
    await w.ended;
    expect(w.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('turns label-selector transitions into ADDED (starts matching) and DELETED (stops matching)', async () => {
    sim.apply(svc('trans', { role: 'other' }, 'trans'));
    const from = sim.resourceVersion();
    const w = watch(`/api/v1/namespaces/trans/services?watch=true&labelSelector=role%3Dfront&resourceVersion=${from}`);
    await w.ready;
    sim.apply(svc('trans', { role: 'front' }, 'trans'));
    sim.apply(svc('trans', { role: 'front', v: '2' }, 'trans'));
    sim.apply(svc('trans', { role: 'back' }, 'trans'));
    await waitUntil(() => w.lines.length >= 3, 'transition events');
    const evs = w.events();
    expect(evs.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    // The DELETED of a transition carries the previous (matching) state at the new version.
    const last = sim.changeLog(from).filter((c) => c.kind === 'Service' && c.name === 'trans').at(-1)!;
    expect(evs[2]!.object.metadata!.resourceVersion).toBe(String(last.rv));
  });

  it('filters watches by fieldSelector metadata.name', async () => {
    const w = watch(`/api/v1/namespaces/fs/services?watch=true&fieldSelector=metadata.name%3Dwanted&resourceVersion=${sim.resourceVersion()}`);
    await w.ready;
    sim.apply(svc('unwanted', {}, 'fs'));
    sim.apply(svc('wanted', {}, 'fs'));
    await waitUntil(() => w.lines.length >= 1, 'event');
    expect(w.events().map((e) => e.object.metadata!.name)).toEqual(['wanted']);
  });
});

describe('errors and faults', () => {
  it('answers errors as Status JSON with the matching code', async () => {
    const cases: [string, string, number, string, string?][] = [
      ['GET', '/api/v1/namespaces/default/services/nope', 404, 'NotFound'],
      ['GET', '/api/v1/nothing', 404, 'NotFound'],
      ['POST', '/api/v1/namespaces/default/services', 409, 'AlreadyExists', JSON.stringify(svc('my-app-service', {}, 'default'))],
      ['POST', '/api/v1/namespaces/no-such-ns/services', 404, 'NotFound', JSON.stringify(svc('x', {}, 'no-such-ns'))],
      ['PATCH', '/api/v1/namespaces/default/services/my-app-service', 415, 'UnsupportedMediaType', '{}'],
      ['GET', '/api/v1/services?watch=true&resourceVersion=abc', 400, 'BadRequest'],
    ];
    for (const [method, path, code, reason, body] of cases) {
      const r = await httpRequest(`${sim.url}${path}`, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
      expect(r.status, `${method} ${path}`).toBe(code);
      expect(JSON.parse(r.body), `${method} ${path}`).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code });
    }
  });

  it('fails API requests with 503/429 for a while, then recovers; the control endpoint is exempt', async () => {
    sim.faults.failFor(429, 300);
    const r = await httpRequest(`${sim.url}/api/v1/services`);
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('1');
    expect((await httpRequest(`${sim.url}/_sim/state`)).status).toBe(200);
    const ctl = await httpRequest(`${sim.url}/_sim/fail?status=503&ms=200`, { method: 'POST' });
    expect(ctl.status).toBe(200);
    expect((await httpRequest(`${sim.url}/api/v1/services`)).status).toBe(503);
    let ok = false;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !ok) {
      await new Promise((r) => setTimeout(r, 20));
      ok = (await httpRequest(`${sim.url}/api/v1/services`)).status === 200;
    }
    expect(ok).toBe(true);
  });

  it('holds requests while paused and answers them on resume', async () => {
    sim.faults.pause();
    let answered = false;
    const pending = httpRequest(`${sim.url}/api/v1/namespaces`).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    sim.faults.resume();
    expect((await pending).status).toBe(200);
  });

  it('restarts on the same port with state and resourceVersion kept, dropping open watches', async () => {
    const w = watch(`/api/v1/services?watch=true&resourceVersion=${sim.resourceVersion()}`);
    await w.ready;
    const rv = sim.resourceVersion();
    const url = sim.url;
    await sim.faults.restart(50);
    await w.ended;
    expect(sim.url).toBe(url);
    const body = JSON.parse((await httpRequest(`${sim.url}/api/v1/services`)).body);
    expect(body.metadata.resourceVersion).toBe(String(rv));
    expect(body.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'my-app-service')).toBe(true);
  });

  it('drives every fault and action over the /_sim control endpoint', async () => {
    const post = async (path: string, body?: string) => {
      const r = await httpRequest(`${sim.url}/_sim/${path}`, { method: 'POST', body, headers: body ? { 'content-type': 'application/yaml' } : {} });
      return { status: r.status, body: JSON.parse(r.body) };
    };
    // cut-watches (clean): the stream ends normally.
    const w1 = watch(`/api/v1/namespaces/ctl2/services?watch=true&resourceVersion=${sim.resourceVersion()}`);
    await sim.waitForWatchers(1, 'Service');
    await w1.ready;
    expect((await post('cut-watches?mode=clean')).body.cut).toBeGreaterThanOrEqual(1);
    await w1.ended;
    // expire-watches: ERROR 410 then close.
    const w2 = watch(`/api/v1/namespaces/ctl2/services?watch=true&resourceVersion=${sim.resourceVersion()}`);
    await w2.ready;
    await sim.waitForWatchers(1, 'Service');
    expect((await post('expire-watches')).body.expired).toBeGreaterThanOrEqual(1);
    await w2.ended;
    expect(w2.events().at(-1)).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    // apply (YAML body), then a Pod deletion completed on demand.
    const applied = await post('apply', 'apiVersion: v1\nkind: Pod\nmetadata: {name: ctl-pod, namespace: ctl2}\nspec: {containers: [{name: c}]}\n');
    expect(applied.status).toBe(200);
    expect(applied.body.status.phase).toBe('Running');
    sim.remove('Pod', 'ctl2', 'ctl-pod');
    expect(sim.get('Pod', 'ctl2', 'ctl-pod')?.metadata.deletionTimestamp).toBeTruthy();
    expect((await post('finish-terminating')).status).toBe(200);
    expect(sim.get('Pod', 'ctl2', 'ctl-pod')).toBeUndefined();
    // compact: a watch from before gets 410.
    const before = sim.resourceVersion() - 1;
    expect((await post('compact')).status).toBe(200);
    const w3 = watch(`/api/v1/pods?watch=true&resourceVersion=${before}`);
    await w3.ended;
    expect(w3.events()[0]).toMatchObject({ type: 'ERROR', object: { code: 410 } });
    // pause / resume.
    expect((await post('pause')).body.paused).toBe(true);
    let answered = false;
    const held = httpRequest(`${sim.url}/api/v1/namespaces`).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    expect((await post('resume')).body.paused).toBe(false);
    expect((await held).status).toBe(200);
    // churn on and off.
    const rv = sim.resourceVersion();
    expect((await post('churn?rate=200')).body.rate).toBe(200);
    await waitUntil(() => sim.resourceVersion() > rv + 10, 'churn over HTTP');
    expect((await post('churn?rate=0')).body.rate).toBe(0);
    // state, and bad parameters.
    const state = JSON.parse((await httpRequest(`${sim.url}/_sim/state`)).body);
    expect(state).toMatchObject({ resourceVersion: String(sim.resourceVersion()), counts: { Service: expect.any(Number), Pod: expect.any(Number) } });
    expect((await post('fail?status=404&ms=10')).status).toBe(400);
    expect((await post('cut-watches?mode=gentle')).status).toBe(400);
    expect((await post('no-such-op')).status).toBe(404);
  });

  it('waitForWatchers rejects with the open count after its timeout', async () => {
    await expect(sim.waitForWatchers(999, 'Namespace', 50)).rejects.toThrow(/timed out after 50 ms waiting for 999 Namespace watch stream\(s\); \d+ open/);
  });

  it('serves the change log over the control endpoint', async () => {
    const from = sim.resourceVersion();
    sim.apply(svc('logged', {}, 'ctl'));
    const r = await httpRequest(`${sim.url}/_sim/changes?sinceRv=${from}`);
    const log = JSON.parse(r.body) as { rv: number; type: string; kind: string; name: string; at: string }[];
    expect(log.find((c) => c.kind === 'Service' && c.name === 'logged')).toMatchObject({ type: 'ADDED' });
    expect(log.every((c) => c.rv > from && !Number.isNaN(Date.parse(c.at)))).toBe(true);
  });
});
