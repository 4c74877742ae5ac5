/**
 * server: routetrace's one HTTP server (node:http) and its route table.
 *
 * Routes are added as `{ method, path, handler }` (exact path, or `prefix: true` for a subtree such as
 * /api/v1 or /grafana); the first matching route answers. The server itself registers /healthz and /readyz;
 * /graphql, /api/v1, /grafana and /metrics are added by their modules with `addRoute`. Unknown paths
 * answer 404, a known path with another method 405, and a handler that throws answers 500 with a
 * masked message (the error itself goes to the log), so a handler bug never leaks internals.
 *
 * An HTTP upgrade (WebSocket) goes to the route on its exact path that has an `upgrade` handler (the
 * GraphQL subscriptions on /graphql), else it is answered 404.
 *
 * Filters (`addFilter`) run on every request before routing, in the order added (request metrics, CORS,
 * access control): a filter that answered the request itself returns true and nothing later sees it.
 *
 * /healthz: 200 while the process serves requests. /readyz: 200 when `readiness()` says ready, else 503;
 * the body is its JSON status either way.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ListenAddress } from './config.js';
import { errorText, silentLogger, type Logger } from './watch/Logger.js';
import type { RequestFilter, Route } from './http/Route.js';
import { sendJson } from './http/sendJson.js';

export interface Readiness {
  readonly ready: boolean;
  readonly [key: string]: unknown;
}


/** /healthz and /readyz. */
export function healthRoutes(readiness: () => Readiness): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: (_req, res) => {
        const r = readiness();
        sendJson(res, r.ready ? 200 : 503, r);
      },
    },
  ];
}

export class HttpServer {
  private readonly routes: Route[] = [];
  private readonly filters: RequestFilter[] = [];
  private readonly server: Server;
  /** Sockets taken over by an upgrade: the HTTP server no longer closes them itself. */
  private readonly upgraded = new Set<Duplex>();

  constructor(
    routes: readonly Route[] = [],
    private readonly log: Logger = silentLogger,
  ) {
    for (const r of routes) this.addRoute(r);
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.server.keepAliveTimeout = 5_000;
  }

  addRoute(route: Route): void {
    if (!route.path.startsWith('/')) throw new Error(`HttpServer: route path must start with '/': ${route.path}`);
    const clash = this.routes.find((r) => r.path === route.path && r.method === route.method && !!r.prefix === !!route.prefix);
    if (clash) throw new Error(`HttpServer: ${route.method} ${route.path} is already routed`);
    this.routes.push(route);
  }

  addFilter(filter: RequestFilter): void {
    this.filters.push(filter);
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(address: ListenAddress): Promise<{ host: string; port: number; url: string }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', onError);
        const a = this.server.address() as AddressInfo;
        const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
        resolve({ host: a.address, port: a.port, url: `http://${host}:${a.port}` });
      });
    });
  }

  /**
   * Stops accepting connections and closes idle ones; open requests get `graceMs` to finish, then their
   * connections, and upgraded (WebSocket) sockets still open, are closed.
   */
  close(graceMs = 2_000): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.server.closeAllConnections();
        for (const s of this.upgraded) s.destroy();
      }, graceMs);
      timer.unref();
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }

  /** An upgrade goes to the route on its exact path that takes upgrades; anything else is 404. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://routetrace.invalid').pathname;
    } catch {
      pathname = '';
    }
    const route = this.routes.find((r) => r.upgrade && r.path === pathname);
    if (!route?.upgrade) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    try {
      route.upgrade(req, socket, head);
    } catch (err) {
      this.log.log('error', 'http.upgrade_failed', { path: pathname, error: errorText(err) });
      socket.destroy();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://routetrace.invalid');
    } catch {
      return sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: 'malformed request URL' } });
    }
    try {
      for (const filter of this.filters) if (filter(req, res, url)) return;
    } catch (err) {
      this.log.log('error', 'http.filter_failed', { method: req.method, path: url.pathname, error: errorText(err) });
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
      else res.destroy();
      return;
    }
    const onPath = this.routes.filter((r) => (r.prefix ? url.pathname === r.path || url.pathname.startsWith(r.path.endsWith('/') ? r.path : `${r.path}/`) : url.pathname === r.path));
    if (!onPath.length) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route for ${url.pathname}` } });
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = onPath.find((r) => r.method === '*' || r.method === method);
    if (!route) {
      res.setHeader('allow', [...new Set(onPath.map((r) => r.method))].join(', '));
      return sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on ${url.pathname}` } });
    }
    try {
      await route.handler(req, res, url);
    } catch (err) {
      this.log.log('error', 'http.handler_failed', { method: req.method, path: url.pathname, error: errorText(err) });
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
      else res.destroy();
    }
  }
}
