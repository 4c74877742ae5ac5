/**
 * sim: `routetrace sim` — runs the simulated Kubernetes API server until SIGINT/SIGTERM.
 * Thin: parses flags, calls startSim, prints `listening on <url>` once ready.
 */
import { existsSync } from 'node:fs';
import { BUILTIN_SCENARIOS } from '../sim/Scenario.js';
import { parseScaleSpec, type ScaleSpec } from '../sim/ScaleGenerator.js';
import { startSim } from '../sim/startSim.js';
import { type Command, UsageError } from './Command.js';
import { intOption, numberOption, stringOption } from './optionValues.js';

export const simCommand: Command = {
  name: 'sim',
  summary: 'Run a simulated Kubernetes API server (list/watch, write verbs, controllers, churn, faults)',
  details: [
    'kubectl works against it: kubectl --server http://127.0.0.1:PORT get svc,ep,endpointslices,pods,ingress -A',
    '(create/apply/delete too; validation is left to the server, which keeps unknown fields). See src/sim/README.md.',
    'Control endpoint (POST unless noted): /_sim/cut-watches[?mode=reset|clean], /_sim/expire-watches,',
    '/_sim/fail?status=500|503|429&ms=N, /_sim/compact, /_sim/pause, /_sim/resume, /_sim/restart[?downMs=N],',
    '/_sim/finish-terminating, /_sim/churn?rate=N, /_sim/apply, GET /_sim/changes[?sinceRv=N], GET /_sim/state.',
  ].join('\n'),
  options: {
    port: { type: 'string', valueName: 'N', description: 'Port to listen on; 0 picks a free one', defaultText: '0' },
    host: { type: 'string', valueName: 'H', description: 'Address to listen on', defaultText: '127.0.0.1' },
    scenario: { type: 'string', valueName: 'NAME|FILE', description: `Initial objects: ${BUILTIN_SCENARIOS.join(', ')}, or a YAML manifests file`, defaultText: 'seed' },
    churn: { type: 'string', valueName: 'EVENTS_PER_S', description: 'Churn actions per second, each one or more change events (rolling restarts, scaling, readiness flaps, Ingress edits)', defaultText: '0' },
    seed: { type: 'string', valueName: 'N', description: 'Seed for uids, generated names and churn', defaultText: '1' },
    scale: { type: 'string', valueName: 'services=N,pods=M,ingresses=K', description: 'Add a large synthetic cluster' },
    'history-window': { type: 'string', valueName: 'N', description: 'Watch events kept per kind for replay', defaultText: '10000' },
    'pod-grace-ms': { type: 'string', valueName: 'MS', description: 'Grace period of Pod deletions', defaultText: '5000' },
    'bookmark-ms': { type: 'string', valueName: 'MS', description: 'Interval of BOOKMARK events (allowWatchBookmarks=true)', defaultText: '5000' },
    'change-log-limit': { type: 'string', valueName: 'N', description: 'Changes kept for GET /_sim/changes', defaultText: '50000' },
    'no-gateway-api': { type: 'boolean', description: 'Serve a cluster without the Gateway API CRDs (their paths answer 404; the scenario\'s Gateway API objects are left out)' },
  },
  async run(options) {
    const port = intOption(options, 'port', 0, 65535) ?? 0;
    const host = stringOption(options, 'host') ?? '127.0.0.1';
    const scenario = stringOption(options, 'scenario') ?? 'seed';
    if (!(BUILTIN_SCENARIOS as readonly string[]).includes(scenario) && !existsSync(scenario)) {
      throw new UsageError(`--scenario: '${scenario}' is neither a built-in scenario (${BUILTIN_SCENARIOS.join(', ')}) nor a file`);
    }
    const churn = numberOption(options, 'churn', 0, 100_000) ?? 0;
    const seed = intOption(options, 'seed', 0, 2 ** 31 - 1) ?? 1;
    const scaleRaw = stringOption(options, 'scale');
    let scale: ScaleSpec | undefined;
    if (scaleRaw !== undefined) {
      try {
        scale = parseScaleSpec(scaleRaw);
      } catch (err) {
        throw new UsageError(`--scale: ${(err as Error).message}`);
      }
    }
    const historyWindow = intOption(options, 'history-window', 1, 10_000_000) ?? 10_000;
    const podGraceMs = intOption(options, 'pod-grace-ms', 0, 3_600_000) ?? 5000;
    const bookmarkMs = intOption(options, 'bookmark-ms', 10, 3_600_000) ?? 5000;
    const changeLogLimit = intOption(options, 'change-log-limit', 1, 100_000_000) ?? 50_000;

    const gatewayApi = options['no-gateway-api'] !== true;
    const sim = await startSim({ port, host, scenario, churn, seed, scale, historyWindow, podGraceMs, bookmarkMs, changeLogLimit, gatewayApi });
    process.stdout.write(`listening on ${sim.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void sim.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
