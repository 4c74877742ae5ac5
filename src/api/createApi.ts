/**
 * createApi: the API modules of `serve`, `demo` and `api`, assembled: the live snapshot (a ChangeSink fed
 * with the ingest's reports; never fed in the read-only `api`), the clusters of the history with their
 * read use cases (Fleet), and the HTTP routes for /graphql (queries over HTTP, subscriptions over WebSocket
 * on the same path, following the watched cluster's live state), /api/v1, /grafana and /ui.
 *
 * Lifecycle (driven by the composition root): create before HTTP listens (routes are registered then);
 * `attachHistory` once the history database is open (with the cluster this process watches, if any);
 * `detachHistory` before it is closed (requests then answer HISTORY_UNAVAILABLE instead of touching a
 * closed file); `stop` at shutdown.
 */
import type { HistoryDatabase } from '../history/openHistoryDatabase.js';
import type { ClusterState } from '../queries/ClusterState.js';
import { Fleet } from '../queries/Fleet.js';
import type { Queries } from '../queries/Queries.js';
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
  readonly fleet: Fleet;
  /** The state of the watched cluster (the live state first). */
  readonly state: ClusterState;
  /** The read use cases of the watched cluster. */
  readonly queries: Queries;
  readonly routes: readonly Route[];
  readonly subscriptions: SubscriptionServer;
  /** `watched`: the cluster this process watches (answered from the live state for now). */
  attachHistory(database: HistoryDatabase, watched?: string): void;
  detachHistory(): void;
  stop(): Promise<void>;
}

/** `subscriptions`: access (bearer token, CORS origins, as for HTTP) and bounds of the WebSocket side. */
export function createApi(log: Logger, options: { live?: LiveSnapshot; subscriptions?: SubscriptionOptions } = {}): Api {
  const live = options.live ?? new LiveSnapshot();
  const fleet = new Fleet({ live });
  const typeDefs = loadSchemaText();
  const schema = executableSchema(typeDefs);
  const graphql = graphqlRoutes(fleet, log, typeDefs, schema);
  const subscriptions = subscriptionServer(fleet, live, schema, log, options.subscriptions);
  const graphqlRoute = graphql.routes.map((r) => (r.path === GRAPHQL_PATH ? { ...r, upgrade: subscriptions.upgrade } : r));
  return {
    live,
    fleet,
    state: fleet.primary.state,
    queries: fleet.primary,
    subscriptions,
    routes: [...graphqlRoute, ...restRoutes(fleet, log), ...grafanaRoutes(fleet, log), ...uiRoutes(log)],
    attachHistory(database, watched) {
      fleet.attachHistory(database, watched);
    },
    detachHistory() {
      fleet.detachHistory();
    },
    async stop() {
      await subscriptions.stop();
      await graphql.stop();
    },
  };
}
