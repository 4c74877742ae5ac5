/**
 * lookupKeyRows: how the lookup terms of one object are kept as LookupKey rows with validity intervals
 * (see LookupKey in prisma/schema.prisma), shared by the writer and the backfill.
 *
 * OpenTerms is the set of an object's open rows: term hashes ascending, with the validFrom of each (the
 * rest of the row's primary key). updateTerms moves an object from its open terms to the terms of its new
 * version at t: terms in both stay open (nothing is written), terms that are gone are closed at t (or
 * deleted when opened at t: a row never holds at no instant), new terms are opened at t. closeTerms closes
 * them all (the object was deleted or replaced). Statements run in the caller's transaction; the returned
 * OpenTerms is a new value (the caller decides when it becomes the committed state).
 */
import type { SqlStatement as Statement } from './SqlConnection.js';

export interface OpenTerms {
  readonly hashes: readonly number[];
  readonly since: readonly number[];
}

export interface TermStatements {
  readonly insertLookupKey: Statement;
  readonly closeLookupKey: Statement;
  readonly deleteLookupKey: Statement;
}

function end(s: TermStatements, clusterId: number, objectId: number, term: number, since: number, t: number): void {
  if (since >= t) s.deleteLookupKey.run(clusterId, term, since, objectId);
  else s.closeLookupKey.run(t, clusterId, term, since, objectId);
}

/** The open terms after a version with `next` (sorted, distinct) starts at t; undefined when there are none. */
export function updateTerms(
  s: TermStatements, clusterId: number, objectId: number, open: OpenTerms | undefined, next: readonly number[], t: number,
): OpenTerms | undefined {
  const hashes: number[] = [];
  const since: number[] = [];
  const old = open ?? { hashes: [], since: [] };
  let i = 0;
  let j = 0;
  while (i < old.hashes.length || j < next.length) {
    const a = i < old.hashes.length ? old.hashes[i]! : Infinity;
    const b = j < next.length ? next[j]! : Infinity;
    if (a === b) {
      hashes.push(a);
      since.push(old.since[i]!);
      i++;
      j++;
    } else if (a < b) {
      end(s, clusterId, objectId, a, old.since[i]!, t);
      i++;
    } else {
      s.insertLookupKey.run(clusterId, b, t, objectId);
      hashes.push(b);
      since.push(t);
      j++;
    }
  }
  return hashes.length > 0 ? { hashes, since } : undefined;
}

/** Closes every open term of an object at t. */
export function closeTerms(s: TermStatements, clusterId: number, objectId: number, open: OpenTerms, t: number): void {
  open.hashes.forEach((term, k) => end(s, clusterId, objectId, term, open.since[k]!, t));
}
