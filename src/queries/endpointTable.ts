/**
 * endpointTable: the endpoints of some Services at one instant, one row per Service port and endpoint, as
 * the resolver sees them (slices joined and de-duplicated, conditions defaulted, whether kube-proxy
 * selects the endpoint and why). Services that do not exist at that instant are left out.
 *
 * Each Service port is resolved with RouteQueries.forward (the same answer as `routeToService`); `port`
 * keeps one Service port (number or name). The instant is the history's state at `at`, or the live state
 * when `at` is not in the past.
 */
import { portNameOf } from '../resolver/apiDefaults.js';
import type { EndpointHop } from '../model/route.js';
import type { Queries } from './Queries.js';

export interface EndpointTableRow {
  readonly namespace: string;
  readonly service: string;
  readonly servicePort: number;
  readonly portName: string;
  readonly address: string;
  readonly port: number;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** "ready,serving" style list of the true conditions ("" for none). */
  readonly conditions: string;
  readonly node: string | null;
  readonly zone: string | null;
  readonly pod: string | null;
  readonly slice: string;
  readonly selected: boolean;
  readonly reason: string;
}

export function conditionText(c: EndpointHop['conditions']): string {
  return (['ready', 'serving', 'terminating'] as const).filter((k) => c[k]).join(',');
}

export function endpointTable(
  queries: Queries,
  input: { services: readonly { namespace: string; name: string }[]; at: Date; port?: number | string | undefined },
): { rows: EndpointTableRow[]; at: Date } {
  const now = queries.state.now();
  const at = input.at.getTime() >= now ? undefined : input.at;
  const s = queries.state.viewAt(at);
  const rows: EndpointTableRow[] = [];
  for (const ref of input.services) {
    const svc = s.view.service(`${ref.namespace}/${ref.name}`);
    if (!svc) continue;
    for (const p of svc.spec?.ports ?? []) {
      if (input.port !== undefined && input.port !== p.port && input.port !== portNameOf(p)) continue;
      const answer = queries.routes.forward({ kind: 'service', namespace: ref.namespace, name: ref.name, port: p.port, ...(p.protocol ? { protocol: p.protocol } : {}) }, at).answer;
      for (const e of answer.endpoints) {
        rows.push({
          namespace: ref.namespace, service: ref.name, servicePort: p.port, portName: portNameOf(p), address: e.address, port: e.port,
          ready: e.conditions.ready, serving: e.conditions.serving, terminating: e.conditions.terminating, conditions: conditionText(e.conditions),
          node: e.node, zone: e.zone, pod: e.pod ? e.pod.name : null, slice: e.slice, selected: e.selected, reason: e.reason,
        });
      }
    }
  }
  return { rows, at: s.at };
}
