import { describe, expect, it } from 'vitest';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import type { Kind, KubeObject } from '../../src/model/objects.js';
import { canonicalJson, project } from '../../src/model/project.js';
import { ingress, pod, service, slice } from './builders.js';

/** The client-node model type each kind's list items are deserialized into. */
const MODEL: Record<string, string> = {
  Service: 'V1Service', Pod: 'V1Pod', EndpointSlice: 'V1EndpointSlice', Ingress: 'V1Ingress', Endpoints: 'V1Endpoints', Node: 'V1Node',
};

/** What a list returns for `raw`: a model instance (Dates, explicit undefined members) without kind/apiVersion. */
function asListItem(kind: Kind, raw: KubeObject): KubeObject {
  const { kind: _k, apiVersion: _a, ...rest } = raw as KubeObject & Record<string, unknown>;
  return ObjectSerializer.deserialize(JSON.parse(JSON.stringify(rest)), MODEL[kind]!, '') as KubeObject;
}

function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedDeep((v as Record<string, unknown>)[k])]));
  }
  return v;
}

const endpoints: KubeObject = {
  apiVersion: 'v1', kind: 'Endpoints',
  metadata: { namespace: 'shop', name: 'web', uid: 'u-ep', resourceVersion: '5', creationTimestamp: '2026-11-26T08:00:00Z' },
  subsets: [{ addresses: [{ ip: '10.0.0.1', nodeName: 'node-a', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'shop' } }],
    notReadyAddresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
} as KubeObject;

/** A Node as a kubelet reports it: much of it must never be kept. */
const nodeObj: KubeObject = {
  apiVersion: 'v1', kind: 'Node',
  metadata: {
    name: 'node-a', uid: 'u-node', resourceVersion: '12', creationTimestamp: '2026-11-26T08:00:00Z',
    labels: { 'kubernetes.io/hostname': 'node-a', 'topology.kubernetes.io/zone': 'zone-a', 'failure-domain.beta.kubernetes.io/zone': 'zone-a', 'node-role.kubernetes.io/control-plane': '', team: 'payments' },
    annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kubernetes.io/ingress.class': 'nginx' },
  },
  spec: { podCIDR: '10.244.1.0/24', providerID: 'aws:///eu-west-1a/i-0abc', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
  status: {
    addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'node-a' }],
    nodeInfo: { kubeletVersion: 'v1.33.0', machineID: 'secret-machine-id' },
    images: [{ names: ['registry.example.com/app@sha256:abc'], sizeBytes: 1 }],
    conditions: [{ type: 'Ready', status: 'True', message: 'kubelet is posting ready status' }],
  },
} as KubeObject;

const cases: { name: string; kind: Kind; raw: KubeObject }[] = [
  { name: 'service with named targetPort', kind: 'Service', raw: service('shop', 'web', '7') },
  { name: 'ready pod with env-free container ports', kind: 'Pod', raw: pod('shop', 'web-1', '8') },
  { name: 'terminating pod', kind: 'Pod', raw: pod('shop', 'web-2', '9', { ready: false, deletionTimestamp: '2026-11-26T08:05:00Z' }) },
  { name: 'endpoint slice', kind: 'EndpointSlice', raw: slice('shop', 'web-abc', 'web', '10', [{ ip: '10.0.0.1', ready: true, pod: 'web-1' }]) },
  { name: 'ingress with tls', kind: 'Ingress', raw: ingress('shop', 'web', '11', 'shop.example.com', 'web') },
  { name: 'legacy endpoints', kind: 'Endpoints', raw: endpoints },
  { name: 'node', kind: 'Node', raw: nodeObj },
];

describe('project', () => {
  it.each(cases)('$name: a list item and a watch object project identically', ({ kind, raw }) => {
    const fromWatch = canonicalJson(project(kind, raw));
    const fromList = canonicalJson(project(kind, asListItem(kind, raw)));
    expect(fromList).toBe(fromWatch);
  });

  it.each(cases)('$name: keys are sorted at every depth', ({ kind, raw }) => {
    const p = project(kind, raw);
    expect(JSON.stringify(p)).toBe(JSON.stringify(sortedDeep(p)));
  });

  it.each(cases)('$name: projecting a projection changes nothing (the ingest thread projects once, on receipt)', ({ kind, raw }) => {
    const once = project(kind, raw);
    expect(canonicalJson(project(kind, once))).toBe(canonicalJson(once));
  });

  it('a Node keeps its addresses and zone labels only (no other labels or annotations, no spec, images, conditions)', () => {
    expect(project('Node', nodeObj)).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        creationTimestamp: '2026-11-26T08:00:00Z',
        labels: { 'failure-domain.beta.kubernetes.io/zone': 'zone-a', 'topology.kubernetes.io/zone': 'zone-a' },
        name: 'node-a',
        resourceVersion: '12',
        uid: 'u-node',
      },
      status: { addresses: [{ address: '172.18.0.2', type: 'InternalIP' }, { address: 'node-a', type: 'Hostname' }] },
    });
  });

  it.each(cases)('$name: does not mutate its input', ({ kind, raw }) => {
    const before = JSON.stringify(raw);
    project(kind, raw);
    expect(JSON.stringify(raw)).toBe(before);
  });

  it('drops env, command, image, volumes, managedFields, messages and non-routing annotations', () => {
    const raw = pod('shop', 'web-1', '8') as KubeObject & Record<string, any>;
    raw.spec.containers[0].env = [{ name: 'DB_PASSWORD', value: 'hunter2' }];
    raw.spec.volumes = [{ name: 'creds', secret: { secretName: 'db-creds' } }];
    raw.metadata.annotations = { 'kubernetes.io/ingress.class': 'nginx', 'vault.example/token': 's3cr3t' };
    (raw.metadata as any).managedFields = [{ manager: 'kubectl' }];
    const text = canonicalJson(project('Pod', raw));
    for (const s of ['hunter2', 'DB_PASSWORD', 'db-creds', 'vault.example', 's3cr3t', '/bin/app', 'example/app', 'managedFields', 'containerStatuses', '"message"']) {
      expect(text, s).not.toContain(s);
    }
    expect(text).toContain('"kubernetes.io/ingress.class":"nginx"');
    expect(text).toContain('"containerPort":8080');
  });

  it.each([
    { name: 'Date', input: new Date('2026-11-26T08:00:00Z'), expected: '2026-11-26T08:00:00Z' },
    { name: 'string with offset', input: '2026-11-26T09:00:00+01:00', expected: '2026-11-26T08:00:00Z' },
    { name: 'string with fraction', input: '2026-11-26T08:00:00.250Z', expected: '2026-11-26T08:00:00.250Z' },
  ])('normalises a creationTimestamp given as $name', ({ input, expected }) => {
    const p = project('Service', { metadata: { name: 'x', creationTimestamp: input as unknown as string } });
    expect(p.metadata.creationTimestamp).toBe(expected);
  });

  it('takes apiVersion and kind from the kind argument, not the object', () => {
    const p = project('Ingress', { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'x' } });
    expect([p.apiVersion, p.kind]).toEqual(['networking.k8s.io/v1', 'Ingress']);
  });
});
