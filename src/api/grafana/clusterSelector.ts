/**
 * clusterSelector: the `cluster` payload field / query parameter of the Grafana endpoints, read into the
 * clusters a query covers. Absent or "" means "no choice" (Fleet.select: the only cluster, or
 * CLUSTER_REQUIRED); otherwise every nameSelector form (a name, a list, (a|b), .* for all), with cluster
 * names (which may hold . _ : @ / -) instead of Kubernetes names. Each named cluster must exist.
 */
import type { ClusterQueries, Fleet } from '../../queries/Fleet.js';
import { nameSelector } from './nameSelector.js';

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,252}$/;

/** The clusters `value` selects (strict: unknown names and ambiguity are client errors). */
export function selectClusters(fleet: Fleet, value: unknown, field: string): ClusterQueries[] {
  if (value === undefined || value === null || value === '') return fleet.select(null);
  return fleet.select(nameSelector(value, field, CLUSTER_NAME));
}

/** For editor menus: the clusters `value` selects, or every cluster when it selects none clearly. */
export function menuClusters(fleet: Fleet, value: unknown): ClusterQueries[] {
  try {
    if (value === undefined || value === null || value === '') return fleet.each();
    return fleet.select(nameSelector(value, 'cluster', CLUSTER_NAME));
  } catch {
    return fleet.each();
  }
}
