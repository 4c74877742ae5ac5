/**
 * timeline: what changed on the route of a Service (or of the Services a host reaches) during [from, to],
 * read from stored versions, oldest first, each change listed once.
 *
 * Events:
 *  - endpoints: the Service's endpoints are the union of its EndpointSlices (label kubernetes.io/service-name;
 *    the Endpoints object only when the Service never had a slice in the interval; slices derived from the
 *    Pods when the cluster had no EndpointSlice at all, rule E4, as the resolver does), keyed by address, port
 *    name and protocol. The union is recomputed at every instant a slice version starts or ends and compared
 *    with the previous one: ENDPOINT_ADDED / _REMOVED / _READY / _NOT_READY / _TERMINATING / _PORT_CHANGED.
 *    An endpoint that moves from one slice to another at one instant is no event. With a port, only the
 *    endpoint ports of that Service port (by name) count.
 *  - the Service: SERVICE_CREATED / _DELETED, and SERVICE_SELECTOR_CHANGED / _PORTS_CHANGED / _TYPE_CHANGED
 *    between consecutive versions;
 *  - Ingress rules that send traffic to the Service: INGRESS_RULES_CHANGED when the set of (host, path,
 *    pathType, port) pointing at it changes (an Ingress created or deleted included);
 *  - Pods that back the Service: POD_IP_CHANGED when consecutive versions of one Pod have different IPs
 *    (a first IP or a dropped one is the endpoint's ADDED/REMOVED, not a change);
 *  - WATCH_GAP for each stored gap of a relevant kind overlapping the interval (changes in it may be missing).
 * Times: `observedTime` is when routetrace saw the change (the version boundary); `changeTime` is the time
 * Kubernetes states for it: the version's own change time (for endpoints: their slice's creation or
 * deletion), else for endpoint events the time of the matching transition of the backing Pod (same uid)
 * within CHANGE_WINDOW_MS before (podChangeTime), else null. Ordering: observed time, type, subject,
 * then id (a hash of the event's content); that key is also the cursor key, so pages are stable.
 */
import { createHash } from 'node:crypto';
import type { EndpointSliceObject, EndpointsObject, IngressObject, PodObject, ServiceObject } from '../model/objects.js';
import type { ObjectRef } from '../model/route.js';
import { conditionsOf, portNameOf, protocolOf, selectorOf, serviceType, sliceServiceName, targetPortOf } from '../resolver/apiDefaults.js';
import { slicesFromPods } from '../resolver/derivedSlices.js';
import { podIPs, podReady, selectorMatches } from '../resolver/podFacts.js';
import type { ClusterState } from './ClusterState.js';
import { checkHost, checkName, checkServicePort } from './inputs.js';
import { paginate, type Page } from './pagination.js';
import { QueryError } from './QueryError.js';
import { hostQuestion, type RouteQueries } from './routeQueries.js';
import { clusterIdOf } from '../history/clusterIdOf.js';
import { kindStoredInRange, versionsInRange, type RangeVersion } from '../history/versionsInRange.js';
import { serviceSliceNamesInRange } from '../history/serviceSliceNamesInRange.js';

export const TIMELINE_EVENT_TYPES = [
  'SERVICE_CREATED',
  'SERVICE_DELETED',
  'SERVICE_SELECTOR_CHANGED',
  'SERVICE_PORTS_CHANGED',
  'SERVICE_TYPE_CHANGED',
  'INGRESS_RULES_CHANGED',
  'POD_IP_CHANGED',
  'ENDPOINT_ADDED',
  'ENDPOINT_REMOVED',
  'ENDPOINT_READY',
  'ENDPOINT_NOT_READY',
  'ENDPOINT_TERMINATING',
  'ENDPOINT_PORT_CHANGED',
  'WATCH_GAP',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

const CHANGE_WINDOW_MS = 60_000;
/** Pods and EndpointSlices arrive on different watch streams: a Pod's report may follow its slice's. */
const STREAM_SLACK_MS = 2_000;
const DEFAULT_SPAN_MS = 3_600_000;
const RELEVANT_GAP_KINDS = new Set(['*', 'Service', 'EndpointSlice', 'Endpoints', 'Pod', 'Ingress']);

export interface TimelineEndpoint {
  readonly address: string;
  readonly port: number | null;
  readonly portName: string;
  readonly protocol: string;
  readonly pod: { readonly namespace: string; readonly name: string } | null;
  readonly node: string | null;
  readonly conditions: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean } | null;
}

