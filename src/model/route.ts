/**
 * route: the questions the resolver answers and the answers it gives.
 *
 * RouteAnswer is the JSON contract of `routetrace resolve --json`; the REST and GraphQL APIs serve it
 * unchanged, so fields are only ever added, never renamed. Every list in an answer is in a deterministic
 * order (answers computed from history must be reproducible byte for byte): endpoints by address then port,
 * backends as sorted "ip:port" strings, findings by severity (error, warning, info) then in the order the
 * pipeline found them.
 *
 * Rule ids (`I7`, `E9`, ...) refer to the routing semantics specification the resolver implements.
 */

import type { ClientOrigin } from './clientOrigin.js';

/** Where the traffic comes from; needed for traffic policies (P3) and topology (P4/P5). */
export interface ClientContext {
  /**
   * The client: a Pod (its node and zone are looked up), a node (a process on it), or outside the
   * cluster. Takes precedence over clientNode; clientZone still overrides the zone looked up.
   */
  readonly client?: ClientOrigin;
  /**
   * Internal traffic: the node of the client Pod. External traffic to a load-balancer or external IP:
   * the node the traffic is delivered to (for NodeIP:nodePort that node is known from the IP).
   */
  readonly clientNode?: string;
  /** The client's zone; derived from the endpoints on clientNode when not given. */
  readonly clientZone?: string;
}

/** "Where does a request to host:port/path end up?" (host = IP, cluster DNS name, or Ingress host). */
export interface HostQuestion extends ClientContext {
  readonly kind: 'host';
  readonly host: string;
  /** 1–65535; for an Ingress host 80 (http) or 443 (https). Default 80. */
  readonly port?: number;
  /** URL path; default "/". A query string is read by Gateway API query param matches only; the fragment is ignored. */
  readonly path?: string;
  /** Default TCP. */
  readonly protocol?: string;
  /** Only Ingresses of this IngressClass take part (default: every Ingress with a usable class). */
  readonly ingressClass?: string;
  /** Only Ingresses of the IngressClasses whose spec.controller is this (e.g. "k8s.io/ingress-nginx"). */
  readonly ingressController?: string;
  /** Request headers (Gateway API header matches; names are compared case-insensitively). */
  readonly headers?: Readonly<Record<string, string>>;
  /** HTTP method for Gateway API method matches; default GET. */
  readonly method?: string;
}

/** "Where does traffic sent to Service ns/name on port P (number or port name) end up?" */
export interface ServiceQuestion extends ClientContext {
  readonly kind: 'service';
  readonly namespace: string;
  readonly name: string;
  /** Service port number or name; may be omitted when the Service has exactly one port. */
  readonly port?: number | string;
  readonly protocol?: string;
}

/** "Which Services and Ingress hosts/paths reach this Pod or IP?" Exactly one of ip / pod. */
export interface ReverseQuestion {
  readonly kind: 'reverse';
  readonly ip?: string;
  readonly pod?: { readonly namespace: string; readonly name: string };
}

export type ForwardQuestion = HostQuestion | ServiceQuestion;
export type Question = ForwardQuestion | ReverseQuestion;

export type Severity = 'error' | 'warning' | 'info';

export interface ObjectRef {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
}

/** One diagnostic: a stable UPPER_SNAKE code, a human message, the rule it comes from, the objects involved. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
  readonly objects: readonly ObjectRef[];
}

/** The Ingress rule (or default backend) that took the request. */
export interface IngressHop {
  readonly namespace: string;
  readonly name: string;
  /** Rule host as written (may be a wildcard); null for a rule without host and for the default backend. */
  readonly host: string | null;
  /** null when the Ingress default backend was used. */
  readonly path: string | null;
  readonly pathType: string | null;
  readonly defaultBackend: boolean;
  readonly ingressClass: string | null;
  /** Backend as written in the Ingress. */
  readonly backend: { readonly service: string | null; readonly port: number | string | null; readonly resource: string | null };
  /** For https (port 443): the tls entry covering the host, or null (controller default certificate). */
  readonly tls: { readonly secretName: string | null } | null;
}

