/**
 * The simulator's controllers (routing-semantics E4–E7, M3–M5), table-driven over named cases: given
 * Services, Pods and Endpoints, which EndpointSlices / Endpoints exist afterwards.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/sim/Cluster.js';
import type { SimObject } from '../../src/sim/Store.js';

function cluster(podGraceMs = 60_000): Cluster {
  return new Cluster({ now: () => new Date('2026-11-20T10:00:00Z'), seed: 3, historyWindow: 1000, podGraceMs });
}

interface PodSpec {
  ip?: string;
  labels?: Record<string, string>;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  ready?: boolean;
  phase?: string;
  node?: string;
  hostname?: string;
  subdomain?: string;
  sidecarPorts?: { name: string; containerPort: number }[];
}

function pod(name: string, p: PodSpec = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', labels: p.labels ?? { app: 'web' } },
    spec: {
      nodeName: p.node ?? 'node-1',
      ...(p.hostname ? { hostname: p.hostname, subdomain: p.subdomain } : {}),
      containers: [{ name: 'c', ports: p.ports ?? [{ name: 'http', containerPort: 8080 }] }],
      ...(p.sidecarPorts ? { initContainers: [{ name: 'side', restartPolicy: 'Always', ports: p.sidecarPorts }] } : {}),
    },
    status: {
      phase: p.phase ?? 'Running',
      ...(p.ip === '' ? {} : { podIP: p.ip ?? '10.0.0.1' }),
      conditions: [{ type: 'Ready', status: p.ready === false ? 'False' : 'True' }],
    },
  };
}

function service(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): object {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns', labels }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } };
}

function slicesOf(c: Cluster, svc: string): SimObject[] {
  return c.store.list('EndpointSlice').filter((s) => s.metadata.namespace === 'ns' && s.metadata.labels?.['kubernetes.io/service-name'] === svc);
}

/** One line per slice: "ports | endpoints" with R/S/T = ready/serving/terminating true (lowercase false, ? unset). */
function summary(c: Cluster, svc: string): string[] {
  const flag = (v: unknown, ch: string) => (v === true ? ch.toUpperCase() : v === false ? ch : '?');
  return slicesOf(c, svc)
    .map((s) => {
      const ports = ((s['ports'] as { name: string; port: number; protocol: string }[]) ?? []).map((p) => `${p.name}:${p.port}/${p.protocol}`).join(',') || '-';
      const eps = ((s['endpoints'] as { addresses: string[]; conditions: Record<string, unknown> }[]) ?? [])
        .map((e) => `${e.addresses[0]}:${flag(e.conditions.ready, 'r')}${flag(e.conditions.serving, 's')}${flag(e.conditions.terminating, 't')}`)
        .join(',');
      return `${ports} | ${eps || '-'}`;
    })
    .sort();
}

interface SliceCase {
  name: string;
  objects: object[];
  /** Runs after the objects are applied. */
  then?: (c: Cluster) => void;
  want: string[];
}

