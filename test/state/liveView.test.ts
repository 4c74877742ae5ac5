/**
 * The live view (a HistoryViewAt over LiveSnapshot's incrementally filed objects) answers every ClusterView
 * lookup and every kind of question exactly as the whole index of the live snapshot does, at every state
 * of a churned cluster (adds, updates, deletes, re-created names, relists that miss objects); plus the
 * filing itself (LiveObjects) and the no-op rule (sameProjection) case by case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kind, KubeObject, PodObject } from '../../src/model/objects.js';
import { KINDS, SNAPSHOT_FIELD } from '../../src/model/objects.js';
import { project } from '../../src/model/project.js';
import { sameProjection } from '../../src/model/sameProjection.js';
import { ClusterState } from '../../src/queries/ClusterState.js';
import { HistoryViewAt } from '../../src/queries/HistoryViewAt.js';
import { keyOf, nsOf, selectorOf } from '../../src/resolver/apiDefaults.js';
import { canonicalIP } from '../../src/resolver/canonicalIP.js';
import type { ClusterView } from '../../src/resolver/ClusterView.js';
import { TERM, termHash } from '../../src/resolver/lookupTerms.js';
import { hostIPs, podIPs } from '../../src/resolver/podFacts.js';
import { resolve } from '../../src/resolver/resolve.js';
import { reverseLookup } from '../../src/resolver/reverseLookup.js';
import { buildIndex, type SnapshotIndex } from '../../src/resolver/SnapshotIndex.js';
import { LiveObjects } from '../../src/state/LiveObjects.js';
import { LiveSnapshot } from '../../src/state/LiveSnapshot.js';
import type { ChangeSink, WatchEventType } from '../../src/watch/ChangeSink.js';
import { churnCluster } from '../queries/churnedHistory.js';
import { pod } from '../queries/fixtures.js';
import { questionsOf } from '../queries/questionsOf.js';

const json = (x: unknown) => JSON.stringify(x);

type Lookup = readonly [string, (v: ClusterView) => unknown];

/** Every lookup of ClusterView, with the arguments worth asking in the state of `whole` (and misses). */
function lookupsOf(whole: SnapshotIndex): Lookup[] {
  const s = whole.snapshot;
  const out: Lookup[] = [];
  const add = (name: string, f: (v: ClusterView) => unknown) => out.push([name, f]);
  const namespaces = new Set<string>(['nowhere']);
  const ips = new Set<string>(['10.255.255.1', '192.168.50.10']);
  const nodes = new Set<string>(['node-missing']);
  const hosts = new Set<string>(['nowhere.example.com']);
  const suffixes = new Set<string>(['.none.example.com']);
  const nodePorts = new Set<number>([30999]);
  const lbHostnames = new Set<string>(['missing.lb.example.com']);
  const addIP = (raw: string | null | undefined) => {
    const ip = raw ? canonicalIP(raw) : null;
    if (ip) ips.add(ip);
  };
  for (const list of [s.services, s.endpoints, s.endpointSlices, s.pods, s.ingresses]) for (const o of list) namespaces.add(nsOf(o));
  for (const svc of s.services) {
    for (const ip of [...(svc.spec?.clusterIPs ?? []), ...(svc.spec?.externalIPs ?? [])]) addIP(ip);
    for (const lb of svc.status?.loadBalancer?.ingress ?? []) {
      addIP(lb.ip);
      if (lb.hostname) lbHostnames.add(lb.hostname.toLowerCase());
    }
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) nodePorts.add(p.nodePort);
  }
  for (const p of s.pods) {
    for (const ip of [...podIPs(p), ...hostIPs(p)]) ips.add(ip);
    if (p.spec?.nodeName) nodes.add(p.spec.nodeName);
  }
  for (const sl of s.endpointSlices) for (const e of sl.endpoints ?? []) {
    addIP(e.addresses?.[0]);
    if (e.nodeName) nodes.add(e.nodeName);
  }
  for (const ep of s.endpoints) for (const sub of ep.subsets ?? []) for (const a of [...(sub.addresses ?? []), ...(sub.notReadyAddresses ?? [])]) addIP(a.ip);
  for (const ing of s.ingresses) {
    for (const r of ing.spec?.rules ?? []) {
      const h = r.host?.toLowerCase();
      if (h?.startsWith('*.')) suffixes.add(h.slice(1));
      else if (h) hosts.add(h);
    }
    for (const t of ing.spec?.tls ?? []) for (const h of t.hosts ?? []) hosts.add(h.toLowerCase());
    for (const lb of ing.status?.loadBalancer?.ingress ?? []) addIP(lb.ip);
  }

  for (const name of ['hasEndpointSlices', 'hasIngresses', 'defaultIngressClass', 'defaultIngressClasses', 'hostlessRules', 'defaultBackends', 'ingressClassNames', 'hasNodes'] as const) add(name, (v) => v[name]);
  add('gatewayApi', (v) => v.gatewayApi());
  const serviceKeys = [...s.services.map((o) => keyOf(nsOf(o), o.metadata.name)), ...s.endpoints.map((o) => keyOf(nsOf(o), o.metadata.name)), 'nowhere/none'];
  for (const key of serviceKeys) {
    add(`service ${key}`, (v) => v.service(key));
    add(`slicesOf ${key}`, (v) => v.slicesOf(key));
    add(`endpointsObject ${key}`, (v) => v.endpointsObject(key));
    add(`mirror ${key}`, (v) => v.mirror(key));
    add(`ingressBackendsOf ${key}`, (v) => v.ingressBackendsOf(key));
  }
  for (const p of s.pods) add(`pod ${keyOf(nsOf(p), p.metadata.name)}`, (v) => v.pod(keyOf(nsOf(p), p.metadata.name)));
  for (const ns of namespaces) {
    add(`serviceNames ${ns}`, (v) => v.serviceNames(ns));
    add(`unlabeledSlices ${ns}`, (v) => v.unlabeledSlices(ns));
    add(`orphanSlicesIn ${ns}`, (v) => v.orphanSlicesIn(ns));
    add(`endpointsObjectsIn ${ns}`, (v) => v.endpointsObjectsIn(ns));
    add(`hasPodsIn ${ns}`, (v) => v.hasPodsIn(ns));
    add(`podsIn ${ns}`, (v) => v.podsIn(ns));
  }
  for (const ip of ips) {
    add(`servicesAtIP ${ip}`, (v) => v.servicesAtIP(ip));
    add(`isIngressAddress ${ip}`, (v) => v.isIngressAddress(ip));
    add(`nodeAtIP ${ip}`, (v) => v.nodeAtIP(ip));
    add(`podsAtIP ${ip}`, (v) => v.podsAtIP(ip));
    add(`canonicalAddress ${ip}`, (v) => v.canonicalAddress(ip));
    // Order is not significant (ClusterView); a state without slices needs the whole index (E4).
    add(`endpointRefsAt ${ip}`, (v) => (v.hasEndpointSlices ? v.endpointRefsAt(ip).map(json).sort() : null));
  }
  for (const port of nodePorts) add(`servicesAtNodePort ${port}`, (v) => v.servicesAtNodePort(port));
  for (const h of lbHostnames) add(`servicesAtLBHostname ${h}`, (v) => v.servicesAtLBHostname(h));
  for (const node of nodes) add(`zoneOfNode ${node}`, (v) => v.zoneOfNode(node));
  for (const node of [...nodes, 'missing-node']) add(`nodeExists ${node}`, (v) => v.nodeExists(node));
  for (const c of [...new Set(s.ingressClasses.map((x) => x.spec?.controller ?? ''))]) add(`ingressClassesOfController ${c}`, (v) => v.ingressClassesOfController(c));
  for (const h of hosts) {
    add(`rulesForHost ${h}`, (v) => v.rulesForHost(h));
    add(`tlsForHost ${h}`, (v) => v.tlsForHost(h));
  }
  for (const suffix of suffixes) add(`rulesForWildcard ${suffix}`, (v) => v.rulesForWildcard(suffix));
  for (const name of [...s.ingressClasses.map((c) => c.metadata.name), 'missing']) add(`hasIngressClass ${name}`, (v) => v.hasIngressClass(name));
  for (const p of s.pods.filter((_, i) => i % 3 === 0)) {
    const labels = p.metadata.labels ?? {};
    add(`servicesSelecting ${nsOf(p)} ${json(labels)}`, (v) => v.servicesSelecting(nsOf(p), labels));
    for (const [k, val] of Object.entries(labels)) add(`selectPods ${nsOf(p)} ${k}=${val}`, (v) => v.selectPods(nsOf(p), { [k]: val }));
  }
  for (const svc of s.services) {
    const selector = selectorOf(svc);
    if (selector) add(`selectPods ${nsOf(svc)} ${json(selector)}`, (v) => v.selectPods(nsOf(svc), selector));
  }
  return out;
}

