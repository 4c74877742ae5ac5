/**
 * graphqlClient: the page's only way to the server: queries over POST /graphql and subscriptions over
 * graphql-ws on the same path, both with the bearer token when one was given (kept for the browser tab
 * only, in sessionStorage). A 401 or a refused socket raises AuthRequired so the page can ask for it.
 */
import { createClient, type Client } from 'graphql-ws';

const TOKEN_KEY = 'routetrace.token';

export class AuthRequired extends Error {}

export class GraphQLRequestError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  ws?.dispose();
  ws = undefined;
}

export async function query<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
  const t = token();
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) },
    body: JSON.stringify({ query: document, variables }),
  });
  if (res.status === 401) throw new AuthRequired('this server needs a bearer token');
  const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const first = body.errors?.[0];
  if (first) throw new GraphQLRequestError(first.message, first.extensions?.code);
  if (!body.data) throw new GraphQLRequestError(`unexpected answer (HTTP ${res.status})`, undefined);
  return body.data;
}

let ws: Client | undefined;

function socket(onAuthFailure: () => void): Client {
  if (ws) return ws;
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  ws = createClient({
    url: url.href,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: (e) => (e as { code?: number }).code !== 4403,
    connectionParams: () => {
      const t = token();
      return t ? { authorization: `Bearer ${t}` } : {};
    },
    on: {
      closed: (e) => {
        if ((e as { code?: number }).code === 4403) onAuthFailure();
      },
    },
  });
  return ws;
}

/** Subscribes; returns the function that ends the subscription. */
export function subscribe<T>(document: string, variables: Record<string, unknown>, handlers: { next(data: T): void; error(message: string): void; auth(): void }): () => void {
  return socket(handlers.auth).subscribe<T>(
    { query: document, variables },
    {
      next: (r) => {
        if (r.errors?.length) handlers.error(r.errors.map((e) => e.message).join('; '));
        else if (r.data) handlers.next(r.data as T);
      },
      error: (e) => handlers.error(Array.isArray(e) ? e.map((x: { message: string }) => x.message).join('; ') : e instanceof Error ? e.message : 'subscription closed'),
      complete: () => {},
    },
  );
}
