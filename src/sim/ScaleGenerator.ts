/**
 * ScaleGenerator: builds a large synthetic cluster for benchmarks — `services` Services spread over
 * namespaces of 100 Services each (`scale-000`, …), `pods` Pods divided evenly between them (selected by
 * `app=<service>`, Ready, containerPort 8080 named `http`, Services use targetPort `http`), and
 * `ingresses` Ingresses each routing one host to one Service. Everything is created in one batch, so the
 * controllers run once at the end and produce the EndpointSlices and Endpoints.
 */
import type { Cluster } from './Cluster.js';
import { isoSeconds } from './defaulting.js';

export interface ScaleSpec {
  services: number;
  pods: number;
  ingresses: number;
}

const PER_NAMESPACE = 100;

export function parseScaleSpec(text: string): ScaleSpec {
  const spec: ScaleSpec = { services: 0, pods: 0, ingresses: 0 };
  for (const part of text.split(',')) {
    const m = part.trim().match(/^(services|pods|ingresses)=(\d+)$/);
    if (!m) throw new Error(`expected services=N,pods=M,ingresses=K, got '${part.trim()}'`);
    spec[m[1] as keyof ScaleSpec] = Number(m[2]);
  }
  if (spec.pods > 0 && spec.services === 0) throw new Error('pods need at least one service');
  return spec;
}

export function generateScale(cluster: Cluster, spec: ScaleSpec): void {
  const ts = isoSeconds(cluster.now());
  cluster.batch(() => {
    const nsCount = Math.ceil(spec.services / PER_NAMESPACE);
    for (let n = 0; n < nsCount; n++) cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(n) } });
    for (let i = 0; i < spec.services; i++) {
      cluster.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svcName(i), namespace: nsName(Math.floor(i / PER_NAMESPACE)), labels: { app: svcName(i) } },
        spec: { selector: { app: svcName(i) }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
      }, { owned: true });
    }
    for (let p = 0; p < spec.pods; p++) {
      const s = p % spec.services;
      const node = cluster.alloc.node();
      const ip = cluster.alloc.podIP();
      cluster.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${svcName(s)}-${Math.floor(p / spec.services)}`, namespace: nsName(Math.floor(s / PER_NAMESPACE)), labels: { app: svcName(s) } },
        spec: { nodeName: node.name, containers: [{ name: 'app', image: 'registry.example/app:1.0', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
        status: {
          phase: 'Running',
          hostIP: node.hostIP,
          podIP: ip,
          podIPs: [{ ip }],
          conditions: [
            { type: 'Ready', status: 'True', lastTransitionTime: ts },
            { type: 'ContainersReady', status: 'True', lastTransitionTime: ts },
          ],
        },
      }, { owned: true });
    }
    // The class the Ingresses name must exist, or no controller serves them.
    if (spec.ingresses > 0 && !cluster.store.list('IngressClass').some((c) => c.metadata.name === 'nginx')) {
      cluster.create({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }, { owned: true });
    }
    for (let k = 0; k < spec.ingresses; k++) {
      const s = k % Math.max(1, spec.services);
      cluster.create({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `ing-${String(k).padStart(5, '0')}`, namespace: nsName(Math.floor(s / PER_NAMESPACE)) },
        spec: {
          ingressClassName: 'nginx',
          rules: [{ host: `h${k}.scale.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svcName(s), port: { number: 80 } } } }] } }],
        },
      }, { owned: true });
    }
  });
}

function nsName(n: number): string {
  return `scale-${String(n).padStart(3, '0')}`;
}

function svcName(i: number): string {
  return `svc-${String(i).padStart(5, '0')}`;
}
