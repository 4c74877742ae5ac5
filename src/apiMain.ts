/**
 * apiMain: the composition root of `routetrace api`, the read-only API over an existing history (a
 * horizontal read replica of the serve processes writing it). It watches no cluster and never writes.
 *
 * Start order: open the history read-only (the file must exist and its schema be current: nothing is
 * migrated; else the start fails with one line), then the API modules over every cluster it holds (no
 * live state: "now" is the history at the current time), then HTTP: /graphql, /api/v1, /grafana,
 * /metrics, /healthz and /readyz (ready while the database is open). Clusters that serve processes add
 * later are answered as soon as they are stored.
 *
 * Shutdown order (SIGTERM/SIGINT): close HTTP (open requests get a grace period), detach the history
 * from the API, close the database. Exit code 0.
 */
import { createApi, type Api } from './api/createApi.js';
import type { ApiConfig } from './config.js';
import { openHistoryDatabase, type HistoryDatabase } from './history/openHistoryDatabase.js';
import { createOperability } from './ops/operability.js';
import type { OpsConfig } from './ops/opsConfig.js';
import { HttpServer, healthRoutes } from './server.js';
import { errorText, type Logger } from './watch/Logger.js';

export class ApiRuntime {
  url = '';
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly database: HistoryDatabase,
    private readonly api: Api,
    private readonly http: HttpServer,
    private readonly log: Logger,
  ) {}

  static async start(config: ApiConfig, ops: Pick<OpsConfig, 'authToken' | 'corsOrigins'>, log: Logger): Promise<ApiRuntime> {
    const database = await openHistoryDatabase({ ...(config.database !== undefined ? { url: config.database } : { file: config.db }), readOnly: true });
    const api = createApi(log);
    api.attachHistory(database);
    const operability = createOperability(ops);
    const http = new HttpServer([], log);
    const rt = new ApiRuntime(database, api, http, log);
    try {
      for (const r of healthRoutes(() => ({ ready: database.db.open, phase: database.db.open ? 'serving' : 'stopping', readOnly: true, clusters: api.fleet.names() }))) http.addRoute(r);
      for (const r of [...api.routes, ...operability.routes]) http.addRoute(r);
      for (const f of operability.filters) http.addFilter(f);
      rt.url = (await http.listen(config.listen)).url;
    } catch (err) {
      await api.stop().catch(() => {});
      await database.close();
      throw err;
    }
    log.log('info', 'api.start', { listen: rt.url, db: database.location, readOnly: true, clusters: api.fleet.names(), pid: process.pid });
    return rt;
  }

  /** Shutdown in the documented order. */
  stop(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.log.log('info', 'api.stopping', { reason });
      await this.http.close();
      this.api.detachHistory();
      await this.api.stop().catch((err) => this.log.log('warn', 'api.graphql_stop_failed', { error: errorText(err) }));
      await this.database.close();
      this.log.log('info', 'api.stopped', {});
    })();
    return this.stopping;
  }
}

/** Runs the read-only API until SIGTERM/SIGINT; resolves with the exit code. */
export async function runApi(config: ApiConfig, ops: Pick<OpsConfig, 'authToken' | 'corsOrigins'>, log: Logger): Promise<number> {
  const rt = await ApiRuntime.start(config, ops, log);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      void rt.stop(signal).then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  return 0;
}
