/**
 * EndpointsController: writes the v1 Endpoints of every Service with a selector, like kube's endpoints
 * controller (routing-semantics M3), so `kubectl get ep` looks real.
 *
 * Ready Pods go to `addresses`, unready ones to `notReadyAddresses` (all to `addresses` with
 * publishNotReadyAddresses); terminating Pods are left out unless publishNotReadyAddresses; a Pod whose
 * named targetPort does not resolve is left out for that port. Pods are grouped into subsets by resolved
 * port list. Above 1000 addresses the list is truncated (ready first) and annotated
 * `endpoints.kubernetes.io/over-capacity: truncated`. The Endpoints carries the Service's labels plus
 * `endpointslice.kubernetes.io/skip-mirror: "true"` (so it is never mirrored). When a Service is deleted,
 * the Endpoints of the same name is deleted too.
 */
import type { EndpointAddress, EndpointPort, EndpointsObject, PodObject, ServiceObject } from '../model/objects.js';
import { type Controller, type ControllerHost, drainDirtyKeys, jsonEqual, serviceSelector } from './Controller.js';
import { podEligible, podReady, podTerminating, resolveTargetPort } from './podFacts.js';
import type { SimObject, StoredEvent } from './Store.js';

export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
const MAX_ADDRESSES = 1000;

type Subset = NonNullable<EndpointsObject['subsets']>[number];

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  private dirty = new Set<string>();

  constructor(private readonly host: ControllerHost) {}

  observe(e: StoredEvent): void {
    if (e.kind === 'Service') this.dirty.add(`${e.namespace}/${e.name}`);
    else if (e.kind === 'Pod') {
      for (const k of this.host.indexes.servicesSelecting(e.namespace, e.object.metadata.labels)) this.dirty.add(k);
      if (e.prev) for (const k of this.host.indexes.servicesSelecting(e.namespace, e.prev.metadata.labels)) this.dirty.add(k);
    }
  }

  sync(): boolean {
    return drainDirtyKeys(this.dirty, (ns, name) => this.syncService(ns, name));
  }

  private syncService(ns: string, name: string): void {
    const { store } = this.host;
    const svc = store.get('Service', ns, name) as ServiceObject | undefined;
    const current = store.get('Endpoints', ns, name) as EndpointsObject | undefined;
    if (!svc) {
      if (current) this.host.systemRemove('Endpoints', ns, name);
      return;
    }
    const sel = svc.spec?.type !== 'ExternalName' ? serviceSelector(svc) : undefined;
    if (!sel) return; // selector-less Services: Endpoints are the user's.
    const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
    const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
    for (const p of this.host.indexes.podsSelectedBy(ns, sel)) {
      const pod = p as PodObject;
      if (!podEligible(pod)) continue;
      if (podTerminating(pod) && !publishNotReady) continue;
      const ports: EndpointPort[] = [];
      for (const sp of svc.spec?.ports ?? []) {
        const port = resolveTargetPort(pod, sp);
        if (port === undefined) continue;
        ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      if (ports.length === 0 && (svc.spec?.ports ?? []).length > 0) continue;
      const addr: EndpointAddress = {
        ip: pod.status!.podIP!,
        ...(pod.spec?.hostname && pod.spec.subdomain === name ? { hostname: pod.spec.hostname } : {}),
        ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid ?? '' },
      };
      const gk = JSON.stringify(ports);
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { ports, ready: [], notReady: [] }));
      (publishNotReady || podReady(pod) ? g.ready : g.notReady).push(addr);
    }
    let total = 0;
    for (const g of groups.values()) total += g.ready.length + g.notReady.length;
    let budget = total > MAX_ADDRESSES ? MAX_ADDRESSES : Infinity;
    const subsets: Subset[] = [];
    for (const g of groups.values()) {
      const ready = g.ready.slice(0, Math.max(0, Math.min(g.ready.length, budget)));
      budget -= ready.length;
      const notReady = g.notReady.slice(0, Math.max(0, Math.min(g.notReady.length, budget)));
      budget -= notReady.length;
      if (ready.length + notReady.length === 0) continue;
      subsets.push({ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports: g.ports });
    }
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [SKIP_MIRROR_LABEL]: 'true' };
    if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const annotations = total > MAX_ADDRESSES ? { [OVER_CAPACITY_ANNOTATION]: 'truncated' } : undefined;
    const desired: SimObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...(current ? current.metadata : {}),
        name,
        namespace: ns,
        labels,
        ...(annotations ? { annotations } : { annotations: undefined }),
      },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!desired.metadata.annotations) delete desired.metadata.annotations;
    if (current && jsonEqual(current.subsets ?? [], subsets) && jsonEqual(current.metadata.labels ?? {}, labels) && jsonEqual(current.metadata.annotations ?? {}, annotations ?? {})) return;
    this.host.systemPut(desired);
  }
}
