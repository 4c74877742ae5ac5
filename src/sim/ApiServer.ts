/**
 * ApiServer: the simulator's HTTP front end on 127.0.0.1 — routes Kubernetes API paths to discovery, list,
 * watch and the write verbs, applies the FaultGate, and hands `/_sim/…` to the control endpoint.
 *
 * Paths: `/api/v1/<plural>`, `/api/v1/namespaces/<ns>/<plural>[/<name>[/status]]`, the same under
 * `/apis/<group>/<version>/`, cluster-scoped `/api/v1/namespaces[/<name>]` and
 * `/apis/networking.k8s.io/v1/ingressclasses[/<name>]`, and the legacy `/api/v1/watch/…` prefix.
 * Verbs: GET (get, list, watch with `watch=true|1`), POST (create, 201), PUT (update; `/status` updates
 * only the status), PATCH (merge, strategic merge — see patch.ts — and JSON patch; server-side apply is
 * answered 415), DELETE (one object, or a collection with selectors). Request bodies: JSON or YAML.
 * `kubectl get` asks for Table output; it is served (see table.ts).
 *
 * `restart()` closes the listener and destroys every connection (clients see resets / refused
 * connections), then listens on the same host and port again with all state kept.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { ApiError } from './ApiError.js';
import type { Cluster, PatchType } from './Cluster.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import type { FaultGate } from './FaultGate.js';
import { parseFieldSelector, matchesFields } from './fieldSelector.js';
import { parseLabelSelector, matchesLabels } from './labelSelector.js';
import { ListHandler } from './ListHandler.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { resourceForPath, SERVES_ALL, type ResourceType, type Served } from './resources.js';
import { toTable, wantsTable } from './table.js';
import type { SimObject } from './Store.js';
import type { WatchHub } from './WatchHub.js';
import { objectJson, sendError, sendJson } from './wire.js';

export type ControlHandler = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: () => Promise<unknown>) => Promise<void>;

export interface ApiServerOptions {
  host: string;
  port: number;
  cluster: Cluster;
  /** Which kinds are served (discovery, resource paths); default all. */
  served?: Served;
  hub: WatchHub;
  lists: ListHandler;
  gate: FaultGate;
  control: ControlHandler;
  /** Called (sync) after every request that reached the API, for request counting. */
  onRequest?: (method: string, path: string) => void;
  /** Called (sync) for every API request as it arrives (before faults and pauses; not for `/_sim/…`). */
  onReceive?: (method: string, path: string, query: URLSearchParams) => void;
}

interface ResourceRoute {
  rt: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  watchPrefix: boolean;
}

const MAX_BODY = 16 * 1024 * 1024;

export class ApiServer {
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private port: number;
  private readonly host: string;

  private readonly served: Served;

  constructor(private readonly opts: ApiServerOptions) {
    this.served = opts.served ?? SERVES_ALL;
    this.host = opts.host;
    this.port = opts.port;
    this.server = this.makeServer();
  }

