/**
 * §3 EndpointSlices (E1–E9) and §4 Endpoints and mirroring (M1–M8), with worked examples X1–X7.
 */
import { describe, expect, it } from 'vitest';
import { canonicalIP } from '../../src/resolver/canonicalIP.js';
import { ask, codes, endpointsObj, ep, pod, port, slice, svc, toHost, toService } from './builders.js';

const sel = { selector: { app: 'web' } };

describe('E1 slice structure', () => {
  it('E1 slice port name nil → "" and protocol nil → TCP join an unnamed TCP Service port', () => {
    const a = ask([svc('ext', { ports: [port(80)] }), slice('ext-1', 'ext', [{ port: 9999 }], [ep('192.168.141.31', { noConditions: true })])], toService('default/ext', 80));
    expect(a.backends).toEqual(['192.168.141.31:9999']);
  });
  it('E1 slice ports nil or 0 are skipped', () => {
    const a = ask([svc('web', { ports: [port(80)] }), slice('web-1', 'web', [{ port: 0 }], [ep('10.0.0.1')]), slice('web-2', 'web', [{ port: null }], [ep('10.0.0.2')])], toService('default/web', 80));
    expect(a.backends).toEqual([]);
  });
  it('E1 only addresses[0] is used (noted)', () => {
    const a = ask([svc('web'), slice('web-1', 'web', [{ port: 8080 }], [ep('10.0.0.1', { addresses: ['10.0.0.1', '10.0.0.2'] })])], toService('default/web', 80));
    expect(a.backends).toEqual(['10.0.0.1:8080']);
    expect(codes(a)).toContain('ENDPOINT_MULTIPLE_ADDRESSES');
  });
  it('E1 FQDN slices are never used (reported)', () => {
    const a = ask([svc('web'), slice('web-1', 'web', [{ port: 8080 }], [ep('db.example.com')], { addressType: 'FQDN' })], toService('default/web', 80));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toContain('SLICE_FAMILY_MISMATCH');
  });
});

describe('E2 condition defaults', () => {
  const rows: [string, Parameters<typeof ep>[1], string[]][] = [
    ['E2 conditions {} is fully ready', {}, ['10.0.0.1:8080']],
    ['E2 no conditions at all is fully ready', { noConditions: true }, ['10.0.0.1:8080']],
    ['E2 ready=false, serving nil (→true), terminating nil (→false): not used', { ready: false }, []],
    ['E2 ready=false, terminating=true, serving nil (→true): used as fallback', { ready: false, terminating: true }, ['10.0.0.1:8080']],
  ];
  for (const [name, cond, want] of rows) {
    it(name, () => expect(ask([svc('web'), slice('web-1', 'web', [{ port: 8080 }], [ep('10.0.0.1', cond)])], toService('default/web', 80)).backends).toEqual(want));
  }
});

describe('E3 linking by label', () => {
  it('E3 a slice without kubernetes.io/service-name is ignored and reported (X6)', () => {
    const a = ask([svc('db', { ports: [port(5432)] }), slice('db-abc', null, [{ port: 5432 }], [ep('10.0.5.5')], { managedBy: null })], toService('default/db', 5432));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toEqual(expect.arrayContaining(['NO_ENDPOINTS', 'SLICE_MISSING_SERVICE_NAME_LABEL']));
  });
  it('E3 an empty service-name label is the same as none', () => {
    const a = ask([svc('db', { ports: [port(5432)] }), slice('db-abc', '', [{ port: 5432 }], [ep('10.0.5.5')])], toService('default/db', 5432));
    expect(a.backends).toEqual([]);
  });
  it('E3 a slice in another namespace is ignored', () => {
    const a = ask([svc('ext'), slice('other/ext-1', 'ext', [{ port: 8080 }], [ep('10.0.0.1')])], toService('default/ext', 80));
    expect(a.backends).toEqual([]);
  });
  it('E3 the slice name is irrelevant: any name with the label links', () => {
    const a = ask([svc('ext'), slice('manual-eps', 'ext', [{ port: 8080 }], [ep('10.0.0.1')])], toService('default/ext', 80));
    expect(a.backends).toEqual(['10.0.0.1:8080']);
  });
  it('E3 a label naming a missing, similar Service is reported', () => {
    const a = ask([svc('db', { ports: [port(5432)] }), slice('db-1', 'dbb', [{ port: 5432 }], [ep('10.0.5.5')])], toService('default/db', 5432));
    expect(codes(a)).toContain('SLICE_ORPHAN_LABEL');
  });
});