const sliceCases: SliceCase[] = [
  {
    name: 'named targetPort resolved per Pod: one slice per distinct port, a Pod without the port in a ports-less slice',
    objects: [
      service('web', {}),
      pod('a', { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 8080 }] }),
      pod('b', { ip: '10.0.0.2', ports: [{ name: 'http', containerPort: 9090 }] }),
      pod('c', { ip: '10.0.0.3', ports: [{ name: 'other', containerPort: 7070 }] }),
    ],
    want: ['- | 10.0.0.3:RSt', 'http:8080/TCP | 10.0.0.1:RSt', 'http:9090/TCP | 10.0.0.2:RSt'],
  },
  {
    name: 'named targetPort must match the protocol too',
    objects: [service('web', { ports: [{ name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }] }), pod('a', { ports: [{ name: 'dns', containerPort: 5353, protocol: 'TCP' }] })],
    want: ['- | 10.0.0.1:RSt'],
  },
  {
    name: 'named targetPort found on a restartable sidecar init container',
    objects: [service('web', { ports: [{ name: 'm', port: 9100, targetPort: 'metrics' }] }), pod('a', { sidecarPorts: [{ name: 'metrics', containerPort: 9102 }] })],
    want: ['m:9102/TCP | 10.0.0.1:RSt'],
  },
  {
    name: 'numeric targetPort copied even if no container declares it',
    objects: [service('web', { ports: [{ name: 'http', port: 80, targetPort: 9999 }] }), pod('a')],
    want: ['http:9999/TCP | 10.0.0.1:RSt'],
  },
  {
    name: 'targetPort unset defaults to port',
    objects: [service('web', { ports: [{ port: 8081 }] }), pod('a')],
    want: [':8081/TCP | 10.0.0.1:RSt'],
  },
  {
    name: 'no matching Pod: one placeholder slice with no endpoints and no ports',
    objects: [service('web', {}), pod('x', { labels: { app: 'other' } })],
    want: ['- | -'],
  },
  {
    name: 'unready Pod: ready and serving false',
    objects: [service('web', {}), pod('a', { ready: false })],
    want: ['http:8080/TCP | 10.0.0.1:rst'],
  },
  {
    name: 'publishNotReadyAddresses: an unready Pod is ready',
    objects: [service('web', { publishNotReadyAddresses: true }), pod('a', { ready: false })],
    want: ['http:8080/TCP | 10.0.0.1:Rst'],
  },
  {
    name: 'Pods without an IP or Succeeded/Failed are left out (placeholder remains)',
    objects: [service('web', {}), pod('a', { ip: '' }), pod('b', { ip: '10.0.0.2', phase: 'Succeeded' }), pod('c', { ip: '10.0.0.3', phase: 'Failed' })],
    want: ['- | -'],
  },
  {
    name: 'terminating Pod while still Ready: serving, terminating, not ready',
    objects: [service('web', {}), pod('a'), pod('b', { ip: '10.0.0.2' })],
    then: (c) => c.delete('Pod', 'ns', 'a'),
    want: ['http:8080/TCP | 10.0.0.1:rST,10.0.0.2:RSt'],
  },
  {
    name: 'more than 100 endpoints split into several slices',
    objects: [service('web', {}), ...Array.from({ length: 150 }, (_, i) => pod(`p${i}`, { ip: `10.1.${Math.floor(i / 200)}.${(i % 200) + 1}` }))],
    then: () => undefined,
    want: [],
  },
];

