/**
 * Cluster: the simulated control plane behind the HTTP API — the store plus what kube-apiserver and
 * kube-controller-manager do on every write: defaulting and validation, allocation, graceful Pod
 * deletion, namespace cleanup, and the controllers (EndpointSlice, Endpoints, mirroring).
 *
 * Every public operation runs the controllers to quiescence before it returns, so after `create(pod)`
 * the Service's EndpointSlices are already updated (each controller write is its own event with its own
 * resourceVersion, after the triggering one). `batch(fn)` defers that to the end of `fn` (bulk loading).
 *
 * Pod deletion with a grace period: the Pod first gets `deletionTimestamp` (terminating; Ready unchanged),
 * after half the grace period its Ready/ContainersReady conditions turn False, and after the grace period
 * it is removed. `finishTerminating()` completes all pending deletions at once. Timers use the real clock;
 * timestamps use the injected `now`.
 */
import { Allocators, type SimNode } from './Allocators.js';
import { cloneJson } from './cloneJson.js';
import { ApiError } from './ApiError.js';
import type { Controller, ControllerHost } from './Controller.js';
import { defaultObject, isoSeconds, validateName } from './defaulting.js';
import { EndpointsController } from './EndpointsController.js';
import { GatewayController } from './GatewayController.js';
import { EndpointSliceController } from './EndpointSliceController.js';
import { Indexes } from './Indexes.js';
import { MirroringController } from './MirroringController.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { Random } from './Random.js';
import { resourceForKind, type ResourceType, RESOURCES, type SimKind } from './resources.js';
import { type SimObject, Store } from './Store.js';

export interface ClusterOptions {
  now: () => Date;
  seed: number;
  /** Events kept per kind for watch replay. */
  historyWindow: number;
  /** Default grace period of a Pod deletion, in ms (a DELETE may ask for another one). */
  podGraceMs: number;
  /** Changes kept in the change record (default unbounded). */
  changeLogLimit?: number;
  nodes?: readonly SimNode[];
}

export type PatchType = 'merge' | 'strategic' | 'json';

export interface DeleteOptions {
  /** Seconds; 0 deletes at once. Pods only. */
  gracePeriodSeconds?: number;
  /** Precondition: only delete if the stored uid matches. */
  uid?: string;
  /** Precondition: only delete if the stored resourceVersion matches. */
  resourceVersion?: string;
}

const DEFAULT_NODES: readonly SimNode[] = [
  { name: 'node-1', hostIP: '172.18.0.2', zone: 'zone-a' },
  { name: 'node-2', hostIP: '172.18.0.3', zone: 'zone-b' },
  { name: 'node-3', hostIP: '172.18.0.4', zone: 'zone-c' },
];

interface Termination {
  readyTimer?: NodeJS.Timeout;
  removeTimer?: NodeJS.Timeout;
}

export class Cluster implements ControllerHost {
  readonly store: Store;
  readonly indexes: Indexes;
  readonly random: Random;
  readonly now: () => Date;
  readonly alloc: Allocators;
  private readonly controllers: Controller[];
  private depth = 0;
  private readonly terminations = new Map<string, Termination>();
  private podGraceMs: number;
  private closed = false;

