/**
 * startSim: starts a simulated Kubernetes API server on 127.0.0.1 and returns a handle to drive it.
 *
 * Contract (what tests and the CLI may rely on):
 *  - `url` (`http://127.0.0.1:PORT`) serves the Kubernetes list/watch protocol for Namespace, Node, Service,
 *    Endpoints, Pod (v1), EndpointSlice (discovery.k8s.io/v1), Ingress and IngressClass
 *    (networking.k8s.io/v1), the write verbs and discovery, as `@kubernetes/client-node` and `kubectl`
 *    expect (see ApiServer, WatchHub, ListHandler). `/_sim/…` is the HTTP control endpoint
 *    (ControlEndpoint).
 *  - One cluster-wide resourceVersion, strictly increasing; every change bumps it. Watches replay from a
 *    resourceVersion within the last `historyWindow` events per kind (default 10 000), else 410.
 *  - Controllers (EndpointSlice, Endpoints, mirroring) run inside every write: when `apply`/`remove`
 *    return, the derived objects are already stored.
 *  - `apply(obj)`: create-or-replace (missing namespaces are created; a Pod without status is scheduled
 *    and started; a Pod with a status keeps it). `remove(kind, ns, name)`: deletes; a Pod is deleted
 *    gracefully — terminating (deletionTimestamp set, Ready unchanged), then Ready False after half of
 *    `podGraceMs`, then gone after `podGraceMs` (default 1000 ms); `{gracePeriodSeconds: 0}` deletes at
 *    once; `finishTerminating()` completes all pending Pod deletions now. `remove` of a missing object
 *    returns undefined.
 *  - `changeLog(sinceRv?)`: every change since start, oldest first: `{rv, type, kind, namespace, name,
 *    object, at}` where `object` is the state after the change (for DELETED: the last state stamped with
 *    the deletion rv) and `at` the simulator clock's time. Replaying it rebuilds `state()` at any instant.
 *    The last `changeLogLimit` (default 50 000) changes are kept; asking for older ones throws.
 *  - `state()`: current objects per kind (sorted by namespace/name); `snapshot()`: the same as a model
 *    Snapshot. Returned objects are the stored ones: do not modify them.
 *  - `now` (default the wall clock) stamps creationTimestamp, deletionTimestamp, condition
 *    lastTransitionTime and `changeLog().at`. Timers (grace periods, churn, bookmarks) use real time.
 *  - `faults`: `cutWatches(mode='reset'|'clean')`, `expireWatches()` (in-stream 410 then close),
 *    `failFor(500|503|429, ms)`, `clearFailures()`, `compact()` (watches from older versions and continue
 *    tokens get 410), `pause()`/`resume()` (hold requests and watch events), `restart(downMs?)` (all
 *    connections dropped, same port, state kept).
 *  - `waitForWatchers(n, kind?, timeoutMs = 30 000)`: resolves once n watch streams (of that kind) are
 *    open; rejects with the open count after the timeout.
 *  - `churn`: `setRate(perSecond)`, `step(n)` (deterministic for `seed`), `stop()`; `scale` builds a large
 *    synthetic cluster at start (ScaleGenerator).
 *  - `requests()`: the API requests received, oldest first, as they arrived (before injected faults or
 *    pauses; `/_sim/…` excluded): `{method, path, query, at}` with the query string as received. The last
 *    `requestLogLimit` (default 10 000) are kept.
 *  - `close()`: stops timers, destroys every connection, stops listening.
 */
import type { Snapshot } from '../model/objects.js';
import { ApiServer } from './ApiServer.js';
import { Churn } from './Churn.js';
import { Cluster } from './Cluster.js';
import { controlEndpoint } from './ControlEndpoint.js';
import { FaultGate, type FaultStatus } from './FaultGate.js';
import { ListHandler } from './ListHandler.js';
import type { SimKind } from './resources.js';
import { GATEWAY_SIM_KINDS, SIM_KINDS } from './resources.js';
import { generateScale, type ScaleSpec } from './ScaleGenerator.js';
import { loadScenario, splitSteps } from './Scenario.js';
import type { EventType, SimObject } from './Store.js';
import { WatchHub } from './WatchHub.js';