/** Feeds every report to both sinks: the second receives projections (as an ingest worker would send). */
function tee(live: ChangeSink, projected: ChangeSink, reference: Reference): ChangeSink {
  return {
    event: (kind, type, object, at) => {
      live.event(kind, type, object, at);
      projected.event(kind, type, project(kind, object), at);
      reference.event(kind, type, object);
    },
    listed: (kind, objects, at) => {
      live.listed(kind, objects, at);
      projected.listed(kind, objects.map((o) => project(kind, o)), at);
      reference.listed(kind, objects);
    },
    gap: (kind, from, to, reason) => {
      live.gap(kind, from, to, reason);
      projected.gap(kind, from, to, reason);
    },
    flush: async () => {
      await live.flush();
      await projected.flush();
    },
  };
}

/** The plainest account of what the reports say: the last projection per name, without no-op rules. */
class Reference {
  private readonly kept = new Map<Kind, Map<string, KubeObject>>();
  private of(kind: Kind): Map<string, KubeObject> {
    let m = this.kept.get(kind);
    if (!m) this.kept.set(kind, (m = new Map()));
    return m;
  }
  event(kind: Kind, type: WatchEventType, object: KubeObject): void {
    const key = `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    const m = this.of(kind);
    if (type !== 'DELETED') m.set(key, project(kind, object));
    else if (!object.metadata.uid || !m.get(key)?.metadata.uid || m.get(key)!.metadata.uid === object.metadata.uid) m.delete(key);
  }
  listed(kind: Kind, objects: readonly KubeObject[]): void {
    this.of(kind).clear();
    for (const o of objects) this.event(kind, 'ADDED', o);
  }
  /** Every kept object without its resourceVersion (the no-op rules keep the first one), by kind and key. */
  content(): string {
    const out: string[] = [];
    for (const [kind, m] of [...this.kept].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      for (const [key, o] of [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1))) out.push(`${kind} ${key} ${withoutRv(o)}`);
    }
    return out.join('\n');
  }
}

function withoutRv(o: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = o.metadata;
  return json({ ...o, metadata: meta });
}

/** The live snapshot in Reference.content()'s form. */
function contentOf(live: LiveSnapshot): string {
  const r = new Reference();
  const s = live.snapshot();
  for (const kind of KINDS) r.listed(kind, s[SNAPSHOT_FIELD[kind]]);
  return r.content();
}

describe('the live view answers as the whole index of the live snapshot does', () => {
  const live = new LiveSnapshot();
  const projected = new LiveSnapshot();
  const reference = new Reference();
  const state = new ClusterState({ live });
  let states = 0;
  let lookups = 0;
  let questions = 0;
  let forwarded = 0;
  let throughGateway = 0;
  const verdicts = new Set<string>();
  const failures: string[] = [];

  beforeAll(async () => {
    await churnCluster(tee(live, projected, reference), {
      onFed: (t) => {
        states++;
        const snapshot = live.snapshot();
        if (json(projected.snapshot()) !== json(snapshot)) failures.push(`projected reports kept differently at ${new Date(t).toISOString()}`);
        if (contentOf(live) !== reference.content()) failures.push(`the live state is not what the reports say at ${new Date(t).toISOString()}`);
        const whole = buildIndex(snapshot);
        const view = state.viewAt(undefined).view;
        if (!(view instanceof HistoryViewAt)) failures.push('now is not answered from the live view');
        for (const [name, f] of lookupsOf(whole)) {
          lookups++;
          const want = json(f(whole));
          const got = json(f(state.viewAt(undefined).view));
          if (got !== want && failures.length < 20) failures.push(`${name} at ${new Date(t).toISOString()}: ${got.slice(0, 300)} ≠ ${want.slice(0, 300)}`);
        }
        const { forward, reverse } = questionsOf(whole);
        for (const q of forward) {
          questions++;
          const want = resolve(whole, q);
          verdicts.add(want.verdict);
          if (want.verdict === 'forwarded') forwarded++;
          if (want.gateway?.route) throughGateway++;
          const got = json(resolve(state.viewAt(undefined).view, q));
          if (got !== json(want) && failures.length < 20) failures.push(`${json(q)} at ${new Date(t).toISOString()}`);
        }
        for (const q of reverse) {
          questions++;
          const got = json(reverseLookup(state.reverseViewAt(undefined).view, q));
          if (got !== json(reverseLookup(whole, q)) && failures.length < 20) failures.push(`${json(q)} at ${new Date(t).toISOString()}`);
        }
      },
    });
  }, 300_000);

  it('every lookup and every question, at every state of the churn', () => {
    expect(failures).toEqual([]);
    // The churn is rich enough for the comparison to mean something.
    expect(states).toBeGreaterThan(50);
    expect(lookups).toBeGreaterThan(states * 500);
    expect(questions).toBeGreaterThan(states * 100);
    expect(forwarded).toBeGreaterThan(states * 10);
    expect(throughGateway, 'answers through a Gateway route (the seed Gateway, in every state)').toBeGreaterThanOrEqual(states);
    expect([...verdicts].sort()).toEqual(expect.arrayContaining(['forwarded', 'not-found', 'rejected', 'dns']));
  });

  it('a view is made per state version and reused while the state does not change', () => {
    const v1 = state.viewAt(undefined).view;
    expect(state.viewAt(undefined).view).toBe(v1);
    expect(v1.pod('default/live-view-extra')).toBeUndefined();
    live.event('Pod', 'ADDED', pod('live-view-extra', '10.250.0.1', '1'), new Date());
    const v2 = state.viewAt(undefined).view;
    expect(v2).not.toBe(v1);
    expect(v2.pod('default/live-view-extra')).toBeDefined();
    expect(v1.pod('default/live-view-extra')).toBeUndefined(); // v1 memoised its answer: it must not outlive its version
  });
});

describe('LiveObjects files each object under its terms, by name and by namespace', () => {
  const withLabels = (p: KubeObject, labels: Record<string, string>): KubeObject => ({ ...p, metadata: { ...p.metadata, labels } });
  const withUid = (p: KubeObject, uid: string): KubeObject => ({ ...p, metadata: { ...p.metadata, uid } });
  const inNs = (p: KubeObject, namespace: string): KubeObject => ({ ...p, metadata: { ...p.metadata, namespace } });
  const label = (ns: string, k: string, v: string) => termHash(TERM.podLabel(ns, k, v));
  const ipTerm = (ip: string) => termHash(TERM.podIP(ip));
  const names = (xs: readonly { metadata: { name: string } }[]) => xs.map((x) => x.metadata.name);
  type Step = { set: KubeObject } | { del: [string, string] };
  const cases: { name: string; steps: Step[]; check: (o: LiveObjects) => void }[] = [
    {
      name: 'an object is found by name, by each term and in its namespace',
      steps: [{ set: pod('a', '10.0.0.1', '1') }],
      check: (o) => {
        expect(o.named('Pod', 'default', 'a')?.metadata.name).toBe('a');
        expect(names(o.withTerm('Pod', ipTerm('10.0.0.1')))).toEqual(['a']);
        expect(names(o.objectsIn('Pod', 'default'))).toEqual(['a']);
        expect(o.exists('Pod')).toBe(true);
        expect(o.exists('Pod', 'default')).toBe(true);
        expect(o.withTerm('Service', ipTerm('10.0.0.1'))).toEqual([]); // terms are read per kind
      },
    },
    {
      name: 'an update files the terms it gained and unfiles those it lost, and keeps the identity',
      steps: [{ set: withLabels(pod('a', '10.0.0.1', '1'), { app: 'x' }) }, { set: withLabels(pod('a', '10.0.0.2', '2'), { app: 'y' }) }],
      check: (o) => {
        expect(o.withTerm('Pod', ipTerm('10.0.0.1'))).toEqual([]);
        expect(o.withTerm('Pod', label('default', 'app', 'x'))).toEqual([]);
        expect(names(o.withTerm('Pod', ipTerm('10.0.0.2')))).toEqual(['a']);
        expect(names(o.withTerm('Pod', label('default', 'app', 'y')))).toEqual(['a']);
        expect(o.namesWithTerm('Pod', ipTerm('10.0.0.2'))[0]!.objectId).toBe(o.namesIn('Pod', 'default')[0]!.objectId);
      },
    },
    {
      name: 'a new uid under the same name is a new object: names read before no longer find it',
      steps: [{ set: pod('a', '10.0.0.1', '1') }],
      check: (o) => {
        const before = o.namesIn('Pod', 'default');
        o.set('Pod', withUid(pod('a', '10.0.0.1', '2'), 'uid-other'));
        expect(o.objectsOf(before)).toEqual([]);
        expect(o.objectsOf(o.namesIn('Pod', 'default'))[0]!.metadata.uid).toBe('uid-other');
        expect(o.count('Pod')).toBe(1);
      },
    },
    {
      name: 'a delete unfiles every term and empties the namespace',
      steps: [{ set: withLabels(pod('a', '10.0.0.1', '1'), { app: 'x' }) }, { del: ['default', 'a'] }],
      check: (o) => {
        expect(o.withTerm('Pod', ipTerm('10.0.0.1'))).toEqual([]);
        expect(o.withTerm('Pod', label('default', 'app', 'x'))).toEqual([]);
        expect(o.named('Pod', 'default', 'a')).toBeUndefined();
        expect(o.exists('Pod')).toBe(false);
        expect(o.exists('Pod', 'default')).toBe(false);
      },
    },
    {
      name: 'a term several objects share names each of them, and the rest when one leaves',
      steps: [{ set: pod('a', '10.0.0.1', '1') }, { set: pod('b', '10.0.0.2', '1') }, { set: pod('c', '10.0.0.3', '1') }, { del: ['default', 'b'] }],
      check: (o) => {
        expect(names(o.withTerm('Pod', label('default', 'app', 'my-app'))).sort()).toEqual(['a', 'c']);
        o.delete('Pod', 'default', 'a');
        expect(names(o.withTerm('Pod', label('default', 'app', 'my-app')))).toEqual(['c']);
        o.delete('Pod', 'default', 'c');
        expect(o.withTerm('Pod', label('default', 'app', 'my-app'))).toEqual([]);
        o.set('Pod', project('Pod', pod('d', '10.0.0.4', '1')));
        expect(names(o.withTerm('Pod', label('default', 'app', 'my-app')))).toEqual(['d']);
      },
    },
    {
      name: 'namespace reads are by name; a kind read is by namespace, then name',
      steps: [{ set: pod('c', '10.0.0.3', '1') }, { set: pod('a', '10.0.0.1', '1') }, { set: inNs(pod('b', '10.0.0.2', '1'), 'aaa') }],
      check: (o) => {
        expect(names(o.objectsIn('Pod', 'default'))).toEqual(['a', 'c']);
        expect(o.namesIn('Pod', 'default').map((n) => n.name)).toEqual(['a', 'c']);
        expect(names(o.objectsOfKind('Pod'))).toEqual(['b', 'a', 'c']);
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const o = new LiveObjects();
      for (const s of c.steps) {
        if ('set' in s) {
          const before = json(s.set);
          o.set('Pod', project('Pod', s.set));
          expect(json(s.set)).toBe(before); // the input is not modified
        } else o.delete('Pod', s.del[0], s.del[1]);
      }
      c.check(o);
    });
  }
});

describe('sameProjection: what the history writer would store as a no-op', () => {
  const base = project('Pod', pod('a', '10.0.0.1', '1')) as PodObject;
  const edit = (f: (p: PodObject) => void): KubeObject => {
    const copy = structuredClone(base);
    f(copy);
    return project('Pod', copy);
  };
  const cases: { name: string; other: KubeObject; same: boolean }[] = [
    { name: 'the same projection', other: structuredClone(base), same: true },
    { name: 'a new resourceVersion only', other: edit((p) => (p.metadata.resourceVersion = '99')), same: true },
    { name: 'a label added', other: edit((p) => (p.metadata.labels = { ...p.metadata.labels, extra: 'x' })), same: false },
    { name: 'readiness changed', other: edit((p) => (p.status!.conditions = p.status!.conditions!.map((c) => ({ ...c, status: 'False' })))), same: false },
    { name: 'a list shortened', other: edit((p) => (p.status!.conditions = p.status!.conditions!.slice(1))), same: false },
    { name: 'the resourceVersion dropped', other: edit((p) => delete p.metadata.resourceVersion), same: true },
    { name: 'a field dropped', other: edit((p) => delete p.spec!.nodeName), same: false },
    { name: 'another uid', other: edit((p) => (p.metadata.uid = 'other')), same: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const strip = (p: KubeObject) => { const { resourceVersion: _rv, ...m } = p.metadata; return json({ ...p, metadata: m }); };
      expect(strip(c.other) === strip(base)).toBe(c.same); // the rule it stands for
      expect(sameProjection(base, c.other)).toBe(c.same);
      expect(sameProjection(c.other, base)).toBe(c.same);
    });
  }
});

describe('LiveSnapshot answers namespace questions from its filing', () => {
  it('knows a namespace while a namespaced object lives in it', () => {
    const live = new LiveSnapshot(['Pod'] as Kind[]);
    live.listed('Pod', [pod('a', '10.0.0.1', '1')], new Date(0));
    expect(live.hasNamespace('default')).toBe(true);
    expect(live.hasNamespace('other')).toBe(false);
    live.event('Pod', 'DELETED' as WatchEventType, pod('a', '10.0.0.1', '2'), new Date(1));
    expect(live.hasNamespace('default')).toBe(false);
  });
});
