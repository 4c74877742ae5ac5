/**
 * serviceCatalog: what existed in the stored history during [from, to], for pickers and filters (Grafana
 * variables, ad hoc filter keys and values, metric payload options):
 *
 *  - servicesInRange: every Service with a version valid at some instant of [from, to], with the union of
 *    its ports over those versions (from the derived ServicePort rows, no bodies decoded), sorted by
 *    namespace then name;
 *  - hostsInRange: the Ingress rule hosts of Ingress versions valid during [from, to] (optionally of some
 *    namespaces), sorted and distinct;
 *  - endpointValuesInRange: the distinct zones or nodes of the endpoint rows valid during [from, to].
 * The rows come from the history's derived tables (history/catalogRowsInRange, no bodies decoded).
 * HISTORY_UNAVAILABLE (QueryError) when no history is attached; an unknown cluster reads as empty.
 */
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import type { ClusterState } from './ClusterState.js';
import { endpointValueRowsInRange, ingressHostRowsInRange, servicePortRowsInRange } from '../history/catalogRowsInRange.js';
import { clusterIdOf } from '../history/clusterIdOf.js';

export interface CatalogServicePort {
  /** '' for an unnamed port. */
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

export interface CatalogService {
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly CatalogServicePort[];
}

function cluster(state: ClusterState): { id: number | null; db: HistoryDatabase } {
  const h = state.history();
  return { id: clusterIdOf(h.database, h.cluster), db: h.database };
}

export function servicesInRange(state: ClusterState, from: Date, to: Date): CatalogService[] {
  const { id, db } = cluster(state);
  if (id === null) return [];
  const rows = servicePortRowsInRange(db, id, from.getTime(), to.getTime());
  const byKey = new Map<string, { namespace: string; name: string; ports: Map<string, CatalogServicePort> }>();
  for (const r of rows) {
    const key = `${r.namespace}/${r.name}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { namespace: r.namespace, name: r.name, ports: new Map() }));
    if (r.port !== null) {
      const p = { name: r.portName ?? '', port: r.port, protocol: r.protocol ?? 'TCP' };
      s.ports.set(`${p.name}|${p.port}|${p.protocol}`, p);
    }
  }
  return [...byKey.values()]
    .map((s) => ({ namespace: s.namespace, name: s.name, ports: [...s.ports.values()].sort((a, b) => a.port - b.port || (a.name < b.name ? -1 : 1)) }))
    .sort((a, b) => (a.namespace !== b.namespace ? (a.namespace < b.namespace ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function hostsInRange(state: ClusterState, from: Date, to: Date, namespaces?: (ns: string) => boolean): string[] {
  const { id, db } = cluster(state);
  if (id === null) return [];
  const rows = ingressHostRowsInRange(db, id, from.getTime(), to.getTime());
  return [...new Set(rows.filter((r) => !namespaces || namespaces(r.namespace)).map((r) => r.host))].sort();
}

/** Distinct non-null zones or nodes of endpoint rows valid during [from, to], of the Services `accept` keeps. */
export function endpointValuesInRange(
  state: ClusterState,
  column: 'zone' | 'node',
  from: Date,
  to: Date,
  accept: (namespace: string, service: string | null) => boolean = () => true,
): string[] {
  const { id, db } = cluster(state);
  if (id === null) return [];
  const rows = endpointValueRowsInRange(db, id, column, from.getTime(), to.getTime());
  const out = new Set<string>();
  for (const r of rows) if (r.value !== null && accept(r.namespace, r.service)) out.add(r.value);
  return [...out].sort();
}
