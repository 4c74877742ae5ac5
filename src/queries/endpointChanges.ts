/**
 * endpointChanges: the endpoint changes of some Services during (from, to] as annotation rows (time,
 * timeEnd, title, text, tags), oldest first, plus the watch gaps of the endpoint kinds overlapping the
 * range (as regions from the gap's start to its end: changes in them may be missing).
 *
 * Read from the same endpoint rows as the series (endpointSeries: slices, else the Endpoints object; the
 * port and row filters apply alike), so every step of a chart has its annotation at the same instant.
 * An endpoint is an address with a port name and protocol; at each instant where its rows open or close
 * its state before and after are compared: ENDPOINT_ADDED, _REMOVED, _TERMINATING, _READY, _NOT_READY,
 * _PORT_CHANGED (the types and wording of the timeline). Several rows of one endpoint at once (it moves
 * between slices) count as one, ready if any is. Linear in the rows read (the full timeline, which also
 * diffs Service specs, Ingress rules and Pod IPs, is at /api/v1/timeline).
 *
 * `time` is when routetrace observed the change (the version boundary in the history). At most `limit`
 * rows: the newest are kept and `truncated` says so. Since only the newest are shown, the range is read
 * back from `to` in windows that double (FIRST_WINDOW_MS first) until one holds more than `limit`
 * changes or reaches `from`: a 7-day query over a busy cluster reads the last hours, not the week. Gaps
 * overlapping the range are always listed (then cut with the rest).
 */
import type { ClusterState } from './ClusterState.js';
import { endpointRowsInRange, type RangeEndpointRow } from '../history/endpointRowsInRange.js';
import { selectedPortNames, serviceRowsInRange } from './endpointSeries.js';
import type { CatalogService } from './serviceCatalog.js';

export interface AnnotationRow {
  readonly time: number;
  readonly timeEnd: number;
  readonly title: string;
  readonly text: string;
  readonly tags: readonly string[];
  readonly type: string;
  readonly namespace: string | null;
  readonly service: string | null;
}

export interface EndpointChangesInput {
  readonly services: readonly CatalogService[];
  readonly from: Date;
  readonly to: Date;
  readonly port?: number | string | undefined;
  readonly rowFilter?: ((row: RangeEndpointRow) => boolean) | undefined;
  readonly limit?: number | undefined;
}

const GAP_KINDS = new Set(['*', 'EndpointSlice', 'Endpoints']);
export const DEFAULT_ANNOTATION_LIMIT = 1_000;

interface Summary {
  readonly ready: boolean;
  readonly terminating: boolean;
  readonly port: number | null;
  readonly row: RangeEndpointRow;
}

function summary(active: ReadonlySet<RangeEndpointRow>): Summary | null {
  let best: Summary | null = null;
  for (const r of active) {
    const s = { ready: r.ready !== false && r.terminating !== true, terminating: r.terminating === true, port: r.port, row: r };
    if (!best || (s.ready && !best.ready)) best = s;
  }
  return best;
}

function title(type: string): string {
  const words = type.toLowerCase().split('_');
  return words.map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
}