export interface StartSimOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** `seed`, `empty` (default) or a path to a YAML manifests file. */
  scenario?: string;
  /** Churn steps per second from the start (default 0: none). */
  churn?: number;
  /** Seed of uids, generated names and churn (default 1). */
  seed?: number;
  scale?: ScaleSpec;
  /** Events kept per kind for watch replay (default 10 000). */
  historyWindow?: number;
  now?: () => Date;
  /** Grace period of Pod deletions in ms (default 1000). */
  podGraceMs?: number;
  /** Interval of BOOKMARK events for watches that allow them (default 5000 ms). */
  bookmarkMs?: number;
  /** How a watch from a too-old resourceVersion is refused (default 'stream': 200 + ERROR + close). */
  expiredWatch?: 'stream' | 'http';
  /** Lifetime of list continue tokens (default 5 minutes). */
  continueTtlMs?: number;
  /**
   * Changes kept for `changeLog()` (default 50 000; oldest dropped first). `changeLog(sinceRv)` throws when
   * changes after `sinceRv` were dropped. Long-running simulators with churn need a bound.
   */
  changeLogLimit?: number;
  /** API requests kept for `requests()` (default 10 000; oldest dropped first). */
  requestLogLimit?: number;
  /** Later steps of the scenario (Scenario.ts): applied at their time ('timed', default) or by nextStep() only ('manual'). */
  steps?: 'timed' | 'manual';
  /** false: a cluster without the Gateway API CRDs (its paths answer 404, discovery omits the group). Default true. */
  gatewayApi?: boolean;
}

export interface SimRequest {
  method: string;
  path: string;
  /** The query string without '?' ('' when none). */
  query: string;
  at: Date;
}

export interface ChangeRecord {
  rv: number;
  type: EventType;
  kind: SimKind;
  namespace: string;
  name: string;
  object: SimObject;
  at: Date;
}

export type SimState = Record<SimKind, SimObject[]>;

export interface SimFaults {
  cutWatches(mode?: 'reset' | 'clean'): number;
  expireWatches(): number;
  failFor(status: FaultStatus, ms: number): void;
  clearFailures(): void;
  compact(): void;
  pause(): void;
  resume(): void;
  restart(downMs?: number): Promise<void>;
}

export interface SimHandle {
  readonly url: string;
  readonly port: number;
  apply(obj: unknown): SimObject;
  remove(kind: SimKind, namespace: string | undefined, name: string, opts?: { gracePeriodSeconds?: number }): SimObject | undefined;
  get(kind: SimKind, namespace: string | undefined, name: string): SimObject | undefined;
  finishTerminating(): void;
  changeLog(sinceRv?: number): ChangeRecord[];
  state(): SimState;
  snapshot(): Snapshot;
  resourceVersion(): number;
  /** Resolves once at least n watch streams (of `kind`) are open; rejects after `timeoutMs` (default 30 s). */
  waitForWatchers(n: number, kind?: SimKind, timeoutMs?: number): Promise<void>;
  watcherCount(kind?: SimKind): number;
  readonly faults: SimFaults;
  readonly churn: { setRate(perSecond: number): void; step(n?: number): void; stop(): void; readonly rate: number };
  stats(): { watchEventsSent: number; listItemsServed: number; requests: number };
  /** API requests received, oldest first (see the contract above). */
  requests(): SimRequest[];
  /** Applies the scenario's next pending step now (undefined when none is left). */
  nextStep(): SimObject | undefined;
  /** Steps of the scenario not applied yet. */
  pendingSteps(): number;
  /** A simulator started with `gatewayApi: false` serves the Gateway API kinds from now on (CRDs installed). */
  installGatewayApi(): void;
  /** The simulated control plane, for tests that need more than the above. */
  readonly cluster: Cluster;
  close(): Promise<void>;
}

