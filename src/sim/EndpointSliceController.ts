/**
 * EndpointSliceController: keeps EndpointSlices in step with Services that have a selector, like kube's
 * endpointslice controller (routing-semantics E4–E7).
 *
 *  - Endpoints: every Pod in the Service's namespace matching the selector, with an IP and not
 *    Succeeded/Failed; `serving` = Pod Ready, `terminating` = deletionTimestamp set,
 *    `ready` = publishNotReadyAddresses || (serving && !terminating); nodeName, targetRef, hostname (when
 *    spec.hostname is set and spec.subdomain is the Service name).
 *  - Ports: each Service port's targetPort is resolved per Pod (named ports by name+protocol); Pods are
 *    grouped by their resolved port list, one slice family per distinct list (≤ maxEndpointsPerSlice each);
 *    a Pod resolving no port lands in a slice with `ports: []`.
 *  - No qualifying Pod: exactly one placeholder slice with `endpoints: []` and `ports: []`.
 *  - Labels: the Service's labels (minus reserved ones) + `kubernetes.io/service-name`,
 *    `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`, and
 *    `service.kubernetes.io/headless: ""` for clusterIP None; ownerReference to the Service.
 *  - Slices labelled as this controller's for the Service but not owned by it are deleted (E7); Services
 *    without selector or of type ExternalName get none.
 */
import type { EndpointSliceObject, PodObject, ServiceObject, SliceEndpoint, SlicePort } from '../model/objects.js';
import { type Controller, type ControllerHost, drainDirtyKeys, jsonEqual, managedSlices, serviceSelector } from './Controller.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './Indexes.js';
import { podEligible, podReady, podTerminating, resolveTargetPort } from './podFacts.js';
import type { SimObject, StoredEvent } from './Store.js';

export const SLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const RESERVED_LABELS = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);

interface DesiredSlice {
  addressType: string;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  private dirty = new Set<string>();

  constructor(
    private readonly host: ControllerHost,
    private readonly maxEndpointsPerSlice = 100,
  ) {}

