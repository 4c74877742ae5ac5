/**
 * routeQueries: the point-in-time read use cases (route, routeToService, reverse, service, services,
 * endpoints, ingresses, pod). Each checks its arguments (QueryError on bad input), takes the cluster view
 * at `at` (live for now, history for a past instant: ClusterState.viewAt, which reads only the rows the
 * question touches) and runs the pure resolver on it, or lists objects.
 * Answers are the resolver's own RouteAnswer / ReverseAnswer, unchanged, plus the instant they are for.
 */
import { CLIENT_ORIGIN_FORMS, parseClientOrigin, type ClientOrigin } from '../model/clientOrigin.js';
import type { ForwardQuestion, HostQuestion, ReverseAnswer, RouteAnswer, ServiceQuestion } from '../model/route.js';
import { nsOf } from '../resolver/apiDefaults.js';
import { resolve } from '../resolver/resolve.js';
import { reverseLookup } from '../resolver/reverseLookup.js';
import { selectorMatches } from '../resolver/podFacts.js';
import type { ClusterState } from './ClusterState.js';
import {
  checkHeaders,
  checkHost,
  checkIP,
  checkMethod,
  checkName,
  checkPath,
  checkPort,
  checkProtocol,
  checkServicePort,
  unknownNamespace,
} from './inputs.js';
import { paginate, type Page } from './pagination.js';
import { QueryError } from './QueryError.js';
import { ingressView, podInfo, serviceInfo, type IngressView, type PodInfo, type ServiceInfo } from './views.js';

export interface AtOption {
  /** undefined: now. */
  readonly at?: Date | undefined;
}

export interface HostRouteInput extends AtOption {
  readonly host: string;
  readonly port?: number | null;
  readonly path?: string | null;
  readonly protocol?: string | null;
  readonly ingressClass?: string | null;
  /** IngressClass spec.controller: answer as that controller sees it. */
  readonly controller?: string | null;
  /** pod:NS/NAME, node:NAME or external. */
  readonly client?: string | null;
  readonly clientNode?: string | null;
  readonly clientZone?: string | null;
  /** Gateway API header matches. */
  readonly headers?: Readonly<Record<string, string>> | null;
  /** Gateway API method matches (default GET). */
  readonly method?: string | null;
}

export interface ServiceRouteInput extends AtOption {
  readonly namespace: string;
  readonly name: string;
  readonly port?: number | string | null;
  readonly protocol?: string | null;
  /** pod:NS/NAME, node:NAME or external. */
  readonly client?: string | null;
  readonly clientNode?: string | null;
  readonly clientZone?: string | null;
}

export interface Timed<T> {
  readonly answer: T;
  readonly at: Date;
}

/** An Ingress controller name (IngressClass spec.controller: a domain-prefixed path, e.g. k8s.io/ingress-nginx). */
function checkController(controller: string, ingressClass: string | null | undefined): string {
  if (ingressClass) throw new QueryError('BAD_USER_INPUT', 'ingressClass and controller cannot be combined');
  const c = controller.trim();
  if (c.length === 0 || c.length > 250 || !/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/.test(c)) throw new QueryError('BAD_USER_INPUT', `controller: '${c.slice(0, 80)}' is not a controller name such as k8s.io/ingress-nginx`);
  return c;
}

function client(input: { client?: string | null; clientNode?: string | null; clientZone?: string | null }) {
  let origin: ClientOrigin | null = null;
  if (input.client) {
    origin = parseClientOrigin(input.client);
    if (!origin) throw new QueryError('BAD_USER_INPUT', `client: expected ${CLIENT_ORIGIN_FORMS}, got '${input.client.slice(0, 80)}'`);
    if (input.clientNode) throw new QueryError('BAD_USER_INPUT', 'client and clientNode cannot be combined (client node:NAME names a node)');
  }
  return {
    ...(origin ? { client: origin } : {}),
    ...(input.clientNode ? { clientNode: checkName(input.clientNode, 'clientNode') } : {}),
    ...(input.clientZone ? { clientZone: input.clientZone.slice(0, 253) } : {}),
  };
}

