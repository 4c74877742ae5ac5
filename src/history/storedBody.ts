/**
 * storedBody: how a projection is split into the columns of a stored version and joined back.
 *
 * The identity fields (apiVersion, kind, metadata.namespace/name/uid/resourceVersion) live in KubeObject
 * and ObjectVersion.resourceVersion; `body` is the canonical JSON of everything else. joinBody(splitBody(p))
 * is canonically equal to p for every projection p (project() never emits empty identity strings).
 */
import type { Kind, KubeObject } from '../model/objects.js';
import { API_VERSIONS } from '../model/project.js';

export interface StoredBody {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  body: string;
}

type Rec = Record<string, unknown>;

export function splitBody(projection: KubeObject): StoredBody {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = projection as unknown as Rec & { metadata: Rec };
  const { namespace, name, uid, resourceVersion, ...meta } = metadata;
  // Keys of `rest` and `meta` keep the sorted order project() gave them; 'metadata' sorts among rest's keys.
  const out: Rec = {};
  let placed = false;
  for (const k of Object.keys(rest)) {
    if (!placed && k > 'metadata') {
      out.metadata = meta;
      placed = true;
    }
    out[k] = rest[k];
  }
  if (!placed) out.metadata = meta;
  return {
    namespace: (namespace as string | undefined) ?? '',
    name: (name as string | undefined) ?? '',
    uid: (uid as string | undefined) ?? '',
    resourceVersion: (resourceVersion as string | undefined) ?? '',
    body: JSON.stringify(out),
  };
}

/** `base` (keys in ascending order) with `extra` (ascending, keys not in base) merged into key order. */
function mergeSorted(base: Rec, extra: [string, unknown][]): Rec {
  const out: Rec = {};
  let i = 0;
  for (const k of Object.keys(base)) {
    while (i < extra.length && extra[i]![0] < k) {
      out[extra[i]![0]] = extra[i]![1];
      i++;
    }
    out[k] = base[k];
  }
  for (; i < extra.length; i++) out[extra[i]![0]] = extra[i]![1];
  return out;
}

export function joinBody(kind: Kind, s: StoredBody): KubeObject {
  const { metadata, ...rest } = JSON.parse(s.body) as Rec & { metadata?: Rec };
  const identity: [string, unknown][] = [['name', s.name]];
  if (s.namespace) identity.push(['namespace', s.namespace]);
  if (s.resourceVersion) identity.push(['resourceVersion', s.resourceVersion]);
  if (s.uid) identity.push(['uid', s.uid]);
  const meta = mergeSorted(metadata ?? {}, identity);
  return mergeSorted(rest, [['apiVersion', API_VERSIONS[kind]], ['kind', kind], ['metadata', meta]]) as unknown as KubeObject;
}
