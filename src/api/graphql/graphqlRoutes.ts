/**
 * graphqlRoutes: Apollo Server (core, no standalone server) on routetrace's own node:http server at
 * /graphql, through a small adapter: node request → HTTPGraphQLRequest → executeHTTPGraphQLRequest →
 * node response. A browser GET without a query gets the offline IDE page (ideHtml.ts) instead of Apollo's
 * CDN-loaded landing page, which is disabled.
 *
 * Limits: body ≤ 1 MiB (413), depth and cost (queryLimits.ts), page sizes capped by the queries layer.
 * Subscriptions over HTTP are refused (400 BAD_REQUEST): they are served over WebSocket on the same path
 * (src/api/subscriptions/subscriptionServer.ts).
 * Errors: a malformed body is 400 with a GraphQL-shaped error; every error goes through formatError (stable
 * codes, unknown errors masked and logged); CSRF prevention stays on (Apollo's default).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { packageRoot } from '../../history/packageRoot.js';
import type { Fleet } from '../../queries/Fleet.js';
import type { Route } from '../../http/Route.js';
import { errorText, type Logger } from '../../watch/Logger.js';
import { RequestError, toClientError } from '../errors.js';
import { parseJsonBody, readBody } from '../readBody.js';
import { makeFormatError } from './formatError.js';
import type { GraphQLContext } from './GraphQLContext.js';
import { executableSchema } from './executableSchema.js';
import { ideHtml } from './ideHtml.js';
import { queryLimitsRule } from './queryLimits.js';

export const GRAPHQL_PATH = '/graphql';

/** schema.graphql of the installed package (read once). */
export function loadSchemaText(): string {
  return readFileSync(path.join(packageRoot(), 'schema.graphql'), 'utf8');
}

function headerMap(req: IncomingMessage): HeaderMap {
  const h = new HeaderMap();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    h.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  return h;
}

function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  const text = JSON.stringify({ errors: [{ message, extensions: { code } }] }) + '\n';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function wantsIde(req: IncomingMessage, url: URL): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !url.searchParams.has('query') && (req.headers.accept ?? '').includes('text/html');
}

/** Subscriptions are served over WebSocket only; over HTTP they are a client error, not a masked 500. */
const subscriptionsOverHttpRefused: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw new GraphQLError('subscriptions are served over WebSocket on /graphql (graphql-ws protocol)', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      },
    };
  },
};

export interface GraphQLServer {
  readonly routes: Route[];
  stop(): Promise<void>;
}

/**
 * Creates the Apollo server and its /graphql route. The server starts at once in the background; requests
 * wait for it (a start failure is logged and answered as a masked 500 by the HTTP server).
 */
export function graphqlRoutes(fleet: Fleet, log: Logger, typeDefs: string = loadSchemaText(), schema: GraphQLSchema = executableSchema(typeDefs)): GraphQLServer {
  const server = new ApolloServer<GraphQLContext>({
    schema,
    validationRules: [queryLimitsRule()],
    formatError: makeFormatError((err) => log.log('error', 'graphql.internal_error', { error: errorText(err) })),
    includeStacktraceInErrorResponses: false,
    // serve owns SIGTERM/SIGINT and its shutdown order (src/main.ts); Apollo must not stop (and re-raise) on its own.
    stopOnTerminationSignals: false,
    introspection: true,
    plugins: [ApolloServerPluginLandingPageDisabled(), subscriptionsOverHttpRefused],
    logger: {
      debug: () => {},
      info: () => {},
      warn: (m) => log.log('warn', 'graphql.warn', { message: String(m) }),
      error: (m) => log.log('error', 'graphql.error', { message: String(m) }),
    },
  });
  const started = server.start();
  started.catch((err) => log.log('error', 'graphql.start_failed', { error: errorText(err) }));
  const page = ideHtml(typeDefs);

  async function handler(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (wantsIde(req, url)) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(page),
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'",
      });
      res.end(req.method === 'HEAD' ? undefined : page);
      return;
    }
    let body: unknown = undefined;
    try {
      if (req.method === 'POST') {
        const text = await readBody(req);
        const type = (req.headers['content-type'] ?? '').toLowerCase();
        body = type.includes('json') ? parseJsonBody(text) : text;
      } else {
        req.resume();
      }
    } catch (err) {
      const c = toClientError(err);
      if (!(err instanceof RequestError)) log.log('error', 'graphql.read_failed', { error: errorText(err) });
      return sendGraphQLError(res, c.status === 500 ? 400 : c.status, c.known ? c.code : 'BAD_REQUEST', c.known ? c.message : 'could not read the request');
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers: headerMap(req),
      search: url.search,
      body,
    };
    await started;
    const result = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => ({ fleet }) });
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    for (const [k, v] of result.headers) headers[k] = v;
    if (result.body.kind === 'complete') {
      headers['content-length'] = String(Buffer.byteLength(result.body.string));
      res.writeHead(result.status ?? 200, headers);
      res.end(req.method === 'HEAD' ? undefined : result.body.string);
      return;
    }
    res.writeHead(result.status ?? 200, headers);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return {
    routes: [{ method: '*', path: GRAPHQL_PATH, handler }],
    stop: async () => {
      await started.catch(() => {});
      await server.stop();
    },
  };
}
