/**
 * serviceEvents: the timeline events of one Service observed in a window (a, b] of a timeline's range,
 * read from stored versions of only the objects that concern the Service, so reading a window costs what
 * the window holds, not the Service's (or the cluster's) whole history.
 *
 * ServiceScope (serviceScope) fixes, for the whole range [from, to], what the Service's events are read
 * from: its port names (for a port question), the endpoint source (history/serviceEndpointObjects: the
 * slices labelled for it, else its Endpoints object; else, when the cluster stored no EndpointSlice at all
 * in the range, slices derived from its Pods, rule E4), and the Ingresses that named it as a backend (their
 * LookupKey term). Every window of one range reads the same sources, so the events of consecutive windows
 * are exactly the events of the range read at once: a property the timeline's paging relies on.
 *
 * Events:
 *  - endpoints: the union of the source's endpoints, keyed by address, port name and protocol (a duplicate,
 *    an endpoint in two slices at once, keeps the most usable row, then the first slice by name), compared
 *    at every instant a source version starts or ends: ENDPOINT_ADDED / _REMOVED / _READY / _NOT_READY /
 *    _TERMINATING / _PORT_CHANGED. An endpoint that moves between slices at one instant is no event. With a
 *    port, only the endpoint ports of that Service port (by name) count.
 *  - the Service: SERVICE_CREATED / _DELETED, and SERVICE_SELECTOR_CHANGED / _PORTS_CHANGED / _TYPE_CHANGED
 *    between consecutive versions;
 *  - INGRESS_RULES_CHANGED when the set of (host, path, pathType, port) of an Ingress pointing at the
 *    Service changes (an Ingress created or deleted included);
 *  - GATEWAY_ROUTE_CHANGED likewise for the rules of an HTTPRoute or GRPCRoute with a backendRef to the
 *    Service (parents, hostnames, matches, port and weight share: a canary's weight change is one);
 *  - POD_IP_CHANGED when consecutive versions of a Pod that backs the Service at that instant (one of its
 *    endpoints, just before or at the change, targets the Pod) have different IPs (a first IP or a dropped
 *    one is the endpoint's ADDED / REMOVED, not a change).
 * Times: `observedTime` is when routetrace saw the change (the version boundary); `changeTime` is the time
 * Kubernetes states for it: the version's own change time (for endpoints: their slice's creation or
 * deletion), else for endpoint events the time of the matching transition of the backing Pod (same uid)
 * within CHANGE_WINDOW_MS before the event (podChangeTime), else null.
 */
import type { EndpointSliceObject, EndpointsObject, IngressObject, PodObject, ServiceObject } from '../model/objects.js';
import type { GRPCRouteObject, HTTPRouteObject } from '../model/gatewayObjects.js';
import type { ObjectRef } from '../model/route.js';
import { conditionsOf, keyOf, portNameOf, protocolOf, selectorOf, serviceType, sliceServiceName, targetPortOf } from '../resolver/apiDefaults.js';
import { slicesFromPods } from '../resolver/derivedSlices.js';
import { TERM, termHash } from '../resolver/lookupTerms.js';
import { podIPs, podReady, selectorMatches } from '../resolver/podFacts.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import { objectsWithTermInRange } from '../history/objectsWithTermInRange.js';
import { serviceEndpointObjects } from '../history/serviceEndpointObjects.js';
import {
  kindStoredInRange,
  objectVersionsInRange,
  versionsInRange,
  type ObjectIdentity,
  type RangeVersion,
} from '../history/versionsInRange.js';
import { makeEvent, ref, type TimelineEndpoint, type TimelineEvent, type TimelineEventType } from './timelineEvent.js';

const CHANGE_WINDOW_MS = 60_000;
/** Pods and EndpointSlices arrive on different watch streams: a Pod's report may follow its slice's. */
const STREAM_SLACK_MS = 2_000;