  private makeServer(): Server {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 70_000;
    server.requestTimeout = 0;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  get url(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${h}:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and destroys every connection (open watches included). */
  async close(): Promise<void> {
    this.opts.gate.dropHeld();
    this.opts.hub.cut('reset');
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  /** Closes everything, waits `downMs`, listens again on the same port. State is kept. */
  async restart(downMs = 0): Promise<void> {
    await this.close();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    this.server = this.makeServer();
    await this.listen();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const body = () => readBody(req);
    if (path === '/_sim' || path.startsWith('/_sim/')) {
      this.opts.control(req, res, path, url.searchParams, body).catch((err) => sendError(res, err));
      return;
    }
    this.opts.onReceive?.(req.method ?? 'GET', path, url.searchParams);
    this.opts.gate.admit(() => {
      this.opts.onRequest?.(req.method ?? 'GET', path);
      const fail = this.opts.gate.failure();
      if (fail) {
        req.resume();
        sendError(res, fail);
        return;
      }
      this.route(req, res, path, url.searchParams, body).catch((err) => sendError(res, err));
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string, q: URLSearchParams, body: () => Promise<unknown>): Promise<void> {
    const method = req.method ?? 'GET';
    const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET') {
      switch (path) {
        case '/':
          return sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/apis/discovery.k8s.io/v1', '/apis/networking.k8s.io/v1', '/healthz', '/livez', '/readyz', '/version'] });
        case '/version':
          return sendJson(res, 200, versionInfo());
        case '/healthz':
        case '/livez':
        case '/readyz':
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('ok');
          return;
        case '/api':
          return sendJson(res, 200, apiVersions(`${this.host}:${this.port}`));
        case '/apis':
          return sendJson(res, 200, apiGroupList(this.served));
      }
      if (path === '/openapi/v3') return sendJson(res, 200, openApiRoot(this.served));
      if (segs[0] === 'openapi' && segs[1] === 'v3') {
        const d = openApiGroupVersion(segs.slice(2).join('/'), this.served);
        if (d) return sendJson(res, 200, d);
      }
      if (segs[0] === 'api' && segs.length === 2) {
        const d = apiResourceList('', segs[1]!, this.served);
        if (d) return sendJson(res, 200, d);
      }
      if (segs[0] === 'apis' && segs.length === 2) {
        const d = apiGroup(segs[1]!, this.served);
        if (d) return sendJson(res, 200, d);
      }
      if (segs[0] === 'apis' && segs.length === 3) {
        const d = apiResourceList(segs[1]!, segs[2]!, this.served);
        if (d) return sendJson(res, 200, d);
      }
    }
    const route = parseResourcePath(segs);
    if (!route || !this.served(route.rt.kind)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return this.resource(req, res, route, q, body);
  }

  private async resource(req: IncomingMessage, res: ServerResponse, route: ResourceRoute, q: URLSearchParams, body: () => Promise<unknown>): Promise<void> {
    const { cluster, hub, lists } = this.opts;
    const { rt, namespace, name, subresource } = route;
    const method = req.method ?? 'GET';
    if (subresource !== undefined && subresource !== 'status') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (q.get('dryRun')) throw ApiError.badRequest('dryRun is not supported by this simulator');
    const ns = rt.namespaced ? namespace : undefined;
    switch (method) {
      case 'GET': {
        if (name !== undefined) {
          const obj = cluster.store.get(rt.kind, ns, name);
          if (!obj) throw ApiError.notFound(rt.plural, name, rt.group);
          if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable(rt, [obj], String(obj.metadata.resourceVersion), cluster.now()));
          return sendJson(res, 200, objectJson(obj));
        }
        const labels = parseLabelSelector(q.get('labelSelector'));
        const fields = parseFieldSelector(q.get('fieldSelector'));
        const watch = route.watchPrefix || q.get('watch') === 'true' || q.get('watch') === '1';
        if (watch) {
          const ts = q.get('timeoutSeconds');
          hub.serve(res, {
            rt,
            namespace: ns,
            labels,
            fields,
            resourceVersion: q.get('resourceVersion') ?? undefined,
            bookmarks: q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1',
            timeoutSeconds: ts !== null && /^\d+$/.test(ts) ? Number(ts) : undefined,
            sendInitialEvents: q.get('sendInitialEvents') === 'true',
            ...(wantsTable(req.headers.accept) ? { render: (o: SimObject) => toTable(rt, [o], String(o.metadata.resourceVersion), cluster.now()) } : {}),
          });
          return;
        }
        const limitRaw = q.get('limit');
        if (limitRaw !== null && !/^\d+$/.test(limitRaw)) throw ApiError.badRequest(`invalid limit: ${limitRaw}`);
        const listReq = { rt, namespace: ns, labels, fields, limit: limitRaw ? Number(limitRaw) : undefined, continueToken: q.get('continue') || undefined };
        const text = lists.list(listReq);
        if (wantsTable(req.headers.accept)) {
          const parsed = JSON.parse(text) as { metadata: { resourceVersion: string; continue?: string }; items: never[] };
          return sendJson(res, 200, toTable(rt, parsed.items, parsed.metadata.resourceVersion, cluster.now(), parsed.metadata.continue));
        }
        return sendJson(res, 200, text);
      }
      case 'POST': {
        if (name !== undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const obj = cluster.create(await body(), { expectKind: rt.kind, namespace: ns });
        return sendJson(res, 201, objectJson(obj));
      }
      case 'PUT': {
        if (name === undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const obj = cluster.update(await body(), { expectKind: rt.kind, namespace: ns, name, subresource: subresource as 'status' | undefined });
        return sendJson(res, 200, objectJson(obj));
      }
      case 'PATCH': {
        if (name === undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
        const types: Record<string, PatchType> = {
          'application/merge-patch+json': 'merge',
          'application/strategic-merge-patch+json': 'strategic',
          'application/json-patch+json': 'json',
        };
        const type = types[ct];
        if (!type) throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${Object.keys(types).join(', ')}`);
        const obj = cluster.patch(rt.kind, ns, name, await body(), type, subresource as 'status' | undefined);
        return sendJson(res, 200, objectJson(obj));
      }
      case 'DELETE': {
        const opts = (await body().catch(() => undefined)) as { gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } } | undefined;
        const gq = q.get('gracePeriodSeconds');
        const grace = gq !== null && /^-?\d+$/.test(gq) ? Number(gq) : typeof opts?.gracePeriodSeconds === 'number' ? opts.gracePeriodSeconds : undefined;
        if (name !== undefined) {
          const obj = cluster.delete(rt.kind, ns, name, { gracePeriodSeconds: grace, uid: opts?.preconditions?.uid, resourceVersion: opts?.preconditions?.resourceVersion });
          return sendJson(res, 200, objectJson(obj));
        }
        const labels = parseLabelSelector(q.get('labelSelector'));
        const fields = parseFieldSelector(q.get('fieldSelector'));
        const victims = cluster.store.list(rt.kind).filter((o) => (ns === undefined || o.metadata.namespace === ns) && matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
        const deleted = cluster.batch(() => victims.map((o) => cluster.delete(rt.kind, o.metadata.namespace, o.metadata.name, { gracePeriodSeconds: grace })));
        return sendJson(res, 200, { kind: rt.listKind, apiVersion: rt.apiVersion, metadata: { resourceVersion: String(cluster.store.rv) }, items: deleted });
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', `method ${method} is not allowed`);
    }
  }
}

/** Parses `/api/v1/...` and `/apis/<g>/<v>/...` resource paths. */
export function parseResourcePath(segs: string[]): ResourceRoute | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return undefined;
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const rt = resourceForPath(group, version, rest[2]!);
    if (rt && rt.namespaced && rest.length <= 5) return { rt, namespace: rest[1], name: rest[3], subresource: rest[4], watchPrefix };
    if (!rt && rest.length === 3 && group === '') {
      const nsRt = resourceForPath('', version, 'namespaces');
      if (nsRt) return { rt: nsRt, namespace: undefined, name: rest[1], subresource: rest[2], watchPrefix };
    }
    return undefined;
  }
  const rt = resourceForPath(group, version, rest[0]!);
  if (!rt || rest.length > 3) return undefined;
  if (rt.namespaced && rest.length > 1) return undefined;
  return { rt, namespace: undefined, name: rest[1], subresource: rest[2], watchPrefix };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'BadRequest', 'request entity too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  const ct = req.headers['content-type'] ?? '';
  try {
    return /yaml/.test(ct) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw ApiError.badRequest(`could not decode the request body: ${(err as Error).message}`);
  }
}
