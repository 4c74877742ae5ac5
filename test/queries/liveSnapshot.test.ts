import { describe, expect, it } from 'vitest';
import type { Kind, KubeObject } from '../../src/model/objects.js';
import { GATEWAY_KINDS } from '../../src/model/objects.js';
import { LiveSnapshot } from '../../src/state/LiveSnapshot.js';
import type { WatchEventType } from '../../src/watch/ChangeSink.js';
import { at, ingressClass, myAppService, pod } from './fixtures.js';

type Step = { ev: WatchEventType; kind: Kind; obj: KubeObject } | { list: Kind; objs: KubeObject[]; ns?: string };

const withRv = (o: KubeObject, rv: string): KubeObject => ({ ...o, metadata: { ...o.metadata, resourceVersion: rv } });
const withUid = (o: KubeObject, uid: string): KubeObject => ({ ...o, metadata: { ...o.metadata, uid } });
const inNs = (o: KubeObject, namespace: string): KubeObject => ({ ...o, metadata: { ...o.metadata, namespace } });

function run(steps: Step[]): LiveSnapshot {
  const live = new LiveSnapshot();
  steps.forEach((s, i) => ('ev' in s ? live.event(s.kind, s.ev, s.obj, at(i)) : live.listed(s.list, s.objs, at(i), s.ns)));
  return live;
}

describe('LiveSnapshot keeps what the history writer would store', () => {
  const cases: { name: string; steps: Step[]; pods: string[]; podRv?: string }[] = [
    { name: 'an ADDED object is kept', steps: [{ ev: 'ADDED', kind: 'Pod', obj: pod('a', '10.0.0.1', '1') }], pods: ['a'], podRv: '1' },
    {
      name: 'a change of resourceVersion only keeps the first resourceVersion (as history does)',
      steps: [{ ev: 'ADDED', kind: 'Pod', obj: pod('a', '10.0.0.1', '1') }, { ev: 'MODIFIED', kind: 'Pod', obj: pod('a', '10.0.0.1', '2') }],
      pods: ['a'], podRv: '1',
    },
    {
      name: 'a real change replaces it',
      steps: [{ ev: 'ADDED', kind: 'Pod', obj: pod('a', '10.0.0.1', '1') }, { ev: 'MODIFIED', kind: 'Pod', obj: pod('a', '10.0.0.1', '2', { ready: false }) }],
      pods: ['a'], podRv: '2',
    },
    { name: 'DELETED removes it', steps: [{ ev: 'ADDED', kind: 'Pod', obj: pod('a', '10.0.0.1', '1') }, { ev: 'DELETED', kind: 'Pod', obj: pod('a', '10.0.0.1', '2') }], pods: [] },
    {
      name: 'DELETED of another uid under the same name is ignored',
      steps: [{ ev: 'ADDED', kind: 'Pod', obj: pod('a', '10.0.0.1', '1') }, { ev: 'DELETED', kind: 'Pod', obj: withUid(pod('a', '10.0.0.1', '2'), 'other') }],
      pods: ['a'],
    },
    {
      name: 'a list replaces the kind: absent objects go',
      steps: [{ ev: 'ADDED', kind: 'Pod', obj: pod('a', '10.0.0.1', '1') }, { list: 'Pod', objs: [pod('b', '10.0.0.2', '3')] }],
      pods: ['b'],
    },
    {
      name: 'a list of one namespace replaces only that namespace',
      steps: [
        { list: 'Pod', objs: [inNs(pod('a', '10.0.0.1', '1'), 'ns1'), inNs(pod('b', '10.0.0.2', '1'), 'ns1')], ns: 'ns1' },
        { list: 'Pod', objs: [inNs(pod('c', '10.0.0.3', '1'), 'ns2')], ns: 'ns2' },
        { list: 'Pod', objs: [inNs(pod('b', '10.0.0.2', '1'), 'ns1')], ns: 'ns1' },
      ],
      pods: ['b', 'c'],
    },
    { name: 'objects are sorted by namespace and name', steps: [{ list: 'Pod', objs: [pod('c', '10.0.0.3', '1'), pod('a', '10.0.0.1', '1'), pod('b', '10.0.0.2', '1')] }], pods: ['a', 'b', 'c'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = run(c.steps).snapshot();
      expect(s.pods.map((p) => p.metadata.name)).toEqual(c.pods);
      if (c.podRv) expect(s.pods[0]!.metadata.resourceVersion).toBe(c.podRv);
    });
  }

  it('keeps projections only (no container image, no env)', () => {
    const raw = pod('a', '10.0.0.1', '1') as KubeObject & { spec: { containers: Record<string, unknown>[] } };
    raw.spec.containers[0]!['env'] = [{ name: 'DB_PASSWORD', value: 'hunter2' }];
    const s = run([{ ev: 'ADDED', kind: 'Pod', obj: raw }]).snapshot();
    expect(JSON.stringify(s)).not.toContain('hunter2');
  });

  it('is ready once every kind has been listed, and its index is rebuilt only after a change', () => {
    const live = new LiveSnapshot(undefined, { clock: () => 0 }); // builds take no time: always exact
    for (const k of ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Ingress', 'Node'] as Kind[]) live.listed(k, k === 'Service' ? [myAppService()] : [], at(0));
    expect(live.ready).toBe(false);
    live.listed('IngressClass', [ingressClass()], at(0));
    expect(live.ready).toBe(false);
    // The Gateway API kinds too (a cluster without their CRDs reports them listed empty).
    for (const k of GATEWAY_KINDS) live.listed(k, [], at(0));
    expect(live.ready).toBe(true);
    const i1 = live.index();
    expect(live.index()).toBe(i1);
    live.event('Service', 'MODIFIED', withRv(myAppService(), '99'), at(1)); // resourceVersion only: no change
    expect(live.index()).toBe(i1);
    live.event('Pod', 'ADDED', pod('a', '10.0.0.1', '1'), at(2));
    expect(live.index()).not.toBe(i1);
  });

  it('after a change, keeps answering from the previous index for twice its build time, then rebuilds', () => {
    const ticks = [1000, 1300, 1301, 5000, 5001]; // clock reads: before/after the first build (300 ms), ...
    const live = new LiveSnapshot(undefined, { clock: () => ticks.shift() ?? 9e9 });
    live.listed('Pod', [pod('a', '10.0.0.1', '1')], at(0));
    const i1 = live.index(); // reads 1000, 1300
    live.event('Pod', 'ADDED', pod('b', '10.0.0.2', '1'), at(1));
    expect(live.index()).toBe(i1); // reads 1301: 1 ms after a 300 ms build
    const i2 = live.index(); // reads 5000 (and 5001 after the rebuild)
    expect(i2).not.toBe(i1);
    expect(i2.pods.size).toBe(2);
    expect(live.index()).toBe(i2);
  });

  it('does not modify the objects it is given', () => {
    const p = pod('a', '10.0.0.1', '1');
    const before = JSON.stringify(p);
    run([{ ev: 'ADDED', kind: 'Pod', obj: p }, { list: 'Pod', objs: [p] }]);
    expect(JSON.stringify(p)).toBe(before);
  });
});