function serviceChanges(svc: CatalogService, rows: readonly RangeEndpointRow[], from: number, to: number, out: AnnotationRow[]): void {
  const byKey = new Map<string, RangeEndpointRow[]>();
  for (const r of rows) {
    const k = `${r.address}|${r.portName ?? ''}|${r.protocol ?? 'TCP'}`;
    const list = byKey.get(k);
    if (list) list.push(r);
    else byKey.set(k, [r]);
  }
  for (const list of byKey.values()) {
    const boundaries = new Map<number, { open: RangeEndpointRow[]; close: RangeEndpointRow[] }>();
    const at = (t: number) => {
      let b = boundaries.get(t);
      if (!b) boundaries.set(t, (b = { open: [], close: [] }));
      return b;
    };
    const active = new Set<RangeEndpointRow>();
    for (const r of list) {
      if (r.validFrom <= from) active.add(r);
      else if (r.validFrom <= to) at(r.validFrom).open.push(r);
      if (r.validTo !== null && r.validTo > from && r.validTo <= to) at(r.validTo).close.push(r);
    }
    let before = summary(active);
    for (const t of [...boundaries.keys()].sort((a, b) => a - b)) {
      const b = boundaries.get(t)!;
      for (const r of b.close) active.delete(r);
      for (const r of b.open) active.add(r);
      const after = summary(active);
      const e = (after ?? before)!.row;
      const name = `endpoint ${e.address.includes(':') ? `[${e.address}]` : e.address}:${(after ?? before)!.port ?? '-'}${e.portName ? ` (${e.portName})` : ''}${e.targetName ? ` (pod ${e.targetName})` : ''} of Service ${svc.namespace}/${svc.name}`;
      const push = (type: string, text: string) => out.push({
        time: t, timeEnd: t, title: title(type), text, type, namespace: svc.namespace, service: svc.name,
        tags: [`namespace:${svc.namespace}`, `service:${svc.name}`, `change:${type.toLowerCase()}`, ...(e.node ? [`node:${e.node}`] : []), ...(e.zone ? [`zone:${e.zone}`] : [])],
      });
      if (!before && after) push('ENDPOINT_ADDED', `${name} added${after.ready ? ' (ready)' : ' (not ready)'}`);
      else if (before && !after) push('ENDPOINT_REMOVED', `${name} removed`);
      else if (before && after) {
        if (before.port !== after.port) push('ENDPOINT_PORT_CHANGED', `${name}: port changed from ${before.port} to ${after.port}`);
        if (!before.terminating && after.terminating) push('ENDPOINT_TERMINATING', `${name} is terminating`);
        else if (!before.ready && after.ready) push('ENDPOINT_READY', `${name} became ready`);
        else if (before.ready && !after.ready) push('ENDPOINT_NOT_READY', `${name} became not ready`);
      }
      before = after;
    }
  }
}

/** The first window read back from `to` (then doubled until it holds more than `limit` changes or reaches `from`). */
const FIRST_WINDOW_MS = 3_600_000;

export async function endpointChanges(state: ClusterState, input: EndpointChangesInput): Promise<{ rows: AnnotationRow[]; truncated: boolean }> {
  const from = input.from.getTime(), to = input.to.getTime();
  const limit = input.limit ?? DEFAULT_ANNOTATION_LIMIT;
  // Only the newest `limit` changes are shown: read back from `to` in growing windows, not the whole range.
  let out: AnnotationRow[] = [];
  for (let span = FIRST_WINDOW_MS; ; span *= 2) {
    const w = Math.max(from, to - span);
    out = [];
    const rowsByService = serviceRowsInRange(state, input.services, new Date(w), input.to, endpointRowsInRange);
    for (const svc of input.services) {
      const keep = selectedPortNames(svc, input.port);
      const rows = (rowsByService.get(`${svc.namespace}/${svc.name}`) ?? []).filter((r) => keep(r) && (!input.rowFilter || input.rowFilter(r)));
      serviceChanges(svc, rows, w, to, out);
    }
    if (out.length > limit || w === from) break;
  }
  if (input.services.length > 0) {
    const h = state.history();
    for (const g of await h.reader.gaps(h.cluster, input.from, input.to)) {
      if (!GAP_KINDS.has(g.kind)) continue;
      out.push({
        time: g.from.getTime(), timeEnd: g.to.getTime(), title: 'Watch gap',
        text: `watch gap for ${g.kind === '*' ? 'every kind' : g.kind} from ${g.from.toISOString()} to ${g.to.toISOString()}: ${g.reason} (changes in it may be missing)`,
        tags: ['change:watch_gap', `kind:${g.kind}`], type: 'WATCH_GAP', namespace: null, service: null,
      });
    }
  }
  out.sort((a, b) => a.time - b.time || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return out.length > limit ? { rows: out.slice(out.length - limit), truncated: true } : { rows: out, truncated: false };
}
