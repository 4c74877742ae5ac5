/**
 * createApi: the API modules of `serve` and `demo`, assembled: the live snapshot (a ChangeSink to tee
 * beside the history writer), the read use cases over it and the history, and the HTTP routes for
 * /graphql and /api/v1.
 *
 * Lifecycle (driven by the composition root): create before HTTP listens (routes are registered then);
 * `attachHistory` once the history database is open; `detachHistory` before it is closed (requests then
 * answer HISTORY_UNAVAILABLE instead of touching a closed file); `stop` at shutdown.
 */
import { HistoryReader } from '../history/HistoryReader.js';
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import { ClusterState } from '../queries/ClusterState.js';
import { Queries } from '../queries/Queries.js';
import type { Route } from '../http/Route.js';
import { LiveSnapshot } from '../state/LiveSnapshot.js';
import type { ChangeSink } from '../watch/ChangeSink.js';
import type { Logger } from '../watch/Logger.js';
import { grafanaRoutes } from './grafana/grafanaRoutes.js';
import { graphqlRoutes } from './graphql/graphqlRoutes.js';
import { restRoutes } from './rest/restApi.js';

export interface Api {
  readonly live: LiveSnapshot;
  readonly state: ClusterState;
  readonly queries: Queries;
  readonly routes: readonly Route[];
  attachHistory(database: HistoryDatabase, cluster: string): void;
  detachHistory(): void;
  stop(): Promise<void>;
}

export function createApi(log: Logger, options: { live?: LiveSnapshot } = {}): Api {
  const live = options.live ?? new LiveSnapshot();
  const state = new ClusterState({ live });
  const queries = new Queries(state);
  const graphql = graphqlRoutes(queries, log);
  return {
    live,
    state,
    queries,
    routes: [...graphql.routes, ...restRoutes(queries, log), ...grafanaRoutes(queries, log)],
    attachHistory(database, cluster) {
      state.attachHistory({ reader: new HistoryReader(database), database, cluster });
    },
    detachHistory() {
      state.detachHistory();
    },
    stop: () => graphql.stop(),
  };
}

/**
 * The history store as serve sees it, with every report also applied to the API's live snapshot (after
 * the writer took it) and the API detached from the database before the store closes it.
 */
export function apiTee<T extends ChangeSink & { close(): Promise<void> }>(store: T, api: Api): ChangeSink & { close(): Promise<void> } {
  return {
    event(kind, type, object, observedAt) {
      store.event(kind, type, object, observedAt);
      api.live.event(kind, type, object, observedAt);
    },
    listed(kind, objects, observedAt, namespace) {
      store.listed(kind, objects, observedAt, namespace);
      api.live.listed(kind, objects, observedAt, namespace);
    },
    gap: (kind, from, to, reason) => store.gap(kind, from, to, reason),
    flush: () => store.flush(),
    async close() {
      api.detachHistory();
      await api.stop().catch(() => {});
      await store.close();
    },
  };
}
