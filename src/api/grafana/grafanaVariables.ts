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
 * In the JSON mode of /variable the namespace may also come as a payload field: {"target": "services",
 * "namespace": "prod"}. The answer is distinct values, sorted; ad hoc filters on namespace and service
 * narrow them (zones and nodes: to those of the endpoints of the Services kept).
 */
import type { Queries } from '../../queries/Queries.js';
import { endpointValuesInRange, hostsInRange } from '../../queries/serviceCatalog.js';
import { RequestError } from '../errors.js';
import type { AdHocFilters, AdHocKey } from './adHocFilters.js';
import { NO_FILTERS } from './adHocFilters.js';
import { EVERYTHING, nameSelector, type NameSelector } from './nameSelector.js';
import { selectServices } from './grafanaMetrics.js';
import type { TimeRange } from './grafanaRequest.js';

export const VARIABLE_QUERIES = ['namespaces', 'services', 'hosts', 'zones', 'nodes'] as const;

/** Values of one ad hoc key (or picker) during the range, narrowed by `filters` and `namespaces`. */
export function keyValues(queries: Queries, range: TimeRange, key: AdHocKey | 'host', filters: AdHocFilters = NO_FILTERS, namespaces: NameSelector = EVERYTHING): string[] {
  if (key === 'host') return hostsInRange(queries.state, range.from, range.to, (ns) => namespaces.test(ns) && filters.test('namespace', ns));
  if (key === 'zone' || key === 'node') {
    const services = new Set(selectServices(queries, range, namespaces, EVERYTHING, filters).map((s) => `${s.namespace}/${s.name}`));
    return endpointValuesInRange(queries.state, key, range.from, range.to, (ns, svc) => services.has(`${ns}/${svc}`)).filter((v) => filters.test(key, v));
  }
  const services = selectServices(queries, range, namespaces, EVERYTHING, filters);
  return [...new Set(services.map((s) => (key === 'namespace' ? s.namespace : s.name)))].sort();
}

/** Answers a variable query: `target` as described above, `namespace` an optional selector value. */
export function variableValues(queries: Queries, range: TimeRange, target: string, namespace: unknown, filters: AdHocFilters): string[] {
  const m = /^\s*([a-z]+)\s*(?:\((.*)\))?\s*$/s.exec(target);
  const name = m?.[1];
  if (!m || !name || !(VARIABLE_QUERIES as readonly string[]).includes(name)) {
    throw new RequestError('BAD_REQUEST', `variable query '${target.slice(0, 60)}' is not known (use ${VARIABLE_QUERIES.join(', ')}; services(<namespace>) and hosts(<namespace>) take a namespace)`);
  }
  const nsArg = m[2] !== undefined ? m[2] : namespace;
  const namespaces = nameSelector(nsArg === '' ? undefined : nsArg, 'variable namespace');
  switch (name) {
    case 'namespaces': return keyValues(queries, range, 'namespace', filters, namespaces);
    case 'services': return keyValues(queries, range, 'service', filters, namespaces);
    case 'hosts': return keyValues(queries, range, 'host', filters, namespaces);
    case 'zones': return keyValues(queries, range, 'zone', filters, namespaces);
    default: return keyValues(queries, range, 'node', filters, namespaces);
  }
}
