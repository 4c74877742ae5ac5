/**
 * changeTime: the time Kubernetes states for a change, read from the objects themselves (pure).
 *
 * Sources, in order: a deletionTimestamp that was not set before (deletion begins); the
 * lastTransitionTime of conditions whose status changed (latest of them; Pods only); the
 * creationTimestamp when the object is new to the store and was created after `createdAfter` (the last
 * time this kind was observed; null means "no earlier observation": the first list of a cluster states no
 * creation). Otherwise null: routetrace then only knows when it observed the change.
 *
 * The writer keeps a compact `ChangeFacts` per live object instead of its previous projection.
 */
import type { KubeObject, PodObject } from '../model/objects.js';

export interface ChangeFacts {
  deleting: boolean;
  /** "type=status" of each condition, '\n'-joined; '' when none. */
  conditions: string;
}

export function changeFacts(projection: KubeObject): ChangeFacts {
  const conds = (projection as PodObject).status?.conditions ?? [];
  return {
    deleting: projection.metadata.deletionTimestamp != null,
    conditions: conds.map((c) => `${c.type}=${c.status}`).join('\n'),
  };
}

function ms(t: string | null | undefined): number | null {
  if (t == null) return null;
  const v = Date.parse(t);
  return Number.isNaN(v) ? null : v;
}

/** Change time (ms) of `next` relative to the stored `prev` facts (null when the object is new). */
export function changeTimeOf(prev: ChangeFacts | null, next: KubeObject, createdAfter: number | null): number | null {
  const meta = next.metadata;
  if (prev === null) {
    const created = ms(meta.creationTimestamp);
    return created !== null && createdAfter !== null && created > createdAfter ? created : null;
  }
  if (!prev.deleting && meta.deletionTimestamp != null) return ms(meta.deletionTimestamp);
  const conds = (next as PodObject).status?.conditions;
  if (conds && conds.length > 0) {
    const before = new Set(prev.conditions ? prev.conditions.split('\n') : []);
    let latest: number | null = null;
    for (const c of conds) {
      if (before.has(`${c.type}=${c.status}`)) continue;
      const t = ms(c.lastTransitionTime);
      if (t !== null && (latest === null || t > latest)) latest = t;
    }
    if (latest !== null) return latest;
  }
  return null;
}