export interface TimelineEvent {
  readonly id: string;
  readonly type: TimelineEventType;
  readonly changeTime: Date | null;
  readonly observedTime: Date;
  readonly object: ObjectRef;
  readonly source: ObjectRef | null;
  readonly endpoint: TimelineEndpoint | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly gap: { readonly kind: string; readonly from: Date; readonly to: Date; readonly reason: string } | null;
  readonly message: string;
}

export interface TimelineInput {
  readonly service?: { readonly namespace: string; readonly name: string } | null;
  readonly host?: string | null;
  readonly port?: number | string | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface TimelineResult {
  readonly page: Page<TimelineEvent>;
  readonly from: Date;
  readonly to: Date;
  readonly services: readonly { readonly namespace: string; readonly name: string }[];
}

interface EpState {
  readonly address: string;
  readonly port: number | null;
  readonly portName: string;
  readonly protocol: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly pod: { namespace: string; name: string } | null;
  readonly podUid: string | null;
  readonly node: string | null;
  readonly source: ObjectRef;
}

const TYPE_RANK = new Map<string, number>(TIMELINE_EVENT_TYPES.map((t, i) => [t, i]));

/** Sort and cursor key: observed time, type, subject (endpoint address or object name), id. */
export function eventKey(e: TimelineEvent): string {
  const subject = e.endpoint ? `${e.endpoint.address}|${e.endpoint.portName}` : `${e.object.namespace ?? ''}/${e.object.name}`;
  return `${String(e.observedTime.getTime()).padStart(15, '0')}|${String(TYPE_RANK.get(e.type)).padStart(2, '0')}|${subject}|${e.id}`;
}

function hashId(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

const ref = (kind: string, namespace: string | null, name: string): ObjectRef => ({ kind, namespace, name });
const d = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
const canon = (v: unknown) => JSON.stringify(v ?? null);

function makeEvent(e: Omit<TimelineEvent, 'id' | 'observedTime' | 'changeTime'> & { observed: number; change: number | null }): TimelineEvent {
  const { observed, change, ...rest } = e;
  const id = hashId([rest.type, rest.object, rest.source, rest.endpoint && [rest.endpoint.address, rest.endpoint.portName, rest.endpoint.protocol], observed, rest.before, rest.after, rest.gap && [rest.gap.kind, rest.gap.from.getTime(), rest.gap.to.getTime()]]);
  return { id, observedTime: new Date(observed), changeTime: d(change), ...rest };
}

/** Endpoint rows of one slice or Endpoints version. */
function endpointRows(v: RangeVersion): EpState[] {
  const out: EpState[] = [];
  const source = ref(v.kind, v.namespace, v.name);
  if (v.kind === 'EndpointSlice') {
    const s = v.object as EndpointSliceObject;
    const ports = s.ports?.length ? s.ports : [{ name: '', port: null, protocol: 'TCP' }];
    for (const e of s.endpoints ?? []) {
      const c = conditionsOf(e);
      const pod = e.targetRef?.kind === 'Pod' && e.targetRef.name ? { namespace: e.targetRef.namespace ?? v.namespace, name: e.targetRef.name } : null;
      for (const address of e.addresses ?? []) {
        for (const p of ports) {
          out.push({ address, port: p.port ?? null, portName: portNameOf(p), protocol: protocolOf(p), ...c, pod, podUid: e.targetRef?.uid ?? null, node: e.nodeName ?? null, source });
        }
      }
    }
  } else {
    const ep = v.object as EndpointsObject;
    for (const subset of ep.subsets ?? []) {
      const ports = subset.ports?.length ? subset.ports : [{ name: '', port: 0, protocol: 'TCP' }];
      for (const [list, ready] of [[subset.addresses ?? [], true], [subset.notReadyAddresses ?? [], false]] as const) {
        for (const a of list) {
          const pod = a.targetRef?.kind === 'Pod' && a.targetRef.name ? { namespace: a.targetRef.namespace ?? v.namespace, name: a.targetRef.name } : null;
          for (const p of ports) {
            out.push({ address: a.ip, port: p.port || null, portName: portNameOf(p), protocol: protocolOf(p), ready, serving: ready, terminating: false, pod, podUid: a.targetRef?.uid ?? null, node: a.nodeName ?? null, source });
          }
        }
      }
    }
  }
  return out;
}

const epKey = (e: { address: string; portName: string; protocol: string }) => `${e.address}|${e.portName}|${e.protocol}`;
const validAt = (v: RangeVersion, t: number) => v.validFrom <= t && (v.validTo === null || v.validTo > t);

function endpointView(e: EpState): TimelineEndpoint {
  return { address: e.address, port: e.port, portName: e.portName, protocol: e.protocol, pod: e.pod, node: e.node, conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating } };
}

function hostPortText(e: { address: string; port: number | null }): string {
  const a = e.address.includes(':') ? `[${e.address}]` : e.address;
  return e.port === null ? a : `${a}:${e.port}`;
}

function podText(e: EpState): string {
  return e.pod ? ` (Pod ${e.pod.namespace}/${e.pod.name})` : '';
}

/** The union of endpoint rows valid at t (a duplicate keeps the most usable row). */
/** The union of the endpoint rows of `versions` (a duplicate keeps the most usable row). */
function unionOf(versions: Iterable<RangeVersion>, rows: Map<number, EpState[]>, accept: (e: EpState) => boolean): Map<string, EpState> {
  const m = new Map<string, EpState>();
  for (const v of versions) {
    for (const e of rows.get(v.versionId)!) {
      if (!accept(e)) continue;
      const k = epKey(e);
      const cur = m.get(k);
      if (!cur || (!cur.ready && e.ready) || (!cur.serving && e.serving)) m.set(k, e);
    }
  }
  return m;
}

/**
 * The endpoint state at `from` and at every later instant a version begins or ends, by one sweep over the
 * versions sorted by their boundaries (the active set changes only at those instants).
 */
function* sweep(versions: readonly RangeVersion[], rows: Map<number, EpState[]>, from: number, to: number, accept: (e: EpState) => boolean): Generator<{ t: number; state: Map<string, EpState> }> {
  const active = new Map<number, RangeVersion>();
  for (const v of versions) if (validAt(v, from)) active.set(v.versionId, v);
  yield { t: from, state: unionOf(active.values(), rows, accept) };
  const boundaries = new Map<number, { starts: RangeVersion[]; ends: RangeVersion[] }>();
  const at = (t: number) => boundaries.get(t) ?? boundaries.set(t, { starts: [], ends: [] }).get(t)!;
  for (const v of versions) {
    if (v.validFrom > from && v.validFrom <= to) at(v.validFrom).starts.push(v);
    if (v.validTo !== null && v.validTo > from && v.validTo <= to) at(v.validTo).ends.push(v);
  }
  for (const t of [...boundaries.keys()].sort((a, b) => a - b)) {
    const b = boundaries.get(t)!;
    for (const v of b.ends) active.delete(v.versionId);
    for (const v of b.starts) if (v.validTo === null || v.validTo > t) active.set(v.versionId, v);
    yield { t, state: unionOf(active.values(), rows, accept) };
  }
}

/**
 * E4 (no EndpointSlice in the cluster at all, e.g. a dump without them): the slices the EndpointSlice
 * controller would write for the Service from its Pods, as the resolver derives them, recomputed at every
 * instant the Service or a Pod of its namespace changes; each result is a pseudo-version valid until the
 * next such instant, so the endpoint sweep treats it like stored slices.
 */
function derivedFromPods(services: readonly RangeVersion[], pods: readonly RangeVersion[], from: number, to: number): RangeVersion[] {
  const bounds = new Set<number>([from]);
  for (const v of [...services, ...pods]) {
    if (v.validFrom > from && v.validFrom <= to) bounds.add(v.validFrom);
    if (v.validTo !== null && v.validTo > from && v.validTo <= to) bounds.add(v.validTo);
  }
  const instants = [...bounds].sort((a, b) => a - b);
  const out: RangeVersion[] = [];
  let id = -1;
  instants.forEach((t, i) => {
    const svcVersion = services.find((v) => validAt(v, t));
    if (!svcVersion) return;
    const svc = svcVersion.object as ServiceObject;
    const selector = selectorOf(svc);
    if (!selector) return;
    const selected = pods.filter((p) => validAt(p, t) && selectorMatches(selector, p.object.metadata.labels)).map((p) => p.object as PodObject);
    for (const slice of slicesFromPods(svc, selected)) {
      out.push({
        ...svcVersion,
        objectId: -1,
        versionId: id--,
        kind: 'EndpointSlice',
        name: slice.metadata.name,
        uid: '',
        validFrom: t,
        validTo: instants[i + 1] ?? null,
        changeTime: null,
        endChangeTime: null,
        object: slice,
      });
    }
  });
  return out;
}

function servicePortsView(svc: ServiceObject) {
  return (svc.spec?.ports ?? []).map((p) => ({ name: portNameOf(p), protocol: protocolOf(p), port: p.port, targetPort: targetPortOf(p), nodePort: p.nodePort ?? null }));
}

/** (host, path, pathType, port) of the Ingress paths (and default backend) that point at `service`. */
function ingressRulesFor(ing: IngressObject, service: string): string[] {
  const out: string[] = [];
  const spec = ing.spec ?? {};
  for (const rule of spec.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      if (p.backend.service?.name !== service) continue;
      out.push(`${rule.host ?? '*'} ${p.path ?? '/'} ${p.pathType ?? ''} → ${service}:${p.backend.service.port?.number ?? p.backend.service.port?.name ?? ''}`);
    }
  }
  if (spec.defaultBackend?.service?.name === service) {
    out.push(`(default backend) → ${service}:${spec.defaultBackend.service.port?.number ?? spec.defaultBackend.service.port?.name ?? ''}`);
  }
  return out.sort();
}

