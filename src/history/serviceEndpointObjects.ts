/**
 * serviceEndpointObjects: which stored objects held a Service's endpoints during [from, to] (epoch ms): the
 * EndpointSlices labelled for it (kubernetes.io/service-name) at some instant of the range, found by their
 * LookupKey term; when there is none, its Endpoints object(s) (every uid that lived in the range); else
 * none. The same rule the resolver applies at an instant (labelled slices, even empty ones, win over the
 * Endpoints object), taken over the whole range so that every read of the range agrees: the timeline, the
 * Grafana series and annotations use it. Cost: the term's own history and one name lookup.
 */
import { keyOf } from '../resolver/apiDefaults.js';
import { TERM, termHash } from '../resolver/lookupTerms.js';
import type { HistoryDatabase } from './openHistoryDatabase.js';
import { objectsWithTermInRange } from './objectsWithTermInRange.js';
import { objectLivedIn, objectsNamed, type ObjectIdentity } from './versionsInRange.js';

export interface ServiceEndpointObjects {
  /** null: neither a labelled slice nor an Endpoints object in the range. */
  readonly kind: 'EndpointSlice' | 'Endpoints' | null;
  /** By name, then id. */
  readonly objects: readonly ObjectIdentity[];
}

export function serviceEndpointObjects(
  database: HistoryDatabase, clusterId: number, namespace: string, name: string, from: number, to: number,
): ServiceEndpointObjects {
  const slices = objectsWithTermInRange(database, clusterId, 'EndpointSlice', termHash(TERM.sliceService(keyOf(namespace, name))), from, to)
    .filter((o) => o.namespace === namespace);
  if (slices.length > 0) return { kind: 'EndpointSlice', objects: slices };
  const endpoints = objectsNamed(database, clusterId, 'Endpoints', namespace, name).filter((o) => objectLivedIn(database, o.objectId, from, to));
  if (endpoints.length > 0) return { kind: 'Endpoints', objects: endpoints };
  return { kind: null, objects: [] };
}