  constructor(opts: ClusterOptions) {
    this.now = opts.now;
    this.random = new Random(opts.seed);
    this.store = new Store(opts.historyWindow, opts.now, 0, opts.changeLogLimit);
    this.indexes = new Indexes(this.store);
    this.alloc = new Allocators(this.store, opts.nodes ?? DEFAULT_NODES);
    this.podGraceMs = opts.podGraceMs;
    this.controllers = [new EndpointSliceController(this), new EndpointsController(this), new MirroringController(this), new GatewayController(this)];
    this.store.onChange((e) => {
      for (const c of this.controllers) c.observe(e);
    });
    // The nodes Pods are scheduled to exist as Node objects (addresses and zone label, as a kubelet reports them).
    this.batch(() => {
      for (const n of this.alloc.nodes) {
        this.create({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'topology.kubernetes.io/zone': n.zone } },
          status: { addresses: [{ type: 'InternalIP', address: n.hostIP }, { type: 'Hostname', address: n.name }] },
        });
      }
    });
  }

  setPodGraceMs(ms: number): void {
    this.podGraceMs = ms;
  }

  /** Runs `fn` as one operation: controllers run once at the end (of the outermost operation). */
  batch<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      // Controllers run even if fn failed part-way: the operation's earlier writes are stored.
      if (this.depth === 0) {
        this.depth++;
        try {
          this.drain();
        } finally {
          this.depth--;
        }
      }
    }
  }

  private drain(): void {
    for (let round = 0; round < 1000; round++) {
      let worked = false;
      for (const c of this.controllers) if (c.sync()) worked = true;
      if (!worked) return;
    }
    throw new Error('Cluster: controllers did not settle after 1000 rounds');
  }

  // ---- ControllerHost ----

  systemPut(object: SimObject): void {
    const old = this.store.get(object.kind as SimKind, object.metadata.namespace, object.metadata.name);
    this.stampMetadata(object, old);
    this.store.put(object);
  }

  systemRemove(kind: SimKind, namespace: string, name: string): void {
    this.store.remove(kind, namespace || undefined, name);
  }

  private stampMetadata(obj: SimObject, old: SimObject | undefined): void {
    const m = obj.metadata;
    if (old) {
      m.uid = old.metadata.uid;
      m.creationTimestamp = old.metadata.creationTimestamp;
      if (old.metadata.deletionTimestamp) {
        m.deletionTimestamp = old.metadata.deletionTimestamp;
        m['deletionGracePeriodSeconds'] = old.metadata['deletionGracePeriodSeconds'];
      }
    } else {
      m.uid = this.random.uuid();
      m.creationTimestamp = isoSeconds(this.now());
      delete m.deletionTimestamp;
    }
    delete m.resourceVersion;
  }

  // ---- API operations ----

  private rt(kind: string): ResourceType {
    const r = resourceForKind(kind);
    if (!r) throw ApiError.badRequest(`no kind "${kind}" is registered`);
    return r;
  }

  private normalize(input: unknown, expectKind?: string, owned = false): SimObject {
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw ApiError.badRequest('the body must be a JSON object');
    const obj = (owned ? input : cloneJson(input)) as SimObject;
    if (!obj.kind && expectKind) obj.kind = expectKind;
    const r = this.rt(obj.kind);
    if (expectKind && obj.kind !== expectKind) throw ApiError.badRequest(`the kind of the body (${obj.kind}) does not match the path (${expectKind})`);
    obj.apiVersion = r.apiVersion;
    if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = { name: '' };
    if (!r.namespaced) delete obj.metadata.namespace;
    else if (!obj.metadata.namespace) obj.metadata.namespace = 'default';
    return obj;
  }

  /**
   * Creates an object (409 if it exists, 404 if its namespace does not unless autoNamespace). With
   * `owned`, the caller hands `input` over (it is stored without a copy and must not be touched again).
   */
  create(input: unknown, opts: { autoNamespace?: boolean; expectKind?: string; namespace?: string; owned?: boolean } = {}): SimObject {
    return this.batch(() => {
      const obj = this.normalize(input, opts.expectKind, opts.owned);
      const r = this.rt(obj.kind);
      if (opts.namespace !== undefined && r.namespaced) {
        if (obj.metadata.namespace !== 'default' && obj.metadata.namespace !== opts.namespace && (input as SimObject).metadata?.namespace) {
          throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
        }
        obj.metadata.namespace = opts.namespace;
      }
      if (!obj.metadata.name && typeof obj.metadata['generateName'] === 'string') {
        let n: string;
        do n = `${obj.metadata['generateName']}${this.random.suffix()}`;
        while (this.store.get(r.kind, obj.metadata.namespace, n));
        obj.metadata.name = n;
      }
      validateName(obj);
      if (this.store.get(r.kind, obj.metadata.namespace, obj.metadata.name)) throw ApiError.alreadyExists(r.plural, obj.metadata.name, r.group);
      if (r.namespaced) this.ensureNamespace(obj.metadata.namespace!, !!opts.autoNamespace);
      defaultObject(obj, undefined, this.alloc, this.now());
      this.stampMetadata(obj, undefined);
      this.store.put(obj);
      return obj;
    });
  }

  private ensureNamespace(ns: string, auto: boolean): void {
    const existing = this.store.get('Namespace', undefined, ns);
    if (existing) {
      if (existing.metadata.deletionTimestamp) throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`);
      return;
    }
    if (!auto) throw ApiError.notFound('namespaces', ns);
    this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }

  /** Replaces an object (PUT). A set metadata.resourceVersion must equal the stored one (409 otherwise). */
  update(input: unknown, opts: { expectKind?: string; namespace?: string; name?: string; subresource?: 'status' } = {}): SimObject {
    return this.batch(() => {
      const obj = this.normalize(input, opts.expectKind);
      const r = this.rt(obj.kind);
      if (opts.namespace !== undefined && r.namespaced) obj.metadata.namespace = opts.namespace;
      if (opts.name !== undefined && obj.metadata.name !== opts.name) {
        throw ApiError.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${opts.name})`);
      }
      const old = this.store.get(r.kind, obj.metadata.namespace, obj.metadata.name);
      if (!old) throw ApiError.notFound(r.plural, obj.metadata.name, r.group);
      const wantRv = obj.metadata.resourceVersion;
      if (wantRv && wantRv !== old.metadata.resourceVersion) throw ApiError.conflict(r.plural, obj.metadata.name, r.group);
      let next: SimObject = obj;
      if (opts.subresource === 'status') next = { ...old, metadata: { ...old.metadata }, status: obj.status };
      defaultObject(next, old, this.alloc, this.now());
      this.stampMetadata(next, old);
      this.store.put(next);
      return next;
    });
  }

  patch(kind: SimKind, namespace: string | undefined, name: string, body: unknown, type: PatchType, subresource?: 'status'): SimObject {
    return this.batch(() => {
      const r = this.rt(kind);
      const old = this.store.get(kind, r.namespaced ? namespace : undefined, name);
      if (!old) throw ApiError.notFound(r.plural, name, r.group);
      const base = cloneJson(old);
      delete base.metadata.resourceVersion;
      let patched: unknown;
      if (type === 'json') patched = jsonPatch(base, body);
      else if (type === 'strategic') patched = strategicMergePatch(base, body, kind);
      else patched = mergePatch(base, body);
      const p = patched as SimObject;
      if (!p || typeof p !== 'object' || !p.metadata) throw ApiError.badRequest('the patch removed the object metadata');
      if (p.metadata.name !== name) throw ApiError.badRequest('the patch may not change metadata.name');
      return this.update(p, { expectKind: kind, namespace: r.namespaced ? namespace : undefined, name, subresource });
    });
  }

  /**
   * Deletes an object. Pods are deleted gracefully (see the class comment) unless the grace period is 0;
   * Namespaces take their contents with them. Returns the object as it now stands (terminating Pods) or
   * its last state.
   */
  delete(kind: SimKind, namespace: string | undefined, name: string, opts: DeleteOptions = {}): SimObject {
    return this.batch(() => {
      const r = this.rt(kind);
      const ns = r.namespaced ? namespace : undefined;
      const old = this.store.get(kind, ns, name);
      if (!old) throw ApiError.notFound(r.plural, name, r.group);
      if (opts.uid && opts.uid !== old.metadata.uid) throw ApiError.conflict(r.plural, name, r.group);
      if (opts.resourceVersion && opts.resourceVersion !== old.metadata.resourceVersion) throw ApiError.conflict(r.plural, name, r.group);
      if (kind === 'Pod') {
        const graceMs = opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds >= 0 ? opts.gracePeriodSeconds * 1000 : this.podGraceMs;
        if (graceMs > 0) return this.beginPodTermination(old, graceMs);
        this.clearTermination(`${ns}/${name}`);
      }
      if (kind === 'Namespace') {
        for (const other of RESOURCES) {
          if (!other.namespaced) continue;
          for (const o of this.store.list(other.kind)) {
            if (o.metadata.namespace === name) {
              if (other.kind === 'Pod') this.clearTermination(`${name}/${o.metadata.name}`);
              this.store.remove(other.kind, name, o.metadata.name);
            }
          }
        }
      }
      return this.store.remove(kind, ns, name)!.object;
    });
  }

  private beginPodTermination(pod: SimObject, graceMs: number): SimObject {
    const ns = pod.metadata.namespace ?? '';
    const key = `${ns}/${pod.metadata.name}`;
    if (pod.metadata.deletionTimestamp) return pod;
    const now = this.now();
    const next: SimObject = {
      ...pod,
      metadata: {
        ...pod.metadata,
        deletionTimestamp: isoSeconds(new Date(now.getTime() + graceMs)),
        deletionGracePeriodSeconds: Math.ceil(graceMs / 1000),
      },
    };
    delete next.metadata.resourceVersion;
    this.store.put(next);
    const t: Termination = {};
    this.terminations.set(key, t);
    if (!this.closed) {
      t.readyTimer = setTimeout(() => this.batch(() => this.podNotReady(ns, pod.metadata.name)), Math.max(1, graceMs / 2));
      t.removeTimer = setTimeout(() => this.batch(() => this.finishPod(ns, pod.metadata.name)), graceMs);
    }
    return next;
  }

  private podNotReady(ns: string, name: string): void {
    const t = this.terminations.get(`${ns}/${name}`);
    if (t) t.readyTimer = undefined;
    const pod = this.store.get('Pod', ns, name);
    if (!pod || !pod.metadata.deletionTimestamp) return;
    const status = (pod.status ?? {}) as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
    const ts = isoSeconds(this.now());
    let changed = false;
    const conditions = (status.conditions ?? []).map((c) => {
      if ((c.type === 'Ready' || c.type === 'ContainersReady') && c.status === 'True') {
        changed = true;
        return { ...c, status: 'False', lastTransitionTime: ts, reason: 'PodTerminating' };
      }
      return c;
    });
    if (!changed) return;
    const next: SimObject = { ...pod, metadata: { ...pod.metadata }, status: { ...status, conditions } };
    delete next.metadata.resourceVersion;
    this.store.put(next);
  }

  private finishPod(ns: string, name: string): void {
    this.clearTermination(`${ns}/${name}`);
    this.store.remove('Pod', ns, name);
  }

  private clearTermination(key: string): void {
    const t = this.terminations.get(key);
    if (!t) return;
    if (t.readyTimer) clearTimeout(t.readyTimer);
    if (t.removeTimer) clearTimeout(t.removeTimer);
    this.terminations.delete(key);
  }

  /** Number of Pods currently terminating. */
  terminatingCount(): number {
    return this.terminations.size;
  }

  /** Completes every pending Pod deletion now (Ready turns False first if it has not yet). */
  finishTerminating(): void {
    this.batch(() => {
      for (const key of [...this.terminations.keys()]) {
        const slash = key.indexOf('/');
        const ns = key.slice(0, slash);
        const name = key.slice(slash + 1);
        if (this.terminations.get(key)?.readyTimer) this.podNotReady(ns, name);
        this.finishPod(ns, name);
      }
    });
  }

  /**
   * Create-or-replace, for programmatic drivers (tests, scenarios, churn): creates missing namespaces and
   * ignores resourceVersion preconditions. Returns the stored object.
   */
  apply(input: unknown): SimObject {
    return this.batch(() => {
      const obj = this.normalize(input);
      const r = this.rt(obj.kind);
      const old = this.store.get(r.kind, obj.metadata.namespace, obj.metadata.name);
      if (!old) return this.create(obj, { autoNamespace: true });
      delete obj.metadata.resourceVersion;
      return this.update(obj);
    });
  }

  /** Stops timers; pending Pod deletions stay pending. */
  close(): void {
    this.closed = true;
    for (const t of this.terminations.values()) {
      if (t.readyTimer) clearTimeout(t.readyTimer);
      if (t.removeTimer) clearTimeout(t.removeTimer);
      t.readyTimer = undefined;
      t.removeTimer = undefined;
    }
  }
}
