/**
 * mergeClusterElements: the answers of one Grafana target over several clusters, as one answer.
 *
 * With `nameClusters` (the history holds several clusters) every timeseries gets a `cluster` tag (its
 * target names the cluster first when more than one cluster was asked) and every table a leading `cluster`
 * column; without it (one cluster) elements are left as they are, as before clusters existed. Tables of
 * one name (one per cluster) become one table, rows in cluster order, keeping the first notice.
 */
import type { QueryElement, TableElement } from './grafanaMetrics.js';

export interface ClusterElements {
  readonly cluster: string;
  readonly elements: readonly QueryElement[];
}

export function mergeClusterElements(parts: readonly ClusterElements[], nameClusters: boolean): QueryElement[] {
  if (!nameClusters && parts.length === 1) return [...parts[0]!.elements];
  const several = parts.length > 1;
  const out: QueryElement[] = [];
  const tables = new Map<string, TableElement>();
  for (const { cluster, elements } of parts) {
    for (const e of elements) {
      if (!('type' in e)) {
        out.push({ ...e, target: several ? `${cluster}/${e.target}` : e.target, tags: { cluster, ...e.tags } });
        continue;
      }
      const rows = e.rows.map((r) => [cluster, ...r]);
      const seen = tables.get(e.name);
      if (seen) {
        seen.rows.push(...rows);
        if (!seen.meta && e.meta) seen.meta = e.meta;
        continue;
      }
      const merged: TableElement = { ...e, columns: [{ text: 'cluster', type: 'string' }, ...e.columns], rows };
      tables.set(e.name, merged);
      out.push(merged);
    }
  }
  return out;
}
