/**
 * documents: the GraphQL operations the page sends (schema.graphql) and the shapes of their answers.
 */
export interface Endpoint {
  address: string;
  port: number;
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  node: string | null;
  pod: { namespace: string; name: string } | null;
  slice: string;
  selected: boolean;
  reason: string;
}

export interface Finding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface RouteAnswer {
  at: string;
  verdict: string;
  backends: string[];
  question: { kind: string; host: string | null; port: number | string | null; path: string | null; namespace: string | null; name: string | null };
  ingress: { namespace: string; name: string; host: string | null; path: string | null; pathType: string | null; defaultBackend: boolean; ingressClass: string | null; backend: { service: string | null; port: number | string | null } } | null;
  gateway: {
    namespace: string; name: string;
    listener: { name: string; port: number; protocol: string; hostname: string | null };
    route: { kind: string; namespace: string; name: string; hostname: string | null } | null;
    backends: { name: string; weight: number; share: number; status: string }[];
  } | null;
  service: { namespace: string; name: string; port: number | null; portName: string | null; targetPort: number | string | null; type: string; clusterIPs: string[] } | null;
  externalName: string | null;
  endpoints: Endpoint[];
  findings: Finding[];
}

export interface TimelineEvent {
  id: string;
  type: string;
  observedTime: string;
  message: string;
}

export interface TimelinePage {
  edges: { node: TimelineEvent }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  from: string;
  to: string;
}

const ROUTE_FIELDS = `
  at verdict backends
  question { kind host port path namespace name }
  ingress { namespace name host path pathType defaultBackend ingressClass backend { service port } }
  gateway { namespace name listener { name port protocol hostname } route { kind namespace name hostname } backends { name weight share status } }
  service { namespace name port portName targetPort type clusterIPs }
  externalName
  endpoints { address port conditions { ready serving terminating } node pod { namespace name } slice selected reason }
  findings { code severity message }
`;

export const HOST_ROUTE = `query HostRoute($host: String!, $port: Int, $path: String, $at: DateTime) {
  route(host: $host, port: $port, path: $path, at: $at) { ${ROUTE_FIELDS} }
}`;

export const SERVICE_ROUTE = `query ServiceRoute($namespace: String!, $name: String!, $port: IntOrString, $at: DateTime) {
  routeToService(namespace: $namespace, name: $name, port: $port, at: $at) { ${ROUTE_FIELDS} }
}`;

export const ROUTE_CHANGED = `subscription RouteChanged($host: String!, $port: Int, $path: String) {
  routeChanged(host: $host, port: $port, path: $path) { ${ROUTE_FIELDS} }
}`;

export const ENDPOINTS_CHANGED = `subscription EndpointsChanged($service: ObjectRefInput!, $port: IntOrString) {
  endpointsChanged(service: $service, port: $port) { address port conditions { ready serving terminating } }
}`;

const TIMELINE_FIELDS = `edges { node { id type observedTime message } } pageInfo { hasNextPage endCursor } from to`;

export const HOST_TIMELINE = `query HostTimeline($host: String!, $port: IntOrString, $from: DateTime, $to: DateTime, $after: String) {
  timeline(host: $host, port: $port, from: $from, to: $to, first: 200, after: $after) { ${TIMELINE_FIELDS} }
}`;

export const SERVICE_TIMELINE = `query ServiceTimeline($service: ObjectRefInput!, $port: IntOrString, $from: DateTime, $to: DateTime, $after: String) {
  timeline(service: $service, port: $port, from: $from, to: $to, first: 200, after: $after) { ${TIMELINE_FIELDS} }
}`;

export const SERVICES = `query Services($after: String) {
  services(first: 200, after: $after) { edges { node { namespace name } } pageInfo { hasNextPage endCursor } }
}`;
