/**
 * gatewayRequest: the HTTP request a host question describes, as Gateway API matches read it: path
 * without query and fragment, query parameters (first value of each name), headers by lower-case name,
 * method (default GET), and for a gRPC request (content-type application/grpc…) the service and method
 * from the path "/package.Service/Method". Pure.
 */
import type { HostQuestion } from '../../model/route.js';

export interface GatewayRequest {
  readonly host: string;
  readonly path: string;
  readonly query: ReadonlyMap<string, string>;
  readonly headers: ReadonlyMap<string, string>;
  readonly method: string;
  readonly grpc: { readonly service: string; readonly method: string } | null;
}

export function gatewayRequest(q: HostQuestion, host: string): GatewayRequest {
  const raw = (q.path ?? '/').split('#')[0]!;
  const qi = raw.indexOf('?');
  const path = qi < 0 ? raw : raw.slice(0, qi);
  const query = new Map<string, string>();
  if (qi >= 0) {
    for (const [k, v] of new URLSearchParams(raw.slice(qi + 1))) if (!query.has(k)) query.set(k, v);
  }
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(q.headers ?? {})) headers.set(k.toLowerCase(), v);
  const method = (q.method ?? 'GET').toUpperCase();
  const grpcPath = /^\/([^/]+)\/([^/]+)$/.exec(path);
  const isGrpc = (headers.get('content-type') ?? '').toLowerCase().startsWith('application/grpc');
  return { host, path: path === '' ? '/' : path, query, headers, method, grpc: isGrpc && grpcPath ? { service: grpcPath[1]!, method: grpcPath[2]! } : null };
}
