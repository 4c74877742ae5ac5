/**
 * churnedHistory: a history database written through the real HistoryWriter from the real simulator with a
 * synthetic clock, churned the ways that make past-instant answers hard: the simulator's own churn (scale
 * up/down, rolling restarts, readiness flaps, Ingress and Service edits in `shop`), readiness flaps and
 * rolling restarts of scale Services, Service port changes, Ingress edits (backend moved to another
 * Service, wildcard and host-less rules, default backends, TLS hosts), a selector-less Service whose
 * hand-made EndpointSlice (with zone hints) and Endpoints change, a LoadBalancer Service with an IP and a
 * hostname, a headless and an ExternalName Service, a selector-less Service whose Endpoints are reported
 * without slices (mirrored), Services and Ingresses deleted and re-created, relists that find objects gone (gap records)
 * and watch gaps. Deterministic for a seed (the simulator's graceful deletions use its clock).
 * churnCluster drives the same churn into any ChangeSink (the live state too), calling `onFed` at each
 * state worth checking.
 */
import type { HistoryLocation } from '../../src/history/historyLocation.js';
import path from 'node:path';
import { startSim } from '../../src/sim/startSim.js';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { KINDS, type Kind } from '../../src/model/objects.js';
import type { ChangeSink } from '../../src/watch/ChangeSink.js';

export interface ChurnedHistory {
  /** The SQLite file (undefined when the history is in PostgreSQL). */
  readonly file: string;
  readonly location: HistoryLocation;
  readonly cluster: string;
  readonly from: number;
  readonly to: number;
}

export interface ChurnOptions {
  readonly actions?: number;
  readonly seed?: number;
  /** Called (with the synthetic time) after each batch of changes is fed and flushed, and after a relist that missed Pods. */
  readonly onFed?: (at: number) => void;
  /** Where to write (default: churned.db in `dir`). */
  readonly location?: HistoryLocation;
}

export async function writeChurnedHistory(dir: string, options: ChurnOptions = {}): Promise<ChurnedHistory> {
  const location = options.location ?? { file: path.join(dir, 'churned.db') };
  const writer = await HistoryWriter.open({ ...location, cluster: 'churned', batchSize: 500, batchMs: 50 });
  try {
    const { from, to } = await churnCluster(writer, options);
    return { file: location.file!, location, cluster: 'churned', from, to };
  } finally {
    await writer.close();
  }
}

