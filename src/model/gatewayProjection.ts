/**
 * gatewayProjection: the projection (project.ts) of the Gateway API kinds onto the fields declared in
 * gatewayObjects.ts, written as one field schema per kind.
 *
 * Pure. A schema names each kept field and its type: 's' string, 'n' number, 'b' boolean, 'S' list of
 * strings, 'M' string map; an object schema for a nested object; a one-element array for a list of that
 * schema. Everything not named is dropped; null/undefined and wrongly typed members are omitted; keys come
 * out in ascending code-unit order, so a projection's canonical text is stable (the contract of project.ts).
 */
import type { GatewayKind } from './objects.js';

type Leaf = 's' | 'n' | 'b' | 'S' | 'M';
type Schema = Leaf | { readonly [field: string]: Schema } | readonly [Schema];

const CONDITIONS: Schema = [{ type: 's', status: 's', reason: 's' }];
const SELECTOR: Schema = { matchLabels: 'M', matchExpressions: [{ key: 's', operator: 's', values: 'S' }] };
const OBJECT_REF: Schema = { group: 's', kind: 's', name: 's', namespace: 's', port: 'n' };
const PARENT_REF: Schema = { group: 's', kind: 's', namespace: 's', name: 's', sectionName: 's', port: 'n' };
const PATH_MODIFIER: Schema = { type: 's', replaceFullPath: 's', replacePrefixMatch: 's' };
const FILTER: Schema = {
  type: 's',
  requestRedirect: { scheme: 's', hostname: 's', path: PATH_MODIFIER, port: 'n', statusCode: 'n' },
  urlRewrite: { hostname: 's', path: PATH_MODIFIER },
  requestMirror: { backendRef: OBJECT_REF, percent: 'n', fraction: { numerator: 'n', denominator: 'n' } },
  extensionRef: { group: 's', kind: 's', name: 's' },
};
const BACKEND_REF: Schema = { group: 's', kind: 's', name: 's', namespace: 's', port: 'n', weight: 'n', filters: [FILTER] };
const HEADER_MATCH: Schema = [{ type: 's', name: 's', value: 's' }];
const ROUTE_STATUS: Schema = { parents: [{ parentRef: PARENT_REF, controllerName: 's', conditions: CONDITIONS }] };

function routeSchema(match: Schema): Schema {
  return {
    spec: { parentRefs: [PARENT_REF], hostnames: 'S', rules: [{ name: 's', matches: [match], filters: [FILTER], backendRefs: [BACKEND_REF] }] },
    status: ROUTE_STATUS,
  };
}

const ADDRESSES: Schema = [{ type: 's', value: 's' }];

/** The kept fields of each Gateway API kind, besides apiVersion, kind and metadata. */
export const GATEWAY_SCHEMAS: Readonly<Record<GatewayKind, Schema>> = {
  GatewayClass: { spec: { controllerName: 's' }, status: { conditions: CONDITIONS } },
  Gateway: {
    spec: {
      gatewayClassName: 's',
      addresses: ADDRESSES,
      listeners: [{
        name: 's',
        hostname: 's',
        port: 'n',
        protocol: 's',
        tls: { mode: 's', certificateRefs: [{ group: 's', kind: 's', name: 's', namespace: 's' }] },
        allowedRoutes: { namespaces: { from: 's', selector: SELECTOR }, kinds: [{ group: 's', kind: 's' }] },
      }],
    },
    status: { addresses: ADDRESSES, conditions: CONDITIONS, listeners: [{ name: 's', attachedRoutes: 'n', conditions: CONDITIONS }] },
  },
  HTTPRoute: routeSchema({ path: { type: 's', value: 's' }, headers: HEADER_MATCH, queryParams: HEADER_MATCH, method: 's' }),
  GRPCRoute: routeSchema({ method: { type: 's', service: 's', method: 's' }, headers: HEADER_MATCH }),
  ReferenceGrant: { spec: { from: [{ group: 's', kind: 's', namespace: 's' }], to: [{ group: 's', kind: 's', name: 's' }] } },
};

function isRec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value projected through a schema, or undefined when nothing of it is kept. */
export function projectBySchema(v: unknown, schema: Schema): unknown {
  if (v === null || v === undefined) return undefined;
  switch (schema) {
    case 's': return typeof v === 'string' ? v : undefined;
    case 'n': return typeof v === 'number' ? v : undefined;
    case 'b': return typeof v === 'boolean' ? v : undefined;
    case 'S': return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
    case 'M': {
      if (!isRec(v)) return undefined;
      const out: Record<string, string> = {};
      for (const k of Object.keys(v).filter((key) => typeof v[key] === 'string').sort()) out[k] = v[k] as string;
      return out;
    }
  }
  if (Array.isArray(schema)) {
    if (!Array.isArray(v)) return undefined;
    const item = schema[0] as Schema;
    return v.filter((x) => x !== null && x !== undefined).map((x) => projectBySchema(x, item) ?? {});
  }
  if (!isRec(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(schema).sort()) {
    const p = projectBySchema(v[k], (schema as Record<string, Schema>)[k]!);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

/** [field, value] pairs of a Gateway API object's kept body (spec, status). */
export function gatewayBody(kind: GatewayKind, x: Record<string, unknown>): [string, unknown][] {
  const schema = GATEWAY_SCHEMAS[kind] as Record<string, Schema>;
  return Object.keys(schema).map((k) => [k, projectBySchema(x[k], schema[k]!)]);
}
