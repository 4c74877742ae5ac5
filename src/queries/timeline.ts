/**
 * timeline: what changed on the route of a Service (or of the Services a host reaches) during [from, to],
 * read from stored versions, oldest first, each change listed once (events: serviceEvents.ts; their order
 * and cursor key: timelineEvent.ts), plus WATCH_GAP for each stored gap of a relevant kind overlapping the
 * interval (changes in it may be missing).
 *
 * A page is read window by window of history, never the whole range first: from the cursor's instant (or
 * `from`), a window is sized by the Services' endpoint-row index to hold about a page of changes, its events
 * are computed and kept, and the next window (twice as large) is read only while the page is not full. The
 * events of consecutive windows are those of the range read at once (serviceEvents' scope is fixed for the
 * range), so pages are stable and their concatenation is the whole timeline. totalCount is the one figure
 * that needs the whole range: it is computed only when asked for (a getter, memoised).
 *
 * A host timeline follows the host: the route is resolved at `from`, at every instant an Ingress that could
 * serve the host (its LookupKey terms: the exact host, a wildcard over it, rules without host, default
 * backends) or a Gateway API object changed in the range, and at `to`; each Service it reached contributes its events while the host
 * reached it (its spans, bounds included), so a rule moved to another Service in the range is followed.
 */
import type { ClusterState } from './ClusterState.js';
import { checkHost, checkName, checkPath, checkServicePort } from './inputs.js';
import { decodeCursor, encodeCursor, pageSize, type Page } from './pagination.js';
import { QueryError } from './QueryError.js';
import { hostQuestion, type RouteQueries } from './routeQueries.js';
import { serviceEvents, serviceScope, type ServiceScope } from './serviceEvents.js';
import { eventKey, keyTime, makeEvent, ref, sortEvents, type TimelineEvent } from './timelineEvent.js';
import { clusterIdOf } from '../history/clusterIdOf.js';
import { endpointRowStartAfter } from '../history/endpointRowStartAfter.js';
import { objectsWithTermInRange } from '../history/objectsWithTermInRange.js';
import { objectVersionsInRange, type ObjectIdentity } from '../history/versionsInRange.js';
import { TERM, termHash } from '../resolver/lookupTerms.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import { GATEWAY_KINDS, type Kind } from '../model/objects.js';

export { TIMELINE_EVENT_TYPES, eventKey, type TimelineEndpoint, type TimelineEvent, type TimelineEventType } from './timelineEvent.js';

const DEFAULT_SPAN_MS = 3_600_000;
const RELEVANT_GAP_KINDS = new Set(['*', 'Service', 'EndpointSlice', 'Endpoints', 'Pod', 'Ingress', ...GATEWAY_KINDS]);

export interface TimelineInput {
  readonly service?: { readonly namespace: string; readonly name: string } | null;
  readonly host?: string | null;
  readonly port?: number | string | null;
  /** With host: the URL path whose route is followed (default /). */
  readonly path?: string | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface TimelineResult {
  /** totalCount reads the whole range when first read (memoised). */
  readonly page: Page<TimelineEvent>;
  readonly from: Date;
  readonly to: Date;
  readonly services: readonly { readonly namespace: string; readonly name: string }[];
}

/** A Service whose events a timeline lists, during `spans` (closed intervals, epoch ms). */
interface Target {
  readonly namespace: string;
  readonly name: string;
  readonly port: number | string | undefined;
  readonly spans: [number, number][];
}

/** The domain labels a wildcard rule could cover a host with: ".b.c" for "a.b.c" (only the first label). */
function wildcardSuffix(host: string): string | null {
  const i = host.indexOf('.');
  return i > 0 ? host.slice(i) : null;
}

export class TimelineQueries {
  constructor(
    private readonly state: ClusterState,
    private readonly routes: RouteQueries,
  ) {}

