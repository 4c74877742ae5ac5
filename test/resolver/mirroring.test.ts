/**
 * The EndpointSlice mirroring controller's output for an Endpoints object (M2, M5, M6), and slice ports
 * without a number (E1).
 *
 * Upstream sources followed:
 *  - kubernetes/kubernetes pkg/controller/endpointslicemirroring/reconciler.go reconcile (per subset: ready
 *    addresses, then not-ready ones, in listed order; at most maxEndpointsPerSubset valid addresses; invalid
 *    IPs skipped without counting; events TooManyAddressesToMirror / InvalidIPAddress) and
 *    reconcileByPortMapping (one slice per address type and port list, at most maxEndpointsPerSubset);
 *  - pkg/controller/endpointslicemirroring/reconciler_helpers.go desiredCalc.addAddress and the endpointslice
 *    util EndpointSet (keyed by addresses, hostname and targetRef namespace/name; a later insert replaces);
 *  - pkg/controller/endpointslicemirroring/utils.go addressToEndpoint (canonical IP, ready only);
 *  - pkg/controller/endpointslicemirroring/config/v1alpha1/defaults.go (MirroringMaxEndpointsPerSubset 1000);
 *  - pkg/proxy/endpointslicecache.go (a slice port whose port is nil or 0 is skipped).
 */
import { describe, expect, it } from 'vitest';
import type { EndpointAddress, EndpointsObject, KubeObject } from '../../src/model/objects.js';
import { MIRROR_MAX_PER_SUBSET, mirrorEndpoints } from '../../src/resolver/mirrorEndpoints.js';
import { ask, codes, deepFreeze, endpointsObj, ep, port, slice, svc, toService } from './builders.js';

const MIRROR = { notReadyServing: null, managedBy: 'endpointslicemirroring-controller.k8s.io', maxPerSubset: MIRROR_MAX_PER_SUBSET } as const;
const PORTS = [{ name: 'db', port: 5432, protocol: 'TCP' }];

/** n addresses 10.20.x.y, starting at `from` (1-based), each in order. */
function addrs(n: number, from = 1, prefix = '10.20'): EndpointAddress[] {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return { ip: `${prefix}.${Math.floor(k / 250)}.${(k % 250) + 1}` };
  });
}

function mirrored(subsets: NonNullable<EndpointsObject['subsets']>) {
  const r = mirrorEndpoints(deepFreeze(endpointsObj('legacy/db', subsets)), MIRROR);
  const ips = r.slices.flatMap((s) => (s.endpoints ?? []).map((e) => `${e.addresses[0]}${e.conditions?.ready === false ? ' (not ready)' : ''}`));
  return { ...r, ips };
}

describe('M6 per-subset cap of 1000 addresses (reconciler.go reconcile; config/v1alpha1/defaults.go)', () => {
  const rows: { name: string; subsets: NonNullable<EndpointsObject['subsets']>; mirrored: number; dropped: string[] }[] = [
    { name: 'exactly 1000 ready addresses: all mirrored, none dropped', subsets: [{ addresses: addrs(1000), ports: PORTS }], mirrored: 1000, dropped: [] },
    { name: '1001 ready addresses: the last listed is dropped', subsets: [{ addresses: addrs(1001), ports: PORTS }], mirrored: 1000, dropped: [addrs(1001)[1000]!.ip] },
    {
      name: '999 ready + 3 not ready: the first not-ready address fills the cap, the other two are dropped',
      subsets: [{ addresses: addrs(999), notReadyAddresses: addrs(3, 2000), ports: PORTS }],
      mirrored: 1000,
      dropped: [addrs(3, 2000)[1]!.ip, addrs(3, 2000)[2]!.ip],
    },
    {
      name: 'ready addresses come first even when not-ready ones are listed first in the manifest',
      subsets: [{ notReadyAddresses: addrs(5, 3000), addresses: addrs(1000), ports: PORTS }],
      mirrored: 1000,
      dropped: addrs(5, 3000).map((a) => a.ip),
    },
    {
      name: 'invalid IPs do not count towards the cap',
      subsets: [{ addresses: [{ ip: 'not-an-ip' }, ...addrs(1000)], ports: PORTS }],
      mirrored: 1000,
      dropped: [],
    },
    {
      name: 'the cap is per subset, not per Endpoints object',
      subsets: [
        { addresses: addrs(700), ports: PORTS },
        { addresses: addrs(700, 5000), ports: [{ name: 'admin', port: 9000, protocol: 'TCP' }] },
      ],
      mirrored: 1400,
      dropped: [],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const r = mirrored(row.subsets);
      expect(r.ips).toHaveLength(row.mirrored);
      expect(r.skipped.flatMap((s) => s.overCapacity.map((a) => a.ip))).toEqual(row.dropped);
      const kept = r.ips.map((x) => x.split(' ')[0]);
      for (const d of row.dropped) expect(kept).not.toContain(d);
    });
  }

  it('the resolver reports which addresses were dropped, and kube-proxy never sends them traffic', () => {
    const objects: KubeObject[] = [
      svc('legacy/db', { clusterIP: '10.96.20.1', ports: [port(5432, { name: 'db' })] }),
      endpointsObj('legacy/db', [{ addresses: addrs(1002), ports: PORTS }]),
    ];
    const a = ask(objects, toService('legacy/db', 'db'));
    expect(a.backends).toHaveLength(1000);
    const dropped = addrs(1002).slice(1000).map((x) => `${x.ip}:5432`);
    for (const d of dropped) expect(a.backends).not.toContain(d);
    const f = a.findings.find((x) => x.code === 'ENDPOINTS_MIRROR_CAPACITY');
    expect(f?.message).toContain(addrs(1002)[1000]!.ip);
    expect(f?.message).toContain(addrs(1002)[1001]!.ip);
    expect(f?.message).toContain('skips 2');
  });
  it('an Endpoints object within the cap reports nothing about capacity', () => {
    const a = ask([svc('legacy/db', { clusterIP: '10.96.20.1', ports: [port(5432, { name: 'db' })] }), endpointsObj('legacy/db', [{ addresses: addrs(3), ports: PORTS }])], toService('legacy/db', 'db'));
    expect(codes(a)).not.toContain('ENDPOINTS_MIRROR_CAPACITY');
    expect(a.backends).toHaveLength(3);
  });
});

