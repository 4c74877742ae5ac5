/**
 * Route: the shapes every HTTP module (API, Grafana, metrics, access control) hands to the one server
 * (src/server.ts), kept apart from the server so those modules never import it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface Route {
  /** HTTP method, or '*' for any. HEAD is served by GET routes. */
  readonly method: string;
  readonly path: string;
  /** Match `path` and everything below it (`/api/v1` matches `/api/v1/routes`). */
  readonly prefix?: boolean;
  readonly handler: RouteHandler;
  /**
   * Takes over an HTTP upgrade (WebSocket) on exactly `path`. Request filters do not run for upgrades:
   * the handler applies access control itself, and answers or destroys the socket on refusal.
   */
  readonly upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** A step run on every request before routing; returns true when it has answered the request itself. */
export type RequestFilter = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
