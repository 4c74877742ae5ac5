/**
 * demo: `routetrace demo`, a one-command tour. Starts the simulated cluster in-process (seed scenario, or
 * `--scenario canary`, changing a few times a second) and `serve` against it, prints where to look, and runs until
 * SIGTERM/SIGINT, then stops serve (flushing the history) and the simulator. With `--clusters A,B --database URL`
 * it runs a fleet instead: one simulated cluster and one serve per name into one PostgreSQL database, and the
 * read-only API over all of them (fleetDemo.ts).
 */
import type { Command } from './Command.js';
import { UsageError } from './Command.js';
import { intOption, numberOption, stringOption } from './optionValues.js';
import { BUILTIN_SCENARIOS } from '../sim/Scenario.js';
import { SERVE_OPTIONS, serveConfig } from '../config.js';
import type { ServeRuntime } from '../main.js';
import { startSim } from '../sim/startSim.js';
import { errorText, jsonLogger } from '../watch/Logger.js';
import { exitSoonAfter } from './serve.js';

export const DEFAULT_DEMO_DB = './data/demo.db';
export const DEFAULT_DEMO_CHURN = 3;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Start a simulated cluster with ongoing changes and serve its history (one command)',
  options: {
    listen: { ...SERVE_OPTIONS['listen']! },
    db: { ...SERVE_OPTIONS['db']!, defaultText: DEFAULT_DEMO_DB },
    churn: { type: 'string', valueName: 'N', description: 'Simulated changes per second', defaultText: String(DEFAULT_DEMO_CHURN) },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the simulated changes (same seed, same changes)', defaultText: '1' },
    clusters: { type: 'string', valueName: 'A,B,…', description: 'A fleet: one simulated cluster and one serve per name, all into --database, queried through one read-only API' },
    database: { ...SERVE_OPTIONS['database']!, description: 'PostgreSQL database of a fleet demo (postgresql://user:password@host:port/name; with --clusters)' },
    scenario: { type: 'string', valueName: 'NAME', description: `Simulated cluster: ${BUILTIN_SCENARIOS.filter((s) => s !== 'empty').join(', ')} (canary: an HTTPRoute that splits 90/10 after 30 s)`, defaultText: 'seed' },
  },
  details: 'Ctrl-C stops it; the database stays for later `routetrace` commands.',
  async run(options) {
    const churn = numberOption(options, 'churn', 0, 10_000) ?? DEFAULT_DEMO_CHURN;
    const seed = intOption(options, 'seed', 0, 2 ** 31 - 1) ?? 1;
    const base = serveConfig({ ...(options['listen'] !== undefined ? { listen: options['listen'] } : {}), db: (options['db'] as string | undefined) ?? DEFAULT_DEMO_DB }, {});
    const log = jsonLogger();
    const scenario = stringOption(options, 'scenario') ?? 'seed';
    if (!(BUILTIN_SCENARIOS as readonly string[]).includes(scenario) || scenario === 'empty') {
      throw new UsageError(`--scenario: '${scenario}' is not one of ${BUILTIN_SCENARIOS.filter((s) => s !== 'empty').join(', ')}`);
    }
    const clusters = stringOption(options, 'clusters');
    const database = stringOption(options, 'database');
    if (clusters !== undefined) {
      const names = clusters.split(',').map((c) => c.trim()).filter((c) => c !== '');
      if (names.length === 0 || new Set(names).size !== names.length) throw new UsageError(`--clusters: expected distinct cluster names separated by commas, got '${clusters}'`);
      for (const name of names) serveConfig({ cluster: name }, {});
      if (database === undefined) throw new UsageError('--clusters: a fleet demo writes one PostgreSQL database: give --database postgresql://…');
      if (options['db'] !== undefined) throw new UsageError('--clusters: the fleet is stored in --database, not in a --db file');
      const fleetDb = serveConfig({ database }, {}).database!;
      const { runFleetDemo } = await import('./fleetDemo.js');
      const code = await runFleetDemo({ clusters: names, database: fleetDb, listen: base.listen, scenario, churn, seed }, log);
      exitSoonAfter(code);
      return code;
    }
    if (database !== undefined) throw new UsageError('--database: only with --clusters (the single-cluster demo writes --db)');
    const sim = await startSim({ scenario, churn, seed });
    let rt: ServeRuntime;
    try {
      // Imported here so other commands (e.g. resolve) start without loading the Kubernetes client and Prisma.
      const { productionDependencies, ServeRuntime: Runtime } = await import('../main.js');
      rt = await Runtime.start({ ...base, server: sim.url, cluster: 'demo' }, productionDependencies(log));
    } catch (err) {
      await sim.close();
      if (err instanceof UsageError) throw err;
      throw new Error(`demo: serve did not start: ${errorText(err)}`);
    }
    process.stdout.write(
      [
        'routetrace demo is running:',
        `  simulated cluster  ${sim.url}   (kubectl --server ${sim.url} get pods -A)`,
        `  routetrace         ${rt.url}   (${rt.url}/readyz)`,
        `  route viewer       ${rt.url}/ui?host=ibtisam-iq.com&port=443`,
        `  history database   ${base.db}   (cluster "demo", scenario ${scenario}, ${churn} changes/s, seed ${seed})`,
        ...(scenario === 'canary'
          ? [`  canary             starts 30 s after the start: curl '${rt.url}/api/v1/route?host=shop.example.com&path=/checkout' | jq .gateway.backends`]
          : []),
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    const onSignal = (signal: NodeJS.Signals) => void rt.stop(signal);
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    const code = await rt.done;
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await sim.close();
    exitSoonAfter(code);
    return code;
  },
};
