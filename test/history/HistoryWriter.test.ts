import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { emptySnapshot } from '../../src/model/objects.js';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import type { Kind, KubeObject } from '../../src/model/objects.js';
import type { WatchEventType } from '../../src/watch/ChangeSink.js';
import { at, ingress, pod, service, slice, tempDir } from './builders.js';
import { SnapshotModel, snapshotText } from './snapshotModel.js';
import { canonicalJson, project } from '../../src/model/project.js';
import type { HistoryLocation } from '../../src/history/historyLocation.js';
import { describeBackends, sql } from '../helpers/backends.js';

let tmp: ReturnType<typeof tempDir>;
/** The database of the running test: a fresh one per test, on the engine of its describe block. */
let where: HistoryLocation;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const CLUSTER = 'test-cluster';
const open = (extra: Partial<Parameters<typeof HistoryWriter.open>[0]> = {}) =>
  HistoryWriter.open({ ...where, cluster: CLUSTER, batchMs: 20, ...extra });

function count(w: HistoryWriter, table: string): number {
  return Number((sql(w.database.db, `SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n);
}

type Step =
  | { ev: WatchEventType; kind: Kind; obj: KubeObject; t: number }
  | { list: Kind; objs: KubeObject[]; t: number };

describeBackends('HistoryWriter', (backend) => {
  beforeEach(() => {
    where = backend.location(tmp.dir);
  });

  describe('HistoryWriter: versions', () => {
    const cases: { name: string; steps: Step[]; versions: number; open: number }[] = [
      { name: 'a new object opens one version', steps: [{ ev: 'ADDED', kind: 'Service', obj: service('a', 'web', '1'), t: 0 }], versions: 1, open: 1 },
      {
        name: 'a change of resourceVersion only is a no-op',
        steps: [
          { ev: 'ADDED', kind: 'Service', obj: service('a', 'web', '1'), t: 0 },
          { ev: 'MODIFIED', kind: 'Service', obj: service('a', 'web', '2'), t: 1 },
        ],
        versions: 1, open: 1,
      },
      {
        name: 'a change of a dropped field (container status, env) is a no-op',
        steps: [
          { ev: 'ADDED', kind: 'Pod', obj: pod('a', 'p', '1'), t: 0 },
          { ev: 'MODIFIED', kind: 'Pod', obj: { ...pod('a', 'p', '2'), spec: { ...(pod('a', 'p', '2') as any).spec, containers: [{ name: 'app', env: [{ name: 'X', value: 'y' }], ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] } } as KubeObject, t: 1 },
        ],
        versions: 1, open: 1,
      },
      {
        name: 'a readiness change opens a new version',
        steps: [
          { ev: 'ADDED', kind: 'Pod', obj: pod('a', 'p', '1'), t: 0 },
          { ev: 'MODIFIED', kind: 'Pod', obj: pod('a', 'p', '2', { ready: false, readyAt: '2026-11-26T08:30:00Z' }), t: 1 },
        ],
        versions: 2, open: 1,
      },
      {
        name: 'DELETED closes the open version',
        steps: [
          { ev: 'ADDED', kind: 'Service', obj: service('a', 'web', '1'), t: 0 },
          { ev: 'DELETED', kind: 'Service', obj: service('a', 'web', '2'), t: 1 },
        ],
        versions: 1, open: 0,
      },
      {
        name: 'DELETED of an unknown object stores nothing',
        steps: [{ ev: 'DELETED', kind: 'Service', obj: service('a', 'web', '2'), t: 1 }],
        versions: 0, open: 0,
      },
      {
        name: 'a new uid under the same name is a new object',
        steps: [
          { ev: 'ADDED', kind: 'Pod', obj: pod('a', 'p', '1'), t: 0 },
          { ev: 'ADDED', kind: 'Pod', obj: pod('a', 'p', '5', { uid: 'other' }), t: 1 },
        ],
        versions: 2, open: 1,
      },
      {
        name: 'reports observed out of order never overlap',
        steps: [
          { ev: 'ADDED', kind: 'Service', obj: service('a', 'web', '1'), t: 100 },
          { ev: 'MODIFIED', kind: 'Service', obj: service('a', 'web', '2', { spec: { ports: [{ port: 81 }] } } as any), t: 50 },
        ],
        versions: 2, open: 1,
      },
    ];

    it.each(cases)('$name', async ({ steps, versions, open: openCount }) => {
      const w = await open();
      try {
        for (const s of steps) {
          if ('ev' in s) w.event(s.kind, s.ev, s.obj, at(s.t));
          else w.listed(s.list, s.objs, at(s.t));
        }
        await w.flush();
        expect(count(w, 'ObjectVersion')).toBe(versions);
        expect(Number((sql(w.database.db, 'SELECT count(*) AS n FROM "ObjectVersion" WHERE validTo IS NULL').get() as any).n)).toBe(openCount);
        expect(checkInvariants(w.database.db)).toEqual([]);
      } finally {
        await w.close();
      }
    });

    it('records the change times Kubernetes states', async () => {
      const w = await open();
      try {
        w.listed('Pod', [], at(0));
        w.event('Pod', 'ADDED', { ...pod('a', 'p', '1'), metadata: { ...pod('a', 'p', '1').metadata, creationTimestamp: '2026-11-26T09:00:00.500Z' } } as KubeObject, at(600));
        w.event('Pod', 'MODIFIED', pod('a', 'p', '2', { ready: false, readyAt: '2026-11-26T09:00:01Z' }), at(1100));
        w.event('Pod', 'MODIFIED', pod('a', 'p', '3', { ready: false, readyAt: '2026-11-26T09:00:01Z', deletionTimestamp: '2026-11-26T09:00:02Z' }), at(2100));
        w.event('Pod', 'DELETED', pod('a', 'p', '4', { ready: false, readyAt: '2026-11-26T09:00:01Z', deletionTimestamp: '2026-11-26T09:00:02Z' }), at(3000));
        await w.flush();
        const h = await new HistoryReader(w.database).history(CLUSTER, 'Pod', 'a', 'p');
        expect(h.map((v) => [v.changeTime?.toISOString() ?? null, v.validFrom.toISOString(), v.validTo?.toISOString() ?? null, v.endChangeTime?.toISOString() ?? null])).toEqual([
          ['2026-11-26T09:00:00.500Z', '2026-11-26T09:00:00.600Z', '2026-11-26T09:00:01.100Z', null],
          ['2026-11-26T09:00:01.000Z', '2026-11-26T09:00:01.100Z', '2026-11-26T09:00:02.100Z', null],
          ['2026-11-26T09:00:02.000Z', '2026-11-26T09:00:02.100Z', '2026-11-26T09:00:03.000Z', '2026-11-26T09:00:02.000Z'],
        ]);
      } finally {
        await w.close();
      }
    });

    it('writes the derived rows of each version', async () => {
      const w = await open();
      try {
        w.event('Service', 'ADDED', service('a', 'web', '1'), at(0));
        w.event('EndpointSlice', 'ADDED', slice('a', 'web-x', 'web', '2', [
          { ip: '10.0.0.1', ready: true, pod: 'p1' }, { ip: '10.0.0.2', ready: false, pod: 'p2', node: 'node-b' },
        ]), at(1));
        w.event('Ingress', 'ADDED', ingress('a', 'web', '3', 'shop.example.com', 'web'), at(2));
        w.event('Pod', 'ADDED', pod('a', 'p1', '4', { ip: '10.0.0.1' }), at(3));
        await w.flush();
        const db = w.database.db;
        expect(sql(db, 'SELECT name, protocol, port, targetPort, nodePort FROM "ServicePort"').all()).toEqual([
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: null },
        ]);
        expect(sql(db, 'SELECT serviceName, address, portName, port, protocol, ready, serving, terminating, node, zone, targetKind, targetName FROM "EndpointRow" ORDER BY address').all()).toEqual([
          { serviceName: 'web', address: '10.0.0.1', portName: 'http', port: 8080, protocol: 'TCP', ready: 1, serving: 1, terminating: 0, node: 'node-a', zone: 'zone-1', targetKind: 'Pod', targetName: 'p1' },
          { serviceName: 'web', address: '10.0.0.2', portName: 'http', port: 8080, protocol: 'TCP', ready: 0, serving: 0, terminating: 0, node: 'node-b', zone: 'zone-1', targetKind: 'Pod', targetName: 'p2' },
        ]);
        expect(sql(db, 'SELECT host, path, pathType, serviceName, servicePort, servicePortName FROM "IngressRule"').all()).toEqual([
          { host: 'shop.example.com', path: '/', pathType: 'Prefix', serviceName: 'web', servicePort: 80, servicePortName: null },
        ]);
        const clusterIds = sql(db, `SELECT DISTINCT clusterId FROM "ObjectVersion" UNION SELECT clusterId FROM "EndpointRow"
          UNION SELECT clusterId FROM "ServicePort" UNION SELECT clusterId FROM "IngressRule"`).pluckAll();
        expect(clusterIds).toEqual([w.clusterId]);
      } finally {
        await w.close();
      }
    });
  });

  describe('HistoryWriter: relists and restarts', () => {
    it('closes objects missing from a relist at the relist time, with a gap record', async () => {
      const w = await open();
      try {
        w.listed('Service', [service('a', 'one', '1'), service('a', 'two', '2')], at(0));
        w.listed('Service', [service('a', 'one', '1')], at(5000));
        await w.flush();
        const reader = new HistoryReader(w.database);
        expect(reader.snapshotAt(CLUSTER, at(4999)).services.map((s) => s.metadata.name)).toEqual(['one', 'two']);
        expect(reader.snapshotAt(CLUSTER, at(5000)).services.map((s) => s.metadata.name)).toEqual(['one']);
        const gaps = await reader.gaps(CLUSTER, at(0), at(10_000));
        expect(gaps).toHaveLength(1);
        expect(gaps[0]).toMatchObject({ kind: 'Service', from: at(0), to: at(5000) });
        expect(gaps[0]!.reason).toMatch(/1 object\(s\) gone; their exact deletion times are unknown/);
        expect(count(w, 'ObjectVersion')).toBe(2);
      } finally {
        await w.close();
      }
    });

    it('a relist of one namespace closes only that namespace\'s missing objects', async () => {
      const w = await open();
      try {
        w.listed('Service', [service('a', 'one', '1'), service('a', 'two', '2')], at(0), 'a');
        w.listed('Service', [service('b', 'three', '3')], at(0), 'b');
        w.listed('Service', [service('a', 'one', '1')], at(5000), 'a');
        await w.flush();
        const reader = new HistoryReader(w.database);
        expect(reader.snapshotAt(CLUSTER, at(5000)).services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual(['a/one', 'b/three']);
        expect(count(w, 'ObjectVersion')).toBe(3);
      } finally {
        await w.close();
      }
    });

    it('resumes after a restart: relisting unchanged objects creates no versions, and the restart is a gap', async () => {
      const objects = [service('a', 'one', '1'), service('a', 'two', '2')];
      const w1 = await open();
      w1.listed('Service', objects, at(0));
      w1.event('Service', 'MODIFIED', service('a', 'one', '3', { spec: { ports: [{ port: 9090 }] } } as any), at(1000));
      await w1.close();

      const w2 = await open();
      try {
        // The same state again, with the resourceVersions the first run stored and one it did not.
        w2.listed('Service', [service('a', 'one', '3', { spec: { ports: [{ port: 9090 }] } } as any), service('a', 'two', '7')], at(60_000));
        await w2.flush();
        expect(count(w2, 'ObjectVersion')).toBe(3);
        const gaps = await new HistoryReader(w2.database).gaps(CLUSTER, at(0), at(60_000));
        expect(gaps.map((g) => [g.kind, g.from.getTime(), g.to.getTime()])).toEqual([['Service', at(1000).getTime(), at(60_000).getTime()]]);
        expect(gaps[0]!.reason).toMatch(/not watching/);
        expect(checkInvariants(w2.database.db)).toEqual([]);
      } finally {
        await w2.close();
      }
    });
  });

  /** A deterministic pseudo-random generator (mulberry32). */
  function rng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  describe('HistoryWriter: snapshots rebuilt from history', () => {
    it('equal the projections of what was written, at every instant of a churning stream', async () => {
      const rand = rng(42);
      const w = await open({ batchSize: 37 });
      const model = new SnapshotModel();
      const checkpoints: { t: number; text: string }[] = [];
      let rv = 1;
      let t = 0;
      const podNames = Array.from({ length: 12 }, (_, i) => `p${i}`);
      const live = new Set<string>();
      const incarnation = new Map<string, number>();
      const uidOf = (name: string) => `uid-${name}-${incarnation.get(name) ?? 0}`;
      try {
        const initial = podNames.slice(0, 6).map((n, i) => pod('a', n, String(rv++), { ip: `10.0.0.${i}`, uid: uidOf(n) }));
        initial.forEach((_, i) => live.add(podNames[i]!));
        w.listed('Pod', initial, at(t));
        model.listed('Pod', initial);
        w.listed('Service', [service('a', 'web', String(rv++))], at(t));
        model.listed('Service', [service('a', 'web', String(rv - 1))]);
        checkpoints.push({ t, text: snapshotText(model.snapshot()) });
        for (let i = 0; i < 400; i++) {
          t += rand() < 0.2 ? 0 : 1 + Math.floor(rand() * 50); // some reports share a millisecond
          const name = podNames[Math.floor(rand() * podNames.length)]!;
          const ip = `10.0.${Math.floor(rand() * 3)}.${podNames.indexOf(name)}`;
          const r = rand();
          if (!live.has(name)) {
            incarnation.set(name, (incarnation.get(name) ?? 0) + 1); // a re-created pod has a new uid
            const o = pod('a', name, String(rv++), { ip, uid: uidOf(name) });
            w.event('Pod', 'ADDED', o, at(t));
            model.put('Pod', o);
            live.add(name);
          } else if (r < 0.2) {
            const o = pod('a', name, String(rv++), { ip, uid: uidOf(name) });
            w.event('Pod', 'DELETED', o, at(t));
            model.delete('Pod', o);
            live.delete(name);
          } else if (r < 0.3) {
            // a relist in the middle of the stream: some live pods are missing from it
            const listed = [...live].filter(() => rand() < 0.8).map((n) => pod('a', n, String(rv++), { ip: `10.0.9.${podNames.indexOf(n)}`, uid: uidOf(n) }));
            w.listed('Pod', listed, at(t));
            model.listed('Pod', listed);
            live.clear();
            for (const o of listed) live.add(o.metadata.name);
          } else {
            const o = pod('a', name, String(rv++), { ip, uid: uidOf(name), ready: rand() < 0.6, node: rand() < 0.5 ? 'node-a' : 'node-b' });
            w.event('Pod', 'MODIFIED', o, at(t));
            model.put('Pod', o);
          }
          if (rand() < 0.1) await w.flush();
          const last = checkpoints[checkpoints.length - 1]!;
          const text = snapshotText(model.snapshot());
          if (last.t === t) last.text = text;
          else checkpoints.push({ t, text });
        }
        await w.flush();
        const reader = new HistoryReader(w.database);
        for (let i = 0; i < checkpoints.length; i++) {
          const c = checkpoints[i]!;
          expect(snapshotText(reader.snapshotAt(CLUSTER, at(c.t))), `at +${c.t}ms`).toBe(c.text);
          const next = checkpoints[i + 1];
          if (next && next.t > c.t + 1) {
            expect(snapshotText(reader.snapshotAt(CLUSTER, at(next.t - 1))), `at +${next.t - 1}ms`).toBe(c.text);
          }
        }
        expect(snapshotText(reader.currentSnapshot(CLUSTER))).toBe(checkpoints[checkpoints.length - 1]!.text);
        expect(snapshotText(reader.snapshotAt(CLUSTER, at(-1)))).toBe(snapshotText(emptySnapshot()));
        expect(checkInvariants(w.database.db)).toEqual([]);
      } finally {
        await w.close();
      }
    });
  });

  describe('HistoryWriter: write failures', () => {
    // SQLite's busy timeout; PostgreSQL waits for row locks instead (writers of different clusters never share rows).
    it.skipIf(backend.name !== 'sqlite')('flush rejects while the database is locked, keeps the batch, and stores it once writing works again', async () => {
      const errors: Error[] = [];
      const w = await open({ busyTimeoutMs: 50, batchMs: 10_000, onError: (e) => errors.push(e) });
      const blocker = new Database(where.file!);
      try {
        blocker.prepare('BEGIN IMMEDIATE').run();
        w.event('Service', 'ADDED', service('a', 'web', '1'), at(0));
        await expect(w.flush()).rejects.toThrow(/locked|busy/i);
        expect(errors).toHaveLength(1);
        expect(w.pendingReports).toBe(1);
        w.event('Service', 'ADDED', service('a', 'api', '2'), at(1));
        await expect(w.flush()).rejects.toThrow(/locked|busy/i);
        blocker.prepare('COMMIT').run();
        await w.flush();
        expect(w.pendingReports).toBe(0);
        expect(w.lastError).toBeNull();
        expect(new HistoryReader(w.database).currentSnapshot(CLUSTER).services.map((s) => s.metadata.name)).toEqual(['api', 'web']);
      } finally {
        blocker.close();
        await w.close();
      }
    });

    it('writes a batch by itself once batchSize reports are queued', async () => {
      const w = await open({ batchMs: 60_000, batchSize: 3 });
      try {
        for (let i = 0; i < 3; i++) w.event('Service', 'ADDED', service('a', `s${i}`, String(i)), at(i));
        const deadline = Date.now() + 10_000;
        while (w.pendingReports > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        expect(w.pendingReports).toBe(0);
        expect(count(w, 'ObjectVersion')).toBe(3);
      } finally {
        await w.close();
      }
    });
  });

  describe('HistoryWriter: derived rows follow the versions', () => {
    it('a slice change rewrites only the endpoint rows that changed', async () => {
      const w = await open();
      try {
        const eps = (readyOf2: boolean) => [
          { ip: '10.4.0.1', ready: true, pod: 'p1' }, { ip: '10.4.0.2', ready: readyOf2, pod: 'p2' }, { ip: '10.4.0.3', ready: true, pod: 'p3' },
        ];
        w.event('EndpointSlice', 'ADDED', slice('a', 'web-x', 'web', '1', eps(true)), at(0));
        w.event('EndpointSlice', 'MODIFIED', slice('a', 'web-x', 'web', '2', eps(false)), at(100));
        await w.flush();
        const rows = sql(w.database.db, 'SELECT address, ready, validFrom, validTo FROM "EndpointRow" ORDER BY id').all();
        expect(rows).toEqual([
          { address: '10.4.0.1', ready: 1, validFrom: at(0).getTime(), validTo: null },
          { address: '10.4.0.2', ready: 1, validFrom: at(0).getTime(), validTo: at(100).getTime() },
          { address: '10.4.0.3', ready: 1, validFrom: at(0).getTime(), validTo: null },
          { address: '10.4.0.2', ready: 0, validFrom: at(100).getTime(), validTo: null },
        ]);
        const reader = new HistoryReader(w.database);
        expect(reader.endpointsAt(CLUSTER, 'a', 'web', at(50)).map((e) => [e.address, e.ready])).toEqual([['10.4.0.1', true], ['10.4.0.2', true], ['10.4.0.3', true]]);
        expect(reader.endpointsAt(CLUSTER, 'a', 'web', at(100)).map((e) => [e.address, e.ready])).toEqual([['10.4.0.1', true], ['10.4.0.2', false], ['10.4.0.3', true]]);
        expect(reader.endpointsAt(CLUSTER, 'a', 'other', at(100))).toEqual([]);
        expect(reader.endpointsAt(CLUSTER, 'b', 'web', at(100))).toEqual([]);
        w.event('EndpointSlice', 'DELETED', slice('a', 'web-x', 'web', '3', eps(false)), at(200));
        await w.flush();
        expect(count(w, 'EndpointRow')).toBe(4);
        expect(new HistoryReader(w.database).endpointsAt(CLUSTER, 'a', 'web', at(200))).toEqual([]);
        expect(Number(sql(w.database.db, 'SELECT count(*) FROM "EndpointRow" WHERE validTo IS NULL').pluck())).toBe(0);
        expect(checkInvariants(w.database.db)).toEqual([]);
      } finally {
        await w.close();
      }
    });

    it('stores versions as bounded delta chains, continued after a restart, that read back as written', async () => {
      const version = (i: number) => slice('a', 'web-x', 'web', String(i + 1), Array.from({ length: 4 }, (_, k) => (
        { ip: `10.6.0.${k}`, ready: (i >> k) % 2 === 0, pod: `p${k}-${Math.floor(i / 7)}` })));
      const w1 = await open();
      for (let i = 0; i < 20; i++) w1.event('EndpointSlice', 'MODIFIED', version(i), at(i * 100));
      await w1.close();
      const w2 = await open();
      try {
        for (let i = 20; i < 40; i++) w2.event('EndpointSlice', 'MODIFIED', version(i), at(i * 100));
        await w2.flush();
        const stored = await new HistoryReader(w2.database).history(CLUSTER, 'EndpointSlice', 'a', 'web-x');
        expect(stored.map((v) => canonicalJson(v.object)))
          .toEqual(Array.from({ length: 40 }, (_, i) => canonicalJson(project('EndpointSlice', version(i)))));
        const db = w2.database.db;
        expect(sql(db, 'SELECT count(*) FROM "ObjectVersion" WHERE baseId IS NULL').pluck()).toBe(3);
        expect(sql(db, 'SELECT max(n) FROM (SELECT count(*) AS n FROM "ObjectVersion" GROUP BY coalesce(baseId, id)) chains').pluck()).toBe(16);
        expect(checkInvariants(db)).toEqual([]);
      } finally {
        await w2.close();
      }
    });

    it('after a restart, an unchanged slice keeps its open endpoint rows', async () => {
      const eps = [{ ip: '10.5.0.1', ready: true, pod: 'p1' }, { ip: '10.5.0.2', ready: true, pod: 'p2' }];
      const w1 = await open();
      w1.listed('EndpointSlice', [slice('a', 'web-x', 'web', '1', eps)], at(0));
      await w1.close();
      const w2 = await open();
      try {
        w2.listed('EndpointSlice', [slice('a', 'web-x', 'web', '9', [...eps, { ip: '10.5.0.3', ready: true, pod: 'p3' }])], at(1000));
        await w2.flush();
        const rows = sql(w2.database.db, 'SELECT address, validFrom, validTo FROM "EndpointRow" ORDER BY id').all();
        expect(rows).toEqual([
          { address: '10.5.0.1', validFrom: at(0).getTime(), validTo: null },
          { address: '10.5.0.2', validFrom: at(0).getTime(), validTo: null },
          { address: '10.5.0.3', validFrom: at(1000).getTime(), validTo: null },
        ]);
      } finally {
        await w2.close();
      }
    });

    it('the endpoint rows and pod facts valid at any instant are those of the projections valid then', async () => {
      // Endpoint rows have their own validity (kept open while unchanged); pod facts belong to a version.
      const { derivedRows } = await import('../../src/history/derivedRows.js');
      const w = await open();
      const rand = rng(7);
      const times: number[] = [];
      try {
        let rv = 1;
        for (let t = 0; t < 3000; t += 100) {
          const eps = Array.from({ length: 4 }, (_, i) => ({ ip: `10.3.0.${i}`, ready: rand() < 0.5, pod: `p${i}` }));
          w.event('EndpointSlice', 'MODIFIED', slice('a', 'web-x', 'web', String(rv++), eps), at(t));
          w.event('Pod', 'MODIFIED', pod('a', 'p0', String(rv++), { ready: rand() < 0.5, ip: `10.3.0.${Math.floor(rand() * 3)}` }), at(t + 50));
          times.push(t, t + 50, t + 99);
        }
        await w.flush();
        const reader = new HistoryReader(w.database);
        const db = w.database.db;
        for (const t of times) {
          const snap = reader.snapshotAt(CLUSTER, at(t));
          const expectedEndpoints = snap.endpointSlices.flatMap((s) => derivedRows('EndpointSlice', s).endpointRows);
          const endpointRows = sql(db, 
            `SELECT serviceName, address, portName, port, protocol, ready, serving, terminating, node, zone, targetKind, targetName
             FROM "EndpointRow" WHERE clusterId = ? AND validFrom <= ? AND (validTo IS NULL OR validTo > ?)`,
          ).raw(w.clusterId, at(t).getTime(), at(t).getTime());
          const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
          expect(sorted(endpointRows), `endpoints at +${t}`).toEqual(sorted(expectedEndpoints));
        }
      } finally {
        await w.close();
      }
    });
  });
});