function groupByObject(versions: readonly RangeVersion[]): RangeVersion[][] {
  const m = new Map<string, RangeVersion[]>();
  for (const v of versions) {
    const list = m.get(v.name);
    if (list) list.push(v);
    else m.set(v.name, [v]);
  }
  return [...m.values()];
}

export class TimelineQueries {
  constructor(
    private readonly state: ClusterState,
    private readonly routes: RouteQueries,
  ) {}

  async timeline(input: TimelineInput): Promise<TimelineResult> {
    const now = this.state.now();
    const to = input.to ?? new Date(now);
    const from = input.from ?? new Date(to.getTime() - DEFAULT_SPAN_MS);
    if (from.getTime() > to.getTime()) throw new QueryError('BAD_USER_INPUT', 'from: must not be after to');
    const hasService = input.service !== undefined && input.service !== null;
    const hasHost = input.host !== undefined && input.host !== null;
    if (hasService === hasHost) throw new QueryError('BAD_USER_INPUT', 'timeline: give exactly one of service and host');
    const targets: { namespace: string; name: string; port: number | string | undefined }[] = [];
    if (hasService) {
      targets.push({
        namespace: checkName(input.service!.namespace, 'service.namespace'),
        name: checkName(input.service!.name, 'service.name'),
        port: checkServicePort(input.port),
      });
    } else {
      checkHost(input.host!);
      const port = checkServicePort(input.port);
      if (typeof port === 'string') throw new QueryError('INVALID_PORT', 'port: a host timeline takes a port number');
      const question = hostQuestion({ host: input.host!, port: port ?? null });
      for (const at of [from, to]) {
        const a = this.routes.forward(question, at).answer;
        if (a.service && !targets.some((t) => t.namespace === a.service!.namespace && t.name === a.service!.name)) {
          targets.push({ namespace: a.service.namespace, name: a.service.name, port: a.service.port ?? a.service.portName ?? undefined });
        }
      }
    }
    const h = this.state.history();
    const clusterId = clusterIdOf(h.database, h.cluster);
    const all = new Map<string, TimelineEvent>();
    if (clusterId !== null) {
      for (const t of targets) {
        for (const e of this.serviceEvents(clusterId, t.namespace, t.name, t.port, from.getTime(), to.getTime())) all.set(e.id, e);
      }
    }
    for (const g of await h.reader.gaps(h.cluster, from, to)) {
      if (!RELEVANT_GAP_KINDS.has(g.kind)) continue;
      const e = makeEvent({
        type: 'WATCH_GAP', observed: g.from.getTime(), change: null, object: ref(g.kind, null, g.kind), source: null, endpoint: null,
        before: null, after: null, gap: { kind: g.kind, from: g.from, to: g.to, reason: g.reason },
        message: `watch gap for ${g.kind === '*' ? 'every kind' : g.kind} from ${g.from.toISOString()} to ${g.to.toISOString()}: ${g.reason}`,
      });
      all.set(e.id, e);
    }
    const events = [...all.values()].map((e) => ({ e, k: eventKey(e) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.e);
    return {
      page: paginate(events, eventKey, input.first, input.after),
      from,
      to,
      services: targets.map((t) => ({ namespace: t.namespace, name: t.name })),
    };
  }

  /** Every event of one Service in [from, to] (unsorted). */
  serviceEvents(clusterId: number, namespace: string, name: string, port: number | string | undefined, from: number, to: number): TimelineEvent[] {
    const db = this.state.history().database;
    const svcRef = ref('Service', namespace, name);
    const events: TimelineEvent[] = [];
    const inRange = (t: number | null): t is number => t !== null && t > from && t <= to;

    // --- the Service itself
    const services = versionsInRange(db, clusterId, 'Service', namespace, name, from, to);
    const portNames = new Set<string>();
    for (const v of services) {
      for (const p of (v.object as ServiceObject).spec?.ports ?? []) {
        if (port === undefined || p.port === port || (typeof port === 'string' && portNameOf(p) === port)) portNames.add(`${portNameOf(p)}|${protocolOf(p)}`);
      }
    }
    services.forEach((v, i) => {
      const prev = i > 0 ? services[i - 1]! : null;
      const contiguous = prev !== null && prev.validTo === v.validFrom && prev.uid === v.uid;
      if (inRange(v.validFrom)) {
        if (!contiguous) {
          events.push(makeEvent({ type: 'SERVICE_CREATED', observed: v.validFrom, change: v.changeTime, object: svcRef, source: svcRef, endpoint: null, before: null, after: { type: serviceType(v.object as ServiceObject), selector: selectorOf(v.object as ServiceObject), ports: servicePortsView(v.object as ServiceObject) }, gap: null, message: `Service ${namespace}/${name} appeared` }));
        } else {
          const a = prev.object as ServiceObject, b = v.object as ServiceObject;
          const diffs: [TimelineEventType, unknown, unknown, string][] = [
            ['SERVICE_SELECTOR_CHANGED', selectorOf(a), selectorOf(b), 'selector'],
            ['SERVICE_PORTS_CHANGED', servicePortsView(a), servicePortsView(b), 'ports'],
            ['SERVICE_TYPE_CHANGED', serviceType(a), serviceType(b), 'type'],
          ];
          for (const [type, before, after, what] of diffs) {
            if (canon(before) === canon(after)) continue;
            events.push(makeEvent({ type, observed: v.validFrom, change: v.changeTime, object: svcRef, source: svcRef, endpoint: null, before, after, gap: null, message: `Service ${namespace}/${name} ${what} changed from ${canon(before)} to ${canon(after)}` }));
          }
        }
      }
      const next = services[i + 1];
      if (inRange(v.validTo) && !(next && next.validFrom === v.validTo && next.uid === v.uid)) {
        events.push(makeEvent({ type: 'SERVICE_DELETED', observed: v.validTo, change: v.endChangeTime, object: svcRef, source: svcRef, endpoint: null, before: { type: serviceType(v.object as ServiceObject) }, after: null, gap: null, message: `Service ${namespace}/${name} disappeared` }));
      }
    });

    // --- endpoints: slices of the Service, else its Endpoints object
    // Only the slices that held an endpoint of the Service in the interval (a labelled slice without any
    // endpoint adds no event); when there is none, every labelled slice decides the Endpoints fallback.
    const ofService = (v: RangeVersion) => sliceServiceName(v.object as EndpointSliceObject) === name;
    let sources: RangeVersion[] = serviceSliceNamesInRange(db, clusterId, namespace, name, from, to)
      .flatMap((slice) => versionsInRange(db, clusterId, 'EndpointSlice', namespace, slice, from, to))
      .filter(ofService);
    if (sources.length === 0) sources = versionsInRange(db, clusterId, 'EndpointSlice', namespace, null, from, to).filter(ofService);
    if (sources.length === 0) sources = versionsInRange(db, clusterId, 'Endpoints', namespace, name, from, to);
    if (sources.length === 0 && !kindStoredInRange(db, clusterId, 'EndpointSlice', from, to)) {
      sources = derivedFromPods(services, versionsInRange(db, clusterId, 'Pod', namespace, null, from, to), from, to);
    }
    const rows = new Map<number, EpState[]>();
    for (const v of sources) rows.set(v.versionId, endpointRows(v));
    const accept = port === undefined ? () => true : (e: EpState) => portNames.has(`${e.portName}|${e.protocol}`);

    const podNames = new Set<string>();
    for (const list of rows.values()) for (const e of list) if (e.pod && e.pod.namespace === namespace) podNames.add(e.pod.name);
    const pods = new Map<string, RangeVersion[]>();
    for (const p of podNames) pods.set(p, versionsInRange(db, clusterId, 'Pod', namespace, p, from - CHANGE_WINDOW_MS, to));

    /**
     * The time Kubernetes states for an endpoint event, read from the backing Pod (same uid) version that
     * carries the matching transition within CHANGE_WINDOW_MS before the event (or STREAM_SLACK_MS after
     * it), and only a stated time not after the event: deletion begun
     * (TERMINATING), Ready condition flipped (READY / NOT_READY), Pod gone (REMOVED), Pod created or given
     * its IP (ADDED). Null when no such version exists.
     */
    const podChangeTime = (e: EpState, t: number, type: TimelineEventType): number | null => {
      if (!e.pod) return null;
      const vs = (pods.get(e.pod.name) ?? []).filter((v) => e.podUid === null || v.uid === e.podUid);
      const inWindow = (b: number | null): b is number => b !== null && b <= t + STREAM_SLACK_MS && b >= t - CHANGE_WINDOW_MS;
      let best: number | null = null;
      const consider = (c: number | null | undefined) => {
        if (c !== null && c !== undefined && c <= t && (best === null || c > best)) best = c;
      };
      vs.forEach((v, i) => {
        const prev = i > 0 && vs[i - 1]!.validTo === v.validFrom ? vs[i - 1]! : null;
        const pod = v.object as PodObject;
        switch (type) {
          case 'ENDPOINT_TERMINATING':
            if (inWindow(v.validFrom) && pod.metadata.deletionTimestamp && !prev?.object.metadata.deletionTimestamp) consider(v.changeTime);
            break;
          case 'ENDPOINT_READY':
          case 'ENDPOINT_NOT_READY':
            if (inWindow(v.validFrom) && prev && podReady(prev.object as PodObject) !== podReady(pod) && podReady(pod) === (type === 'ENDPOINT_READY')) consider(v.changeTime);
            break;
          case 'ENDPOINT_REMOVED':
            if (inWindow(v.validTo)) consider(v.endChangeTime ?? (pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : null));
            break;
          case 'ENDPOINT_ADDED':
            if (inWindow(v.validFrom) && (!prev || podIPs(prev.object as PodObject).length === 0)) consider(v.changeTime);
            break;
          default:
            break;
        }
      });
      return best;
    };

    let prevState: Map<string, EpState> | null = null;
    for (const { t, state: cur } of sweep(sources, rows, from, to, accept)) {
      if (prevState === null) {
        prevState = cur;
        continue;
      }
      // The slice's own change time (its creation or deletion) when the endpoint's slice began or ended at t.
      const sliceTime = (e: EpState, ending: boolean): number | null => {
        const v = sources.find((x) => x.name === e.source.name && (ending ? x.validTo === t : x.validFrom === t));
        return v ? (ending ? v.endChangeTime : v.changeTime) : null;
      };
      const push = (type: TimelineEventType, e: EpState, before: unknown, after: unknown, message: string, ending = false) =>
        events.push(makeEvent({ type, observed: t, change: sliceTime(e, ending) ?? podChangeTime(e, t, type), object: svcRef, source: e.source, endpoint: endpointView(e), before, after, gap: null, message }));
      for (const [k, e] of cur) {
        const old = prevState.get(k);
        const text = `endpoint ${hostPortText(e)}${e.portName ? ` (${e.portName})` : ''}${podText(e)} of Service ${namespace}/${name}`;
        if (!old) {
          push('ENDPOINT_ADDED', e, null, { ready: e.ready, serving: e.serving, terminating: e.terminating }, `${text} added${e.ready ? ' (ready)' : ' (not ready)'}`);
          continue;
        }
        if (old.port !== e.port) push('ENDPOINT_PORT_CHANGED', e, old.port, e.port, `${text}: port changed from ${old.port} to ${e.port}`);
        const conds = (x: EpState) => ({ ready: x.ready, serving: x.serving, terminating: x.terminating });
        if (!old.terminating && e.terminating) push('ENDPOINT_TERMINATING', e, conds(old), conds(e), `${text} is terminating`);
        else if (!old.ready && e.ready) push('ENDPOINT_READY', e, conds(old), conds(e), `${text} became ready`);
        else if (old.ready && !e.ready) push('ENDPOINT_NOT_READY', e, conds(old), conds(e), `${text} became not ready`);
      }
      for (const [k, old] of prevState) {
        if (cur.has(k)) continue;
        push('ENDPOINT_REMOVED', old, { ready: old.ready, serving: old.serving, terminating: old.terminating }, null,
          `endpoint ${hostPortText(old)}${old.portName ? ` (${old.portName})` : ''}${podText(old)} of Service ${namespace}/${name} removed`, true);
      }
      prevState = cur;
    }

    // --- Pod IP changes of the Pods behind the Service
    for (const [podName, versions] of pods) {
      const podRef = ref('Pod', namespace, podName);
      versions.forEach((v, i) => {
        const prev = i > 0 ? versions[i - 1]! : null;
        if (!prev || prev.validTo !== v.validFrom || !inRange(v.validFrom)) return;
        const before = podIPs(prev.object as PodObject), after = podIPs(v.object as PodObject);
        // An IP given to a new Pod or dropped by a finished one is the endpoint's ADDED / REMOVED event.
        if (before.length === 0 || after.length === 0 || canon(before) === canon(after)) return;
        events.push(makeEvent({ type: 'POD_IP_CHANGED', observed: v.validFrom, change: v.changeTime, object: podRef, source: podRef, endpoint: null, before, after, gap: null, message: `Pod ${namespace}/${podName} IP changed from ${before.join(',') || 'none'} to ${after.join(',') || 'none'}` }));
      });
    }

    // --- Ingress rules that point at the Service
    const ingresses = groupByObject(versionsInRange(db, clusterId, 'Ingress', namespace, null, from, to));
    for (const versions of ingresses) {
      const rules = versions.map((v) => ingressRulesFor(v.object as IngressObject, name));
      if (rules.every((r) => r.length === 0)) continue;
      versions.forEach((v, i) => {
        const ingRef = ref('Ingress', namespace, v.name);
        const prev = i > 0 && versions[i - 1]!.validTo === v.validFrom ? rules[i - 1]! : [];
        if (inRange(v.validFrom) && canon(prev) !== canon(rules[i])) {
          events.push(makeEvent({ type: 'INGRESS_RULES_CHANGED', observed: v.validFrom, change: v.changeTime, object: ingRef, source: ingRef, endpoint: null, before: prev, after: rules[i], gap: null, message: `Ingress ${namespace}/${v.name} rules to Service ${name} changed from [${prev.join('; ')}] to [${rules[i]!.join('; ')}]` }));
        }
        const next = versions[i + 1];
        if (inRange(v.validTo) && !(next && next.validFrom === v.validTo) && rules[i]!.length > 0) {
          events.push(makeEvent({ type: 'INGRESS_RULES_CHANGED', observed: v.validTo, change: v.endChangeTime, object: ingRef, source: ingRef, endpoint: null, before: rules[i], after: [], gap: null, message: `Ingress ${namespace}/${v.name} (with rules to Service ${name}) disappeared` }));
        }
      });
    }
    return events;
  }
}

