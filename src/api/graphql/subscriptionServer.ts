/**
 * subscriptionServer: GraphQL subscriptions over WebSocket (the graphql-ws protocol, subprotocol
 * `graphql-transport-ws`) on the HTTP server's /graphql path, next to Apollo's HTTP handler.
 *
 * - Same schema and resolvers as HTTP (executableSchema), same validation rules (query limits), same
 *   error mapping (formatError). Only subscriptions are taken on the socket; queries go over HTTP.
 * - Access: when a bearer token is configured (src/ops/bearerAuth.ts), a connection must present it, in
 *   the upgrade request's Authorization header, or (browsers cannot set headers on a WebSocket) as
 *   `authorization: "Bearer <token>"` in the connection_init payload; otherwise the upgrade is answered
 *   401, or the socket closed with 4403 Forbidden. A browser upgrade whose Origin is neither this server
 *   nor an allowed CORS origin is answered 403 (another site cannot subscribe with a user's access).
 * - Bounds: at most `maxConnections` sockets (more are answered 503) and `maxSubscriptionsPerConnection`
 *   operations per socket (more get an error); each subscription queues at most one pending answer
 *   (answerStream), so a slow client costs a fixed amount of memory however fast the cluster changes;
 *   subscriptions to the same question share one computation per state (SharedAnswers).
 *
 * `stop()` closes every socket (1001 going away) and the feed; call it before the HTTP server closes.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Fleet } from '../../queries/Fleet.js';
import { bearerToken, tokenMatches } from '../../ops/bearerAuth.js';
import type { Route } from '../../http/Route.js';
import { errorText, type Logger } from '../../watch/Logger.js';
import { makeFormatError } from './formatError.js';
import type { GraphQLContext } from './GraphQLContext.js';
import { queryLimitsRule } from './queryLimits.js';
import { LiveChangeFeed } from '../subscriptions/LiveChangeFeed.js';
import { newStreamStats, type StreamStats } from '../subscriptions/answerStream.js';
import { SharedAnswers } from '../subscriptions/SharedAnswers.js';

export interface SubscriptionAccess {
  /** Bearer token every connection must present (absent: open, like the HTTP API). */
  readonly authToken?: string;
  /** Origins allowed besides this server's own (the CORS setting; `*` allows any). */
  readonly corsOrigins?: readonly string[];
}

export interface SubscriptionOptions extends SubscriptionAccess {
  readonly maxConnections?: number;
  readonly maxSubscriptionsPerConnection?: number;
  /** How often the live state is checked for changes (ms). */
  readonly feedIntervalMs?: number;
}

export interface SubscriptionStats extends StreamStats {
  readonly connections: number;
  /** Bytes written to sockets and not yet handed to the OS, over every connection. */
  readonly bufferedBytes: number;
}

export interface SubscriptionServer {
  /** The upgrade handler for /graphql (a Route with `upgrade` only; HTTP requests go to Apollo's route). */
  readonly upgrade: NonNullable<Route['upgrade']>;
  stats(): SubscriptionStats;
  stop(): Promise<void>;
}

export const DEFAULT_MAX_CONNECTIONS = 256;
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 16;

const REASONS: Readonly<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' };

/** Answers an upgrade request with a JSON error (as the HTTP API does) and closes the socket. */
function refuse(socket: Duplex, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } }) + '\n';
  const headers = Object.entries({ 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...extra }).map(([k, v]) => `${k}: ${v}`);
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n${headers.join('\r\n')}\r\n\r\n${body}`);
}

/** Same-origin (Origin's host equals the Host header) or allowed by the CORS setting. */
function originAllowed(req: IncomingMessage, corsOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser: nothing to protect against
  if (corsOrigins.includes('*') || corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

type ConnectionExtra = {
  readonly socket: WebSocket;
  readonly request: IncomingMessage & { headerAuthorized?: boolean };
};

export function subscriptionServer(fleet: Fleet, live: { readonly version: number; readonly ready: boolean }, schema: GraphQLSchema, log: Logger, options: SubscriptionOptions = {}): SubscriptionServer {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const maxPerConnection = options.maxSubscriptionsPerConnection ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;
  const corsOrigins = options.corsOrigins ?? [];
  const token = options.authToken;
  // Readiness is part of the state: "now" answers NOT_READY until every kind is listed, and an empty
  // list makes a kind listed without changing the version.
  const stateKey = () => `${live.version}${live.ready ? '' : ' not ready'}`;
  const feed = new LiveChangeFeed(stateKey, options.feedIntervalMs);
  const streamStats = newStreamStats();
  const answers = new SharedAnswers(stateKey);
  const formatError = makeFormatError((err) => log.log('error', 'graphql.internal_error', { error: errorText(err) }));
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => formatError(e.toJSON(), e));
  const rules = [...specifiedRules, queryLimitsRule()];

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const graphqlWs = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema,
      onConnect(ctx) {
        if (token === undefined || ctx.extra.request.headerAuthorized) return true;
        const presented = bearerToken(typeof ctx.connectionParams?.['authorization'] === 'string' ? ctx.connectionParams['authorization'] : undefined);
        return presented !== undefined && tokenMatches(presented, token);
      },
      onSubscribe(ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] {
        if (Object.keys(ctx.subscriptions).length > maxPerConnection) {
          return [new GraphQLError(`at most ${maxPerConnection} subscriptions per connection`, { extensions: { code: 'BAD_REQUEST' } })];
        }
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          return [err instanceof GraphQLError ? new GraphQLError(err.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }) : new GraphQLError('could not parse the query', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const errors = validate(schema, document, rules);
        if (errors.length) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, originalError: e.originalError, extensions: { code: e.extensions['code'] ?? 'GRAPHQL_VALIDATION_FAILED' } }));
        const operation = document.definitions.find((d) => d.kind === 'OperationDefinition' && (payload.operationName == null || d.name?.value === payload.operationName));
        if (!operation || operation.kind !== 'OperationDefinition' || operation.operation !== 'subscription') {
          return [new GraphQLError('only subscriptions are served over WebSocket; send queries to POST /graphql', { extensions: { code: 'BAD_REQUEST' } })];
        }
        return {
          schema,
          document,
          variableValues: payload.variables ?? null,
          operationName: payload.operationName ?? null,
          contextValue: { fleet, live: { feed, stats: streamStats, answers } } satisfies GraphQLContext,
        };
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: format(result.errors as GraphQLError[]) as never } : result),
    },
    wss,
  );

  return {
    upgrade(req, socket, head) {
      if (!originAllowed(req, corsOrigins)) return refuse(socket, 403, 'FORBIDDEN', `origin ${req.headers.origin} may not subscribe (allow it with --cors-origin)`);
      if (token !== undefined && req.headers.authorization !== undefined) {
        const presented = bearerToken(req.headers.authorization);
        if (presented === undefined || !tokenMatches(presented, token)) return refuse(socket, 401, 'UNAUTHENTICATED', 'invalid bearer token', { 'www-authenticate': 'Bearer realm="routetrace", error="invalid_token"' });
        (req as ConnectionExtra['request']).headerAuthorized = true;
      }
      if (wss.clients.size >= maxConnections) return refuse(socket, 503, 'UNAVAILABLE', `at most ${maxConnections} subscription connections`);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    stats() {
      let bufferedBytes = 0;
      for (const c of wss.clients) bufferedBytes += c.bufferedAmount;
      return { ...streamStats, connections: wss.clients.size, bufferedBytes };
    },
    async stop() {
      await graphqlWs.dispose();
      feed.stop();
    },
  };
}
