/**
 * MirroringController: mirrors v1 Endpoints of selector-less Services into EndpointSlices, like kube's
 * endpointslicemirroring controller (routing-semantics M4–M6, M8).
 *
 * An Endpoints is mirrored when: no `endpointslice.kubernetes.io/skip-mirror: "true"` label, no
 * `control-plane.alpha.kubernetes.io/leader` annotation, and a Service of the same name exists in the
 * namespace with no selector. Output: one slice per (address type, port list); labels = the Endpoints'
 * labels + `kubernetes.io/service-name` + `managed-by: endpointslicemirroring-controller.k8s.io`;
 * annotations copied except last-change-trigger-time and last-applied-configuration; ownerReference to
 * the Endpoints. Each address becomes `{addresses:[ip], conditions:{ready}, hostname?, nodeName?,
 * targetRef?}` (serving/terminating unset); at most 1000 addresses per subset (ready first); invalid IPs
 * are skipped. Mirrored slices that no longer correspond to a mirrorable Endpoints are deleted.
 */
import { isIP } from 'node:net';
import type { EndpointAddress, EndpointsObject, EndpointSliceObject, ServiceObject, SliceEndpoint, SlicePort } from '../model/objects.js';
import { type Controller, type ControllerHost, drainDirtyKeys, jsonEqual, managedSlices, serviceSelector } from './Controller.js';
import { SKIP_MIRROR_LABEL } from './EndpointsController.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './Indexes.js';
import type { SimObject, StoredEvent } from './Store.js';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
const DROPPED_ANNOTATIONS = new Set(['endpoints.kubernetes.io/last-change-trigger-time', 'kubectl.kubernetes.io/last-applied-configuration']);
const MAX_PER_SUBSET = 1000;

interface Desired {
  addressType: string;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export class MirroringController implements Controller {
  readonly name = 'endpointslicemirroring';
  private dirty = new Set<string>();

  constructor(private readonly host: ControllerHost) {}

  observe(e: StoredEvent): void {
    if (e.kind === 'Endpoints' || e.kind === 'Service') this.dirty.add(`${e.namespace}/${e.name}`);
    else if (e.kind === 'EndpointSlice') {
      for (const o of [e.prev, e.type === 'DELETED' ? undefined : e.object]) {
        if (o?.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_CONTROLLER_NAME && o.metadata.labels[SERVICE_NAME_LABEL]) {
          this.dirty.add(`${e.namespace}/${o.metadata.labels[SERVICE_NAME_LABEL]}`);
        }
      }
    }
  }

  sync(): boolean {
    return drainDirtyKeys(this.dirty, (ns, name) => this.syncEndpoints(ns, name));
  }

  private syncEndpoints(ns: string, name: string): void {
    const { store } = this.host;
    const ep = store.get('Endpoints', ns, name) as EndpointsObject | undefined;
    const svc = store.get('Service', ns, name) as ServiceObject | undefined;
    const existing = managedSlices(this.host, ns, name, MIRRORING_CONTROLLER_NAME);
    const mirror =
      ep && svc && !serviceSelector(svc) && ep.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true' && !(ep.metadata.annotations && LEADER_ANNOTATION in ep.metadata.annotations);
    if (!mirror) {
      for (const s of existing) this.host.systemRemove('EndpointSlice', ns, s.metadata.name);
      return;
    }
    const desired = desiredSlices(ep);
    const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER_NAME };
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(ep.metadata.annotations ?? {})) if (!DROPPED_ANNOTATIONS.has(k)) annotations[k] = v;
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Endpoints', name, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    const unused = new Set(existing);
    const build = (sliceName: string, d: Desired, prev?: EndpointSliceObject): SimObject => {
      const meta: SimObject['metadata'] = { ...(prev ? prev.metadata : { generateName: `${name}-` }), name: sliceName, namespace: ns, labels, ownerReferences };
      if (Object.keys(annotations).length) meta.annotations = annotations;
      else delete meta.annotations;
      return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta, addressType: d.addressType, endpoints: d.endpoints, ports: d.ports };
    };
    const pending: Desired[] = [];
    for (const d of desired) {
      const same = [...unused].find(
        (s) =>
          s.addressType === d.addressType &&
          jsonEqual(s.ports ?? [], d.ports) &&
          jsonEqual(s.endpoints ?? [], d.endpoints) &&
          jsonEqual(s.metadata.labels ?? {}, labels) &&
          jsonEqual(s.metadata.annotations ?? {}, annotations) &&
          (s.metadata.ownerReferences ?? []).some((o) => o.uid === ep.metadata.uid),
      );
      if (same) unused.delete(same);
      else pending.push(d);
    }
    for (const d of pending) {
      const reuse = [...unused].find((s) => s.addressType === d.addressType && jsonEqual(s.ports ?? [], d.ports)) ?? [...unused].find((s) => s.addressType === d.addressType);
      if (reuse) {
        unused.delete(reuse);
        this.host.systemPut(build(reuse.metadata.name, d, reuse));
      } else {
        let sliceName: string;
        do sliceName = `${name}-${this.host.random.suffix()}`;
        while (store.get('EndpointSlice', ns, sliceName));
        this.host.systemPut(build(sliceName, d));
      }
    }
    for (const s of unused) this.host.systemRemove('EndpointSlice', ns, s.metadata.name);
  }
}

function toEndpoint(a: EndpointAddress, ready: boolean): SliceEndpoint {
  return {
    addresses: [a.ip],
    conditions: { ready },
    ...(a.hostname ? { hostname: a.hostname } : {}),
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    ...(a.targetRef ? { targetRef: a.targetRef } : {}),
  };
}

function desiredSlices(ep: EndpointsObject): Desired[] {
  const groups = new Map<string, Desired>();
  for (const subset of ep.subsets ?? []) {
    const ports: SlicePort[] = (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    let budget = MAX_PER_SUBSET;
    const add = (a: EndpointAddress, ready: boolean) => {
      const family = isIP(a.ip);
      if (family === 0 || budget <= 0) return;
      budget--;
      const addressType = family === 6 ? 'IPv6' : 'IPv4';
      const gk = `${addressType}|${JSON.stringify(ports)}`;
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { addressType, ports, endpoints: [] }));
      g.endpoints.push(toEndpoint(a, ready));
    };
    for (const a of subset.addresses ?? []) add(a, true);
    for (const a of subset.notReadyAddresses ?? []) add(a, false);
  }
  return [...groups.values()];
}