describe('E4/E5 controller-produced endpoints', () => {
  it('E4 selector matches no Pod: SELECTOR_MATCHES_NO_PODS with near misses (X2)', () => {
    const a = ask([svc('web', sel), pod('web-0', { labels: { app: 'webapp' }, ip: '10.1.0.1' }), slice('web-1', 'web', null as never, null as never, { managedBy: 'endpointslice-controller.k8s.io', owner: 'web' })], toService('default/web', 80));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toEqual(expect.arrayContaining(['NO_ENDPOINTS', 'SELECTOR_MATCHES_NO_PODS']));
    expect(a.findings.find((f) => f.code === 'SELECTOR_MATCHES_NO_PODS')?.message).toContain('web-0 has app=webapp');
  });
  it('E4 Pods not ready: NO_READY_ENDPOINTS and PODS_NOT_READY with the Ready condition (X3)', () => {
    const pods = [0, 1, 2].map((i) => pod(`web-${i}`, { labels: { app: 'web' }, ip: `10.1.1.${i}`, ready: false }));
    const a = ask([svc('web', sel), ...pods, slice('web-1', 'web', [{ port: 8080 }], pods.map((p, i) => ep(`10.1.1.${i}`, { ready: false, serving: false, terminating: false, pod: p.metadata.name })))], toService('default/web', 80));
    expect(a.verdict).toBe('rejected');
    expect(codes(a)).toEqual(expect.arrayContaining(['NO_READY_ENDPOINTS', 'PODS_NOT_READY']));
    expect(a.findings.find((f) => f.code === 'PODS_NOT_READY')?.message).toContain('Ready=False');
  });
  it('E4 derived from Pods: Succeeded/Failed Pods and Pods without IP are skipped; terminating → not ready', () => {
    const a = ask(
      [
        svc('web', sel),
        pod('ok', { labels: { app: 'web' }, ip: '10.1.2.1' }),
        pod('done', { labels: { app: 'web' }, ip: '10.1.2.2', phase: 'Succeeded' }),
        pod('noip', { labels: { app: 'web' } }),
        pod('bye', { labels: { app: 'web' }, ip: '10.1.2.3', terminating: true }),
      ],
      toService('default/web', 80),
    );
    expect(a.backends).toEqual(['10.1.2.1:8080']);
    expect(a.endpoints.map((e) => [e.address, e.conditions])).toEqual([
      ['10.1.2.1', { ready: true, serving: true, terminating: false }],
      ['10.1.2.3', { ready: false, serving: true, terminating: true }],
    ]);
  });
  it('E5 an empty selector result gives no endpoints (placeholder slice with no ports)', () => {
    const a = ask([svc('web', sel)], toService('default/web', 80));
    expect(codes(a)).toEqual(expect.arrayContaining(['NO_ENDPOINTS', 'SELECTOR_MATCHES_NO_PODS']));
  });
  it('E4 selector {} is treated as no selector', () => {
    const a = ask([svc('web', { selector: {} }), pod('p', { ip: '10.1.3.1' })], toService('default/web', 80));
    expect(a.service?.selector).toBeNull();
    expect(codes(a)).not.toContain('SELECTOR_MATCHES_NO_PODS');
  });
});

describe('E6/E7 labels and ownership', () => {
  it('E6/E7 a slice carrying the controller managed-by label without being owned by the Service is reported (it will be deleted)', () => {
    const a = ask([svc('web', sel), pod('p', { labels: { app: 'web' }, ip: '10.2.0.1' }), slice('hand', 'web', [{ port: 8080 }], [ep('10.2.0.1')], { managedBy: 'endpointslice-controller.k8s.io' })], toService('default/web', 80));
    expect(codes(a)).toContain('SLICE_RESERVED_MANAGER');
    expect(a.backends).toEqual(['10.2.0.1:8080']);
  });
  it('E7 a hand-made slice with another managed-by coexists with the controller slice and is merged', () => {
    const a = ask(
      [svc('web', sel), pod('p', { labels: { app: 'web' }, ip: '10.2.1.1' }), slice('web-abc', 'web', [{ port: 8080 }], [ep('10.2.1.1')], { managedBy: 'endpointslice-controller.k8s.io', owner: 'web' }), slice('extra', 'web', [{ port: 8080 }], [ep('10.2.1.2')], { managedBy: 'staff' })],
      toService('default/web', 80),
    );
    expect(a.backends).toEqual(['10.2.1.1:8080', '10.2.1.2:8080']);
    expect(codes(a)).not.toContain('SLICE_RESERVED_MANAGER');
  });
  it('E7 a hand-made slice without managed-by is noted', () => {
    expect(codes(ask([svc('ext'), slice('ext-1', 'ext', [{ port: 8080 }], [ep('10.2.2.1')], { managedBy: null })], toService('default/ext', 80)))).toContain('SLICE_NO_MANAGED_BY');
  });
});