  async timeline(input: TimelineInput): Promise<TimelineResult> {
    const plan = await this.plan(input);
    const { size, afterKey, f, t } = plan;
    // Read window by window from the cursor's instant until the page (and one event more) is full.
    const picked: TimelineEvent[] = [];
    const keep = (events: readonly TimelineEvent[]) => {
      for (const e of events) if (afterKey === null || eventKey(e) > afterKey) picked.push(e);
    };
    const cursorTime = afterKey === null ? null : keyTime(afterKey);
    let a = cursorTime === null || cursorTime <= f ? f : Math.min(cursorTime - 1, t);
    // Endpoint rows opened per event seen so far (first guess: 1.5), to size the next window.
    let rowsPerEvent = 1.5;
    while (picked.length <= size && a < t) {
      const rows = Math.max(16, Math.ceil((size + 1 - picked.length) * rowsPerEvent * 1.25));
      const b = plan.windowEnd(a, rows);
      const found = plan.windowEvents(a, b);
      keep(found);
      rowsPerEvent = Math.min(64, Math.max(rowsPerEvent, rows / Math.max(1, found.length)));
      a = b;
    }
    if (f === t) keep(plan.windowEvents(f, t));
    const edges = picked.slice(0, size).map((node) => ({ cursor: encodeCursor(eventKey(node)), node }));
    let total: number | undefined;
    const page: Page<TimelineEvent> = {
      edges,
      pageInfo: { hasNextPage: picked.length > size, endCursor: edges.length ? edges[edges.length - 1]!.cursor : null },
      get totalCount() {
        return (total ??= plan.windowEvents(f, t).length);
      },
    };
    return { page, from: plan.from, to: plan.to, services: plan.services };
  }

  /** Every event of the timeline's range, read at once (what its pages add up to), sorted. */
  async allEvents(input: Omit<TimelineInput, 'first' | 'after'>): Promise<TimelineEvent[]> {
    const plan = await this.plan(input);
    return plan.windowEvents(plan.f, plan.t);
  }

  /** Checks the input and fixes what every window of the range reads. */
  private async plan(input: TimelineInput) {
    const now = this.state.now();
    const to = input.to ?? new Date(now);
    const from = input.from ?? new Date(to.getTime() - DEFAULT_SPAN_MS);
    if (from.getTime() > to.getTime()) throw new QueryError('BAD_USER_INPUT', 'from: must not be after to');
    const hasService = input.service !== undefined && input.service !== null;
    const hasHost = input.host !== undefined && input.host !== null;
    if (hasService === hasHost) throw new QueryError('BAD_USER_INPUT', 'timeline: give exactly one of service and host');
    if (hasService && input.path !== undefined && input.path !== null) throw new QueryError('BAD_USER_INPUT', 'path: only applies to host');
    const size = pageSize(input.first);
    const afterKey = input.after !== undefined && input.after !== null && input.after !== '' ? decodeCursor(input.after) : null;
    const h = this.state.history();
    const clusterId = clusterIdOf(h.database, h.cluster);
    const f = from.getTime(), t = to.getTime();
    let targets: Target[];
    if (hasService) {
      targets = [{
        namespace: checkName(input.service!.namespace, 'service.namespace'),
        name: checkName(input.service!.name, 'service.name'),
        port: checkServicePort(input.port),
        spans: [[f, t]],
      }];
    } else {
      const host = checkHost(input.host!);
      const port = checkServicePort(input.port);
      if (typeof port === 'string') throw new QueryError('INVALID_PORT', 'port: a host timeline takes a port number');
      targets = this.hostTargets(h.database, clusterId, host, port, checkPath(input.path), f, t);
    }
    const scopes = clusterId === null ? [] : targets.map((x) => ({ target: x, scope: serviceScope(h.database, clusterId, x.namespace, x.name, x.port, f, t) }));
    const gaps: TimelineEvent[] = [];
    for (const g of await h.reader.gaps(h.cluster, from, to)) {
      if (!RELEVANT_GAP_KINDS.has(g.kind)) continue;
      gaps.push(makeEvent({
        type: 'WATCH_GAP', observed: g.from.getTime(), change: null, object: ref(g.kind, null, g.kind), source: null, endpoint: null,
        before: null, after: null, gap: { kind: g.kind, from: g.from, to: g.to, reason: g.reason },
        message: `watch gap for ${g.kind === '*' ? 'every kind' : g.kind} from ${g.from.toISOString()} to ${g.to.toISOString()}: ${g.reason}`,
      }));
    }
    /** Events observed in (a, b], sorted; gaps observed at or before `from` belong to the first window. */
    const windowEvents = (a: number, b: number): TimelineEvent[] => {
      const all = new Map<string, TimelineEvent>();
      for (const { target, scope } of scopes) {
        for (const [s, e] of target.spans) {
          const lo = Math.max(a, s - 1), hi = Math.min(b, e);
          if (lo >= hi) continue;
          for (const ev of serviceEvents(scope, lo, hi)) all.set(ev.id, ev);
        }
      }
      for (const g of gaps) {
        const o = g.observedTime.getTime();
        if ((o > a && o <= b) || (a === f && o <= f)) all.set(g.id, g);
      }
      return sortEvents(all.values());
    };
    const windowEnd = (a: number, rows: number) => this.windowEnd(h.database, clusterId, scopes.map((x) => x.scope), a, t, rows);
    return { from, to, f, t, size, afterKey, windowEvents, windowEnd, services: targets.map((x) => ({ namespace: x.namespace, name: x.name })) };
  }

