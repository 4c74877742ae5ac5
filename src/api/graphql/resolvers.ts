/**
 * resolvers: the GraphQL resolvers of schema.graphql, typed by the generated `Resolvers`. Thin adapters:
 * each picks the cluster asked for (Fleet: the only one by default), calls one read use case (src/queries)
 * and reshapes nothing but connections and parents. Errors
 * thrown here reach formatError (src/api/graphql/formatError.ts), which maps or masks them.
 */
import type { Kind, QueryRouteArgs, QueryRouteDiffArgs, Resolvers } from '../../generated/graphql/resolvers.js';
import { clientOriginText } from '../../model/clientOrigin.js';
import type { StoredVersion } from '../../history/HistoryReader.js';
import type { Fleet } from '../../queries/Fleet.js';
import type { Queries } from '../../queries/Queries.js';
import { QueryError } from '../../queries/QueryError.js';
import type { HostRouteInput } from '../../queries/routeQueries.js';
import type { ServiceInfo } from '../../queries/views.js';
import { DateTimeScalar, IntOrStringScalar, JSONScalar } from './scalars.js';
import type { ReverseAnswerParent, RouteAnswerParent, ServiceParent } from './parents.js';


const at = (v: Date | null | undefined): Date | undefined => v ?? undefined;
const orNull = <T>(v: T | null | undefined): T | null => v ?? null;

/** The answer as `routetrace resolve --json` prints it: without the instant and cluster of the parent. */
function rawAnswer<T extends { at: Date; cluster: string }>(p: T): Omit<T, 'at' | 'cluster'> {
  const { at: _at, cluster: _cluster, ...rest } = p;
  return rest;
}

