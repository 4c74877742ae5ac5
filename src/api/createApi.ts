/**
 * createApi: the API modules of `serve` and `demo`, assembled: the live snapshot (a ChangeSink fed with
 * the ingest's reports), the read use cases over it and the history, and the HTTP routes for
 * /graphql (queries over HTTP, subscriptions over WebSocket on the same path), /api/v1, /grafana and /ui.
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
import type { Logger } from '../watch/Logger.js';
import { grafanaRoutes } from './grafana/grafanaRoutes.js';
import { executableSchema } from './graphql/executableSchema.js';
import { GRAPHQL_PATH, graphqlRoutes, loadSchemaText } from './graphql/graphqlRoutes.js';
import { restRoutes } from './rest/restApi.js';
import { subscriptionServer, type SubscriptionOptions, type SubscriptionServer } from './graphql/subscriptionServer.js';
import { uiRoutes } from './ui/uiRoutes.js';

export interface Api {
  readonly live: LiveSnapshot;
  readonly state: ClusterState;
  readonly queries: Queries;
  readonly routes: readonly Route[];
  readonly subscriptions: SubscriptionServer;
  attachHistory(database: HistoryDatabase, cluster: string): void;
  detachHistory(): void;
  stop(): Promise<void>;
}

/** `subscriptions`: access (bearer token, CORS origins, as for HTTP) and bounds of the WebSocket side. */
export function createApi(log: Logger, options: { live?: LiveSnapshot; subscriptions?: SubscriptionOptions } = {}): Api {
  const live = options.live ?? new LiveSnapshot();
  const state = new ClusterState({ live });
  const queries = new Queries(state);
  const typeDefs = loadSchemaText();
  const schema = executableSchema(typeDefs);
  const graphql = graphqlRoutes(queries, log, typeDefs, schema);
  const subscriptions = subscriptionServer(queries, live, schema, log, options.subscriptions);
  const graphqlRoute = graphql.routes.map((r) => (r.path === GRAPHQL_PATH ? { ...r, upgrade: subscriptions.upgrade } : r));
  return {
    live,
    state,
    queries,
    subscriptions,
    routes: [...graphqlRoute, ...restRoutes(queries, log), ...grafanaRoutes(queries, log), ...uiRoutes(log)],
    attachHistory(database, cluster) {
      state.attachHistory({ reader: new HistoryReader(database), database, cluster });
    },
    detachHistory() {
      state.detachHistory();
    },
    async stop() {
      await subscriptions.stop();
      await graphql.stop();
    },
  };
}
