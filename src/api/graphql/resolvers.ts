/**
 * resolvers: the GraphQL resolvers of schema.graphql, typed by the generated `Resolvers`. Thin adapters:
 * each calls one read use case (src/queries) and reshapes nothing but connections and parents. Errors
 * thrown here reach formatError (src/api/graphql/formatError.ts), which maps or masks them.
 */
import type { Resolvers } from '../../generated/graphql/resolvers.js';
import type { StoredVersion } from '../../history/HistoryReader.js';
import type { ServiceInfo } from '../../queries/views.js';
import { DateTimeScalar, IntOrStringScalar, JSONScalar } from './scalars.js';
import type { ReverseAnswerParent, RouteAnswerParent, ServiceParent } from './parents.js';

const at = (v: Date | null | undefined): Date | undefined => v ?? undefined;
const orNull = <T>(v: T | null | undefined): T | null => v ?? null;

function withoutAt<T extends { at: Date }>(p: T): Omit<T, 'at'> {
  const { at: _at, ...rest } = p;
  return rest;
}

function serviceParent(info: ServiceInfo, queryAt: Date | undefined): ServiceParent {
  return { ...info, queryAt };
}

function versionNode(v: StoredVersion) {
  return {
    uid: v.uid,
    resourceVersion: v.resourceVersion,
    validFrom: v.validFrom,
    validTo: v.validTo,
    changeTime: v.changeTime,
    endChangeTime: v.endChangeTime,
    observedTime: v.observedTime,
    object: v.object,
  };
}

/** GraphQL [{name, value}] → a header map; a repeated name keeps its first value. */
function headerMap(list: readonly { readonly name: string; readonly value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) if (!(h.name in out)) out[h.name] = h.value;
  return out;
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  IntOrString: IntOrStringScalar,

  Query: {
    route(_p, a, { queries }) {
      const r = queries.routes.route({
        host: a.host, port: orNull(a.port), path: orNull(a.path), protocol: orNull(a.protocol), ingressClass: orNull(a.ingressClass),
        clientNode: orNull(a.clientNode), clientZone: orNull(a.clientZone), at: at(a.at),
        headers: a.headers ? headerMap(a.headers) : null, method: orNull(a.method),
      });
      return { ...r.answer, at: r.at } satisfies RouteAnswerParent;
    },
    routeToService(_p, a, { queries }) {
      const r = queries.routes.routeToService({
        namespace: a.namespace, name: a.name, port: orNull(a.port), protocol: orNull(a.protocol),
        clientNode: orNull(a.clientNode), clientZone: orNull(a.clientZone), at: at(a.at),
      });
      return { ...r.answer, at: r.at };
    },
    service(_p, a, { queries }) {
      const r = queries.routes.service({ namespace: a.namespace, name: a.name, at: at(a.at) });
      return r.answer ? serviceParent(r.answer, at(a.at)) : null;
    },
    services(_p, a, { queries }) {
      const r = queries.routes.services({ namespace: orNull(a.namespace), filter: orNull(a.filter), first: orNull(a.first), after: orNull(a.after), at: at(a.at) });
      const page = r.answer;
      return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: serviceParent(e.node, at(a.at)) })) };
    },
    endpoints(_p, a, { queries }) {
      return queries.routes.endpoints({ namespace: a.service.namespace, name: a.service.name, port: orNull(a.port), at: at(a.at) }).answer;
    },
    ingresses(_p, a, { queries }) {
      return queries.routes.ingresses({ host: orNull(a.host), namespace: orNull(a.namespace), at: at(a.at) }).answer;
    },
    pod(_p, a, { queries }) {
      const r = queries.routes.pod({ namespace: a.namespace, name: a.name, at: at(a.at) });
      return r.answer ? { ...r.answer, queryAt: at(a.at) } : null;
    },
    reverse(_p, a, { queries }) {
      const r = queries.routes.reverse({ ip: orNull(a.ip), pod: orNull(a.pod), at: at(a.at) });
      return { ...r.answer, at: r.at } satisfies ReverseAnswerParent;
    },
    async timeline(_p, a, { queries }) {
      const r = await queries.timeline({
        service: orNull(a.service), host: orNull(a.host), port: orNull(a.port), path: orNull(a.path), from: orNull(a.from), to: orNull(a.to),
        first: orNull(a.first), after: orNull(a.after),
      });
      const page = r.page;
      // totalCount reads the whole range: only when the query asks for it.
      return { edges: page.edges, pageInfo: page.pageInfo, get totalCount() { return page.totalCount; }, from: r.from, to: r.to, services: r.services };
    },
    routeDiff(_p, a, { queries }) {
      const d = queries.routeDiff({ host: a.host, port: orNull(a.port), path: orNull(a.path), from: a.from, to: a.to });
      return { ...d, from: { ...d.from.answer, at: d.from.at }, to: { ...d.to.answer, at: d.to.at } };
    },
    async history(_p, a, { queries }) {
      const page = await queries.history({ kind: a.kind, namespace: orNull(a.namespace), name: a.name, first: orNull(a.first), after: orNull(a.after) });
      return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: versionNode(e.node) })) };
    },
  },

  RouteAnswer: {
    raw: (p) => withoutAt(p),
  },
  ReverseAnswer: {
    raw: (p) => withoutAt(p),
  },
  Service: {
    routes(p, _a, { queries }) {
      const ports: (number | undefined)[] = p.ports.length ? p.ports.map((x) => x.port) : [undefined];
      return ports.map((port) => {
        const r = queries.routes.routeToService({ namespace: p.namespace, name: p.name, port: port ?? null, at: p.queryAt });
        return { ...r.answer, at: r.at };
      });
    },
  },
  Pod: {
    reverse(p, _a, { queries }) {
      const r = queries.routes.reverse({ pod: { namespace: p.namespace, name: p.name }, at: p.queryAt });
      return { ...r.answer, at: r.at };
    },
  },
};
