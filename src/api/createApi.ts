/**
 * createApi: the API modules of `serve` and `demo`, assembled: the live snapshot (a ChangeSink fed with
 * the ingest's reports), the read use cases over it and the history, and the HTTP routes for
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
