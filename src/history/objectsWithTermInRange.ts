/**
 * objectsWithTermInRange: the objects of a kind that had a lookup term (LookupKey, see
 * src/resolver/lookupTerms.ts) at some instant of [from, to] (epoch ms), by name then id. One range scan of
 * the LookupKey primary key: its cost follows the term's own history (one row per interval an object held
 * it), not the cluster's. A term is a superset test: callers apply the exact rule to the versions they read.
 */
import type { Kind } from '../model/objects.js';
import type { HistoryDatabase } from './openHistoryDatabase.js';
import type { ObjectIdentity } from './versionsInRange.js';

export function objectsWithTermInRange(database: HistoryDatabase, clusterId: number, kind: Kind, term: number, from: number, to: number): ObjectIdentity[] {
  return database.db.stmt('objectsWithTermInRange').all(clusterId, term, to, from, kind) as ObjectIdentity[];
}