  /**
   * The end of the window of history that starts at `a`: where about `rows` endpoint rows of the Services
   * have opened (the first Service to reach it decides), else `to`.
   */
  private windowEnd(database: HistoryDatabase, clusterId: number | null, scopes: readonly ServiceScope[], a: number, to: number, rows: number): number {
    if (clusterId === null) return to;
    let end = to;
    for (const s of scopes) {
      const t = endpointRowStartAfter(database, clusterId, s.name, a, rows);
      if (t !== null && t < end) end = t;
    }
    return end;
  }

  /**
   * The Services a host reached during [from, to] and when: the route at `from`, at each instant an Ingress
   * that could serve the host or any Gateway API object began or ended a version in the range, and at `to`
   * (through a Gateway, every backend with a weight).
   */
  private hostTargets(database: HistoryDatabase, clusterId: number | null, host: string, port: number | undefined, path: string | undefined, from: number, to: number): Target[] {
    const instants = new Set<number>([from, to]);
    if (clusterId !== null) {
      const terms = [TERM.ingressHost(host), TERM.ingressHostless, TERM.ingressDefaultBackend];
      const suffix = wildcardSuffix(host);
      if (suffix !== null) terms.push(TERM.ingressWildcard(suffix));
      // An Ingress may hold several of these terms: read its versions once.
      const ingresses = new Map<number, ObjectIdentity>();
      for (const term of terms) for (const o of objectsWithTermInRange(database, clusterId, 'Ingress', termHash(term), from, to)) ingresses.set(o.objectId, o);
      const changed: [Kind, ObjectIdentity][] = [...ingresses.values()].map((o) => ['Ingress', o]);
      // Gateway API objects (few): any of them may change which Gateway, listener or rule takes the host.
      for (const kind of GATEWAY_KINDS) for (const o of objectsWithTermInRange(database, clusterId, kind, termHash(TERM.gatewayApiObject), from, to)) changed.push([kind, o]);
      for (const [kind, o] of changed) {
        for (const v of objectVersionsInRange(database, kind, o, from, to)) {
          if (v.validFrom > from && v.validFrom <= to) instants.add(v.validFrom);
          if (v.validTo !== null && v.validTo > from && v.validTo <= to) instants.add(v.validTo);
        }
      }
    }
    const question = hostQuestion({ host, port: port ?? null, path: path ?? null });
    const targets = new Map<string, Target>();
    const sorted = [...instants].sort((x, y) => x - y);
    sorted.forEach((at, i) => {
      const answer = this.routes.forward(question, new Date(at)).answer;
      // Through a Gateway every weighted backend receives part of the traffic; else the one Service.
      const reached = answer.gateway
        ? answer.gateway.backends.filter((b) => b.status === 'resolved' && b.weight > 0).map((b) => ({ namespace: b.namespace, name: b.name, port: b.port ?? undefined }))
        : answer.service ? [{ namespace: answer.service.namespace, name: answer.service.name, port: answer.service.port ?? answer.service.portName ?? undefined }] : [];
      for (const s of reached) {
        const key = `${s.namespace}/${s.name}`;
        let target = targets.get(key);
        if (!target) targets.set(key, (target = { ...s, spans: [] }));
        const end = sorted[i + 1] ?? to;
        const last = target.spans[target.spans.length - 1];
        if (last && last[1] === at) last[1] = end;
        else target.spans.push([at, end]);
      }
    });
    return [...targets.values()];
  }
}
