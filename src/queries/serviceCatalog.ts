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
 * Raw SQL on the history's better-sqlite3 connection (the (objectId, validFrom) and (clusterId, serviceName,
 * validFrom) indexes). HISTORY_UNAVAILABLE (QueryError) when no history is attached; an unknown cluster
 * reads as empty.
 */
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import type { ClusterState } from './ClusterState.js';
import { clusterIdOf } from './versionsInRange.js';

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

const SERVICES_SQL = `SELECT o.namespace AS namespace, o.name AS name, sp.name AS portName, sp.port AS port, sp.protocol AS protocol
  FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id LEFT JOIN "ServicePort" sp ON sp.versionId = v.id
  WHERE o.clusterId = ? AND o.kind = 'Service' AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?)`;

const HOSTS_SQL = `SELECT DISTINCT o.namespace AS namespace, r.host AS host
  FROM "IngressRule" r JOIN "ObjectVersion" v ON v.id = r.versionId JOIN "KubeObject" o ON o.id = v.objectId
  WHERE r.clusterId = ? AND r.host IS NOT NULL AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?)`;

const VALUES_SQL = {
  zone: `SELECT DISTINCT o.namespace AS namespace, e.serviceName AS service, e.zone AS value`,
  node: `SELECT DISTINCT o.namespace AS namespace, e.serviceName AS service, e.node AS value`,
} as const;
const VALUES_FROM = ` FROM "EndpointRow" e JOIN "KubeObject" o ON o.id = e.objectId
  WHERE e.clusterId = ? AND e.validFrom <= ? AND (e.validTo IS NULL OR e.validTo > ?)`;

function cluster(state: ClusterState): { id: number | null; db: HistoryDatabase } {
  const h = state.history();
  return { id: clusterIdOf(h.database, h.cluster), db: h.database };
}

export function servicesInRange(state: ClusterState, from: Date, to: Date): CatalogService[] {
  const { id, db } = cluster(state);
  if (id === null) return [];
  const rows = db.db.prepare(SERVICES_SQL).all(id, to.getTime(), from.getTime()) as {
    namespace: string; name: string; portName: string | null; port: number | null; protocol: string | null;
  }[];
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
  const rows = db.db.prepare(HOSTS_SQL).all(id, to.getTime(), from.getTime()) as { namespace: string; host: string }[];
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
  const rows = db.db.prepare(VALUES_SQL[column] + VALUES_FROM).all(id, to.getTime(), from.getTime()) as { namespace: string; service: string | null; value: string | null }[];
  const out = new Set<string>();
  for (const r of rows) if (r.value !== null && accept(r.namespace, r.service)) out.add(r.value);
  return [...out].sort();
}
