/**
 * readObjects: turns what `kubectl get ... -o json` or `-o yaml` prints (a List, a single object, a JSON
 * array, multi-document YAML; `items: null` allowed) into a Snapshot of the routing kinds.
 *
 * Objects of other kinds (Deployments, Nodes, ...) are counted and otherwise ignored; the Gateway API kinds
 * are read in any served version of gateway.networking.k8s.io (v1, v1beta1: the same routing fields). Ingresses of the old
 * `extensions/v1beta1` / `networking.k8s.io/v1beta1` shape are converted to the v1 shape. Malformed input
 * throws ObjectsInputError with a one-line message naming the source; nothing is ever modified in place.
 */
import { parseAllDocuments } from 'yaml';
import type {
  EndpointsObject,
  EndpointSliceObject,
  IngressBackend,
  IngressClassObject,
  NodeObject,
  IngressObject,
  KubeObject,
  PodObject,
  ServiceObject,
  Snapshot,
} from './objects.js';
import { emptySnapshot, isGatewayKind, SNAPSHOT_FIELD } from './objects.js';
import { GATEWAY_GROUP } from './gatewayObjects.js';

export class ObjectsInputError extends Error {
  override readonly name = 'ObjectsInputError';
}

export interface ReadResult {
  readonly snapshot: Snapshot;
  /** Count of objects of kinds routetrace does not read, by kind. */
  readonly ignored: Readonly<Record<string, number>>;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Parses text into plain documents (JSON when it starts with { or [, else YAML). */
export function parseDocuments(text: string, source: string): unknown[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') return [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(trimmed)];
    } catch (err) {
      throw new ObjectsInputError(`${source}: not valid JSON: ${oneLine((err as Error).message)}`);
    }
  }
  const docs = parseAllDocuments(trimmed, { prettyErrors: false });
  if (!Array.isArray(docs)) throw new ObjectsInputError(`${source}: not valid YAML`);
  const out: unknown[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new ObjectsInputError(`${source}: not valid YAML${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}: ${oneLine(err.message.split('\n')[0] ?? err.message)}`);
    }
    out.push(doc.toJS({ maxAliasCount: 1000 }));
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Flattens Lists and arrays into objects; null documents and null items are skipped. */
function flatten(doc: unknown, source: string, where: string, out: Record<string, unknown>[]): void {
  if (doc === null || doc === undefined) return;
  if (Array.isArray(doc)) {
    doc.forEach((d, i) => flatten(d, source, `${where}[${i}]`, out));
    return;
  }
  if (!isObject(doc)) throw new ObjectsInputError(`${source}: ${where} is not a Kubernetes object`);
  const kind = doc['kind'];
  if (typeof kind === 'string' && kind.endsWith('List') && !('metadata' in doc && isObject(doc['metadata']) && typeof doc['metadata']['name'] === 'string')) {
    const items = doc['items'];
    if (items === null || items === undefined) return;
    if (!Array.isArray(items)) throw new ObjectsInputError(`${source}: ${where}.items is not a list`);
    items.forEach((d, i) => flatten(d, source, `${where}.items[${i}]`, out));
    return;
  }
  if (typeof kind !== 'string' || kind === '') throw new ObjectsInputError(`${source}: ${where} has no kind`);
  const meta = doc['metadata'];
  if (!isObject(meta) || typeof meta['name'] !== 'string' || meta['name'] === '') {
    throw new ObjectsInputError(`${source}: ${where} (${kind}) has no metadata.name`);
  }
  out.push(doc);
}

type OldBackend = { serviceName?: string; servicePort?: number | string; resource?: IngressBackend['resource'] } | null | undefined;

function convertBackend(b: OldBackend): IngressBackend | null {
  if (!b) return null;
  if (b.resource) return { resource: b.resource };
  if (!b.serviceName) return {};
  const port = typeof b.servicePort === 'number' ? { number: b.servicePort } : /^\d+$/.test(String(b.servicePort ?? '')) ? { number: Number(b.servicePort) } : { name: String(b.servicePort ?? '') };
  return { service: { name: b.serviceName, port } };
}

/** v1beta1 Ingress → v1 shape (backend.serviceName/servicePort, spec.backend). */
function ingressV1(obj: Record<string, unknown>): IngressObject {
  const api = String(obj['apiVersion'] ?? '');
  if (api !== 'extensions/v1beta1' && api !== 'networking.k8s.io/v1beta1') return obj as unknown as IngressObject;
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  const rules = (spec['rules'] as { host?: string; http?: { paths?: { path?: string; pathType?: string; backend?: OldBackend }[] } }[] | null) ?? [];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: obj['metadata'] as IngressObject['metadata'],
    spec: {
      ingressClassName: (spec['ingressClassName'] as string | undefined) ?? null,
      defaultBackend: convertBackend(spec['backend'] as OldBackend),
      tls: (spec['tls'] as NonNullable<IngressObject['spec']>['tls']) ?? null,
      rules: rules.map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        http: r.http
          ? { paths: (r.http.paths ?? []).map((p) => ({ path: p.path ?? null, pathType: p.pathType ?? 'ImplementationSpecific', backend: convertBackend(p.backend) ?? {} })) }
          : null,
      })),
    },
  };
}