describe('E8 merging and dedup', () => {
  it('E8 canonical IPs: the same IPv6 endpoint written two ways is one candidate', () => {
    const a = ask(
      [svc('web', { clusterIP: 'fd00::10', ipFamilies: ['IPv6'] }), slice('a', 'web', [{ port: 8080 }], [ep('FD00:0:0::0001')], { addressType: 'IPv6' }), slice('b', 'web', [{ port: 8080 }], [ep('fd00::1')], { addressType: 'IPv6' })],
      toService('default/web', 80),
    );
    expect(a.backends).toEqual(['[fd00::1]:8080']);
    expect(codes(a)).toContain('DUPLICATE_ENDPOINT');
  });
  it('E8 a terminating copy never replaces a non-terminating one', () => {
    const a = ask([svc('web'), slice('a', 'web', [{ port: 8080 }], [ep('10.3.0.1', { ready: true })]), slice('b', 'web', [{ port: 8080 }], [ep('10.3.0.1', { ready: false, serving: true, terminating: true })])], toService('default/web', 80));
    expect(a.endpoints).toHaveLength(1);
    expect(a.endpoints[0]).toMatchObject({ slice: 'a', conditions: { ready: true } });
  });
  it('E8 a non-terminating copy replaces a terminating one', () => {
    const a = ask([svc('web'), slice('a', 'web', [{ port: 8080 }], [ep('10.3.1.1', { ready: false, terminating: true })]), slice('b', 'web', [{ port: 8080 }], [ep('10.3.1.1', { ready: true })])], toService('default/web', 80));
    expect(a.endpoints[0]).toMatchObject({ slice: 'b', conditions: { ready: true } });
  });
  it('E8 two non-terminating copies: deterministic whatever the input order', () => {
    const s1 = slice('a', 'web', [{ port: 8080 }], [ep('10.3.2.1', { ready: true, node: 'n1' })]);
    const s2 = slice('b', 'web', [{ port: 8080 }], [ep('10.3.2.1', { ready: true, node: 'n2' })]);
    const x = ask([svc('web'), s1, s2], toService('default/web', 80));
    const y = ask([svc('web'), s2, s1], toService('default/web', 80));
    expect(JSON.stringify(x)).toBe(JSON.stringify(y));
    expect(x.endpoints[0]!.slice).toBe('b');
  });
  it('E8 canonicalIP prints what kube-proxy prints', () => {
    expect(canonicalIP('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIP('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIP('2001:db8:0:0:0:0:2:1')).toBe('2001:db8::2:1');
    expect(canonicalIP('010.0.0.1')).toBeNull();
    expect(canonicalIP('fd00::1::2')).toBeNull();
  });
});

describe('E9 the join rule', () => {
  it('E9 slice port name must equal the Service port name: mismatch gives no endpoints (X1 variant)', () => {
    const a = ask([svc('legacy', { ports: [port(80, { name: 'http', targetPort: 8080 })] }), slice('legacy-1', 'legacy', [{ name: 'web', port: 8080 }], [ep('172.16.0.9')])], toService('default/legacy', 80));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toEqual(expect.arrayContaining(['NO_ENDPOINTS', 'ENDPOINT_PORT_NAME_MISMATCH']));
  });
  it('E9 protocol must match: a UDP slice port does not serve a TCP Service port', () => {
    const a = ask([svc('ext', { ports: [port(80)] }), slice('ext-1', 'ext', [{ port: 9999, protocol: 'UDP' }], [ep('10.4.0.1')])], toService('default/ext', 80));
    expect(codes(a)).toContain('ENDPOINT_PORT_NAME_MISMATCH');
  });
  it('E9 port numbers are never compared: slice port 1234 serves Service port 80', () => {
    expect(ask([svc('x', { ports: [port(80, { name: 'a', targetPort: 80 })] }), slice('x-1', 'x', [{ name: 'a', port: 1234 }], [ep('10.4.1.1')])], toService('default/x', 80)).backends).toEqual(['10.4.1.1:1234']);
  });
  it('E9 multi-port: each Service port picks its own slice port by name', () => {
    const objects = [svc('api', { ports: [port(80, { name: 'http', targetPort: 8080 }), port(9100, { name: 'metrics', targetPort: 9090 })] }), slice('api-1', 'api', [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], [ep('10.4.2.1')])];
    expect(ask(objects, toService('default/api', 80)).backends).toEqual(['10.4.2.1:8080']);
    expect(ask(objects, toService('default/api', 'metrics')).backends).toEqual(['10.4.2.1:9090']);
  });
  it('X7 port mismatch on a selector Service: traffic still goes to the targetPort', () => {
    const a = ask([svc('api', { selector: { app: 'api' }, ports: [port(80, { targetPort: 8080 })] }), pod('api-0', { labels: { app: 'api' }, ip: '10.4.3.1', ports: [{ containerPort: 80 }] })], toService('default/api', 80));
    expect(a.backends).toEqual(['10.4.3.1:8080']);
    expect(codes(a)).toContain('NUMERIC_TARGET_PORT_UNDECLARED');
  });
});

describe('M1–M8 Endpoints and mirroring', () => {
  it('M1/M4 kube-proxy reads only slices: a mirrorable Endpoints is used through its mirrored slices', () => {
    const a = ask([svc('external-db', { ports: [port(3306)] }), endpointsObj('external-db', [{ addresses: [{ ip: '192.168.50.10' }], ports: [{ port: 3306 }] }])], toHost('external-db.default.svc.cluster.local', 3306));
    expect(a.backends).toEqual(['192.168.50.10:3306']);
    expect(codes(a)).toContain('ENDPOINTS_MIRRORED');
  });
  it('M1 when labelled slices exist, the Endpoints object is not read', () => {
    const a = ask([svc('db', { ports: [port(3306)] }), endpointsObj('db', [{ addresses: [{ ip: '10.5.0.1' }], ports: [{ port: 3306 }] }]), slice('db-1', 'db', [{ port: 3306 }], [ep('10.5.0.2')], { managedBy: 'endpointslicemirroring-controller.k8s.io' })], toService('default/db', 3306));
    expect(a.backends).toEqual(['10.5.0.2:3306']);
  });
  it('M2 an address both ready and not ready is not ready', () => {
    const a = ask([svc('db', { ports: [port(3306)] }), endpointsObj('db', [{ addresses: [{ ip: '10.5.1.1' }, { ip: '10.5.1.2' }], notReadyAddresses: [{ ip: '10.5.1.1' }], ports: [{ port: 3306 }] }])], toService('default/db', 3306));
    expect(a.backends).toEqual(['10.5.1.2:3306']);
  });
  it('M2 Endpoints port name must equal the Service port name', () => {
    const a = ask([svc('db', { ports: [port(3306, { name: 'mysql' })] }), endpointsObj('db', [{ addresses: [{ ip: '10.5.2.1' }], ports: [{ port: 3306, name: 'sql' }] }])], toService('default/db', 3306));
    expect(codes(a)).toContain('ENDPOINT_PORT_NAME_MISMATCH');
  });
  it('M3/M4 hand-written Endpoints for a selector Service are not mirrored (reported)', () => {
    const a = ask([svc('db', { selector: { app: 'db' }, ports: [port(5432)] }), endpointsObj('db', [{ addresses: [{ ip: '10.0.5.5' }], ports: [{ port: 5432 }] }]), slice('other-1', 'other', [], [])], toService('default/db', 5432));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toContain('ENDPOINTS_IGNORED_SELECTOR');
  });
  it('M4 Endpoints named differently from the Service are orphaned (X5)', () => {
    const a = ask([svc('db', { ports: [port(5432)] }), endpointsObj('db-ep', [{ addresses: [{ ip: '10.0.5.5' }], ports: [{ port: 5432 }] }])], toService('default/db', 5432));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toEqual(expect.arrayContaining(['NO_ENDPOINTS', 'ENDPOINTS_NAME_MISMATCH']));
  });
  it('M4 skip-mirror "true" Endpoints are not used', () => {
    const a = ask([svc('db', { ports: [port(5432)] }), endpointsObj('db', [{ addresses: [{ ip: '10.0.5.5' }], ports: [{ port: 5432 }] }], { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } })], toService('default/db', 5432));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toContain('ENDPOINTS_SKIP_MIRROR');
  });
  it('M4 leader-election Endpoints are not mirrored', () => {
    const a = ask([svc('db', { ports: [port(5432)] }), endpointsObj('db', [{ addresses: [{ ip: '10.0.5.5' }], ports: [{ port: 5432 }] }], { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } })], toService('default/db', 5432));
    expect(a.backends).toEqual([]);
    expect(codes(a)).toContain('ENDPOINTS_NOT_MIRRORED');
  });
  it('M5 mirrored IPv6 addresses go to an IPv6 slice; invalid IPs are skipped', () => {
    const a = ask([svc('db', { clusterIP: 'fd00::5', ipFamilies: ['IPv6'], ports: [port(5432)] }), endpointsObj('db', [{ addresses: [{ ip: 'FD00::0:7' }, { ip: 'not-an-ip' }, { ip: '10.5.3.1' }], ports: [{ port: 5432 }] }])], toService('default/db', 5432));
    expect(a.backends).toEqual(['[fd00::7]:5432']);
  });
  it('M6 at most 1000 addresses per subset are mirrored, ready first', () => {
    const addresses = Array.from({ length: 1001 }, (_, i) => ({ ip: `10.6.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
    const a = ask([svc('big', { ports: [port(80)] }), endpointsObj('big', [{ addresses, ports: [{ port: 80 }] }], { annotations: { 'endpoints.kubernetes.io/over-capacity': 'truncated' } })], toService('default/big', 80));
    expect(a.backends).toHaveLength(1000);
    expect(codes(a)).toContain('ENDPOINTS_OVER_CAPACITY');
  });
  it('M7 mirrored notReadyAddresses (ready=false, serving nil) never receive traffic', () => {
    const a = ask([svc('db', { ports: [port(5432)] }), endpointsObj('db', [{ notReadyAddresses: [{ ip: '10.7.0.1' }], ports: [{ port: 5432 }] }])], toService('default/db', 5432));
    expect(a.backends).toEqual([]);
    expect(a.verdict).toBe('rejected');
    expect(codes(a)).toContain('NO_READY_ENDPOINTS');
  });
  it('M8 a hand-made slice with the mirroring controller managed-by and no mirrorable Endpoints is reported', () => {
    const a = ask([svc('db', { ports: [port(5432)] }), slice('db-x', 'db', [{ port: 5432 }], [ep('10.8.0.1')], { managedBy: 'endpointslicemirroring-controller.k8s.io' })], toService('default/db', 5432));
    expect(a.backends).toEqual(['10.8.0.1:5432']);
    expect(codes(a)).toContain('SLICE_RESERVED_MANAGER');
  });
  it('old dump (Endpoints, no slices at all) for a selector Service: Endpoints stand for the slices', () => {
    const a = ask([svc('web', sel), pod('p', { labels: { app: 'web' }, ip: '10.9.0.1' }), endpointsObj('web', [{ addresses: [{ ip: '10.9.0.1' }], notReadyAddresses: [{ ip: '10.9.0.2' }], ports: [{ port: 8080 }] }])], toService('default/web', 80));
    expect(a.backends).toEqual(['10.9.0.1:8080']);
    expect(a.endpoints.find((e) => e.address === '10.9.0.2')?.conditions).toEqual({ ready: false, serving: false, terminating: false });
  });
});

describe('E4 snapshots without Pod objects', () => {
  it('E4 slices listing Pods the snapshot lacks: no SELECTOR_MATCHES_NO_PODS, readiness judged from the endpoints', () => {
    const a = ask([svc('web', sel), slice('web-1', 'web', [{ port: 8080 }], [ep('10.9.1.1', { pod: 'web-0', ready: false, serving: false })], { managedBy: 'endpointslice-controller.k8s.io', owner: 'web' })], toService('default/web', 80));
    expect(codes(a)).not.toContain('SELECTOR_MATCHES_NO_PODS');
    expect(codes(a)).toEqual(expect.arrayContaining(['NO_READY_ENDPOINTS', 'PODS_NOT_READY']));
  });
});
