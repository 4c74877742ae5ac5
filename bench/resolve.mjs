#!/usr/bin/env node
// Resolver micro-benchmark: builds a synthetic snapshot (default 5,000 Services, 50,000 Pods with their
// EndpointSlices, 2,000 Ingresses, and as many Gateway API HTTPRoutes under one Gateway per namespace), times buildIndex, then times many resolve / reverseLookup calls per
// question kind and prints p50 / p99 / mean. Uses the compiled resolver: run `npx tsc -p tsconfig.build.json`
// first. Usage: node bench/resolve.mjs [--services N] [--pods-per-service N] [--ingresses N] [--questions N]
import { buildIndex } from '../dist/resolver/SnapshotIndex.js';
import { resolve } from '../dist/resolver/resolve.js';
import { reverseLookup } from '../dist/resolver/reverseLookup.js';
import { mulberry32 } from './lib/mulberry32.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SERVICES = arg('services', 5000);
const PODS_PER_SERVICE = arg('pods-per-service', 10);
const INGRESSES = arg('ingresses', 2000);
const QUESTIONS = arg('questions', 5000);
const NAMESPACES = 50;
const NODES = 200;

const rand = mulberry32(42);
const pick = (n) => Math.floor(rand() * n);
const ip4 = (base, n) => `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

function generate() {
  const services = [];
  const pods = [];
  const endpointSlices = [];
  const ingresses = [];
  const ingressClasses = [{ kind: 'IngressClass', metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } }];
  let podN = 0;
  for (let s = 0; s < SERVICES; s++) {
    const ns = `ns-${s % NAMESPACES}`;
    const name = `svc-${s}`;
    const nodePort = s % 10 === 0;
    services.push({
      kind: 'Service',
      metadata: { namespace: ns, name, uid: `u-${s}` },
      spec: {
        type: nodePort ? 'NodePort' : 'ClusterIP',
        clusterIP: ip4('10', 0x600000 + s),
        selector: { app: name },
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', ...(nodePort ? { nodePort: 30000 + (s / 10) } : {}) },
          { name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' },
        ],
      },
    });
    const endpoints = [];
    for (let p = 0; p < PODS_PER_SERVICE; p++, podN++) {
      const podName = `${name}-${p}`;
      const ip = ip4('10', 0x100000 + podN);
      const node = `node-${podN % NODES}`;
      const ready = rand() > 0.05;
      pods.push({
        kind: 'Pod',
        metadata: { namespace: ns, name: podName, labels: { app: name, tier: 'web' } },
        spec: { nodeName: node, containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9100 }] }] },
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: ip4('192', 0x000200 + (podN % NODES)), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
      });
      endpoints.push({ addresses: [ip], conditions: { ready, serving: ready, terminating: false }, nodeName: node, zone: `zone-${podN % 3}`, targetRef: { kind: 'Pod', namespace: ns, name: podName } });
    }
    endpointSlices.push({
      kind: 'EndpointSlice',
      metadata: { namespace: ns, name: `${name}-abcde`, labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ kind: 'Service', name, uid: `u-${s}` }] },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }],
    });
  }
  for (let i = 0; i < INGRESSES; i++) {
    const s = (i * 7) % SERVICES;
    const ns = `ns-${s % NAMESPACES}`;
    const sameNs = (k) => (s + k * NAMESPACES) % SERVICES;
    ingresses.push({
      kind: 'Ingress',
      metadata: { namespace: ns, name: `ing-${i}`, creationTimestamp: '2026-11-20T10:00:00Z' },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: [`app-${i}.example.com`], secretName: `tls-${i}` }],
        rules: [
          {
            host: `app-${i}.example.com`,
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: `svc-${s}`, port: { number: 80 } } } },
                { path: '/api', pathType: 'Prefix', backend: { service: { name: `svc-${sameNs(1)}`, port: { name: 'http' } } } },
                { path: '/api/v1/health', pathType: 'Exact', backend: { service: { name: `svc-${sameNs(2)}`, port: { number: 9100 } } } },
              ],
            },
          },
          ...(i % 20 === 0 ? [{ host: `*.wild-${i}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `svc-${s}`, port: { number: 80 } } } }] } }] : []),
        ],
      },
    });
  }
  // Gateway API: one Gateway per namespace (listener *.gw-NS.example.com:80, routes from its namespace), one
  // HTTPRoute per Ingress-worth of apps (app-I.gw-NS.example.com: /checkout split 90/10, / to one Service).
  const gw = 'gateway.networking.k8s.io/v1';
  const gatewayClasses = [{ apiVersion: gw, kind: 'GatewayClass', metadata: { name: 'bench' }, spec: { controllerName: 'example.com/gw' } }];
  const gateways = Array.from({ length: NAMESPACES }, (_, n) => ({
    apiVersion: gw, kind: 'Gateway', metadata: { namespace: `ns-${n}`, name: 'gw', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { gatewayClassName: 'bench', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: `*.gw-${n}.example.com` }] },
  }));
  const httpRoutes = Array.from({ length: INGRESSES }, (_, i) => {
    const s = pick(SERVICES);
    const ns = services[s].metadata.namespace;
    const other = services.filter((x) => x.metadata.namespace === ns)[1] ?? services[s];
    return {
      apiVersion: gw, kind: 'HTTPRoute', metadata: { namespace: ns, name: `route-${i}`, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        hostnames: [`app-${i}.gw-${ns.slice(3)}.example.com`],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/checkout' } }], backendRefs: [{ name: `svc-${s}`, port: 80, weight: 90 }, { name: other.metadata.name, port: 80, weight: 10 }] },
          { backendRefs: [{ name: `svc-${s}`, port: 80 }] },
        ],
      },
    };
  });
  return { services, endpoints: [], endpointSlices, pods, ingresses, ingressClasses, gatewayClasses, gateways, httpRoutes, grpcRoutes: [], referenceGrants: [] };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function time(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, r };
}