describe('EndpointSlice controller', () => {
  for (const tc of sliceCases) {
    it(tc.name, () => {
      const c = cluster();
      for (const o of tc.objects) c.apply(o);
      tc.then?.(c);
      if (tc.name.startsWith('more than 100')) {
        const slices = slicesOf(c, 'web');
        expect(slices.map((s) => (s['endpoints'] as unknown[]).length).sort()).toEqual([100, 50]);
        return;
      }
      expect(summary(c, 'web')).toEqual(tc.want);
    });
  }

  it('a terminating Pod turns not serving when its Ready condition drops, and disappears after the grace period', async () => {
    const c = cluster(80);
    c.apply(service('web', {}));
    c.apply(pod('a'));
    c.delete('Pod', 'ns', 'a');
    expect(summary(c, 'web')).toEqual(['http:8080/TCP | 10.0.0.1:rST']);
    const deadline = Date.now() + 5000;
    const seen = new Set<string>();
    while (Date.now() < deadline && c.store.get('Pod', 'ns', 'a')) {
      seen.add(summary(c, 'web').join(';'));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(seen).toContain('http:8080/TCP | 10.0.0.1:rsT');
    expect(summary(c, 'web')).toEqual(['- | -']);
    c.close();
  });

  it('writes the controller labels, copies Service labels, marks headless Services and owns its slices', () => {
    const c = cluster();
    c.apply(service('web', { clusterIP: 'None' }, { team: 'blue', 'kubernetes.io/service-name': 'spoof' }));
    c.apply(pod('a', { hostname: 'a', subdomain: 'web' }));
    const [s] = slicesOf(c, 'web');
    const svc = c.store.get('Service', 'ns', 'web')!;
    expect(s!.metadata.labels).toEqual({
      team: 'blue',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      'service.kubernetes.io/headless': '',
    });
    expect(s!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const ep = (s!['endpoints'] as { hostname?: string; nodeName?: string; targetRef?: { kind: string; name: string } }[])[0]!;
    expect(ep).toMatchObject({ hostname: 'a', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'a' } });
  });

  it('deletes a hand-made slice claiming to be managed by it, keeps one with another manager', () => {
    const c = cluster();
    c.apply(service('web', {}));
    const slice = (name: string, manager: string) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': manager } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.9.9.9'] }],
      ports: [{ name: 'http', port: 80 }],
    });
    c.apply(slice('fake', 'endpointslice-controller.k8s.io'));
    c.apply(slice('mine', 'example.com/my-controller'));
    const names = slicesOf(c, 'web').map((s) => s.metadata.name);
    expect(names).not.toContain('fake');
    expect(names).toContain('mine');
  });

  it('gives Services without selector or of type ExternalName no slices, and removes slices when the selector goes', () => {
    const c = cluster();
    c.apply(pod('a'));
    c.apply(service('ext', { type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }));
    c.apply(service('nosel', { selector: undefined }));
    expect(slicesOf(c, 'ext')).toHaveLength(0);
    expect(slicesOf(c, 'nosel')).toHaveLength(0);
    c.apply(service('web', {}));
    expect(slicesOf(c, 'web')).toHaveLength(1);
    c.apply(service('web', { selector: null }));
    expect(slicesOf(c, 'web')).toHaveLength(0);
  });

  it('writes nothing when a change does not alter the slices', () => {
    const c = cluster();
    c.apply(service('web', {}));
    c.apply(pod('a'));
    const from = c.store.rv;
    const p = c.store.get('Pod', 'ns', 'a')!;
    c.apply({ ...p, metadata: { ...p.metadata, annotations: { note: 'x' } } });
    expect(c.store.changes(from).map((e) => e.kind)).toEqual(['Pod']);
  });

  it('deletes the slices and the Endpoints with their Service', () => {
    const c = cluster();
    c.apply(service('web', {}));
    c.apply(pod('a'));
    c.delete('Service', 'ns', 'web');
    expect(slicesOf(c, 'web')).toHaveLength(0);
    expect(c.store.get('Endpoints', 'ns', 'web')).toBeUndefined();
  });
});