/** Fields that must be lists (or null/absent) for each kind, as dotted paths; `[]` walks into list items. */
const LIST_FIELDS: Record<string, readonly string[]> = {
  Service: ['spec.ports', 'spec.clusterIPs', 'spec.externalIPs', 'spec.ipFamilies', 'status.loadBalancer.ingress'],
  EndpointSlice: ['endpoints', 'ports', 'endpoints[].addresses'],
  Endpoints: ['subsets', 'subsets[].addresses', 'subsets[].notReadyAddresses', 'subsets[].ports'],
  Pod: ['spec.containers', 'spec.initContainers', 'spec.containers[].ports', 'spec.initContainers[].ports', 'status.podIPs', 'status.hostIPs', 'status.conditions'],
  Ingress: ['spec.rules', 'spec.tls', 'spec.rules[].http.paths', 'spec.tls[].hosts'],
  Gateway: ['spec.listeners', 'spec.addresses', 'status.addresses'],
  HTTPRoute: ['spec.parentRefs', 'spec.hostnames', 'spec.rules', 'spec.rules[].matches', 'spec.rules[].backendRefs', 'spec.rules[].filters', 'spec.rules[].matches[].headers', 'spec.rules[].matches[].queryParams'],
  GRPCRoute: ['spec.parentRefs', 'spec.hostnames', 'spec.rules', 'spec.rules[].matches', 'spec.rules[].backendRefs', 'spec.rules[].filters', 'spec.rules[].matches[].headers'],
  ReferenceGrant: ['spec.from', 'spec.to'],
};
const MAP_FIELDS = ['metadata.labels', 'metadata.annotations', 'spec.selector'];

/** Values at a dotted path (walking into every item after `[]`). */
function valuesAt(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const part of path.split('.')) {
    const isList = part.endsWith('[]');
    const key = isList ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const c of current) {
      if (!isObject(c)) continue;
      const v = c[key];
      if (isList) {
        if (Array.isArray(v)) next.push(...v);
      } else next.push(v);
    }
    current = next;
  }
  return current;
}

/** Rejects objects whose list or map fields have the wrong shape, so the resolver never meets them. */
function checkShape(o: Record<string, unknown>, source: string): void {
  const kind = o['kind'] as string;
  const meta = o['metadata'] as Record<string, unknown>;
  const what = `${kind} ${typeof meta['namespace'] === 'string' ? `${meta['namespace']}/` : ''}${String(meta['name'])}`;
  for (const path of LIST_FIELDS[kind] ?? []) {
    for (const v of valuesAt(o, path)) {
      if (v !== null && v !== undefined && !Array.isArray(v)) throw new ObjectsInputError(`${source}: ${what}: ${path} is not a list`);
    }
  }
  for (const path of MAP_FIELDS) {
    for (const v of valuesAt(o, path)) {
      if (v !== null && v !== undefined && !isObject(v)) throw new ObjectsInputError(`${source}: ${what}: ${path} is not a map`);
    }
  }
}

/** Builds a snapshot from parsed documents. */
export function snapshotFromDocuments(docs: readonly unknown[], source: string): ReadResult {
  const objects: Record<string, unknown>[] = [];
  docs.forEach((d, i) => flatten(d, source, docs.length > 1 ? `document ${i + 1}` : 'input', objects));
  const services: ServiceObject[] = [];
  const endpoints: EndpointsObject[] = [];
  const endpointSlices: EndpointSliceObject[] = [];
  const pods: PodObject[] = [];
  const ingresses: IngressObject[] = [];
  const ingressClasses: IngressClassObject[] = [];
  const nodes: NodeObject[] = [];
  const gateway = emptySnapshot() as unknown as Record<keyof Snapshot, KubeObject[]>;
  const ignored: Record<string, number> = {};
  for (const o of objects) {
    const kind = o['kind'] as string;
    checkShape(o, source);
    switch (kind) {
      case 'Service': services.push(o as unknown as ServiceObject); break;
      case 'Endpoints': endpoints.push(o as unknown as EndpointsObject); break;
      case 'EndpointSlice': endpointSlices.push(o as unknown as EndpointSliceObject); break;
      case 'Pod': pods.push(o as unknown as PodObject); break;
      case 'Ingress': ingresses.push(ingressV1(o)); break;
      case 'IngressClass': ingressClasses.push(o as unknown as IngressClassObject); break;
      case 'Node': nodes.push(o as unknown as NodeObject); break;
      default:
        if (isGatewayKind(kind) && String(o['apiVersion'] ?? GATEWAY_GROUP).startsWith(GATEWAY_GROUP)) gateway[SNAPSHOT_FIELD[kind]].push(o as unknown as KubeObject);
        else ignored[kind] = (ignored[kind] ?? 0) + 1;
    }
  }
  return { snapshot: { ...(gateway as unknown as Snapshot), services, endpoints, endpointSlices, pods, ingresses, ingressClasses, nodes }, ignored };
}

/** Parses one input text into a snapshot. */
export function readObjects(text: string, source: string): ReadResult {
  return snapshotFromDocuments(parseDocuments(text, source), source);
}

/** Concatenates snapshots (several --objects files). Later duplicates of the same object are ignored by the index. */
export function mergeSnapshots(parts: readonly Snapshot[]): Snapshot {
  const pick = <K extends keyof Snapshot>(k: K) => parts.flatMap((p) => p[k] as readonly KubeObject[]) as unknown as Snapshot[K];
  return {
    services: pick('services'),
    endpoints: pick('endpoints'),
    endpointSlices: pick('endpointSlices'),
    pods: pick('pods'),
    ingresses: pick('ingresses'),
    ingressClasses: pick('ingressClasses'),
    nodes: pick('nodes'),
    gatewayClasses: pick('gatewayClasses'),
    gateways: pick('gateways'),
    httpRoutes: pick('httpRoutes'),
    grpcRoutes: pick('grpcRoutes'),
    referenceGrants: pick('referenceGrants'),
  };
}