export async function startSim(opts: StartSimOptions = {}): Promise<SimHandle> {
  const now = opts.now ?? (() => new Date());
  const seed = opts.seed ?? 1;
  const cluster = new Cluster({
    now,
    seed,
    historyWindow: opts.historyWindow ?? 10_000,
    podGraceMs: opts.podGraceMs ?? 1000,
    changeLogLimit: opts.changeLogLimit ?? 50_000,
  });
  const hub = new WatchHub(cluster.store, { bookmarkMs: opts.bookmarkMs ?? 5000, expired: opts.expiredWatch ?? 'stream', maxBufferBytes: 64 * 1024 * 1024 });
  const lists = new ListHandler(cluster.store, opts.continueTtlMs ?? 5 * 60_000);
  const gate = new FaultGate();
  const churn = new Churn(cluster, seed);
  let requests = 0;
  const requestLog: SimRequest[] = [];
  const requestLogLimit = opts.requestLogLimit ?? 10_000;

  let gatewayApiServed = opts.gatewayApi !== false;
  // Without the Gateway API CRDs the scenario's objects of those kinds could not be created.
  const served = (o: Record<string, unknown>) => opts.gatewayApi !== false || !GATEWAY_SIM_KINDS.includes(o['kind'] as SimKind);
  const scenario = splitSteps(loadScenario(opts.scenario ?? 'empty'), opts.scenario ?? 'empty');
  cluster.batch(() => {
    for (const ns of ['default', 'kube-system', 'kube-public']) cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const obj of scenario.initial) if (served(obj)) cluster.apply(obj);
  });
  const pendingSteps = scenario.steps.filter((s) => served(s.object));
  const stepTimers: NodeJS.Timeout[] = [];
  const nextStep = (): SimObject | undefined => {
    const step = pendingSteps.shift();
    return step ? cluster.apply(step.object) : undefined;
  };
  if ((opts.steps ?? 'timed') === 'timed') {
    for (const step of pendingSteps) {
      stepTimers.push(setTimeout(() => {
        if (pendingSteps[0] === step) nextStep();
      }, step.afterMs));
    }
  }
  if (opts.scale) generateScale(cluster, opts.scale);

  let handle: SimHandle | undefined;
  const server = new ApiServer({
    served: (kind: SimKind) => gatewayApiServed || !GATEWAY_SIM_KINDS.includes(kind),
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    cluster,
    hub,
    lists,
    gate,
    control: controlEndpoint(() => handle!),
    onRequest: () => void requests++,
    onReceive: (method, path, query) => {
      requestLog.push({ method, path, query: query.toString(), at: new Date() });
      if (requestLog.length > requestLogLimit) requestLog.splice(0, requestLog.length - requestLogLimit);
    },
  });
  await server.listen();

  const faults: SimFaults = {
    cutWatches: (mode = 'reset') => hub.cut(mode),
    expireWatches: () => hub.expireAll(),
    failFor: (status, ms) => gate.failFor(status, ms),
    clearFailures: () => gate.clearFailures(),
    compact: () => {
      cluster.store.compact();
      lists.expireTokens();
    },
    pause: () => {
      gate.pause();
      hub.pause();
    },
    resume: () => {
      hub.resume();
      gate.resume();
    },
    restart: async (downMs = 0) => {
      await server.restart(downMs);
    },
  };

  let closed = false;
  handle = {
    get url() {
      return server.url;
    },
    get port() {
      return Number(new URL(server.url).port);
    },
    apply: (obj) => cluster.apply(obj),
    nextStep,
    pendingSteps: () => pendingSteps.length,
    installGatewayApi: () => void (gatewayApiServed = true),
    remove: (kind, namespace, name, o = {}) => {
      if (!cluster.store.get(kind, namespace, name)) return undefined;
      return cluster.delete(kind, namespace, name, o);
    },
    get: (kind, namespace, name) => cluster.store.get(kind, namespace, name),
    finishTerminating: () => cluster.finishTerminating(),
    changeLog: (sinceRv = 0) => cluster.store.changes(sinceRv).map((e) => ({ rv: e.rv, type: e.type, kind: e.kind, namespace: e.namespace, name: e.name, object: e.object, at: e.at })),
    state: () => Object.fromEntries(SIM_KINDS.map((k) => [k, cluster.store.list(k)])) as SimState,
    snapshot: () => ({
      services: cluster.store.list('Service'),
      endpoints: cluster.store.list('Endpoints'),
      endpointSlices: cluster.store.list('EndpointSlice'),
      pods: cluster.store.list('Pod'),
      ingresses: cluster.store.list('Ingress'),
      ingressClasses: cluster.store.list('IngressClass'),
      nodes: cluster.store.list('Node'),
      gatewayClasses: cluster.store.list('GatewayClass'),
      gateways: cluster.store.list('Gateway'),
      httpRoutes: cluster.store.list('HTTPRoute'),
      grpcRoutes: cluster.store.list('GRPCRoute'),
      referenceGrants: cluster.store.list('ReferenceGrant'),
    }),
    resourceVersion: () => cluster.store.rv,
    waitForWatchers: (n, kind, timeoutMs) => hub.waitFor(n, kind, timeoutMs),
    watcherCount: (kind) => hub.count(kind),
    faults,
    churn: {
      setRate: (r) => churn.setRate(r),
      step: (n) => churn.step(n),
      stop: () => churn.stop(),
      get rate() {
        return churn.rate;
      },
    },
    stats: () => ({ watchEventsSent: hub.eventsSent, listItemsServed: lists.itemsListed, requests }),
    requests: () => requestLog.map((r) => ({ ...r })),
    cluster,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of stepTimers) clearTimeout(t);
      churn.stop();
      cluster.close();
      hub.close();
      await server.close();
    },
  };
  if (opts.churn && opts.churn > 0) churn.setRate(opts.churn);
  return handle;
}
