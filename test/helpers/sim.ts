/**
 * sim (test helper): starting the simulator for a test file, pointing the real @kubernetes/client-node at
 * it, reading raw watch streams, and waiting for conditions (never fixed sleeps).
 */
import { request } from 'node:http';
import * as k8s from '@kubernetes/client-node';
import { startSim, type SimHandle, type StartSimOptions } from '../../src/sim/startSim.js';
import { resourceForKind, type SimKind } from '../../src/sim/resources.js';

export { startSim, type SimHandle };

/** A KubeConfig for the simulator (plain HTTP needs skipTLSVerify). */
export function kubeConfigFor(url: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromClusterAndUser({ name: 'sim', server: url, skipTLSVerify: true }, { name: 'tester', token: 'test-token' });
  return kc;
}

type AnyObj = k8s.KubernetesObject;

/** Watch path and list function per kind, as a routetrace watcher would set them up. */
export function listWatchFor(kc: k8s.KubeConfig, kind: SimKind): { path: string; list: () => Promise<k8s.KubernetesListObject<AnyObj>> } {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const disco = kc.makeApiClient(k8s.DiscoveryV1Api);
  const net = kc.makeApiClient(k8s.NetworkingV1Api);
  const l = <T>(p: Promise<T>) => p as unknown as Promise<k8s.KubernetesListObject<AnyObj>>;
  switch (kind) {
    case 'Namespace':
      return { path: '/api/v1/namespaces', list: () => l(core.listNamespace()) };
    case 'Service':
      return { path: '/api/v1/services', list: () => l(core.listServiceForAllNamespaces()) };
    case 'Endpoints':
      return { path: '/api/v1/endpoints', list: () => l(core.listEndpointsForAllNamespaces()) };
    case 'Pod':
      return { path: '/api/v1/pods', list: () => l(core.listPodForAllNamespaces()) };
    case 'EndpointSlice':
      return { path: '/apis/discovery.k8s.io/v1/endpointslices', list: () => l(disco.listEndpointSliceForAllNamespaces()) };
    case 'Ingress':
      return { path: '/apis/networking.k8s.io/v1/ingresses', list: () => l(net.listIngressForAllNamespaces()) };
    case 'IngressClass':
      return { path: '/apis/networking.k8s.io/v1/ingressclasses', list: () => l(net.listIngressClass()) };
    case 'Node':
      return { path: '/api/v1/nodes', list: () => l(core.listNode()) };
    case 'GatewayClass':
    case 'Gateway':
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'ReferenceGrant': {
      const r = resourceForKind(kind)!;
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      return { path: `/apis/${r.group}/${r.version}/${r.plural}`, list: () => l(custom.listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural })) };
    }
  }
}

export interface SeenEvent {
  kind: SimKind;
  verb: 'add' | 'update' | 'delete';
  key: string;
  rv: string;
}

/**
 * One informer per kind, restarted (from its last resourceVersion) whenever it stops on an error other
 * than AbortError, as a production watcher must do. Records every callback. `fastBackoff` builds the
 * ListWatch directly with a 5 ms reconnect delay (makeInformer cannot take one); otherwise the informers
 * come from `makeInformer` with client-node's own 1 s → 30 s back-off.
 */
export class InformerSet {
  readonly informers = new Map<SimKind, k8s.ListWatch<AnyObj>>();
  readonly events: SeenEvent[] = [];
  readonly errors: unknown[] = [];
  restarts = 0;
  private stopped = false;

  constructor(kc: k8s.KubeConfig, readonly kinds: readonly SimKind[], opts: { fastBackoff?: boolean } = {}) {
    for (const kind of kinds) {
      const { path, list } = listWatchFor(kc, kind);
      const inf =
        opts.fastBackoff === false
          ? (k8s.makeInformer(kc, path, list) as k8s.ListWatch<AnyObj>)
          : new k8s.ListWatch<AnyObj>(path, new k8s.Watch(kc), list, false, undefined, undefined, { delayFn: () => new Promise((r) => setTimeout(r, 5)) });
      const rec = (verb: SeenEvent['verb']) => (o: AnyObj) =>
        this.events.push({ kind, verb, key: `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`, rv: o.metadata?.resourceVersion ?? '' });
      inf.on('add', rec('add'));
      inf.on('update', rec('update'));
      inf.on('delete', rec('delete'));
      inf.on('error', (err: unknown) => {
        if ((err as Error)?.name === 'AbortError' || this.stopped) return;
        this.errors.push(err);
        this.restarts++;
        setTimeout(() => {
          if (!this.stopped) void inf.start();
        }, 20);
      });
      this.informers.set(kind, inf);
    }
  }

  async start(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  /** `ns/name` → resourceVersion of the informer's cache for one kind. */
  cache(kind: SimKind): Map<string, string> {
    const m = new Map<string, string>();
    for (const o of this.informers.get(kind)!.list()) m.set(`${o.metadata?.namespace ?? ''}/${o.metadata?.name}`, o.metadata?.resourceVersion ?? '');
    return m;
  }
}

/** `ns/name` → resourceVersion of the simulator's current state for one kind. */
export function simCache(sim: SimHandle, kind: SimKind): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of sim.state()[kind]) m.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion ?? '');
  return m;
}

export function sameCache(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Polls `cond` until true; throws with `what` after `timeoutMs`. */
export async function waitUntil(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP request to the simulator. */
export function httpRequest(url: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * A raw watch stream: collects the body's lines as they arrive. `headersAt` is when the status line and
 * headers were received; `ended` resolves when the server closes the stream.
 */
export class RawWatch {
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  readonly lines: string[] = [];
  raw = '';
  closed = false;
  readonly ready: Promise<void>;
  readonly ended: Promise<void>;
  private abort: () => void = () => {};

  constructor(url: string) {
    let onReady: () => void = () => {};
    let onEnd: () => void = () => {};
    this.ready = new Promise((r) => (onReady = r));
    this.ended = new Promise((r) => (onEnd = r));
    const req = request(url, (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      onReady();
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (d: string) => {
        this.raw += d;
        buf += d;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          this.lines.push(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      const done = () => {
        this.closed = true;
        onEnd();
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('error', () => {
      this.closed = true;
      onReady();
      onEnd();
    });
    req.end();
    this.abort = () => req.destroy();
  }

  events(): { type: string; object: { kind?: string; metadata?: { name?: string; namespace?: string; resourceVersion?: string; annotations?: Record<string, string> }; code?: number; reason?: string } }[] {
    return this.lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  }

  close(): void {
    this.abort();
  }
}
