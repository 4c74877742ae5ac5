/**
 * grafanaVariables: the pickers behind Grafana dashboard variables, ad hoc filters and the query builder's
 * select menus, over what existed in the stored history during a time range.
 *
 * Variable queries (simPod /variable `payload.target`, Infinity /grafana/infinity/<name>):
 *   namespaces               namespaces holding a Service during the range
 *   services                 Service names (all namespaces); services(<namespaces>) of some namespaces,
 *                            e.g. services($namespace), which Grafana sends as services(prod) or
 *                            services((prod|staging))
 *   hosts / hosts(<ns>)      Ingress rule hosts
 *   zones, nodes             zones / nodes of the endpoints
 *   clusters                 the clusters of the history (for a `$cluster` variable)
 * In the JSON mode of /variable the namespace may also come as a payload field: {"target": "services",
 * "namespace": "prod"}, and so may the cluster: {"target": "namespaces", "cluster": "$cluster"} (Infinity:
 * ?cluster=). Without a cluster, the only cluster of the history (several: CLUSTER_REQUIRED); with several
 * selected, the values of all of them. The answer is distinct values, sorted; ad hoc filters on namespace
 * and service narrow them (zones and nodes: to those of the endpoints of the Services kept).
 */
import type { Fleet } from '../../queries/Fleet.js';
import type { Queries } from '../../queries/Queries.js';
import { endpointValuesInRange, hostsInRange } from '../../queries/serviceCatalog.js';
import { RequestError } from '../errors.js';
import type { AdHocFilters, AdHocKey } from './adHocFilters.js';
import { NO_FILTERS } from './adHocFilters.js';
import { EVERYTHING, nameSelector, type NameSelector } from './nameSelector.js';
import { selectServices } from './grafanaMetrics.js';
import { selectClusters } from './clusterSelector.js';
import type { TimeRange } from './grafanaRequest.js';

export const VARIABLE_QUERIES = ['namespaces', 'services', 'hosts', 'zones', 'nodes', 'clusters'] as const;

/** Values of one ad hoc key (or picker) during the range, narrowed by `filters` and `namespaces`. */
export function keyValues(queries: Queries, range: TimeRange, key: Exclude<AdHocKey, 'cluster'> | 'host', filters: AdHocFilters = NO_FILTERS, namespaces: NameSelector = EVERYTHING): string[] {
  if (key === 'host') return hostsInRange(queries.state, range.from, range.to, (ns) => namespaces.test(ns) && filters.test('namespace', ns));
  if (key === 'zone' || key === 'node') {
    const services = new Set(selectServices(queries, range, namespaces, EVERYTHING, filters).map((s) => `${s.namespace}/${s.name}`));
    return endpointValuesInRange(queries.state, key, range.from, range.to, (ns, svc) => services.has(`${ns}/${svc}`)).filter((v) => filters.test(key, v));
  }
  const services = selectServices(queries, range, namespaces, EVERYTHING, filters);
  return [...new Set(services.map((s) => (key === 'namespace' ? s.namespace : s.name)))].sort();
}

/**
 * Answers a variable query: `target` as described above, `namespace` an optional selector value, `cluster`
 * the clusters (selectClusters).
 */
export function variableValues(fleet: Fleet, range: TimeRange, target: string, namespace: unknown, filters: AdHocFilters, cluster: unknown): string[] {
  const m = /^\s*([a-z]+)\s*(?:\((.*)\))?\s*$/s.exec(target);
  const name = m?.[1];
  if (!m || !name || !(VARIABLE_QUERIES as readonly string[]).includes(name)) {
    throw new RequestError('BAD_REQUEST', `variable query '${target.slice(0, 60)}' is not known (use ${VARIABLE_QUERIES.join(', ')}; services(<namespace>) and hosts(<namespace>) take a namespace)`);
  }
  if (name === 'clusters') return fleet.names();
  const nsArg = m[2] !== undefined ? m[2] : namespace;
  const namespaces = nameSelector(nsArg === '' ? undefined : nsArg, 'variable namespace');
  const key: Exclude<AdHocKey, 'cluster'> | 'host' = name === 'namespaces' ? 'namespace' : name === 'services' ? 'service' : name === 'hosts' ? 'host' : name === 'zones' ? 'zone' : 'node';
  const values = new Set<string>();
  for (const c of selectClusters(fleet, cluster, 'variable cluster')) for (const v of keyValues(c.queries, range, key, filters, namespaces)) values.add(v);
  return [...values].sort();
}
