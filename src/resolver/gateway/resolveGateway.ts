/**
 * resolveGateway: a host question through the Gateway API (GATEWAY.md, G1–G9): Gateway listener → attached
 * route → matching rule → filters → weighted backendRefs → each Service onwards (routeService). Pure; reads
 * the cluster only through a ClusterView.
 *
 * Which Gateway: for an IP, the Gateways whose status (or spec) lists that address; for a name, every
 * Gateway with a listener on the port whose hostname accepts it. Within a Gateway the request belongs to
 * the most specific matching listener only (listener isolation). Among several Gateways (DNS decides, which
 * routetrace cannot see) the one with a route serving the host wins, then the most specific listener, then
 * the oldest Gateway, then namespace/name; the others are named in a finding.
 * Returns null when nothing in the Gateway API concerns the host on this port (the caller tries Ingress);
 * `hostRouted` says whether an attached route serves the host (a stronger claim than an Ingress rule).
 */
import type { GatewayObject, Listener, RouteFilter } from '../../model/gatewayObjects.js';
import { GATEWAY_GROUP } from '../../model/gatewayObjects.js';
import type { GatewayBackendHop, GatewayHop, GatewayMirrorHop } from '../../model/gatewayRoute.js';
import type { Finding, HostQuestion, RouteAnswer } from '../../model/route.js';
import { keyOf, nsOf } from '../apiDefaults.js';
import type { ClusterView } from '../ClusterView.js';
import { finding, ref } from '../findingCatalogue.js';
import { answer, resolveService, type Hop } from '../routeService.js';
import { attachment, type RouteRef } from './gatewayAttachment.js';
import { compareSpecificity, hostnameMatches } from './gatewayHostnames.js';
import { gatewayRequest } from './gatewayRequest.js';
import { matchingRules, routesForHost, type AttachedRoute } from './gatewayRouteMatch.js';
import { referencePermitted } from './referenceGrants.js';
import type { GatewayApiObjects } from './GatewayApiObjects.js';

export interface GatewayOutcome {
  readonly answer: RouteAnswer;
  readonly hostRouted: boolean;
}

