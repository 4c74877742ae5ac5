/**
 * Scenarios, churn and the scale generator: the seed cluster's content, churn determinism and realism,
 * and the synthetic cluster's shape.
 */
import { describe, expect, it } from 'vitest';
import { CHURN_NAMESPACE } from '../../src/sim/Churn.js';
import { parseScaleSpec } from '../../src/sim/ScaleGenerator.js';
import { parseScenario } from '../../src/sim/Scenario.js';
import { startSim } from '../helpers/sim.js';

describe('seed scenario', () => {
  it('reproduces the seed documents cluster', async () => {
    const sim = await startSim({ scenario: 'seed' });
    try {
      const s = sim.state();
      const svc = (ns: string, name: string) => s.Service.find((o) => o.metadata.namespace === ns && o.metadata.name === name)!;
      expect(svc('default', 'my-app-service').spec).toMatchObject({ type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ port: 80, targetPort: 'http' }] });
      expect(svc('default', 'my-app-nodeport').spec).toMatchObject({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
      expect(svc('kube-public', 'external-webserver-cka03-svcn').spec).toMatchObject({ clusterIP: '10.43.109.238', ports: [{ port: 80, protocol: 'TCP' }] });
      expect(svc('kube-public', 'external-webserver-cka03-svcn').spec).not.toHaveProperty('selector');
      const pods = s.Pod.filter((p) => p.metadata.labels?.['app'] === 'my-app');
      expect(pods.map((p) => (p.status as { podIP: string }).podIP).sort()).toEqual(['192.168.1.2', '192.168.1.3', '192.168.1.4']);
      for (const p of pods) {
        expect((p.spec as { nodeName?: string }).nodeName).toBeTruthy();
        expect((p.status as { hostIP?: string }).hostIP).toBeTruthy();
        expect((p.spec as { containers: { ports: unknown[] }[] }).containers[0]!.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      }
      const ing = s.Ingress.find((i) => i.metadata.name === 'my-app-ingress')!;
      expect(ing.spec).toMatchObject({ ingressClassName: 'nginx', tls: [{ hosts: ['ibtisam-iq.com'] }], rules: [{ host: 'ibtisam-iq.com' }] });
      expect(s.IngressClass.map((c) => c.metadata.name)).toEqual(['nginx']);
      // Selector-less Service in kube-public: no endpoints of any kind.
      expect(s.EndpointSlice.filter((e) => e.metadata.namespace === 'kube-public')).toHaveLength(0);
      expect(s.Endpoints.filter((e) => e.metadata.namespace === 'kube-public')).toHaveLength(0);
      // external-db: manual Endpoints mirrored.
      const mirrored = s.EndpointSlice.filter((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'external-db');
      expect(mirrored).toHaveLength(1);
      expect(mirrored[0]!['endpoints']).toEqual([{ addresses: ['192.168.50.10'], conditions: { ready: true } }]);
      // my-app-service: named port resolved to 8080 on all three Pods.
      const mySlices = s.EndpointSlice.filter((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'my-app-service');
      expect(mySlices).toHaveLength(1);
      expect(mySlices[0]!['ports']).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
      expect((mySlices[0]!['endpoints'] as unknown[]).length).toBe(3);
    } finally {
      await sim.close();
    }
  });

  it('fixes the cka03 Service when its EndpointSlice is applied', async () => {
    const sim = await startSim({ scenario: 'seed' });
    try {
      sim.apply({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'external-webserver-cka03-svcn', namespace: 'kube-public', labels: { 'kubernetes.io/service-name': 'external-webserver-cka03-svcn' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['192.168.141.31'] }],
        ports: [{ port: 9999, protocol: 'TCP' }],
      });
      const s = sim.get('EndpointSlice', 'kube-public', 'external-webserver-cka03-svcn')!;
      expect(s['ports']).toEqual([{ name: '', port: 9999, protocol: 'TCP' }]);
    } finally {
      await sim.close();
    }
  });
});

describe('scenario files', () => {
  it('parses multi-document YAML and unpacks List objects', () => {
    const objs = parseScenario(
      `kind: Service
metadata: { name: a }
---
# comment only document
---
kind: List
items:
  - { kind: Pod, metadata: { name: b } }
  - { kind: Pod, metadata: { name: c } }
`,
      'inline',
    );
    expect(objs.map((o) => (o['metadata'] as { name: string }).name)).toEqual(['a', 'b', 'c']);
  });

  it('names the broken document', () => {
    expect(() => parseScenario('kind: Service\nmetadata: {name: a}\n---\n- just\n- a list\n', 'f.yaml')).toThrow(/f\.yaml: document 2 is not a mapping/);
  });
});

describe('churn', () => {
  async function churnLog(seed: number, steps: number) {
    const sim = await startSim({ seed, podGraceMs: 60_000 });
    try {
      sim.churn.step(steps);
      return sim.changeLog().map((c) => `${c.type} ${c.kind} ${c.namespace}/${c.name} ${JSON.stringify(c.object.metadata.labels ?? {})}`);
    } finally {
      await sim.close();
    }
  }

  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await churnLog(42, 300);
    const b = await churnLog(42, 300);
    const c = await churnLog(43, 300);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('drives rolling restarts, scaling, readiness flaps and Ingress edits', async () => {
    const sim = await startSim({ seed: 5, podGraceMs: 60_000 });
    try {
      const from = sim.resourceVersion();
      sim.churn.step(400);
      const log = sim.changeLog(from);
      const pods = log.filter((c) => c.kind === 'Pod');
      expect(pods.some((c) => c.type === 'ADDED')).toBe(true);
      expect(pods.some((c) => c.object.metadata.deletionTimestamp)).toBe(true);
      const readyFlips = pods.filter((c) => (c.object.status as { conditions?: { type: string; status: string }[] }).conditions?.some((x) => x.type === 'Ready' && x.status === 'False'));
      expect(readyFlips.length).toBeGreaterThan(0);
      const hashes = new Set(pods.map((c) => c.object.metadata.labels?.['pod-template-hash']));
      expect(hashes.size).toBeGreaterThan(4); // new ReplicaSets from rolling restarts
      expect(log.some((c) => c.kind === 'Ingress' && c.type === 'MODIFIED')).toBe(true);
      expect(log.some((c) => c.kind === 'EndpointSlice' && c.type === 'MODIFIED')).toBe(true);
      // Networking-irrelevant fields a history store must drop.
      const pod = sim.state().Pod.find((p) => p.metadata.namespace === CHURN_NAMESPACE)!;
      const text = JSON.stringify(pod);
      expect(text).toContain('DB_PASSWORD');
      expect(text).toContain('hunter2-secret');
      expect(pod.spec).toHaveProperty('volumes');
      expect(pod.metadata.annotations).toHaveProperty('checksum/config');
    } finally {
      await sim.close();
    }
  });

  it('runs at a rate and stops', async () => {
    const sim = await startSim({ churn: 200, seed: 9, podGraceMs: 50 });
    try {
      const rv = sim.resourceVersion();
      const until = Date.now() + 10_000;
      while (sim.resourceVersion() < rv + 50 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(sim.resourceVersion()).toBeGreaterThanOrEqual(rv + 50);
      sim.churn.stop();
      sim.finishTerminating();
      const stopped = sim.resourceVersion();
      await new Promise((r) => setTimeout(r, 100));
      expect(sim.resourceVersion()).toBe(stopped);
    } finally {
      await sim.close();
    }
  });
});

describe('scale generator', () => {
  it('parses services=N,pods=M,ingresses=K and rejects anything else', () => {
    expect(parseScaleSpec('services=10,pods=100,ingresses=2')).toEqual({ services: 10, pods: 100, ingresses: 2 });
    expect(parseScaleSpec('pods=4,services=2')).toEqual({ services: 2, pods: 4, ingresses: 0 });
    for (const bad of ['services=x', 'nodes=3', 'services=1,pods', 'pods=3']) expect(() => parseScaleSpec(bad)).toThrow();
  });

  it('builds Services, Pods, Ingresses and the derived slices and Endpoints', async () => {
    const sim = await startSim({ scale: { services: 250, pods: 1000, ingresses: 30 } });
    try {
      const s = sim.state();
      expect(s.Service).toHaveLength(250);
      expect(s.Pod).toHaveLength(1000);
      expect(s.Ingress).toHaveLength(30);
      expect(s.Endpoints).toHaveLength(250);
      expect(s.EndpointSlice).toHaveLength(250);
      expect(new Set(s.Service.map((o) => o.metadata.namespace)).size).toBe(3);
      const endpoints = s.EndpointSlice.reduce((n, sl) => n + (sl['endpoints'] as unknown[]).length, 0);
      expect(endpoints).toBe(1000);
    } finally {
      await sim.close();
    }
  });
});

describe('injected clock', () => {
  it('stamps creation, deletion and condition transition times and change times from `now`', async () => {
    let t = Date.parse('2030-01-01T00:00:00Z');
    const sim = await startSim({ now: () => new Date(t), podGraceMs: 60_000 });
    try {
      const from = sim.resourceVersion();
      const pod = sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } });
      expect(pod.metadata.creationTimestamp).toBe('2030-01-01T00:00:00Z');
      const ready = () => (sim.get('Pod', 'default', 'p')!.status as { conditions: { type: string; status: string; lastTransitionTime: string }[] }).conditions.find((c) => c.type === 'Ready')!;
      expect(ready().lastTransitionTime).toBe('2030-01-01T00:00:00Z');
      t += 60_000;
      const cur = sim.get('Pod', 'default', 'p')!;
      const conditions = (cur.status as { conditions: { type: string; status: string }[] }).conditions.map((c) => (c.type === 'Ready' ? { type: 'Ready', status: 'False' } : c));
      sim.apply({ ...cur, status: { ...(cur.status as object), conditions } });
      expect(ready()).toMatchObject({ status: 'False', lastTransitionTime: '2030-01-01T00:01:00Z' });
      t += 60_000;
      sim.apply({ ...sim.get('Pod', 'default', 'p')!, metadata: { ...pod.metadata, labels: { x: 'y' } } });
      expect(ready().lastTransitionTime).toBe('2030-01-01T00:01:00Z'); // unchanged condition keeps its time
      t += 60_000;
      sim.remove('Pod', 'default', 'p');
      expect(sim.get('Pod', 'default', 'p')!.metadata.deletionTimestamp).toBe('2030-01-01T00:04:00Z'); // now + 60 s grace
      const at = sim.changeLog(from).filter((c) => c.kind === 'Pod').map((c) => c.at.toISOString());
      expect(at).toEqual(['2030-01-01T00:00:00.000Z', '2030-01-01T00:01:00.000Z', '2030-01-01T00:02:00.000Z', '2030-01-01T00:03:00.000Z']);
    } finally {
      await sim.close();
    }
  });
});
