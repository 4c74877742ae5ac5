/**
 * patch: the PATCH body formats the simulator accepts.
 *
 *  - `application/merge-patch+json`: RFC 7386 JSON merge patch.
 *  - `application/strategic-merge-patch+json`: a subset of Kubernetes strategic merge patch, enough for
 *    `kubectl apply/edit/label/annotate`: lists with a known merge key are merged element-wise (containers,
 *    initContainers, env, volumes by name; volumeMounts by mountPath; conditions by type; ownerReferences
 *    by uid; Service `spec.ports` by port; container `ports` by containerPort), honouring `$patch: delete`
 *    / `$patch: replace`, `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>`; every other
 *    list is replaced whole (as the real atomic lists are, e.g. Ingress rules, EndpointSlice endpoints);
 *    `$retainKeys` is ignored. Otherwise it behaves as a merge patch.
 *  - `application/json-patch+json`: RFC 6902 (add, remove, replace, test, move, copy).
 */
import { ApiError } from './ApiError.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JObj = { [k: string]: Json };

const isObj = (v: unknown): v is JObj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): Json {
  if (!isObj(patch)) return patch as Json;
  const out: JObj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function mergeKeyFor(path: readonly string[], field: string, kind: string): string | undefined {
  const parent = path[path.length - 1];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'conditions':
      return kind === 'Pod' || kind === 'Namespace' || kind === 'Node' ? 'type' : undefined;
    case 'ownerReferences':
      return 'uid';
    case 'ports':
      if (kind === 'Service' && parent === 'spec' && path.length === 1) return 'port';
      if (parent === 'containers' || parent === 'initContainers') return 'containerPort';
      return undefined;
    default:
      return undefined;
  }
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((e) => !(isObj(e) && e['$patch'] !== undefined && Object.keys(e).length === 1)).map(stripDirectives);
  if (!isObj(v)) return v;
  const out: JObj = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

export function strategicMergePatch(target: unknown, patch: unknown, kind: string): Json {
  return smp(target, patch, [], kind);
}

function smp(target: unknown, patch: unknown, path: string[], kind: string): Json {
  if (!isObj(patch)) return patch as Json;
  if (patch['$patch'] === 'replace') return stripDirectives(patch);
  const out: JObj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      const mk = mergeKeyFor(path, k, kind);
      if (mk && Array.isArray(out[k])) out[k] = mergeList(out[k] as Json[], v, mk, [...path, k], kind);
      else if (k === 'finalizers' && Array.isArray(out[k])) out[k] = [...new Set([...(out[k] as Json[]), ...v])];
      else out[k] = stripDirectives(v);
    } else if (isObj(v)) {
      if (v['$patch'] === 'delete') delete out[k];
      else out[k] = smp(out[k], v, [...path, k], kind);
    } else out[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/') && Array.isArray(v)) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f])) out[f] = (out[f] as Json[]).filter((x) => !v.includes(x));
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') && Array.isArray(v)) {
      const f = k.slice('$setElementOrder/'.length);
      const mk = mergeKeyFor(path, f, kind);
      const list = out[f];
      if (!mk || !Array.isArray(list)) continue;
      const order = v.map((e) => (isObj(e) ? e[mk] : e));
      const pos = (e: Json) => {
        const i = order.indexOf(isObj(e) ? (e[mk] as Json) : e);
        return i < 0 ? order.length : i;
      };
      out[f] = [...list].sort((a, b) => pos(a) - pos(b));
    }
  }
  return out;
}

function mergeList(target: Json[], patch: Json[], mk: string, path: string[], kind: string): Json[] {
  if (patch.some((e) => isObj(e) && e['$patch'] === 'replace')) return stripDirectives(patch) as Json[];
  const out = [...target];
  for (const p of patch) {
    if (!isObj(p) || p[mk] === undefined) {
      out.push(stripDirectives(p));
      continue;
    }
    const i = out.findIndex((e) => isObj(e) && e[mk] === p[mk]);
    if (p['$patch'] === 'delete') {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = smp(out[i], p, path, kind);
    else out.push(stripDirectives(p));
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw ApiError.badRequest(`json patch: invalid path "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: Json, parts: string[]): Json | undefined {
  let cur: Json | undefined = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

function container(doc: Json, parts: string[], op: string): { parent: Json; key: string } {
  const parent = getAt(doc, parts.slice(0, -1));
  if (parent === undefined || parent === null || typeof parent !== 'object') throw new ApiError(422, 'Invalid', `json patch ${op}: path /${parts.join('/')} does not exist`);
  return { parent, key: parts[parts.length - 1]! };
}

export function jsonPatch(target: unknown, ops: unknown): Json {
  if (!Array.isArray(ops)) throw ApiError.badRequest('json patch: body must be an array of operations');
  let doc = structuredClone(target) as Json;
  for (const op of ops as JObj[]) {
    const kind = op['op'];
    const parts = pointer(String(op['path'] ?? ''));
    const put = (value: Json) => {
      if (parts.length === 0) {
        doc = value;
        return;
      }
      const { parent, key } = container(doc, parts, String(kind));
      if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : Number(key), 0, value);
      else (parent as JObj)[key] = value;
    };
    const del = (): Json => {
      const { parent, key } = container(doc, parts, String(kind));
      if (Array.isArray(parent)) {
        const i = Number(key);
        if (!(i >= 0 && i < parent.length)) throw new ApiError(422, 'Invalid', `json patch remove: index ${key} out of range`);
        return parent.splice(i, 1)[0]!;
      }
      if (!((parent as JObj) && key in (parent as JObj))) throw new ApiError(422, 'Invalid', `json patch remove: /${parts.join('/')} does not exist`);
      const v = (parent as JObj)[key]!;
      delete (parent as JObj)[key];
      return v;
    };
    switch (kind) {
      case 'add':
        put(structuredClone(op['value'] as Json));
        break;
      case 'remove':
        del();
        break;
      case 'replace':
        del();
        put(structuredClone(op['value'] as Json));
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, parts)) !== JSON.stringify(op['value'])) throw new ApiError(422, 'Invalid', `json patch test failed at ${String(op['path'])}`);
        break;
      case 'move':
      case 'copy': {
        const from = pointer(String(op['from'] ?? ''));
        const v = getAt(doc, from);
        if (v === undefined) throw new ApiError(422, 'Invalid', `json patch ${kind}: from path does not exist`);
        if (kind === 'move') {
          const { parent, key } = container(doc, from, 'move');
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete (parent as JObj)[key];
        }
        put(structuredClone(v));
        break;
      }
      default:
        throw ApiError.badRequest(`json patch: unknown op "${String(kind)}"`);
    }
  }
  return doc;
}