export interface ServiceHop {
  readonly namespace: string;
  readonly name: string;
  /** The Service port number the traffic uses (null when no port applies, e.g. unknown port). */
  readonly port: number | null;
  readonly portName: string | null;
  readonly protocol: string | null;
  /** targetPort as written (after S1 defaulting): number or name; null when no port applies. */
  readonly targetPort: number | string | null;
  readonly nodePort: number | null;
  readonly type: string;
  readonly clusterIPs: readonly string[];
  readonly headless: boolean;
  readonly selector: Readonly<Record<string, string>> | null;
  /** internal: ClusterIP/DNS/Service reference/Ingress; external: NodeIP:nodePort, external IP, LB IP (P2). */
  readonly trafficKind: 'internal' | 'external';
  /** How the question reached the Service (e.g. "ClusterIP 10.96.0.1", "DNS name", "Ingress backend"). */
  readonly via: string;
  readonly internalTrafficPolicy: string;
  readonly externalTrafficPolicy: string;
  readonly trafficDistribution: string | null;
  readonly sessionAffinity: { readonly type: string; readonly timeoutSeconds: number | null };
}

export interface EndpointHop {
  /** Canonical IP (E8). */
  readonly address: string;
  /** Destination port taken from the slice port (E9); for headless DNS, the port the client dials. */
  readonly port: number;
  readonly target: string;
  readonly conditions: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean };
  readonly node: string | null;
  readonly zone: string | null;
  readonly pod: { readonly namespace: string; readonly name: string } | null;
  readonly hostname: string | null;
  /** EndpointSlice the endpoint came from (a derived slice is named "<derived from Endpoints/...>"). */
  readonly slice: string;
  /** True when this endpoint receives the traffic (it is among the backends). */
  readonly selected: boolean;
  /** Why it is or is not selected, in a few words. */
  readonly reason: string;
}

export type { GatewayHop } from './gatewayRoute.js';
import type { GatewayHop } from './gatewayRoute.js';

/** ACCEPT-like outcome of the data path. */
export type Verdict =
  | 'forwarded' // DNAT to the backends
  | 'rejected' // no usable endpoint at all: connection refused
  | 'dropped' // policy Local and no local endpoint: silent timeout
  | 'dns' // ExternalName or headless: DNS answers, nothing proxied
  | 'not-found' // no Service / no Ingress rule / no such port
  | 'unhandled' // handed to something routetrace cannot follow (another proxy, resource backend)
  | 'redirected'; // answered by the gateway itself with a redirect (Gateway API RequestRedirect filter)

export interface RouteAnswer {
  readonly question: ForwardQuestion;
  readonly ingress: IngressHop | null;
  /** Present only when the request went through a Gateway API Gateway (gatewayRoute.ts). */
  readonly gateway?: GatewayHop;
  readonly service: ServiceHop | null;
  /** ExternalName target (T6), else null. */
  readonly externalName: string | null;
  /** Every endpoint of the Service port after joining and de-duplicating slices (E8, E9). */
  readonly endpoints: readonly EndpointHop[];
  /** "ip:port" strings that receive the traffic, sorted. */
  readonly backends: readonly string[];
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
}

/** One Service port through which the reverse target is reached. */
export interface ReverseServiceRoute {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  readonly portName: string;
  readonly protocol: string;
  /** The endpoint port the traffic arrives on. */
  readonly endpointPort: number;
  readonly slice: string;
  readonly conditions: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean };
  /** True when kube-proxy sends this Service port's traffic to the target (ignoring client-dependent policies). */
  readonly receivesTraffic: boolean;
  readonly reason: string;
  /** Addresses that reach the Service port: ClusterIP:port, externalIP:port, LB IP:port, "node:nodePort". */
  readonly entryPoints: readonly string[];
}

export interface ReverseIngressRoute {
  readonly namespace: string;
  readonly name: string;
  readonly host: string | null;
  readonly path: string | null;
  readonly pathType: string | null;
  readonly defaultBackend: boolean;
  readonly service: string;
  readonly servicePort: number;
}

export interface ReverseAnswer {
  readonly question: ReverseQuestion;
  readonly target: {
    readonly addresses: readonly string[];
    readonly pod: { readonly namespace: string; readonly name: string } | null;
    readonly node: string | null;
  };
  readonly services: readonly ReverseServiceRoute[];
  readonly ingresses: readonly ReverseIngressRoute[];
  readonly findings: readonly Finding[];
}
