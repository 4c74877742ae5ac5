/**
 * gatewayRoute: the Gateway API part of a RouteAnswer (route.ts): which Gateway listener took the request,
 * which route rule matched it, and where that rule sends it (weighted backendRefs, mirrors, a redirect or a
 * rewrite). Part of the JSON contract of `routetrace resolve --json`: fields are only ever added.
 */

export interface GatewayListenerHop {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  /** As written; null: the listener accepts every hostname. */
  readonly hostname: string | null;
}

export interface GatewayMatchHop {
  /** null for a GRPCRoute match. */
  readonly path: { readonly type: string; readonly value: string } | null;
  readonly method: string | null;
  readonly headers: readonly { readonly type: string; readonly name: string; readonly value: string }[];
  readonly queryParams: readonly { readonly type: string; readonly name: string; readonly value: string }[];
  /** GRPCRoute method match, else null. */
  readonly grpc: { readonly type: string; readonly service: string | null; readonly method: string | null } | null;
}

export type GatewayBackendStatus = 'resolved' | 'not-found' | 'not-permitted' | 'unsupported-kind' | 'no-port';

export interface GatewayBackendHop {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port: number | null;
  /** As written (default 1). */
  readonly weight: number;
  /** weight / sum of the rule's weights (0 when the sum is 0). */
  readonly share: number;
  readonly status: GatewayBackendStatus;
  /** Of this backend's Service route; null when the backend is not resolved. */
  readonly verdict: string | null;
  /** "ip:port" endpoints this backend's share reaches, sorted. */
  readonly backends: readonly string[];
}

export interface GatewayMirrorHop {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port: number | null;
  /** Percentage of requests mirrored (100 unless percent/fraction say otherwise). */
  readonly percent: number;
}

export interface GatewayHop {
  readonly namespace: string;
  readonly name: string;
  readonly gatewayClass: string | null;
  readonly listener: GatewayListenerHop;
  /** null when no route took the request. */
  readonly route: { readonly kind: string; readonly namespace: string; readonly name: string; readonly hostname: string | null } | null;
  /** The matched rule: index in spec.rules, its name, and the match that won (null: none). */
  readonly rule: { readonly index: number; readonly name: string | null; readonly match: GatewayMatchHop } | null;
  readonly backends: readonly GatewayBackendHop[];
  readonly mirrors: readonly GatewayMirrorHop[];
  readonly redirect: { readonly scheme: string | null; readonly hostname: string | null; readonly port: number | null; readonly path: string | null; readonly statusCode: number } | null;
  readonly rewrite: { readonly hostname: string | null; readonly path: string | null } | null;
}