/** Runs the churn (see the file comment) against `writer`; the synthetic time span it covers. */
export async function churnCluster(writer: ChangeSink, options: ChurnOptions = {}): Promise<{ from: number; to: number }> {
  const actions = options.actions ?? 1200;
  const T0 = Date.parse('2026-11-20T00:00:00Z');
  const SPAN = 12 * 3_600_000;
  let synthetic = T0;
  const now = () => new Date(synthetic);
  let rs = options.seed ?? 11;
  const rand = () => {
    rs ^= rs << 13; rs >>>= 0; rs ^= rs >>> 17; rs ^= rs << 5; rs >>>= 0;
    return rs / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const sim = await startSim({ scenario: 'seed', scale: { services: 24, pods: 96, ingresses: 12 }, seed: 5, now, podGraceMs: 30, changeLogLimit: 200_000, historyWindow: 100_000 });
  try {
    const state = sim.state() as unknown as Record<Kind, unknown[]>;
    for (const kind of KINDS) writer.listed(kind, (state[kind] ?? []) as never[], new Date(T0));
    await writer.flush();
    let lastRv = sim.resourceVersion();
    const feed = () => {
      for (const c of sim.changeLog(lastRv)) {
        lastRv = c.rv;
        if ((KINDS as readonly string[]).includes(c.kind)) writer.event(c.kind as Kind, c.type, c.object as never, new Date(c.at.getTime() + 300));
      }
    };
    const svcName = (i: number) => `svc-${String(i).padStart(5, '0')}`;
    const ns = 'scale-000';
    const later: { at: number; fn: () => void }[] = [];
    const runDue = () => {
      later.sort((a, b) => a.at - b.at);
      while (later.length && later[0]!.at <= synthetic) later.shift()!.fn();
    };
    const podsOf = (s: number) => (sim.state().Pod as { metadata: { namespace: string; name: string; deletionTimestamp?: string; labels?: Record<string, string> } }[])
      .filter((p) => p.metadata.namespace === ns && p.metadata.labels?.app === svcName(s) && !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name);
    const setReady = (name: string, ready: boolean) => {
      const pod = sim.get('Pod', ns, name) as { status?: { conditions?: { type: string; status: string }[] }; metadata: { deletionTimestamp?: string } } | undefined;
      if (!pod || pod.metadata.deletionTimestamp) return;
      const copy = structuredClone(pod);
      copy.status!.conditions = (copy.status?.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: ready ? 'True' : 'False' } : c));
      sim.apply(copy);
    };
    const tryApply = (obj: unknown) => {
      try {
        sim.apply(obj);
      } catch (e) {
        if (!(e instanceof Error && e.name === 'ApiError') && !String(e).includes('is invalid')) throw e;
      }
    };
    let generation = 0;
    const newPod = (s: number) => {
      sim.apply({
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `${svcName(s)}-g${++generation}`, namespace: ns, labels: { app: svcName(s), tier: rand() < 0.5 ? 'web' : 'api' } },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:2', ports: [{ name: rand() < 0.9 ? 'http' : 'web', containerPort: 8080, protocol: 'TCP' }] }] },
      });
    };
    const service = (s: number, ports: unknown[], extra: Record<string, unknown> = {}) => ({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: svcName(s), namespace: ns, labels: { app: svcName(s) } },
      spec: { selector: { app: svcName(s) }, ports, ...extra },
    });
    const ingress = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: ns }, spec: { ingressClassName: 'nginx', ...spec } });
    const backend = (s: number, port: unknown = { number: 80 }) => ({ service: { name: svcName(s), port } });
    // Fixed parts: a selector-less Service with a hand-made slice, a LoadBalancer Service.
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: ns }, spec: { ports: [{ name: 'db', port: 5432, targetPort: 5432, protocol: 'TCP' }], trafficDistribution: 'PreferClose' } });
    const manualSlice = (n: number, hinted: boolean) => ({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'manual-1', namespace: ns, labels: { 'kubernetes.io/service-name': 'manual', 'endpointslice.kubernetes.io/managed-by': 'staff' } },
      addressType: 'IPv4',
      endpoints: Array.from({ length: n }, (_, i) => ({
        addresses: [`192.168.60.${10 + i}`], conditions: { ready: i !== 1 }, nodeName: `node-${i % 3}`, zone: `zone-${i % 2}`,
        ...(hinted ? { hints: { forZones: [{ name: `zone-${i % 2}` }] } } : {}),
      })),
      ports: [{ name: 'db', port: 5432, protocol: 'TCP' }],
    });
    sim.apply(manualSlice(3, true));
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: ns }, spec: { type: 'LoadBalancer', selector: { app: svcName(1) }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } });
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'headless', namespace: ns }, spec: { clusterIP: 'None', selector: { app: svcName(2) }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } });
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: ns }, spec: { type: 'ExternalName', externalName: 'db.example.com', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] } });
    const edge = sim.get('Service', ns, 'edge') as Record<string, unknown>;
    sim.apply({ ...structuredClone(edge), status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'edge.lb.example.com' }] } } });

    const SPEC_INGRESS: (() => Record<string, unknown>)[] = [
      () => ({ rules: [{ host: 'moving.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend(Math.floor(rand() * 6)) }] } }] }),
      () => ({ rules: [{ host: '*.wild.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: backend(2) }, { path: '/', pathType: 'Exact', backend: backend(3, { name: 'http' }) }] } }] }),
      () => ({ rules: [{ http: { paths: [{ path: '/fallback', pathType: 'Prefix', backend: backend(4) }] } }] }),
      () => ({ defaultBackend: backend(5), rules: [{ host: 'moving.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: backend(6) }] } }], tls: [{ hosts: ['moving.example.com'], secretName: 'tls-1' }] }),
      // One invalid path among valid ones: the API server would reject the whole Ingress (INGRESS_INVALID).
      () => ({ rules: [{ host: 'moving.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: backend(6) }, { path: '/bad//x', pathType: 'Prefix', backend: backend(6) }] } }] }),
      () => ({ rules: [{ host: 'MOVING.example.com', http: { paths: [{ path: '/api', pathType: 'ImplementationSpecific', backend: backend(7, { number: 8080 }) }] } }] }),
    ];
    // A selector-less Service and its Endpoints reported without any EndpointSlice (as an imported dump
    // holds them): its slices are derived by mirroring (M4/M5), and the Endpoints change now and then.
    const mirrored = (n: number, at: number) => {
      writer.event('Endpoints', 'MODIFIED', { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: 'legacy', name: 'mirror-only', uid: 'uid-ep-mirror-only', resourceVersion: `m${n}` },
        subsets: [{ addresses: Array.from({ length: n }, (_, i) => ({ ip: `192.168.70.${i + 1}` })), notReadyAddresses: [{ ip: '192.168.70.99' }], ports: [{ name: 'tcp', port: 9000, protocol: 'TCP' }] }] } as never, new Date(at));
    };
    writer.event('Service', 'ADDED', { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'legacy', name: 'mirror-only', uid: 'uid-svc-mirror-only', resourceVersion: 'm0', creationTimestamp: new Date(T0).toISOString() },
      spec: { type: 'ClusterIP', clusterIP: '10.96.200.1', clusterIPs: ['10.96.200.1'], ports: [{ name: 'tcp', port: 9000, targetPort: 9000, protocol: 'TCP' }] } } as never, new Date(T0 + 1));
    mirrored(1, T0 + 1);
    for (let a = 0; a < actions; a++) {
      synthetic = T0 + Math.floor(((a + rand()) * SPAN) / actions);
      runDue();
      const r = rand();
      const s = Math.floor(rand() * 10);
      if (r < 0.35) {
        sim.churn.step(1);
      } else if (r < 0.5) {
        const name = pick(podsOf(s));
        if (name) {
          setReady(name, false);
          later.push({ at: synthetic + 60_000 + rand() * 600_000, fn: () => setReady(name, true) });
        } else newPod(s);
      } else if (r < 0.58) {
        podsOf(s).forEach((name, i) => later.push({ at: synthetic + i * 20_000, fn: () => { newPod(s); if (sim.get('Pod', ns, name)) sim.remove('Pod', ns, name); } }));
      } else if (r < 0.64) {
        const variants = [
          [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
          [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'web', port: 8080, targetPort: 'web', protocol: 'TCP' }],
          [{ name: 'main', port: 80, targetPort: 8080, protocol: 'TCP' }],
          [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30000 + s, protocol: 'TCP' }],
        ];
        const v = Math.floor(rand() * variants.length);
        // The API server may refuse an edit (a nodePort still allocated): then nothing changes, as with kubectl.
        if (sim.get('Service', ns, svcName(s))) tryApply(service(s, variants[v]!, v === 3 ? { type: 'NodePort' } : {}));
      } else if (r < 0.72) {
        const k = Math.floor(rand() * SPEC_INGRESS.length);
        sim.apply(ingress(`edit-${k}`, SPEC_INGRESS[k]!()));
      } else if (r < 0.77) {
        sim.apply(manualSlice(1 + Math.floor(rand() * 4), rand() < 0.7));
      } else if (r < 0.8) {
        const ep = sim.get('Endpoints', 'default', 'external-db') as { subsets?: { addresses?: { ip: string }[] }[] } | undefined;
        if (ep) {
          const copy = structuredClone(ep);
          copy.subsets = [{ ...(copy.subsets?.[0] ?? {}), addresses: [{ ip: `192.168.50.${10 + Math.floor(rand() * 3)}` }] }];
          sim.apply(copy);
        }
      } else if (r < 0.84) {
        const victim = svcName(10 + Math.floor(rand() * 4));
        if (sim.get('Service', ns, victim)) sim.remove('Service', ns, victim);
        else sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: victim, namespace: ns }, spec: { selector: { app: victim }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } });
      } else if (r < 0.86) {
        const k = Math.floor(rand() * SPEC_INGRESS.length);
        if (sim.get('Ingress', ns, `edit-${k}`)) sim.remove('Ingress', ns, `edit-${k}`);
      } else if (r < 0.87) {
        feed();
        await writer.flush();
        const pods = sim.state().Pod;
        // A relist that misses two Pods: they are closed with a gap record, and come back at the next report.
        writer.listed('Pod', pods.slice(2) as never[], new Date(synthetic + 1));
        await writer.flush();
        options.onFed?.(synthetic + 1);
        writer.listed('Pod', pods as never[], new Date(synthetic + 2));
      } else if (r < 0.88) {
        writer.gap(pick(['EndpointSlice', 'Pod', 'Ingress'] as const), new Date(synthetic - 30_000), new Date(synthetic), 'watch stream lost');
      } else {
        newPod(s);
      }
      if (a % 150 === 149) mirrored(1 + ((a / 150) % 3), synthetic);
      if (a % 20 === 19) {
        await new Promise((res) => setTimeout(res, 0));
        feed();
        await writer.flush();
        options.onFed?.(synthetic);
      }
    }
    synthetic = T0 + SPAN;
    for (const f of later.splice(0)) f.fn();
    sim.finishTerminating();
    feed();
    await writer.flush();
    options.onFed?.(synthetic);
  } finally {
    await sim.close();
  }
  return { from: T0, to: T0 + SPAN };
}
