/**
 * serve: `routetrace serve`, the long-running service. Flags (and ROUTETRACE_* variables) are read into
 * the frozen config; everything else happens in the composition root (src/main.ts). Logs are JSON lines
 * on stderr. Exit codes: 0 after SIGTERM/SIGINT, 1 when no cluster is configured or storing failed,
 * 2 for bad flags.
 */
import { setFlagsFromString } from 'node:v8';
import type { Command } from './Command.js';
import { SERVE_ENV_HELP, SERVE_OPTIONS, serveConfig } from '../config.js';
import { jsonLogger } from '../watch/Logger.js';
import { levelFilter } from '../ops/levelFilter.js';
import { OPS_OPTIONS, TOKEN_ENV, opsConfig } from '../ops/opsConfig.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: "Watch a cluster's Services, Endpoints, EndpointSlices, Pods and Ingresses into the history database",
  details: `${SERVE_ENV_HELP}\nThe bearer token itself can be given as ${TOKEN_ENV} (no flag: it would show in the process list).`,
  options: { ...SERVE_OPTIONS, ...OPS_OPTIONS },
  async run(options) {
    const config = serveConfig(options, process.env);
    const ops = opsConfig(options, process.env);
    const log = levelFilter(jsonLogger(), ops.logLevel);
    // Both threads' heaps grow at most 30 % over what the last full collection kept (V8's default lets
    // a heap reach several times its live size). Measured at 5k Services / 50k Pods after 30 s of churn:
    // RSS 729 MB instead of 1029 MB, the ingest thread's heap 265 MB instead of 448 MB, sync time alike.
    setFlagsFromString('--heap-growing-percent=30');
    // Imported here so other commands (e.g. resolve) start without loading the Kubernetes client and Prisma.
    const { productionDependencies, runServe } = await import('../main.js');
    log.log('info', 'serve.access', { auth: ops.authToken !== undefined ? 'bearer token' : 'off', corsOrigins: ops.corsOrigins.length ? ops.corsOrigins : 'off' });
    const code = await runServe(config, productionDependencies(log, ops));
    exitSoonAfter(code);
    return code;
  },
};

/**
 * After a long-running command has shut down, make sure the process really ends: a list request still in
 * flight (the Kubernetes client cannot cancel it) could otherwise keep it alive. The timer is unref'd, so
 * it never delays a process that is already done.
 */
export function exitSoonAfter(code: number, graceMs = 5_000): void {
  setTimeout(() => process.exit(code), graceMs).unref();
}
