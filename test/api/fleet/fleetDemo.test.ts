/**
 * `routetrace demo --clusters eu-1,eu-2 --database URL`, the README's fleet example, run as a user runs it
 * (the compiled CLI as a child process) against a fresh PostgreSQL database: it prints the fleet API's
 * address, that API lists both clusters synced and answers the seed's host once per cluster, and SIGTERM
 * stops the whole fleet with exit 0. Bad fleet flags are usage errors (exit 2) naming the flag.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase, postgresUnavailable } from '../../helpers/backends.js';
import { BIN, runCli } from '../../helpers/runCli.js';
import { waitFor } from '../../watch/waitFor.js';

const missing = postgresUnavailable();
const run = missing === null || process.env.CI ? describe : describe.skip;

let stopChild: (() => void) | undefined;
afterEach(() => stopChild?.());

run(`demo --clusters: a fleet in one PostgreSQL database${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('serves both clusters through one read-only API and stops cleanly', async () => {
    if (missing) throw new Error(`PostgreSQL is required in CI: ${missing}`);
    const url = createPostgresDatabase(inject('postgresUrl'));
    const child = spawn(process.execPath, [BIN, 'demo', '--clusters', 'eu-1,eu-2', '--database', url, '--listen', '127.0.0.1:0', '--churn', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    stopChild = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-20_000)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let api = '';
    await waitFor(() => (api = /fleet API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '') !== '', {
      what: 'the fleet demo to print its API address', timeoutMs: 90_000, describe: () => ({ out, err: err.slice(-3000) }),
    });
    expect(out).toMatch(/cluster eu-1 .*simulated at http/);
    expect(out).toMatch(/cluster eu-2 .*simulated at http/);
    expect(out).not.toContain(new URL(url).password || '\u0000');

    const clusters = await (await fetch(`${api}/api/v1/clusters`)).json() as { clusters: { name: string; synced: boolean }[] };
    expect(clusters.clusters.map((c) => [c.name, c.synced])).toEqual([['eu-1', true], ['eu-2', true]]);
    const perCluster = await (await fetch(`${api}/api/v1/route?host=ibtisam-iq.com&port=443`)).json() as { clusters: { cluster: string; answer: { verdict: string } }[] };
    expect(perCluster.clusters.map((c) => c.cluster)).toEqual(['eu-1', 'eu-2']);
    for (const c of perCluster.clusters) expect(c.answer.verdict).toBe('forwarded');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('demo --clusters: usage errors', () => {
  const cases = [
    { name: 'no database', args: ['--clusters', 'a,b'], message: /--clusters: a fleet demo writes one PostgreSQL database/ },
    { name: 'a file instead of a URL', args: ['--clusters', 'a,b', '--database', 'fleet.db'], message: /--database: expected a postgresql:\/\/ URL/ },
    { name: 'the same cluster twice', args: ['--clusters', 'a,a', '--database', 'postgresql://x@127.0.0.1/f'], message: /--clusters: expected distinct cluster names/ },
    { name: 'a bad cluster name', args: ['--clusters', 'a,b c', '--database', 'postgresql://x@127.0.0.1/f'], message: /is not a cluster name/ },
    { name: 'a database without clusters', args: ['--database', 'postgresql://x@127.0.0.1/f'], message: /--database: only with --clusters/ },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 2 naming the flag`, async () => {
      const r = await runCli(['demo', ...c.args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(c.message);
    });
  }
});
