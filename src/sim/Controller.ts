/**
 * Controller: the shape of the simulated kube-controller-manager loops and what they may use.
 *
 * Like the real ones, controllers only record which keys are dirty when a change happens (`observe`) and do
 * the work later (`sync`), when the Cluster drains its queues after each API operation. A sync writes
 * only when the desired object differs from the stored one, so a quiet cluster produces no events.
 */
import type { EndpointSliceObject } from '../model/objects.js';
import { MANAGED_BY_LABEL, type Indexes } from './Indexes.js';
import type { Random } from './Random.js';
import type { SimKind } from './resources.js';
import type { SimObject, Store, StoredEvent } from './Store.js';

export interface ControllerHost {
  readonly store: Store;
  readonly indexes: Indexes;
  readonly random: Random;
  readonly now: () => Date;
  /** Stores an object as the system does: assigns uid/creationTimestamp on create, keeps them on update. */
  systemPut(object: SimObject): void;
  systemRemove(kind: SimKind, namespace: string, name: string): void;
}

export interface Controller {
  readonly name: string;
  /** Records the keys a change makes dirty. Must not write. */
  observe(event: StoredEvent): void;
  /** Takes the dirty keys; returns false when there was nothing to do. */
  sync(): boolean;
}

/**
 * Takes every dirty `namespace/name` key, in sorted order (deterministic writes), and syncs it.
 * Returns false when there was nothing to do (Controller.sync's contract).
 */
export function drainDirtyKeys(dirty: Set<string>, syncKey: (namespace: string, name: string) => void): boolean {
  if (dirty.size === 0) return false;
  const keys = [...dirty].sort();
  dirty.clear();
  for (const key of keys) {
    const slash = key.indexOf('/');
    syncKey(key.slice(0, slash), key.slice(slash + 1));
  }
  return true;
}

/** The EndpointSlices labelled for Service `namespace/service` whose managed-by label is `manager`. */
export function managedSlices(host: ControllerHost, namespace: string, service: string, manager: string): EndpointSliceObject[] {
  const out: EndpointSliceObject[] = [];
  for (const sliceKey of host.indexes.slicesByService.get(`${namespace}/${service}`) ?? []) {
    const s = host.store.get('EndpointSlice', namespace, sliceKey.slice(namespace.length + 1)) as EndpointSliceObject | undefined;
    if (s && s.metadata.labels?.[MANAGED_BY_LABEL] === manager) out.push(s);
  }
  return out;
}

/** Deep equality for JSON-shaped values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** Service selector as the controllers see it: nil and empty both mean "no selector". */
export function serviceSelector(svc: { spec?: { selector?: Record<string, string> | null } | null }): Record<string, string> | undefined {
  const sel = svc.spec?.selector;
  return sel && Object.keys(sel).length > 0 ? sel : undefined;
}
