/**
 * openapi: the OpenAPI 3.1 document of /api/v1, built from the REST route table (paths, parameters) plus
 * the response schemas below, which mirror src/model/route.ts (RouteAnswer, ReverseAnswer) and the
 * timeline and routeDiff bodies. Served at /api/v1/openapi.json.
 */
import type { RestEndpoint } from './restApi.js';

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const nint = { type: ['integer', 'null'] } as const;
const bool = { type: 'boolean' } as const;
const intOrString = { oneOf: [int, str] } as const;
const arr = (items: unknown) => ({ type: 'array', items });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', properties, required });
const nullable = (schema: unknown) => ({ oneOf: [schema, { type: 'null' }] });
const conditions = obj({ ready: bool, serving: bool, terminating: bool });
const nsName = obj({ namespace: str, name: str });

const SCHEMAS: Record<string, unknown> = {
  Error: obj({
    code: { type: 'string', description: 'Stable code', enum: ['BAD_USER_INPUT', 'INVALID_TIME', 'INVALID_HOST', 'INVALID_PORT', 'INVALID_CURSOR', 'NOT_FOUND', 'HISTORY_UNAVAILABLE', 'NOT_READY', 'CLUSTER_REQUIRED', 'UNKNOWN_CLUSTER', 'BAD_REQUEST', 'METHOD_NOT_ALLOWED', 'PAYLOAD_TOO_LARGE', 'INTERNAL_SERVER_ERROR'] },
    message: str,
  }),
  Finding: obj({ code: str, severity: { enum: ['error', 'warning', 'info'] }, rule: str, message: str, objects: arr(obj({ kind: str, namespace: nstr, name: str })) }),
  IngressHop: obj({
    namespace: str, name: str, host: nstr, path: nstr, pathType: nstr, defaultBackend: bool, ingressClass: nstr,
    backend: obj({ service: nstr, port: nullable(intOrString), resource: nstr }),
    tls: nullable(obj({ secretName: nstr })),
  }),
  ServiceHop: obj({
    namespace: str, name: str, port: nint, portName: nstr, protocol: nstr, targetPort: nullable(intOrString), nodePort: nint,
    type: str, clusterIPs: arr(str), headless: bool, selector: nullable({ type: 'object', additionalProperties: str }),
    trafficKind: { enum: ['internal', 'external'] }, via: str, internalTrafficPolicy: str, externalTrafficPolicy: str,
    trafficDistribution: nstr, sessionAffinity: obj({ type: str, timeoutSeconds: nint }),
  }),
  EndpointHop: obj({
    address: str, port: int, target: str, conditions, node: nstr, zone: nstr, pod: nullable(nsName), hostname: nstr,
    slice: str, selected: bool, reason: str,
  }),
  GatewayHop: obj({
    namespace: str, name: str, gatewayClass: nstr,
    listener: obj({ name: str, port: int, protocol: str, hostname: nstr }),
    route: nullable(obj({ kind: str, namespace: str, name: str, hostname: nstr })),
    rule: nullable(obj({ index: int, name: nstr, match: { type: 'object', description: 'The match that took the request: path, method, headers, queryParams, grpc' } })),
    backends: arr(obj({
      kind: str, namespace: str, name: str, port: nint, weight: int, share: { type: 'number', description: 'weight / sum of the rule weights' },
      status: { enum: ['resolved', 'not-found', 'not-permitted', 'unsupported-kind', 'no-port'] }, verdict: nstr, backends: arr(str),
    })),
    mirrors: arr(obj({ kind: str, namespace: str, name: str, port: nint, percent: { type: 'number' } })),
    redirect: nullable(obj({ scheme: nstr, hostname: nstr, port: nint, path: nstr, statusCode: int })),
    rewrite: nullable(obj({ hostname: nstr, path: nstr })),
  }),
  RouteAnswer: obj({
    question: { type: 'object', description: 'The question asked (kind host or service)' },
    ingress: nullable(ref('IngressHop')),
    gateway: { ...ref('GatewayHop'), description: 'Present when the request went through a Gateway API Gateway' },
    service: nullable(ref('ServiceHop')),
    externalName: nstr,
    endpoints: arr(ref('EndpointHop')),
    backends: { ...arr(str), description: '"ip:port" strings that receive the traffic, sorted' },
    verdict: { enum: ['forwarded', 'rejected', 'dropped', 'dns', 'not-found', 'unhandled', 'redirected'] },
    findings: arr(ref('Finding')),
  }, ['question', 'ingress', 'service', 'externalName', 'endpoints', 'backends', 'verdict', 'findings']),
  ReverseAnswer: obj({
    question: { type: 'object' },
    target: obj({ addresses: arr(str), pod: nullable(nsName), node: nstr }),
    services: arr(obj({
      namespace: str, name: str, port: int, portName: str, protocol: str, endpointPort: int, slice: str, conditions,
      receivesTraffic: bool, reason: str, entryPoints: arr(str),
    })),
    ingresses: arr(obj({ namespace: str, name: str, host: nstr, path: nstr, pathType: nstr, defaultBackend: bool, service: str, servicePort: int })),
    findings: arr(ref('Finding')),
  }),
  RoutePerCluster: obj({
    clusters: { ...arr(obj({ cluster: str, at: { type: 'string', format: 'date-time' }, answer: ref('RouteAnswer') })), description: 'One answer per cluster, sorted by cluster name' },
  }),
  RouteOrPerCluster: { oneOf: [ref('RouteAnswer'), ref('RoutePerCluster')], description: 'A RouteAnswer; for a host question without cluster when the history holds several clusters, RoutePerCluster' },
  RouteDiffOrPerCluster: {
    oneOf: [ref('RouteDiff'), obj({ clusters: arr({ allOf: [obj({ cluster: str }), ref('RouteDiff')] }) })],
    description: 'A RouteDiff; for a question without cluster when the history holds several clusters, one per cluster',
  },
  Clusters: obj({
    clusters: arr(obj({
      name: str, watchedHere: bool, synced: bool, lastObservedAt: { type: ['string', 'null'], format: 'date-time' },
      kinds: arr(obj({ kind: str, synced: bool, lastObservedAt: { type: ['string', 'null'], format: 'date-time' } })),
      gaps: arr(obj({ kind: str, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, reason: str })),
    })),
  }),
  TimelineEvent: obj({
    cursor: str,
    id: str,
    type: { enum: ['SERVICE_CREATED', 'SERVICE_DELETED', 'SERVICE_SELECTOR_CHANGED', 'SERVICE_PORTS_CHANGED', 'SERVICE_TYPE_CHANGED', 'INGRESS_RULES_CHANGED', 'GATEWAY_ROUTE_CHANGED', 'POD_IP_CHANGED', 'ENDPOINT_ADDED', 'ENDPOINT_REMOVED', 'ENDPOINT_READY', 'ENDPOINT_NOT_READY', 'ENDPOINT_TERMINATING', 'ENDPOINT_PORT_CHANGED', 'WATCH_GAP'] },
    changeTime: { type: ['string', 'null'], format: 'date-time', description: 'When Kubernetes says the change happened, when it says so' },
    observedTime: { type: 'string', format: 'date-time', description: 'When routetrace observed it' },
    object: obj({ kind: str, namespace: nstr, name: str }),
    source: nullable(obj({ kind: str, namespace: nstr, name: str })),
    endpoint: nullable(obj({ address: str, port: nint, portName: str, protocol: str, pod: nullable(nsName), node: nstr, conditions: nullable(conditions) })),
    before: {},
    after: {},
    gap: nullable(obj({ kind: str, from: str, to: str, reason: str })),
    message: str,
  }),
  Timeline: obj({
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    services: arr(nsName),
    totalCount: int,
    pageInfo: obj({ hasNextPage: bool, endCursor: nstr }),
    events: arr(ref('TimelineEvent')),
  }),
  RouteDiff: obj({
    from: obj({ at: str, answer: ref('RouteAnswer') }),
    to: obj({ at: str, answer: ref('RouteAnswer') }),
    changed: bool, backendsAdded: arr(str), backendsRemoved: arr(str), verdictChanged: bool, ingressChanged: bool,
    serviceChanged: bool, findingsAdded: arr(obj({ code: str, message: str })), findingsRemoved: arr(obj({ code: str, message: str })),
    summary: arr(str),
  }),
};

