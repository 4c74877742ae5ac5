/**
 * A fleet in one PostgreSQL database, end to end: three `serve` processes (the real CLI, real watchers and
 * ingest, one per simulated cluster under churn, `--cluster` each) write one database at once. One of them
 * is restarted while the others keep writing. Afterwards each cluster's stored current state equals its own
 * simulator (no lost writes, no rows of another cluster), the store's invariants hold, only the restarted
 * cluster has a restart gap, and every process stops cleanly. A read-only `routetrace api` on the same
 * database answers for the whole fleet: every cluster listed and synced, a host question answered per cluster.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { openHistoryDatabase } from '../../src/history/openHistoryDatabase.js';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { createPostgresDatabase, postgresUnavailable } from '../helpers/backends.js';
import { runCli } from '../helpers/runCli.js';
import { waitFor } from '../watch/waitFor.js';
import { snapshotMismatches } from './historyCompare.js';
import { ServeProcess } from './serveProcess.js';

const CLUSTERS = ['eu-1', 'eu-2', 'us-1'] as const;

let sims: SimHandle[] = [];
let procs: ServeProcess[] = [];

afterEach(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await Promise.all(sims.map((s) => s.close()));
  procs = [];
  sims = [];
});

async function ready(p: ServeProcess): Promise<void> {
  const url = await p.url();
  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { what: `${url} ready`, timeoutMs: 45_000 });
}

const missing = postgresUnavailable();
const run = missing === null || process.env.CI ? describe : describe.skip;

run(`several serve processes, one PostgreSQL database${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('each cluster\'s history equals its own simulator; a restart of one does not disturb the others', async () => {
    if (missing) throw new Error(`PostgreSQL is required in CI: ${missing}`);
    const url = createPostgresDatabase(inject('postgresUrl'));
    sims = await Promise.all(CLUSTERS.map((_, i) => startSim({ scenario: 'seed', seed: 31 + i, podGraceMs: 300, churn: 30 })));
    const start = (i: number) => {
      const p = new ServeProcess(['--server', sims[i]!.url, '--listen', '127.0.0.1:0', '--cluster', CLUSTERS[i]!, '--database', url]);
      procs.push(p);
      return p;
    };
    // All three start at once: migrations and cluster registration race on purpose.
    const serves = CLUSTERS.map((_, i) => start(i));
    await Promise.all(serves.map(ready));
    const churned = (n: number) => Promise.all(sims.map(async (s) => {
      const rv = s.resourceVersion();
      await waitFor(() => s.resourceVersion() >= rv + n, { what: `${n} more changes` });
    }));
    await churned(40);

    // Restart eu-2 while the other two keep writing.
    serves[1]!.kill('SIGTERM');
    expect((await serves[1]!.exited).code).toBe(0);
    await churned(20);
    serves[1] = start(1);
    await ready(serves[1]);
    await churned(40);

    for (const s of sims) {
      s.churn.stop();
      s.finishTerminating();
    }
    const database = await openHistoryDatabase({ url });
    try {
      const reader = new HistoryReader(database);
      for (const [i, cluster] of CLUSTERS.entries()) {
        await waitFor(() => snapshotMismatches(reader.currentSnapshot(cluster), sims[i]!.state()).length === 0, {
          what: `the stored state of ${cluster} to equal its simulator`,
          timeoutMs: 45_000,
          describe: () => snapshotMismatches(reader.currentSnapshot(cluster), sims[i]!.state()).slice(0, 10),
        });
        // Not another cluster's state: the seeds differ, so the simulators differ.
        const other = sims[(i + 1) % sims.length]!.state();
        expect(snapshotMismatches(reader.currentSnapshot(cluster), other).length).toBeGreaterThan(0);
      }
      const restartGaps = async (cluster: string) =>
        (await reader.gaps(cluster, new Date(0), new Date())).filter((g) => g.reason.includes('restart'));
      expect((await restartGaps('eu-2')).length).toBeGreaterThan(0);
      expect(await restartGaps('eu-1')).toEqual([]);
      expect(await restartGaps('us-1')).toEqual([]);
      expect(checkInvariants(database.db)).toEqual([]);
    } finally {
      await database.close();
    }
    const api = new ServeProcess(['--database', url, '--listen', '127.0.0.1:0'], {}, 'api');
    procs.push(api);
    const apiUrl = await api.url();
    const clusters = await (await fetch(`${apiUrl}/api/v1/clusters`)).json() as { clusters: { name: string; synced: boolean }[] };
    expect(clusters.clusters.map((c) => [c.name, c.synced])).toEqual(CLUSTERS.map((c) => [c, true]));
    // The seed's Ingress host, asked without a cluster: one answer per cluster, each what that cluster's serve says.
    const question = 'host=ibtisam-iq.com&port=80';
    const perCluster = await (await fetch(`${apiUrl}/api/v1/route?${question}`)).json() as { clusters: { cluster: string; answer: { verdict: string; backends: string[] } }[] };
    expect(perCluster.clusters.map((c) => c.cluster)).toEqual([...CLUSTERS]);
    for (const [i, c] of perCluster.clusters.entries()) {
      const own = await (await fetch(`${await serves[i]!.url()}/api/v1/route?${question}&cluster=${CLUSTERS[i]}`)).json() as { verdict: string; backends: string[] };
      expect({ cluster: c.cluster, verdict: c.answer.verdict, backends: c.answer.backends }).toEqual({ cluster: CLUSTERS[i], verdict: own.verdict, backends: own.backends });
    }
    expect(perCluster.clusters.some((c) => c.answer.verdict === 'forwarded')).toBe(true);
    const one = await fetch(`${apiUrl}/api/v1/route?${question}&cluster=eu-2`);
    expect(one.headers.get('x-routetrace-cluster')).toBe('eu-2');
    api.kill('SIGTERM');
    expect((await api.exited).code).toBe(0);
    // The CLI reads the same fleet: `clusters --database URL`.
    const cli = await runCli(['clusters', '--database', url, '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { name: string; synced: boolean }[]).map((c) => [c.name, c.synced])).toEqual(CLUSTERS.map((c) => [c, true]));

    for (const p of serves) p.kill('SIGTERM');
    for (const p of serves) expect((await p.exited).code).toBe(0);
    for (const p of serves) expect(p.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