describe('Endpoints controller', () => {
  const cases: { name: string; objects: object[]; then?: (c: Cluster) => void; want: unknown }[] = [
    {
      name: 'ready Pods in addresses, unready in notReadyAddresses, grouped by resolved ports',
      objects: [service('web', {}), pod('a'), pod('b', { ip: '10.0.0.2', ready: false }), pod('c', { ip: '10.0.0.3', ports: [{ name: 'http', containerPort: 9090 }] })],
      want: [
        { addresses: ['10.0.0.1'], notReadyAddresses: ['10.0.0.2'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
        { addresses: ['10.0.0.3'], notReadyAddresses: [], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
      ],
    },
    {
      name: 'terminating Pods are left out',
      objects: [service('web', {}), pod('a'), pod('b', { ip: '10.0.0.2' })],
      then: (c) => c.delete('Pod', 'ns', 'a'),
      want: [{ addresses: ['10.0.0.2'], notReadyAddresses: [], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    },
    {
      name: 'a Pod whose named port does not resolve is left out',
      objects: [service('web', {}), pod('a', { ports: [{ name: 'x', containerPort: 1 }] })],
      want: [],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const c = cluster();
      for (const o of tc.objects) c.apply(o);
      tc.then?.(c);
      const ep = c.store.get('Endpoints', 'ns', 'web')!;
      expect(ep.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror']).toBe('true');
      const subsets = ((ep['subsets'] as { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[]; ports: unknown[] }[]) ?? []).map((s) => ({
        addresses: (s.addresses ?? []).map((a) => a.ip),
        notReadyAddresses: (s.notReadyAddresses ?? []).map((a) => a.ip),
        ports: s.ports,
      }));
      expect(subsets).toEqual(tc.want);
    });
  }
});

describe('EndpointSlice mirroring controller', () => {
  function manual(name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): object {
    return {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: 'ns', labels: { owner: 'dba' }, annotations: { note: 'keep', 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, ...meta },
      subsets: [{ addresses: [{ ip: '192.168.50.10', hostname: 'db0' }, { ip: 'not-an-ip' }], notReadyAddresses: [{ ip: '192.168.50.11' }], ports: [{ name: 'sql', port: 3306 }] }],
      ...extra,
    };
  }
  const noSelector = (name: string) => service(name, { selector: undefined, ports: [{ name: 'sql', port: 3306 }] });

  it('mirrors manual Endpoints of a selector-less Service: labels, annotations, owner, ready flags, invalid IPs skipped', () => {
    const c = cluster();
    c.apply(noSelector('db'));
    c.apply(manual('db'));
    const slices = slicesOf(c, 'db');
    expect(slices).toHaveLength(1);
    const s = slices[0]!;
    const ep = c.store.get('Endpoints', 'ns', 'db')!;
    expect(s.metadata.labels).toEqual({ owner: 'dba', 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    expect(s.metadata.annotations).toEqual({ note: 'keep' });
    expect(s.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Endpoints', name: 'db', uid: ep.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(s['ports']).toEqual([{ name: 'sql', port: 3306, protocol: 'TCP' }]);
    expect(s['endpoints']).toEqual([
      { addresses: ['192.168.50.10'], conditions: { ready: true }, hostname: 'db0' },
      { addresses: ['192.168.50.11'], conditions: { ready: false } },
    ]);
  });

  const notMirrored: [string, (c: Cluster) => void][] = [
    ['no Service of that name', (c) => c.apply(manual('db'))],
    ['the Service has a selector', (c) => (c.apply(service('db', {})), c.apply(manual('db')))],
    ['skip-mirror label', (c) => (c.apply(noSelector('db')), c.apply(manual('db', {}, { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } })))],
    ['leader-election annotation', (c) => (c.apply(noSelector('db')), c.apply(manual('db', {}, { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } })))],
  ];
  for (const [name, setup] of notMirrored) {
    it(`does not mirror when: ${name}`, () => {
      const c = cluster();
      setup(c);
      expect(slicesOf(c, 'db').filter((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslicemirroring-controller.k8s.io')).toHaveLength(0);
    });
  }

  it('follows Endpoints changes and removes mirrored slices when the Endpoints or the Service goes', () => {
    const c = cluster();
    c.apply(noSelector('db'));
    c.apply(manual('db'));
    c.apply(manual('db', { subsets: [{ addresses: [{ ip: '192.168.50.20' }], ports: [{ name: 'sql', port: 3307 }] }] }));
    expect(summary(c, 'db')).toEqual(['sql:3307/TCP | 192.168.50.20:R??']);
    c.delete('Endpoints', 'ns', 'db');
    expect(slicesOf(c, 'db')).toHaveLength(0);
    c.apply(manual('db'));
    expect(slicesOf(c, 'db')).toHaveLength(1);
    c.delete('Service', 'ns', 'db');
    expect(slicesOf(c, 'db')).toHaveLength(0);
  });

  it('deletes a hand-made slice claiming the mirroring manager when nothing is mirrored for it', () => {
    const c = cluster();
    c.apply({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'fake', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' } },
      addressType: 'IPv4',
      endpoints: [],
    });
    expect(c.store.get('EndpointSlice', 'ns', 'fake')).toBeUndefined();
  });
});