export function openApiDocument(endpoints: readonly RestEndpoint[]): unknown {
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
  const paths: Record<string, unknown> = {};
  for (const e of endpoints) {
    paths[`/api/v1${e.path}`] = {
      get: {
        operationId: e.path.slice(1),
        summary: e.summary,
        description: e.description,
        parameters: e.params.map((p) => ({
          name: p.name,
          in: 'query',
          required: false,
          description: p.description,
          schema: { type: p.type },
          ...(p.example !== undefined ? { example: p.example } : {}),
        })),
        responses: {
          200: { description: 'The answer', content: { 'application/json': { schema: ref(e.response) } } },
          400: errorResponse('Invalid input, including an unknown namespace (stable code in `code`)'),
          404: errorResponse('No such API path'),
          500: errorResponse('Internal error (masked)'),
          503: errorResponse('State not available yet (NOT_READY, HISTORY_UNAVAILABLE)'),
        },
      },
    };
  }
  paths['/api/v1/openapi.json'] = { get: { operationId: 'openapi', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1 document' } } } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'routetrace REST API',
      version: '1',
      description: 'Where traffic ends up in a Kubernetes cluster, now or at any past time. The same answers are available through GraphQL at /graphql.',
    },
    paths,
    components: { schemas: SCHEMAS },
  };
}