/** Where a Service's events come from over one timeline range (see the module comment). */
export interface ServiceScope {
  readonly database: HistoryDatabase;
  readonly clusterId: number;
  readonly namespace: string;
  readonly name: string;
  readonly port: number | string | undefined;
  /** The timeline's range. */
  readonly from: number;
  readonly to: number;
  /** `${portName}|${protocol}` of the Service ports a port question selects (any version in the range); empty without a port. */
  readonly portNames: ReadonlySet<string>;
  readonly endpointSource:
    | { readonly kind: 'slices'; readonly objects: readonly ObjectIdentity[] }
    | { readonly kind: 'endpoints'; readonly objects: readonly ObjectIdentity[] }
    | { readonly kind: 'pods' }
    | { readonly kind: 'none' };
  /** Ingresses that named the Service as a backend at some instant of the range. */
  readonly ingresses: readonly ObjectIdentity[];
  /** HTTPRoutes and GRPCRoutes that named the Service as a backendRef at some instant of the range. */
  readonly routes: readonly (readonly ['HTTPRoute' | 'GRPCRoute', ObjectIdentity])[];
}

export function serviceScope(
  database: HistoryDatabase, clusterId: number, namespace: string, name: string, port: number | string | undefined, from: number, to: number,
): ServiceScope {
  const portNames = new Set<string>();
  for (const v of port === undefined ? [] : versionsInRange(database, clusterId, 'Service', namespace, name, from, to)) {
    for (const p of (v.object as ServiceObject).spec?.ports ?? []) {
      if (port === undefined || p.port === port || (typeof port === 'string' && portNameOf(p) === port)) portNames.add(`${portNameOf(p)}|${protocolOf(p)}`);
    }
  }
  let endpointSource: ServiceScope['endpointSource'];
  const held = serviceEndpointObjects(database, clusterId, namespace, name, from, to);
  if (held.kind === 'EndpointSlice') endpointSource = { kind: 'slices', objects: held.objects };
  else if (held.kind === 'Endpoints') endpointSource = { kind: 'endpoints', objects: held.objects };
  else if (!kindStoredInRange(database, clusterId, 'EndpointSlice', from, to)) endpointSource = { kind: 'pods' };
  else endpointSource = { kind: 'none' };
  const ingresses = objectsWithTermInRange(database, clusterId, 'Ingress', termHash(TERM.ingressBackend(keyOf(namespace, name))), from, to)
    .filter((o) => o.namespace === namespace);
  const routeTerm = termHash(TERM.routeBackend(keyOf(namespace, name)));
  const routes = (['HTTPRoute', 'GRPCRoute'] as const).flatMap((kind) => objectsWithTermInRange(database, clusterId, kind, routeTerm, from, to).map((o) => [kind, o] as const));
  return { database, clusterId, namespace, name, port, from, to, portNames, endpointSource, ingresses, routes };
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

const canon = (v: unknown) => JSON.stringify(v ?? null);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byObject = (a: RangeVersion, b: RangeVersion) => cmp(a.name, b.name) || a.validFrom - b.validFrom || a.versionId - b.versionId;

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
const usability = (e: EpState) => (e.ready ? 2 : 0) + (e.serving ? 1 : 0);

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

/**
 * The union of the endpoint rows of `versions`: a duplicate keeps the most usable row (ready, then
 * serving), then the row of the first source by name, whatever order the versions come in.
 */
function unionOf(versions: Iterable<RangeVersion>, rows: Map<number, EpState[]>, accept: (e: EpState) => boolean): Map<string, EpState> {
  const m = new Map<string, EpState>();
  for (const v of versions) {
    for (const e of rows.get(v.versionId)!) {
      if (!accept(e)) continue;
      const k = epKey(e);
      const cur = m.get(k);
      if (!cur || usability(e) > usability(cur) || (usability(e) === usability(cur) && e.source.name < cur.source.name)) m.set(k, e);
    }
  }
  return m;
}

/**
 * The endpoint state at `from` and at every later instant of (from, to] a version begins or ends, by one
 * sweep over the versions sorted by their boundaries (the active set changes only at those instants).
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

/**
 * The rules of an HTTPRoute/GRPCRoute that send to Service namespace/service, as text: parents, hostnames,
 * rule index, matches, and the backend's port and weight share (so a weight change is a rule change).
 */
function routeRulesFor(route: HTTPRouteObject | GRPCRouteObject, namespace: string, service: string): string[] {
  const out: string[] = [];
  const ns = route.metadata.namespace ?? 'default';
  const parents = (route.spec?.parentRefs ?? []).map((p) => `${p.namespace ?? ns}/${p.name}${p.sectionName ? `/${p.sectionName}` : ''}`).join(',');
  const hosts = (route.spec?.hostnames ?? []).join(',') || '*';
  (route.spec?.rules ?? []).forEach((rule, i) => {
    const refs = rule.backendRefs ?? [];
    const total = refs.reduce((s, r) => s + (r.weight ?? 1), 0);
    for (const r of refs) {
      if ((r.kind ?? 'Service') !== 'Service' || (r.group ?? '') !== '' || r.name !== service || (r.namespace ?? ns) !== namespace) continue;
      const weight = r.weight ?? 1;
      out.push(`${parents} ${hosts} rule ${i} ${canon(rule.matches ?? [])} → ${service}:${r.port ?? ''} weight ${weight}/${total}`);
    }
  });
  return out.sort();
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

function groupByName(versions: readonly RangeVersion[]): RangeVersion[][] {
  const m = new Map<string, RangeVersion[]>();
  for (const v of [...versions].sort(byObject)) {
    const key = `${v.kind}/${v.namespace}/${v.name}`;
    const list = m.get(key);
    if (list) list.push(v);
    else m.set(key, [v]);
  }
  return [...m.values()];
}

/** The versions of the Service's endpoint source overlapping [a, b], by object name, then start. */
function endpointSources(scope: ServiceScope, services: readonly RangeVersion[], a: number, b: number): RangeVersion[] {
  const { database, endpointSource: src } = scope;
  switch (src.kind) {
    case 'slices':
      return src.objects
        .flatMap((o) => objectVersionsInRange(database, 'EndpointSlice', o, a, b))
        .filter((v) => sliceServiceName(v.object as EndpointSliceObject) === scope.name)
        .sort(byObject);
    case 'endpoints':
      return src.objects.flatMap((o) => objectVersionsInRange(database, 'Endpoints', o, a, b)).sort(byObject);
    case 'pods':
      return derivedFromPods(services, versionsInRange(database, scope.clusterId, 'Pod', scope.namespace, null, a, b), a, b);
    case 'none':
      return [];
  }
}

/** Every event of the Service observed in (a, b] (unsorted); [a, b] lies within the scope's range. */
export function serviceEvents(scope: ServiceScope, a: number, b: number): TimelineEvent[] {
  const { database, clusterId, namespace, name } = scope;
  const svcRef = ref('Service', namespace, name);
  const events: TimelineEvent[] = [];
  const inWindow = (t: number | null): t is number => t !== null && t > a && t <= b;

  // --- the Service itself
  const services = versionsInRange(database, clusterId, 'Service', namespace, name, a, b);
  services.forEach((v, i) => {
    const prev = i > 0 ? services[i - 1]! : null;
    const contiguous = prev !== null && prev.validTo === v.validFrom && prev.uid === v.uid;
    if (inWindow(v.validFrom)) {
      if (!contiguous) {
        events.push(makeEvent({ type: 'SERVICE_CREATED', observed: v.validFrom, change: v.changeTime, object: svcRef, source: svcRef, endpoint: null, before: null, after: { type: serviceType(v.object as ServiceObject), selector: selectorOf(v.object as ServiceObject), ports: servicePortsView(v.object as ServiceObject) }, gap: null, message: `Service ${namespace}/${name} appeared` }));
      } else {
        const x = prev.object as ServiceObject, y = v.object as ServiceObject;
        const diffs: [TimelineEventType, unknown, unknown, string][] = [
          ['SERVICE_SELECTOR_CHANGED', selectorOf(x), selectorOf(y), 'selector'],
          ['SERVICE_PORTS_CHANGED', servicePortsView(x), servicePortsView(y), 'ports'],
          ['SERVICE_TYPE_CHANGED', serviceType(x), serviceType(y), 'type'],
        ];
        for (const [type, before, after, what] of diffs) {
          if (canon(before) === canon(after)) continue;
          events.push(makeEvent({ type, observed: v.validFrom, change: v.changeTime, object: svcRef, source: svcRef, endpoint: null, before, after, gap: null, message: `Service ${namespace}/${name} ${what} changed from ${canon(before)} to ${canon(after)}` }));
        }
      }
    }
    const next = services[i + 1];
    if (inWindow(v.validTo) && !(next && next.validFrom === v.validTo && next.uid === v.uid)) {
      events.push(makeEvent({ type: 'SERVICE_DELETED', observed: v.validTo, change: v.endChangeTime, object: svcRef, source: svcRef, endpoint: null, before: { type: serviceType(v.object as ServiceObject) }, after: null, gap: null, message: `Service ${namespace}/${name} disappeared` }));
    }
  });

  // --- endpoints
  const sources = endpointSources(scope, services, a, b);
  const rows = new Map<number, EpState[]>();
  for (const v of sources) rows.set(v.versionId, endpointRows(v));
  const accept = scope.port === undefined ? () => true : (e: EpState) => scope.portNames.has(`${e.portName}|${e.protocol}`);

  const podNames = new Set<string>();
  for (const list of rows.values()) for (const e of list) if (e.pod && e.pod.namespace === namespace) podNames.add(e.pod.name);
  // Pod versions that can state a change time for an event of the window, or change the Pod's IP in it.
  const podFrom = Math.max(scope.from - CHANGE_WINDOW_MS, a - CHANGE_WINDOW_MS);
  const podTo = Math.min(scope.to, b + STREAM_SLACK_MS);
  const pods = new Map<string, RangeVersion[]>();
  for (const p of [...podNames].sort()) pods.set(p, versionsInRange(database, clusterId, 'Pod', namespace, p, podFrom, podTo));

  /**
   * The time Kubernetes states for an endpoint event, read from the backing Pod (same uid) version that
   * carries the matching transition within CHANGE_WINDOW_MS before the event (or STREAM_SLACK_MS after
   * it), and only a stated time not after the event: deletion begun (TERMINATING), Ready condition flipped
   * (READY / NOT_READY), Pod gone (REMOVED), Pod created or given its IP (ADDED). Null when none.
   */
  const podChangeTime = (e: EpState, t: number, type: TimelineEventType): number | null => {
    if (!e.pod) return null;
    const vs = (pods.get(e.pod.name) ?? []).filter((v) => e.podUid === null || v.uid === e.podUid);
    const inRange = (x: number | null): x is number => x !== null && x <= t + STREAM_SLACK_MS && x >= t - CHANGE_WINDOW_MS;
    let best: number | null = null;
    const consider = (c: number | null | undefined) => {
      if (c !== null && c !== undefined && c <= t && (best === null || c > best)) best = c;
    };
    vs.forEach((v, i) => {
      const prev = i > 0 && vs[i - 1]!.validTo === v.validFrom ? vs[i - 1]! : null;
      const pod = v.object as PodObject;
      switch (type) {
        case 'ENDPOINT_TERMINATING':
          if (inRange(v.validFrom) && pod.metadata.deletionTimestamp && !prev?.object.metadata.deletionTimestamp) consider(v.changeTime);
          break;
        case 'ENDPOINT_READY':
        case 'ENDPOINT_NOT_READY':
          if (inRange(v.validFrom) && prev && podReady(prev.object as PodObject) !== podReady(pod) && podReady(pod) === (type === 'ENDPOINT_READY')) consider(v.changeTime);
          break;
        case 'ENDPOINT_REMOVED':
          if (inRange(v.validTo)) consider(v.endChangeTime ?? (pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : null));
          break;
        case 'ENDPOINT_ADDED':
          if (inRange(v.validFrom) && (!prev || podIPs(prev.object as PodObject).length === 0)) consider(v.changeTime);
          break;
        default:
          break;
      }
    });
    return best;
  };

  const states: { t: number; state: Map<string, EpState> }[] = [];
  let prevState: Map<string, EpState> | null = null;
  for (const step of sweep(sources, rows, a, b, accept)) {
    states.push(step);
    const { t, state: cur } = step;
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

  // --- IP changes of the Pods behind the Service at the instant of the change
  const backs = (podName: string, state: Map<string, EpState> | undefined) => {
    if (state) for (const e of state.values()) if (e.pod?.name === podName && e.pod.namespace === namespace) return true;
    return false;
  };
  const backedAt = (podName: string, t: number) => {
    let i = states.length - 1;
    while (i > 0 && states[i]!.t > t) i--;
    return backs(podName, states[i]?.state) || (states[i]?.t === t && i > 0 && backs(podName, states[i - 1]!.state));
  };
  for (const [podName, versions] of pods) {
    const podRef = ref('Pod', namespace, podName);
    versions.forEach((v, i) => {
      const prev = i > 0 ? versions[i - 1]! : null;
      if (!prev || prev.validTo !== v.validFrom || !inWindow(v.validFrom)) return;
      const before = podIPs(prev.object as PodObject), after = podIPs(v.object as PodObject);
      // An IP given to a new Pod or dropped by a finished one is the endpoint's ADDED / REMOVED event.
      if (before.length === 0 || after.length === 0 || canon(before) === canon(after)) return;
      if (!backedAt(podName, v.validFrom)) return;
      events.push(makeEvent({ type: 'POD_IP_CHANGED', observed: v.validFrom, change: v.changeTime, object: podRef, source: podRef, endpoint: null, before, after, gap: null, message: `Pod ${namespace}/${podName} IP changed from ${before.join(',') || 'none'} to ${after.join(',') || 'none'}` }));
    });
  }

  // --- Ingress rules and Gateway API route rules that point at the Service
  const ingressVersions = scope.ingresses.flatMap((o) => objectVersionsInRange(database, 'Ingress', o, a, b));
  events.push(...ruleChangeEvents(ingressVersions, 'INGRESS_RULES_CHANGED', (v) => ingressRulesFor(v.object as IngressObject, name), name, inWindow));
  const routeVersions = scope.routes.flatMap(([kind, o]) => objectVersionsInRange(database, kind, o, a, b));
  events.push(...ruleChangeEvents(routeVersions, 'GATEWAY_ROUTE_CHANGED', (v) => routeRulesFor(v.object as HTTPRouteObject, namespace, name), name, inWindow));
  return events;
}

/**
 * The events of objects whose rules to the Service changed (`rulesOf` of consecutive versions differ), and of
 * such objects disappearing, for one kind (Ingress, HTTPRoute/GRPCRoute).
 */
function ruleChangeEvents(
  all: readonly RangeVersion[], type: TimelineEventType, rulesOf: (v: RangeVersion) => string[], service: string, inWindow: (t: number | null) => t is number,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const versions of groupByName(all)) {
    const rules = versions.map(rulesOf);
    if (rules.every((r) => r.length === 0)) continue;
    versions.forEach((v, i) => {
      const objRef = ref(v.kind, v.namespace, v.name);
      const what = `${v.kind} ${v.namespace}/${v.name}`;
      const prev = i > 0 && versions[i - 1]!.validTo === v.validFrom ? rules[i - 1]! : [];
      if (inWindow(v.validFrom) && canon(prev) !== canon(rules[i])) {
        events.push(makeEvent({ type, observed: v.validFrom, change: v.changeTime, object: objRef, source: objRef, endpoint: null, before: prev, after: rules[i], gap: null, message: `${what} rules to Service ${service} changed from [${prev.join('; ')}] to [${rules[i]!.join('; ')}]` }));
      }
      const next = versions[i + 1];
      if (inWindow(v.validTo) && !(next && next.validFrom === v.validTo) && rules[i]!.length > 0) {
        events.push(makeEvent({ type, observed: v.validTo, change: v.endChangeTime, object: objRef, source: objRef, endpoint: null, before: rules[i], after: [], gap: null, message: `${what} (with rules to Service ${service}) disappeared` }));
      }
    });
  }
  return events;
}