describe('M2/M5 the mirrored endpoint set (reconciler_helpers.go addAddress, EndpointSet; utils.go addressToEndpoint)', () => {
  it('an address listed ready and not ready (same hostname and targetRef) is mirrored not ready: the later insert replaces', () => {
    const r = mirrored([{ addresses: [{ ip: '10.30.0.1' }, { ip: '10.30.0.2' }], notReadyAddresses: [{ ip: '10.30.0.1' }], ports: PORTS }]);
    expect(r.ips).toEqual(['10.30.0.1 (not ready)', '10.30.0.2']);
  });
  it('the same IP with different targetRefs is two endpoints', () => {
    const r = mirrored([{ addresses: [{ ip: '10.30.0.1', targetRef: { kind: 'Pod', namespace: 'legacy', name: 'a' } }], notReadyAddresses: [{ ip: '10.30.0.1', targetRef: { kind: 'Pod', namespace: 'legacy', name: 'b' } }], ports: PORTS }]);
    expect(r.ips.sort()).toEqual(['10.30.0.1', '10.30.0.1 (not ready)']);
  });
  it('irregular IP spellings are canonicalised and endpoints are listed by address, whatever the listed order', () => {
    const r = mirrored([{ addresses: [{ ip: '10.30.0.10' }, { ip: '10.30.0.9' }, { ip: '2001:DB8::1' }, { ip: '10.30.0.100' }], ports: PORTS }]);
    expect(r.slices.map((s) => s.addressType)).toEqual(['IPv4', 'IPv6']);
    expect(r.ips).toEqual(['10.30.0.9', '10.30.0.10', '10.30.0.100', '2001:db8::1']);
  });
  it('mirrored endpoints carry ready only (serving and terminating nil); invalid addresses are reported', () => {
    const r = mirrored([{ addresses: [{ ip: '10.30.0.1' }, { ip: '300.1.1.1' }], notReadyAddresses: [{ ip: '10.30.0.2' }], ports: PORTS }]);
    expect(r.slices[0]!.endpoints!.map((e) => e.conditions)).toEqual([{ ready: true }, { ready: false }]);
    expect(r.skipped).toEqual([{ subset: 0, overCapacity: [], invalid: ['300.1.1.1'] }]);
  });
});

describe('E1 a slice port with the right name but no number (pkg/proxy/endpointslicecache.go)', () => {
  const service = svc('web', { clusterIP: '10.96.30.1', ports: [port(80, { name: 'http', targetPort: 8080 })] });
  const rows: { name: string; ports: { name?: string; port?: number | null; protocol?: string }[]; code: string; absent: string }[] = [
    { name: 'port unset: reported as a port without number, not as a name mismatch', ports: [{ name: 'http', protocol: 'TCP' }], code: 'SLICE_PORT_WITHOUT_NUMBER', absent: 'ENDPOINT_PORT_NAME_MISMATCH' },
    { name: 'port 0: same', ports: [{ name: 'http', port: 0, protocol: 'TCP' }], code: 'SLICE_PORT_WITHOUT_NUMBER', absent: 'ENDPOINT_PORT_NAME_MISMATCH' },
    { name: 'another name with a number: still a name mismatch', ports: [{ name: 'web', port: 8080, protocol: 'TCP' }], code: 'ENDPOINT_PORT_NAME_MISMATCH', absent: 'SLICE_PORT_WITHOUT_NUMBER' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const a = ask([service, slice('web-manual', 'web', row.ports, [ep('10.30.1.1', { ready: true })])], toService('web', 80));
      expect(a.verdict).toBe('rejected');
      expect(a.backends).toEqual([]);
      expect(codes(a)).toContain(row.code);
      expect(codes(a)).not.toContain(row.absent);
    });
  }
  it('the right name with a number routes (control)', () => {
    const a = ask([service, slice('web-manual', 'web', [{ name: 'http', port: 8080, protocol: 'TCP' }], [ep('10.30.1.1', { ready: true })])], toService('web', 80));
    expect(a.backends).toEqual(['10.30.1.1:8080']);
  });
});
