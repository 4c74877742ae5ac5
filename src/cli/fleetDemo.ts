/**
 * fleetDemo: `routetrace demo --clusters A,B[,…] --database URL`, the fleet tour in one command. Starts one
 * simulated cluster per name in-process (the scenario with a different seed each, so the clusters differ), one
 * `serve` process per cluster writing the one database (`--cluster NAME`, as a fleet runs them), and, once
 * every serve is ready, the read-only API (`routetrace api`) over that database on the demo's listen address:
 * the fleet queried as one. Prints where to look; SIGTERM/SIGINT stops the API, then the serve processes
 * (each flushes its history), then the simulators. A serve process that exits early stops the demo (exit 1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ApiConfig } from '../config.js';
import { packageRoot } from '../history/packageRoot.js';
import { redactedUrl } from '../history/postgresConnection.js';
import { startSim, type SimHandle } from '../sim/startSim.js';
import { errorText, type Logger } from '../watch/Logger.js';

export interface FleetDemoOptions {
  readonly clusters: readonly string[];
  /** The database every serve writes and the API reads (PostgreSQL URL). */
  readonly database: string;
  readonly listen: ApiConfig['listen'];
  readonly scenario: string;
  readonly churn: number;
  readonly seed: number;
}

interface Member {
  readonly cluster: string;
  readonly sim: SimHandle;
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly exited: Promise<number>;
}

const READY_TIMEOUT_MS = 120_000;

/** A `serve` child for one cluster; its log lines go to this process's stderr, its URL is read from serve.start. */
function startServe(cluster: string, sim: SimHandle, database: string): Member {
  const bin = path.join(packageRoot(), 'bin', 'routetrace.js');
  const child = spawn(process.execPath, [bin, 'serve', '--server', sim.url, '--cluster', cluster, '--database', database, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  const url = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      process.stderr.write(`[${cluster}] ${line}\n`);
      try {
        const entry = JSON.parse(line) as { event?: string; listen?: string };
        if (entry.event === 'serve.start' && entry.listen) resolve(entry.listen);
      } catch {
        // Not a log line: forwarded as it is.
      }
    });
    void exited.then((code) => reject(new Error(`serve for cluster ${cluster} exited (code ${code}) before it started`)));
  });
  url.catch(() => {});
  return { cluster, sim, child, url, exited };
}

async function waitReady(member: Member): Promise<string> {
  const url = await member.url;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) return url;
    if (member.child.exitCode !== null) throw new Error(`serve for cluster ${member.cluster} exited before it was ready`);
    if (Date.now() > deadline) throw new Error(`serve for cluster ${member.cluster} was not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopAll(members: readonly Member[], log: Logger): Promise<number> {
  for (const m of members) if (m.child.exitCode === null) m.child.kill('SIGTERM');
  const codes = await Promise.all(members.map((m) => m.exited));
  await Promise.all(members.map((m) => m.sim.close().catch((err) => log.log('warn', 'demo.sim_close_failed', { error: errorText(err) }))));
  return codes.every((c) => c === 0) ? 0 : 1;
}

/** Runs the fleet demo until SIGTERM/SIGINT (exit 0) or until a serve process fails (exit 1). */
export async function runFleetDemo(options: FleetDemoOptions, log: Logger): Promise<number> {
  const members: Member[] = [];
  for (const [i, cluster] of options.clusters.entries()) {
    const sim = await startSim({ scenario: options.scenario, churn: options.churn, seed: options.seed + i });
    members.push(startServe(cluster, sim, options.database));
  }
  let serveUrls: string[];
  let api: import('../apiMain.js').ApiRuntime;
  try {
    serveUrls = await Promise.all(members.map(waitReady));
    const { ApiRuntime } = await import('../apiMain.js');
    api = await ApiRuntime.start({ db: '', database: options.database, listen: options.listen }, { corsOrigins: [] }, log);
  } catch (err) {
    await stopAll(members, log);
    throw new Error(`demo: the fleet did not start: ${errorText(err)}`);
  }
  process.stdout.write(
    [
      'routetrace fleet demo is running:',
      ...members.map((m, i) => `  cluster ${m.cluster.padEnd(10)} simulated at ${m.sim.url}, serve at ${serveUrls[i]} (seed ${options.seed + i})`),
      `  history database   ${redactedUrl(options.database)}   (scenario ${options.scenario}, ${options.churn} changes/s per cluster)`,
      `  fleet API          ${api.url}   (routetrace api: every cluster of the database, read-only)`,
      `  try                curl '${api.url}/api/v1/clusters'`,
      `                     curl '${api.url}/api/v1/route?host=ibtisam-iq.com&port=443'   (one answer per cluster)`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const failed = Promise.race(members.map((m) => m.exited.then((code) => ({ cluster: m.cluster, code }))));
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  const ended = await Promise.race([signalled.then((signal) => ({ signal })), failed]);
  await api.stop('signal' in ended ? ended.signal : 'serve exited');
  const code = await stopAll(members, log);
  if (!('signal' in ended)) {
    log.log('error', 'demo.serve_exited', { cluster: ended.cluster, code: ended.code });
    return 1;
  }
  return code;
}