function serviceParent(info: ServiceInfo, queryAt: Date | undefined, cluster: string): ServiceParent {
  return { ...info, queryAt, cluster };
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
    route(_p, a, { fleet }) {
      const cluster = clusterForHost(fleet, a.cluster);
      const r = fleet.queries(cluster).routes.route(hostInput(a));
      return { ...r.answer, at: r.at, cluster } satisfies RouteAnswerParent;
    },
    routes(_p, a, { fleet }) {
      return fleet.each(a.cluster).map(({ cluster, queries }) => {
        const r = queries.routes.route(hostInput(a));
        return { ...r.answer, at: r.at, cluster } satisfies RouteAnswerParent;
      });
    },
    routeToService(_p, a, { fleet }) {
      const cluster = fleet.clusterOf(a.cluster);
      const r = fleet.queries(cluster).routes.routeToService({
        namespace: a.namespace, name: a.name, port: orNull(a.port), protocol: orNull(a.protocol),
        client: orNull(a.client), clientNode: orNull(a.clientNode), clientZone: orNull(a.clientZone), at: at(a.at),
      });
      return { ...r.answer, at: r.at, cluster };
    },
    service(_p, a, { fleet }) {
      const cluster = fleet.clusterOf(a.cluster);
      const r = fleet.queries(cluster).routes.service({ namespace: a.namespace, name: a.name, at: at(a.at) });
      return r.answer ? serviceParent(r.answer, at(a.at), cluster) : null;
    },
    services(_p, a, { fleet }) {
      const cluster = fleet.clusterOf(a.cluster);
      const r = fleet.queries(cluster).routes.services({ namespace: orNull(a.namespace), filter: orNull(a.filter), first: orNull(a.first), after: orNull(a.after), at: at(a.at) });
      const page = r.answer;
      return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: serviceParent(e.node, at(a.at), cluster) })) };
    },
    endpoints(_p, a, { fleet }) {
      return fleet.queries(a.cluster).routes.endpoints({ namespace: a.service.namespace, name: a.service.name, port: orNull(a.port), at: at(a.at) }).answer;
    },
    ingresses(_p, a, { fleet }) {
      return fleet.queries(a.cluster).routes.ingresses({ host: orNull(a.host), namespace: orNull(a.namespace), at: at(a.at) }).answer;
    },
    pod(_p, a, { fleet }) {
      const cluster = fleet.clusterOf(a.cluster);
      const r = fleet.queries(cluster).routes.pod({ namespace: a.namespace, name: a.name, at: at(a.at) });
      return r.answer ? { ...r.answer, queryAt: at(a.at), cluster } : null;
    },
    reverse(_p, a, { fleet }) {
      const cluster = fleet.clusterOf(a.cluster);
      const r = fleet.queries(cluster).routes.reverse({ ip: orNull(a.ip), pod: orNull(a.pod), at: at(a.at) });
      return { ...r.answer, at: r.at, cluster } satisfies ReverseAnswerParent;
    },
    async timeline(_p, a, { fleet }) {
      const r = await fleet.queries(a.cluster).timeline({
        service: orNull(a.service), host: orNull(a.host), port: orNull(a.port), path: orNull(a.path), from: orNull(a.from), to: orNull(a.to),
        first: orNull(a.first), after: orNull(a.after),
      });
      const page = r.page;
      // totalCount reads the whole range: only when the query asks for it.
      return { edges: page.edges, pageInfo: page.pageInfo, get totalCount() { return page.totalCount; }, from: r.from, to: r.to, services: r.services };
    },
    routeDiff(_p, a, { fleet }) {
      return diffOf(fleet.clusterOf(a.cluster), fleet.queries(a.cluster), a);
    },
    routeDiffs(_p, a, { fleet }) {
      return fleet.each(a.cluster).map(({ cluster, queries }) => diffOf(cluster, queries, a));
    },
    async history(_p, a, { fleet }) {
      const page = await fleet.queries(a.cluster).history({ kind: a.kind, namespace: orNull(a.namespace), name: a.name, first: orNull(a.first), after: orNull(a.after) });
      return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: versionNode(e.node) })) };
    },
    async clusters(_p, a, { fleet }) {
      const list = await fleet.status(a.cluster, { from: at(a.gapsFrom), to: at(a.gapsTo) });
      return list.map((c) => ({ ...c, kinds: c.kinds.map((k) => ({ ...k, kind: k.kind as Kind })), gaps: [...c.gaps] }));
    },
  },

  RouteAnswer: {
    raw: (p) => rawAnswer(p),
  },
  RouteQuestion: {
    client: (q) => (q.client ? clientOriginText(q.client) : null),
  },
  ReverseAnswer: {
    raw: (p) => rawAnswer(p),
  },
  Service: {
    routes(p, _a, { fleet }) {
      const queries = fleet.queries(p.cluster);
      const ports: (number | undefined)[] = p.ports.length ? p.ports.map((x) => x.port) : [undefined];
      return ports.map((port) => {
        const r = queries.routes.routeToService({ namespace: p.namespace, name: p.name, port: port ?? null, at: p.queryAt });
        return { ...r.answer, at: r.at, cluster: p.cluster };
      });
    },
  },
  Pod: {
    reverse(p, _a, { fleet }) {
      const r = fleet.queries(p.cluster).routes.reverse({ pod: { namespace: p.namespace, name: p.name }, at: p.queryAt });
      return { ...r.answer, at: r.at, cluster: p.cluster };
    },
  },
};

/** The cluster of a `route` question; when it is ambiguous, the error also points to `routes`. */
function clusterForHost(fleet: Fleet, cluster: string | null | undefined): string {
  try {
    return fleet.clusterOf(cluster);
  } catch (e) {
    if (e instanceof QueryError && e.code === 'CLUSTER_REQUIRED') throw new QueryError(e.code, `${e.message}, or ask routes(host: …) for an answer per cluster`);
    throw e;
  }
}

/** The routeDiff of one cluster, as GraphQL shapes it. */
function diffOf(cluster: string, queries: Queries, a: QueryRouteDiffArgs) {
  const d = queries.routeDiff({ host: a.host, port: orNull(a.port), path: orNull(a.path), from: a.from, to: a.to });
  return { ...d, cluster, from: { ...d.from.answer, at: d.from.at, cluster }, to: { ...d.to.answer, at: d.to.at, cluster } };
}

/** The host question of `route` / `routes`. */
function hostInput(a: QueryRouteArgs): HostRouteInput {
  return {
    host: a.host, port: orNull(a.port), path: orNull(a.path), protocol: orNull(a.protocol), ingressClass: orNull(a.ingressClass),
    controller: orNull(a.controller), client: orNull(a.client), clientNode: orNull(a.clientNode), clientZone: orNull(a.clientZone), at: at(a.at),
    headers: a.headers ? headerMap(a.headers) : null, method: orNull(a.method),
  };
}