  observe(e: StoredEvent): void {
    if (e.kind === 'Service') this.dirty.add(`${e.namespace}/${e.name}`);
    else if (e.kind === 'Pod') {
      // Every Service whose selector matched the Pod before or matches it now.
      for (const k of this.host.indexes.servicesSelecting(e.namespace, e.object.metadata.labels)) this.dirty.add(k);
      if (e.prev) for (const k of this.host.indexes.servicesSelecting(e.namespace, e.prev.metadata.labels)) this.dirty.add(k);
    } else if (e.kind === 'EndpointSlice') {
      const labels = e.type === 'DELETED' ? e.prev?.metadata.labels : e.object.metadata.labels;
      const svcName = labels?.[SERVICE_NAME_LABEL] ?? e.prev?.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svcName && (labels?.[MANAGED_BY_LABEL] === SLICE_CONTROLLER_NAME || e.prev?.metadata.labels?.[MANAGED_BY_LABEL] === SLICE_CONTROLLER_NAME)) {
        this.dirty.add(`${e.namespace}/${svcName}`);
      }
    }
  }

  sync(): boolean {
    return drainDirtyKeys(this.dirty, (ns, name) => this.syncService(ns, name));
  }

  private syncService(ns: string, name: string): void {
    const { store } = this.host;
    const svc = store.get('Service', ns, name) as ServiceObject | undefined;
    const existing = managedSlices(this.host, ns, name, SLICE_CONTROLLER_NAME);
    const sel = svc && svc.spec?.type !== 'ExternalName' ? serviceSelector(svc) : undefined;
    if (!svc || !sel) {
      for (const s of existing) this.host.systemRemove('EndpointSlice', ns, s.metadata.name);
      return;
    }
    const owned: EndpointSliceObject[] = [];
    for (const s of existing) {
      if ((s.metadata.ownerReferences ?? []).some((o) => o.kind === 'Service' && o.uid === svc.metadata.uid)) owned.push(s);
      else this.host.systemRemove('EndpointSlice', ns, s.metadata.name);
    }
    const desired = this.desiredSlices(svc, sel, ns);
    const labels = sliceLabels(svc);
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    const unused = new Set(owned);
    const toCreate: DesiredSlice[] = [];
    // Exact matches first, then reuse slices with the same port list, then create.
    const pending: DesiredSlice[] = [];
    for (const d of desired) {
      const same = [...unused].find((s) => s.addressType === d.addressType && jsonEqual(s.ports ?? [], d.ports) && jsonEqual(s.endpoints ?? [], d.endpoints) && jsonEqual(s.metadata.labels ?? {}, labels));
      if (same) unused.delete(same);
      else pending.push(d);
    }
    for (const d of pending) {
      const reuse = [...unused].find((s) => s.addressType === d.addressType && jsonEqual(s.ports ?? [], d.ports)) ?? [...unused].find((s) => s.addressType === d.addressType);
      if (reuse) {
        unused.delete(reuse);
        this.host.systemPut(this.sliceObject(reuse.metadata.name, ns, labels, ownerReferences, d, reuse));
      } else toCreate.push(d);
    }
    for (const s of unused) this.host.systemRemove('EndpointSlice', ns, s.metadata.name);
    for (const d of toCreate) {
      let sliceName: string;
      do sliceName = `${name}-${this.host.random.suffix()}`;
      while (store.get('EndpointSlice', ns, sliceName));
      this.host.systemPut(this.sliceObject(sliceName, ns, labels, ownerReferences, d));
    }
  }

  private sliceObject(name: string, ns: string, labels: Record<string, string>, ownerReferences: object[], d: DesiredSlice, prev?: EndpointSliceObject): SimObject {
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        ...(prev ? prev.metadata : {}),
        name,
        namespace: ns,
        ...(prev ? {} : { generateName: `${labels[SERVICE_NAME_LABEL]}-` }),
        labels,
        ownerReferences: ownerReferences as SimObject['metadata']['ownerReferences'],
      },
      addressType: d.addressType,
      endpoints: d.endpoints,
      ports: d.ports,
    };
  }

  private desiredSlices(svc: ServiceObject, sel: Record<string, string>, ns: string): DesiredSlice[] {
    const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
    const families = svc.spec?.ipFamilies && svc.spec.ipFamilies.length > 0 ? svc.spec.ipFamilies : ['IPv4'];
    const groups = new Map<string, DesiredSlice>();
    for (const p of this.host.indexes.podsSelectedBy(ns, sel)) {
      const pod = p as PodObject;
      if (!podEligible(pod)) continue;
      const ip = pod.status!.podIP!;
      const addressType = ip.includes(':') ? 'IPv6' : 'IPv4';
      if (!families.includes(addressType)) continue;
      const ports: SlicePort[] = [];
      for (const sp of svc.spec?.ports ?? []) {
        const port = resolveTargetPort(pod, sp);
        if (port === undefined) continue;
        ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      const serving = podReady(pod);
      const terminating = podTerminating(pod);
      const endpoint: SliceEndpoint = {
        addresses: [ip],
        conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
        ...(pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
        ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid ?? '' },
      };
      const gk = `${addressType}|${JSON.stringify(ports)}`;
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { addressType, ports, endpoints: [] }));
      g.endpoints.push(endpoint);
    }
    if (groups.size === 0) return [{ addressType: families[0] === 'IPv6' ? 'IPv6' : 'IPv4', ports: [], endpoints: [] }];
    const out: DesiredSlice[] = [];
    for (const g of [...groups.values()]) {
      for (let i = 0; i < g.endpoints.length; i += this.maxEndpointsPerSlice) {
        out.push({ addressType: g.addressType, ports: g.ports, endpoints: g.endpoints.slice(i, i + this.maxEndpointsPerSlice) });
      }
    }
    return out;
  }
}

export function sliceLabels(svc: ServiceObject): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!RESERVED_LABELS.has(k)) labels[k] = v;
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  labels[MANAGED_BY_LABEL] = SLICE_CONTROLLER_NAME;
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  return labels;
}