export function hostQuestion(input: HostRouteInput): HostQuestion {
  const port = checkPort(input.port);
  const path = checkPath(input.path);
  const protocol = checkProtocol(input.protocol);
  const headers = checkHeaders(input.headers);
  const method = checkMethod(input.method);
  return {
    kind: 'host',
    host: checkHost(input.host),
    ...(port !== undefined ? { port } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(protocol ? { protocol } : {}),
    ...(input.ingressClass ? { ingressClass: checkName(input.ingressClass, 'ingressClass') } : {}),
    ...(input.controller ? { ingressController: checkController(input.controller, input.ingressClass) } : {}),
    ...(headers && Object.keys(headers).length > 0 ? { headers } : {}),
    ...(method ? { method } : {}),
    ...client(input),
  };
}

export function serviceQuestion(input: ServiceRouteInput): ServiceQuestion {
  const port = checkServicePort(input.port);
  const protocol = checkProtocol(input.protocol);
  return {
    kind: 'service',
    namespace: checkName(input.namespace, 'namespace'),
    name: checkName(input.name, 'name'),
    ...(port !== undefined ? { port } : {}),
    ...(protocol ? { protocol } : {}),
    ...client(input),
  };
}

export class RouteQueries {
  constructor(readonly state: ClusterState) {}

  /** Any forward question (already checked). */
  forward(question: ForwardQuestion, at: Date | undefined): Timed<RouteAnswer> {
    const s = this.state.viewAt(at);
    if (question.kind === 'service') this.requireNamespace(question.namespace, at);
    return { answer: resolve(s.view, question), at: s.at };
  }

  route(input: HostRouteInput): Timed<RouteAnswer> {
    return this.forward(hostQuestion(input), input.at);
  }

  routeToService(input: ServiceRouteInput): Timed<RouteAnswer> {
    return this.forward(serviceQuestion(input), input.at);
  }

  reverse(input: AtOption & { ip?: string | null; pod?: { namespace: string; name: string } | null }): Timed<ReverseAnswer> {
    const hasIP = input.ip !== undefined && input.ip !== null;
    const hasPod = input.pod !== undefined && input.pod !== null;
    if (hasIP === hasPod) throw new QueryError('BAD_USER_INPUT', 'reverse: give exactly one of ip and pod');
    const s = this.state.reverseViewAt(input.at);
    if (hasIP) return { answer: reverseLookup(s.view, { kind: 'reverse', ip: checkIP(input.ip!) }), at: s.at };
    const pod = { namespace: checkName(input.pod!.namespace, 'pod.namespace'), name: checkName(input.pod!.name, 'pod.name') };
    this.requireNamespace(pod.namespace, input.at);
    return { answer: reverseLookup(s.view, { kind: 'reverse', pod }), at: s.at };
  }

  service(input: AtOption & { namespace: string; name: string }): Timed<ServiceInfo | null> {
    const ns = checkName(input.namespace, 'namespace');
    const name = checkName(input.name, 'name');
    this.requireNamespace(ns, input.at);
    const s = this.state.objectsAt(input.at, ['Service'], ns);
    const svc = s.snapshot.services.find((x) => nsOf(x) === ns && x.metadata.name === name);
    return { answer: svc ? serviceInfo(svc) : null, at: s.at };
  }

  services(input: AtOption & {
    namespace?: string | null;
    filter?: { nameContains?: string | null; type?: string | null; labels?: readonly string[] | null } | null;
    first?: number | null;
    after?: string | null;
  }): Timed<Page<ServiceInfo>> {
    const ns = input.namespace ? checkName(input.namespace, 'namespace') : undefined;
    const f = input.filter ?? {};
    const terms = (f.labels ?? []).map(labelTerm);
    if (ns !== undefined) this.requireNamespace(ns, input.at);
    const s = this.state.objectsAt(input.at, ['Service'], ns);
    const list: ServiceInfo[] = [];
    for (const svc of s.snapshot.services) {
      if (ns !== undefined && nsOf(svc) !== ns) continue;
      if (f.nameContains && !svc.metadata.name.includes(f.nameContains)) continue;
      const info = serviceInfo(svc);
      if (f.type && info.type !== f.type) continue;
      if (!terms.every((t) => t(svc.metadata.labels ?? {}))) continue;
      list.push(info);
    }
    list.sort((a, b) => (serviceKey(a) < serviceKey(b) ? -1 : serviceKey(a) > serviceKey(b) ? 1 : 0));
    return { answer: paginate(list, serviceKey, input.first, input.after), at: s.at };
  }

  endpoints(input: AtOption & { namespace: string; name: string; port?: number | string | null }): Timed<RouteAnswer['endpoints']> {
    const r = this.routeToService(input);
    if (!r.answer.service) throw new QueryError('NOT_FOUND', `Service ${input.namespace}/${input.name}${input.port != null ? ` port ${input.port}` : ''} not found`);
    return { answer: r.answer.endpoints, at: r.at };
  }

  ingresses(input: AtOption & { host?: string | null; namespace?: string | null }): Timed<IngressView[]> {
    const host = input.host ? checkHost(input.host) : undefined;
    const ns = input.namespace ? checkName(input.namespace, 'namespace') : undefined;
    if (ns !== undefined) this.requireNamespace(ns, input.at);
    const s = this.state.objectsAt(input.at, ['Ingress'], ns);
    const out: IngressView[] = [];
    for (const ing of s.snapshot.ingresses) {
      if (ns !== undefined && nsOf(ing) !== ns) continue;
      const v = ingressView(ing, host);
      if (v) out.push(v);
    }
    return { answer: out, at: s.at };
  }

  pod(input: AtOption & { namespace: string; name: string }): Timed<PodInfo | null> {
    const ns = checkName(input.namespace, 'namespace');
    const name = checkName(input.name, 'name');
    this.requireNamespace(ns, input.at);
    const s = this.state.objectsAt(input.at, ['Pod'], ns);
    const pod = s.snapshot.pods.find((x) => nsOf(x) === ns && x.metadata.name === name);
    return { answer: pod ? podInfo(pod) : null, at: s.at };
  }

  private requireNamespace(namespace: string, at: Date | undefined): void {
    if (!this.state.namespaceExists(namespace, at)) throw unknownNamespace(namespace, at);
  }
}

const serviceKey = (s: ServiceInfo) => `${s.namespace}/${s.name}`;

/** key=value, key!=value, or key (exists). */
function labelTerm(term: string): (labels: Readonly<Record<string, string>>) => boolean {
  const m = /^([A-Za-z0-9./_-]{1,317})(?:(!=|==|=)(.{0,63}))?$/.exec(term.trim());
  if (!m) throw new QueryError('BAD_USER_INPUT', `filter.labels: '${term.slice(0, 80)}' is not key=value, key!=value or key`);
  const [, key, op, value] = m;
  if (op === undefined) return (l) => key! in l;
  if (op === '!=') return (l) => l[key!] !== value;
  return (l) => selectorMatches({ [key!]: value! }, l);
}