const t0 = process.hrtime.bigint();
const snapshot = generate();
const genMs = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`snapshot: ${snapshot.services.length} Services, ${snapshot.pods.length} Pods, ${snapshot.endpointSlices.length} EndpointSlices, ${snapshot.ingresses.length} Ingresses, ${snapshot.gateways.length} Gateways, ${snapshot.httpRoutes.length} HTTPRoutes (generated in ${genMs.toFixed(0)} ms)`);

const builds = [];
let index;
for (let i = 0; i < 3; i++) {
  const { ms, r } = time(() => buildIndex(snapshot));
  builds.push(ms);
  index = r;
}
console.log(`buildIndex: ${builds.map((m) => m.toFixed(0)).join(' / ')} ms (3 runs)`);

const kinds = {
  'ClusterIP:port': () => {
    const s = snapshot.services[pick(SERVICES)];
    return { kind: 'host', host: s.spec.clusterIP, port: 80 };
  },
  'DNS name': () => {
    const s = snapshot.services[pick(SERVICES)];
    return { kind: 'host', host: `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local`, port: 9100 };
  },
  'Service ns/name + port name': () => {
    const s = snapshot.services[pick(SERVICES)];
    return { kind: 'service', namespace: s.metadata.namespace, name: s.metadata.name, port: 'http', clientNode: `node-${pick(NODES)}` };
  },
  'Ingress host + path (https)': () => {
    const i = pick(INGRESSES);
    const paths = ['/', '/api/users', '/api/v1/health', '/static/x.css'];
    return { kind: 'host', host: `app-${i}.example.com`, port: 443, path: paths[pick(paths.length)] };
  },
  'Ingress unknown host (404)': () => ({ kind: 'host', host: `nope-${pick(1e6)}.example.com`, port: 80, path: '/' }),
  'Gateway host + path (90/10)': () => {
    const r = snapshot.httpRoutes[pick(snapshot.httpRoutes.length)];
    return { kind: 'host', host: r.spec.hostnames[0], port: 80, path: ['/checkout/cart', '/'][pick(2)] };
  },
  'NodeIP:nodePort': () => ({ kind: 'host', host: ip4('192', 0x000200 + pick(NODES)), port: 30000 + pick(SERVICES / 10) }),
  'reverse: Pod': () => {
    const p = snapshot.pods[pick(snapshot.pods.length)];
    return { kind: 'reverse', pod: { namespace: p.metadata.namespace, name: p.metadata.name } };
  },
};

// Warm up, then measure.
for (const make of Object.values(kinds)) for (let i = 0; i < 200; i++) { const q = make(); q.kind === 'reverse' ? reverseLookup(index, q) : resolve(index, q); }
console.log(`\nper question (${QUESTIONS} questions per kind, one index):`);
console.log(`${'kind'.padEnd(30)} ${'p50 µs'.padStart(9)} ${'p99 µs'.padStart(9)} ${'mean µs'.padStart(9)}  sample`);
const summary = {};
for (const [name, make] of Object.entries(kinds)) {
  const qs = Array.from({ length: QUESTIONS }, make);
  const times = [];
  let sample = '';
  for (const q of qs) {
    const t = process.hrtime.bigint();
    const a = q.kind === 'reverse' ? reverseLookup(index, q) : resolve(index, q);
    times.push(Number(process.hrtime.bigint() - t) / 1e3);
    if (!sample) sample = q.kind === 'reverse' ? `${a.services.length} service ports, ${a.ingresses.length} ingress paths` : `${a.verdict}, ${a.backends.length} backends, ${a.findings.length} findings`;
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((x, y) => x + y, 0) / times.length;
  summary[name] = { p50: percentile(times, 50), p99: percentile(times, 99), mean };
  console.log(`${name.padEnd(30)} ${percentile(times, 50).toFixed(1).padStart(9)} ${percentile(times, 99).toFixed(1).padStart(9)} ${mean.toFixed(1).padStart(9)}  ${sample}`);
}
console.log(`\nheap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
