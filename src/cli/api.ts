/**
 * api: `routetrace api`, the read-only API (GraphQL, REST, Grafana, /metrics, probes) over an existing
 * history, for every cluster it holds, without watching any cluster: a horizontal read replica of the
 * serve processes that write the history. The database is named as for serve (DATABASE_OPTIONS); it is
 * opened read-only and never migrated. Exit codes: 0 after SIGTERM/SIGINT, 1 when the history cannot be
 * opened (missing file, schema not current), 2 for bad flags.
 */
import type { Command } from './Command.js';
import { API_OPTIONS, apiConfig } from '../config.js';
import { jsonLogger } from '../watch/Logger.js';
import { levelFilter } from '../ops/levelFilter.js';
import { OPS_OPTIONS, TOKEN_ENV, opsConfig } from '../ops/opsConfig.js';
import { exitSoonAfter } from './serve.js';

export const apiCommand: Command = {
  name: 'api',
  summary: 'Serve the APIs read-only from an existing history database, for every cluster it holds (no watching)',
  details: `Examples:
  routetrace api --db data/fleet.db --listen 0.0.0.0:8081
  routetrace api --database postgresql://reader@db.example/fleet --listen 0.0.0.0:8081
  curl 'http://127.0.0.1:8081/api/v1/clusters'

The history is opened read-only: this command never writes to it and applies no migrations (a history
whose schema is not current is refused: start \`routetrace serve\` on it once). Every query takes an optional
cluster (default: the only cluster of the history).
Every flag can also be set as ROUTETRACE_<FLAG>; the bearer token itself as ${TOKEN_ENV}.`,
  options: { ...API_OPTIONS, ...OPS_OPTIONS },
  async run(options) {
    const config = apiConfig(options, process.env);
    const ops = opsConfig(options, process.env);
    const log = levelFilter(jsonLogger(), ops.logLevel);
    const { runApi } = await import('../apiMain.js');
    const code = await runApi(config, ops, log);
    exitSoonAfter(code);
    return code;
  },
};
