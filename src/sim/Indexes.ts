/**
 * Indexes: lookups the controllers need, kept in step with the store through its change listener:
 * Pods by namespace and by label pair, Services by namespace and by selector pair, EndpointSlices by
 * (namespace, `kubernetes.io/service-name` label). Keys are store keys (`namespace/name`).
 *
 * `podsSelectedBy` and `servicesSelecting` answer "which Pods does this selector match" and "which
 * Services select a Pod with these labels" from the pair indexes, so controller work is proportional to
 * the objects involved, not to the size of the namespace.
 */
import { serviceSelector } from './Controller.js';
import { matchesSelectorMap } from './labelSelector.js';
import type { SimObject, Store, StoredEvent } from './Store.js';
import { storeKey } from './Store.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';

function addTo(map: Map<string, Set<string>>, k: string, v: string): void {
  let s = map.get(k);
  if (!s) map.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom(map: Map<string, Set<string>>, k: string, v: string): void {
  const s = map.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) map.delete(k);
}

const pairKey = (ns: string, k: string, v: string) => `${ns}\u0000${k}=${v}`;

export class Indexes {
  readonly podsByNamespace = new Map<string, Set<string>>();
  readonly servicesByNamespace = new Map<string, Set<string>>();
  /** `namespace/serviceName` → slice store keys. */
  readonly slicesByService = new Map<string, Set<string>>();
  private readonly podsByLabel = new Map<string, Set<string>>();
  private readonly servicesBySelectorPair = new Map<string, Set<string>>();

  constructor(private readonly store: Store) {
    store.onChange((e) => this.apply(e));
  }

  private apply(e: StoredEvent): void {
    const key = storeKey(e.namespace, e.name);
    const cur = e.type === 'DELETED' ? undefined : e.object;
    if (e.kind === 'Pod') {
      if (!cur) removeFrom(this.podsByNamespace, e.namespace, key);
      else addTo(this.podsByNamespace, e.namespace, key);
      for (const [k, v] of Object.entries(e.prev?.metadata.labels ?? {})) removeFrom(this.podsByLabel, pairKey(e.namespace, k, v), key);
      for (const [k, v] of Object.entries(cur?.metadata.labels ?? {})) addTo(this.podsByLabel, pairKey(e.namespace, k, v), key);
    } else if (e.kind === 'Service') {
      if (!cur) removeFrom(this.servicesByNamespace, e.namespace, key);
      else addTo(this.servicesByNamespace, e.namespace, key);
      for (const [k, v] of Object.entries((e.prev && serviceSelector(e.prev as never)) ?? {})) removeFrom(this.servicesBySelectorPair, pairKey(e.namespace, k, v), key);
      for (const [k, v] of Object.entries((cur && serviceSelector(cur as never)) ?? {})) addTo(this.servicesBySelectorPair, pairKey(e.namespace, k, v), key);
    } else if (e.kind === 'EndpointSlice') {
      const prevSvc = e.prev?.metadata.labels?.[SERVICE_NAME_LABEL];
      const curSvc = cur?.metadata.labels?.[SERVICE_NAME_LABEL];
      if (prevSvc !== undefined && prevSvc !== curSvc) removeFrom(this.slicesByService, `${e.namespace}/${prevSvc}`, key);
      if (curSvc !== undefined) addTo(this.slicesByService, `${e.namespace}/${curSvc}`, key);
    }
  }

  /** Pods in `ns` whose labels match every pair of `selector` (a non-empty map), sorted by name. */
  podsSelectedBy(ns: string, selector: Readonly<Record<string, string>>): SimObject[] {
    let smallest: Set<string> | undefined;
    for (const [k, v] of Object.entries(selector)) {
      const s = this.podsByLabel.get(pairKey(ns, k, v));
      if (!s) return [];
      if (!smallest || s.size < smallest.size) smallest = s;
    }
    if (!smallest) return [];
    const out: SimObject[] = [];
    for (const key of [...smallest].sort()) {
      const pod = this.store.get('Pod', ns, key.slice(ns.length + 1));
      if (pod && matchesSelectorMap(selector, pod.metadata.labels)) out.push(pod);
    }
    return out;
  }

  /** Store keys of the Services in `ns` whose selector matches `labels`. */
  servicesSelecting(ns: string, labels: Readonly<Record<string, string>> | null | undefined): string[] {
    if (!labels) return [];
    const candidates = new Set<string>();
    for (const [k, v] of Object.entries(labels)) for (const s of this.servicesBySelectorPair.get(pairKey(ns, k, v)) ?? []) candidates.add(s);
    const out: string[] = [];
    for (const key of candidates) {
      const svc = this.store.get('Service', ns, key.slice(ns.length + 1));
      const sel = svc && serviceSelector(svc as never);
      if (sel && matchesSelectorMap(sel, labels)) out.push(key);
    }
    return out;
  }
}
