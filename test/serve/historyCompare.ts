/**
 * historyCompare: compares what the history holds with the simulator's objects, by projection (the
 * fields routetrace keeps), ignoring resourceVersion (a version keeps the resourceVersion of the report
 * that opened it; later reports that changed nothing stored do not create versions).
 */
import { canonicalJson, project } from '../../src/model/project.js';
import { KINDS, objectKey, SNAPSHOT_FIELD, type Kind, type KubeObject, type Snapshot } from '../../src/model/objects.js';

function withoutRv(kind: Kind, o: KubeObject): string {
  const p = project(kind, o) as KubeObject;
  const { resourceVersion: _rv, ...metadata } = p.metadata;
  return canonicalJson({ ...p, metadata });
}

/** key → canonical projection (without resourceVersion), for one kind. */
export function projections(kind: Kind, objects: readonly KubeObject[]): Map<string, string> {
  return new Map(objects.map((o) => [objectKey(kind, o.metadata), withoutRv(kind, o)]));
}

/** Keys whose projection differs between `a` and `b` (present in one only, or different content). */
export function differingKeys(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of a) if (b.get(k) !== v) out.push(k);
  for (const k of b.keys()) if (!a.has(k)) out.push(k);
  return out;
}

/** Mismatching keys, all kinds, between a stored snapshot and live objects per kind. */
export function snapshotMismatches(stored: Snapshot, live: Readonly<Record<Kind, readonly KubeObject[]>>): string[] {
  return KINDS.flatMap((kind) => differingKeys(projections(kind, stored[SNAPSHOT_FIELD[kind]]), projections(kind, live[kind])));
}