interface Candidate {
  readonly gateway: GatewayObject;
  readonly listener: Listener;
  readonly attached: readonly AttachedRoute[];
  readonly forHost: readonly AttachedRoute[];
  readonly findings: readonly Finding[];
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS']);
const gwRef = (g: GatewayObject) => ref('Gateway', nsOf(g), g.metadata.name);
const routeRef = (r: RouteRef) => ref(r.kind, nsOf(r.obj), r.obj.metadata.name);
const routeName = (r: RouteRef) => `${r.kind} ${nsOf(r.obj)}/${r.obj.metadata.name}`;
const gwName = (g: GatewayObject) => `${nsOf(g)}/${g.metadata.name}`;

interface RouteIndex {
  /** Routes by the Gateway ("namespace/name") a parentRef of theirs names. */
  readonly byGateway: ReadonlyMap<string, readonly RouteRef[]>;
  /** Routes by exact hostname (lower case), and the routes with wildcard hostnames. */
  readonly byHostname: ReadonlyMap<string, readonly RouteRef[]>;
  readonly wildcard: readonly RouteRef[];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Routes that list a hostname matching `host` (routes without hostnames do not name it). */
function routesNaming(index: RouteIndex, host: string): RouteRef[] {
  return [...(index.byHostname.get(host) ?? []), ...index.wildcard.filter((r) => (r.obj.spec?.hostnames ?? []).some((h) => hostnameMatches(h, host)))];
}

/** Built once per GatewayApiObjects (a view's, which does not change), so a question reads only its Gateway's routes. */
const routeIndexes = new WeakMap<GatewayApiObjects, RouteIndex>();

function routeIndex(api: GatewayApiObjects): RouteIndex {
  let idx = routeIndexes.get(api);
  if (idx) return idx;
  const routes: RouteRef[] = [...api.httpRoutes.map((obj) => ({ kind: 'HTTPRoute' as const, obj })), ...api.grpcRoutes.map((obj) => ({ kind: 'GRPCRoute' as const, obj }))];
  const byGateway = new Map<string, RouteRef[]>();
  const byHostname = new Map<string, RouteRef[]>();
  const wildcard: RouteRef[] = [];
  for (const r of routes) {
    const keys = new Set((r.obj.spec?.parentRefs ?? [])
      .filter((p) => (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (p.kind ?? 'Gateway') === 'Gateway')
      .map((p) => `${p.namespace ?? nsOf(r.obj)}/${p.name}`));
    for (const k of keys) push(byGateway, k, r);
    const hostnames = r.obj.spec?.hostnames ?? [];
    for (const h of new Set(hostnames.filter((x) => !x.startsWith('*.')).map((x) => x.toLowerCase()))) push(byHostname, h, r);
    if (hostnames.some((x) => x.startsWith('*.'))) wildcard.push(r);
  }
  routeIndexes.set(api, (idx = { byGateway, byHostname, wildcard }));
  return idx;
}

function addressesOf(g: GatewayObject): string[] {
  return [...(g.status?.addresses ?? []), ...(g.spec?.addresses ?? [])].map((a) => a.value.toLowerCase());
}

/** Whether a route could serve the host at all (no hostnames, or one matching it). */
function routeNamesHost(r: RouteRef, host: string): boolean {
  const hs = r.obj.spec?.hostnames ?? [];
  return hs.length === 0 || hs.some((h) => hostnameMatches(h, host));
}

/** G1/G2/G3: the isolated listener of one Gateway for host:port and the routes attached to it. */
function candidateOf(gateway: GatewayObject, routes: readonly RouteRef[], host: string, port: number): Candidate | null {
  const listeners = (gateway.spec?.listeners ?? []).filter((l) => l.port === port && HTTP_PROTOCOLS.has(l.protocol) && hostnameMatches(l.hostname, host));
  if (listeners.length === 0) return null;
  const listener = [...listeners].sort((a, b) => compareSpecificity(a.hostname ?? null, b.hostname ?? null))[0]!;
  const attached: AttachedRoute[] = [];
  const findings: Finding[] = [];
  for (const r of routes) {
    const a = attachment(r, gateway, listener);
    if (a === null) continue;
    if (a.attached) {
      attached.push({ route: r, hostnames: a.hostnames });
      if (a.fromStatus && routeNamesHost(r, host)) {
        findings.push(finding('GATEWAY_ATTACHMENT_FROM_STATUS', `${routeName(r)} is taken as attached to listener ${listener.name} of Gateway ${gwName(gateway)} because its status says Accepted (the listener selects namespaces by labels, which are not recorded).`, [routeRef(r), gwRef(gateway)]));
      }
    } else if (routeNamesHost(r, host)) {
      const code = a.reason === 'NoMatchingListenerHostname' ? 'GATEWAY_ROUTE_HOSTNAME_MISMATCH' : 'GATEWAY_ROUTE_NOT_ATTACHED';
      findings.push(finding(code, `${routeName(r)} names Gateway ${gwName(gateway)} but is not attached to listener ${listener.name}: ${a.message} (${a.reason}).`, [routeRef(r), gwRef(gateway)]));
    }
  }
  return { gateway, listener, attached, forHost: routesForHost(attached, host), findings };
}

function order(a: Candidate, b: Candidate): number {
  const routed = (c: Candidate) => (c.forHost.length > 0 ? 0 : 1);
  const created = (c: Candidate) => c.gateway.metadata.creationTimestamp ?? '';
  return routed(a) - routed(b)
    || compareSpecificity(a.listener.hostname ?? null, b.listener.hostname ?? null)
    || (created(a) < created(b) ? -1 : created(a) > created(b) ? 1 : 0)
    || (gwName(a.gateway) < gwName(b.gateway) ? -1 : 1);
}

/** G9: the GatewayClass and the Gateway's own status. */
function classFindings(api: GatewayApiObjects, g: GatewayObject): { className: string | null; findings: Finding[] } {
  const className = g.spec?.gatewayClassName ?? null;
  const findings: Finding[] = [];
  const cls = className ? api.gatewayClasses.find((c) => c.metadata.name === className) : undefined;
  if (!cls) {
    findings.push(finding('GATEWAY_CLASS_NOT_FOUND', `Gateway ${gwName(g)} names GatewayClass ${className ?? '(none)'}, which does not exist: no controller programs this Gateway.`, [gwRef(g), ref('GatewayClass', null, className ?? '')]));
  } else if ((cls.status?.conditions ?? []).some((c) => c.type === 'Accepted' && c.status === 'False')) {
    findings.push(finding('GATEWAY_NOT_ACCEPTED', `GatewayClass ${className} is not accepted by its controller (${cls.spec?.controllerName ?? 'unknown'}).`, [ref('GatewayClass', null, className!)]));
  }
  for (const type of ['Accepted', 'Programmed']) {
    const c = (g.status?.conditions ?? []).find((x) => x.type === type);
    if (c?.status === 'False') findings.push(finding('GATEWAY_NOT_ACCEPTED', `Gateway ${gwName(g)} has ${type}=False${c.reason ? ` (${c.reason})` : ''}: its controller may not serve it.`, [gwRef(g)]));
  }
  return { className, findings };
}

function mirrorOf(f: RouteFilter, routeNs: string): GatewayMirrorHop | null {
  const m = f.requestMirror;
  if (!m) return null;
  const frac = m.fraction ? (100 * m.fraction.numerator) / (m.fraction.denominator ?? 100) : null;
  return { kind: m.backendRef.kind ?? 'Service', namespace: m.backendRef.namespace ?? routeNs, name: m.backendRef.name, port: m.backendRef.port ?? null, percent: m.percent ?? frac ?? 100 };
}

function prefixRewrite(path: { type: string; replaceFullPath?: string | null; replacePrefixMatch?: string | null } | null | undefined, matched: string | null, requestPath: string): string | null {
  if (!path) return null;
  if (path.type === 'ReplaceFullPath') return path.replaceFullPath ?? '/';
  if (path.type === 'ReplacePrefixMatch' && matched !== null) {
    const prefix = matched.replace(/\/+$/, '');
    const rest = requestPath.slice(prefix.length);
    const replacement = (path.replacePrefixMatch ?? '/').replace(/\/+$/, '');
    return `${replacement}${rest}` || '/';
  }
  return null;
}

/** Resolves a host question through the Gateway API, or null when no Gateway concerns host:port. */
export function resolveGateway(view: ClusterView, q: HostQuestion, host: string, port: number, byAddress: string | null): GatewayOutcome | null {
  const api = view.gatewayApi();
  if (api.gateways.length === 0) return null;
  const gateways = byAddress === null ? api.gateways : api.gateways.filter((g) => addressesOf(g).includes(byAddress));
  if (gateways.length === 0) return null;
  const index = routeIndex(api);
  const candidates = gateways.map((g) => candidateOf(g, index.byGateway.get(gwName(g)) ?? [], host, port)).filter((c): c is Candidate => c !== null).sort(order);
  const best = candidates[0];
  if (!best) {
    // A Gateway's address, or a route naming this host, but no listener takes host:port.
    let naming: readonly GatewayObject[] = gateways;
    if (byAddress === null) {
      const named = new Set(routesNaming(index, host).flatMap((r) => (r.obj.spec?.parentRefs ?? []).map((p) => `${p.namespace ?? nsOf(r.obj)}/${p.name}`)));
      naming = named.size === 0 ? [] : gateways.filter((g) => named.has(gwName(g)));
    }
    if (naming.length === 0) return null;
    const g = naming[0]!;
    const ls = (g.spec?.listeners ?? []).filter((l) => l.port === port);
    const other = ls.find((l) => !HTTP_PROTOCOLS.has(l.protocol));
    const findings = [other
      ? finding('GATEWAY_LISTENER_PROTOCOL', `Gateway ${gwName(g)} listener ${other.name} on port ${port} speaks ${other.protocol}, not HTTP: its ${other.protocol === 'TLS' ? 'TLSRoutes' : 'routes of that protocol'} decide, which routetrace does not follow.`, [gwRef(g)])
      : finding('GATEWAY_NO_LISTENER', `Gateway ${gwName(g)} has no HTTP or HTTPS listener on port ${port} accepting host ${host}${(g.spec?.listeners ?? []).length ? `; its listeners are ${(g.spec?.listeners ?? []).map((l) => `${l.name} ${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ''}`).join(', ')}` : ''}.`, [gwRef(g)])];
    return { answer: answer(q, { verdict: other ? 'unhandled' : 'not-found', findings }), hostRouted: false };
  }

  const { gateway, listener } = best;
  const findings: Finding[] = [...best.findings];
  const cls = classFindings(api, gateway);
  findings.push(...cls.findings);
  const others = candidates.slice(1).filter((c) => c.forHost.length > 0);
  if (others.length > 0) {
    findings.push(finding('GATEWAY_SEVERAL_SERVE_HOST', `Gateways ${others.map((c) => gwName(c.gateway)).join(', ')} also serve ${host}:${port}; the answer follows ${gwName(gateway)} (DNS decides which one clients reach).`, [gwRef(gateway), ...others.map((c) => gwRef(c.gateway))]));
  }
  const hop = (over: Partial<GatewayHop>): GatewayHop => ({
    namespace: nsOf(gateway),
    name: gateway.metadata.name,
    gatewayClass: cls.className,
    listener: { name: listener.name, port: listener.port, protocol: listener.protocol, hostname: listener.hostname ?? null },
    route: null,
    rule: null,
    backends: [],
    mirrors: [],
    redirect: null,
    rewrite: null,
    ...over,
  });

  const req = gatewayRequest(q, host);
  const matches = matchingRules(best.forHost, req);
  const win = matches[0];
  if (!win) {
    findings.push(finding('GATEWAY_NO_ROUTE_MATCH', best.forHost.length === 0
      ? `Listener ${listener.name} of Gateway ${gwName(gateway)} takes ${host}:${port}, but no route attached to it serves this host: the gateway answers 404.`
      : `No rule of ${best.forHost.map((a) => routeName(a.route)).join(', ')} matches ${req.method} ${req.path}${req.query.size ? ' with its query' : ''}: the gateway answers 404.`, [gwRef(gateway), ...best.forHost.map((a) => routeRef(a.route))]));
    return { answer: answer(q, { gateway: hop({}), verdict: 'not-found', findings }), hostRouted: best.forHost.length > 0 };
  }

  const route = win.route;
  const routeNs = nsOf(route.obj);
  const rule = route.obj.spec!.rules![win.ruleIndex]!;
  const matchedPath = win.match.path?.type === 'PathPrefix' ? win.match.path.value : null;
  if (win.match.path?.type === 'RegularExpression') findings.push(finding('GATEWAY_REGEX_PATH', `${routeName(route)} matched by a RegularExpression path: its precedence is implementation-specific.`, [routeRef(route)]));
  let redirect: GatewayHop['redirect'] = null;
  let rewrite: GatewayHop['rewrite'] = null;
  const mirrors: GatewayMirrorHop[] = [];
  for (const f of rule.filters ?? []) {
    if (f.type === 'RequestRedirect' && f.requestRedirect) {
      const r = f.requestRedirect;
      redirect = { scheme: r.scheme ?? null, hostname: r.hostname ?? null, port: r.port ?? null, path: prefixRewrite(r.path, matchedPath, req.path), statusCode: r.statusCode ?? 302 };
    } else if (f.type === 'URLRewrite' && f.urlRewrite) {
      rewrite = { hostname: f.urlRewrite.hostname ?? null, path: prefixRewrite(f.urlRewrite.path, matchedPath, req.path) };
    } else if (f.type === 'RequestMirror') {
      const m = mirrorOf(f, routeNs);
      if (m) mirrors.push(m);
    } else if (f.type === 'ExtensionRef') {
      findings.push(finding('GATEWAY_FILTER_UNSUPPORTED', `${routeName(route)} rule ${win.ruleIndex} uses the ExtensionRef filter ${f.extensionRef?.kind ?? ''}/${f.extensionRef?.name ?? ''}; what it does is up to the implementation.`, [routeRef(route)]));
    }
  }
  for (const m of mirrors) {
    const svc = m.kind === 'Service' ? view.service(keyOf(m.namespace, m.name)) : undefined;
    const permitted = referencePermitted(api.referenceGrants, { fromKind: route.kind, fromNamespace: routeNs, toGroup: '', toKind: m.kind, toNamespace: m.namespace, toName: m.name });
    findings.push(finding('GATEWAY_MIRROR', `${m.percent}% of these requests are also mirrored to ${m.kind} ${m.namespace}/${m.name}${m.port !== null ? `:${m.port}` : ''} (responses ignored)${!svc ? ', which does not exist' : !permitted ? ', which no ReferenceGrant permits' : ''}.`, [routeRef(route), ref(m.kind, m.namespace, m.name)]));
  }
  const ruleHop = { index: win.ruleIndex, name: rule.name ?? null, match: win.match };
  const routeHop = { kind: route.kind, namespace: routeNs, name: route.obj.metadata.name, hostname: win.hostname };
  if (redirect) {
    findings.push(finding('GATEWAY_REDIRECT', `${routeName(route)} rule ${win.ruleIndex} answers with a ${redirect.statusCode} redirect${redirect.hostname ? ` to host ${redirect.hostname}` : ''}${redirect.path ? ` path ${redirect.path}` : ''}; no backend receives the request.`, [routeRef(route)]));
    return { answer: answer(q, { gateway: hop({ route: routeHop, rule: ruleHop, mirrors, redirect }), verdict: 'redirected', findings }), hostRouted: true };
  }
  if (rewrite) {
    findings.push(finding('GATEWAY_URL_REWRITE', `${routeName(route)} rule ${win.ruleIndex} rewrites the request${rewrite.hostname ? ` host to ${rewrite.hostname}` : ''}${rewrite.path ? ` path to ${rewrite.path}` : ''} before it reaches the backends.`, [routeRef(route)]));
  }

  // G6/G7: weighted backendRefs.
  const refs = rule.backendRefs ?? [];
  if (refs.length === 0) {
    findings.push(finding('GATEWAY_RULE_NO_BACKENDS', `${routeName(route)} rule ${win.ruleIndex} has no backendRefs: the gateway answers 500.`, [routeRef(route)]));
    return { answer: answer(q, { gateway: hop({ route: routeHop, rule: ruleHop, mirrors, rewrite }), verdict: 'not-found', findings }), hostRouted: true };
  }
  const total = refs.reduce((s, b) => s + (b.weight ?? 1), 0);
  const serviceHop: Hop = { trafficKind: 'internal', via: `Gateway ${gwName(gateway)} listener ${listener.name}`, family: null, node: q.clientNode ?? null, zone: q.clientZone ?? null, protocol: 'TCP', viaIngress: true };
  const backends: GatewayBackendHop[] = [];
  const resolved: { weight: number; answer: RouteAnswer }[] = [];
  for (const b of refs) {
    const kind = b.kind ?? 'Service';
    const group = b.group ?? '';
    const namespace = b.namespace ?? routeNs;
    const weight = b.weight ?? 1;
    const share = total > 0 ? weight / total : 0;
    const base = { kind, namespace, name: b.name, port: b.port ?? null, weight, share, verdict: null, backends: [] as string[] };
    const bRef = ref(kind, namespace, b.name);
    const what = `${routeName(route)} rule ${win.ruleIndex} backend ${kind} ${namespace}/${b.name}`;
    const fail = total > 0 && weight > 0 ? ` Its ${Math.round(share * 1000) / 10}% of the requests get 500.` : '';
    if (weight === 0) findings.push(finding('GATEWAY_BACKEND_WEIGHT_ZERO', `${what} has weight 0: it receives no requests.`, [routeRef(route), bRef]));
    if (group !== '' || kind !== 'Service') {
      findings.push(finding('GATEWAY_BACKEND_UNSUPPORTED_KIND', `${what} is not a core Service (group ${JSON.stringify(group)}); routetrace follows Service backends only (ResolvedRefs=False, InvalidKind for implementations without it).${fail}`, [routeRef(route), bRef]));
      backends.push({ ...base, status: 'unsupported-kind' });
      continue;
    }
    if (!referencePermitted(api.referenceGrants, { fromKind: route.kind, fromNamespace: routeNs, toGroup: '', toKind: 'Service', toNamespace: namespace, toName: b.name })) {
      findings.push(finding('GATEWAY_BACKEND_NOT_PERMITTED', `${what} is in another namespace and no ReferenceGrant in ${namespace} permits ${route.kind}s from ${routeNs} to refer to it (ResolvedRefs=False, RefNotPermitted).${fail}`, [routeRef(route), bRef]));
      backends.push({ ...base, status: 'not-permitted' });
      continue;
    }
    const svc = view.service(keyOf(namespace, b.name));
    if (!svc) {
      findings.push(finding('GATEWAY_BACKEND_NOT_FOUND', `${what} does not exist (ResolvedRefs=False, BackendNotFound).${fail}`, [routeRef(route), bRef]));
      backends.push({ ...base, status: 'not-found' });
      continue;
    }
    if (b.port === null || b.port === undefined) {
      findings.push(finding('GATEWAY_BACKEND_PORT_MISSING', `${what} names no port; a Service backend needs one.${fail}`, [routeRef(route), bRef]));
      backends.push({ ...base, status: 'no-port' });
      continue;
    }
    const a = resolveService(view, q, svc, b.port, serviceHop, { verdict: 'forwarded', findings: [] });
    backends.push({ ...base, status: 'resolved', verdict: a.verdict, backends: [...a.backends] });
    resolved.push({ weight, answer: a });
  }
  if (refs.length > 1) {
    findings.push(finding('GATEWAY_WEIGHTED_BACKENDS', `${routeName(route)} rule ${win.ruleIndex} splits requests by weight: ${backends.map((b) => `${b.namespace}/${b.name} ${b.weight} (${Math.round(b.share * 1000) / 10}%)`).join(', ')}.`, [routeRef(route)]));
  }
  const primary = [...resolved].sort((x, y) => y.weight - x.weight)[0];
  const live = resolved.filter((r) => r.weight > 0);
  const allFindings = [...findings, ...resolved.flatMap((r) => r.answer.findings)];
  const gatewayHop = hop({ route: routeHop, rule: ruleHop, backends, mirrors, rewrite });
  if (!primary) return { answer: answer(q, { gateway: gatewayHop, verdict: 'not-found', findings: allFindings }), hostRouted: true };
  const forwarded = live.filter((r) => r.answer.verdict === 'forwarded');
  return {
    answer: answer(q, {
      gateway: gatewayHop,
      service: primary.answer.service,
      externalName: primary.answer.externalName,
      endpoints: [...primary.answer.endpoints],
      backends: live.flatMap((r) => (r.answer.verdict === 'forwarded' ? r.answer.backends : [])),
      verdict: forwarded.length > 0 ? 'forwarded' : total === 0 ? 'not-found' : primary.answer.verdict,
      findings: allFindings,
    }),
    hostRouted: true,
  };
}
