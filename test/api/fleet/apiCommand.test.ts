/**
 * `routetrace api` as a process: the read-only API over a history that `routetrace serve` (a process,
 * watching the simulator) writes. It answers the same as serve while serve writes, keeps answering after
 * serve stopped, and never writes: the database file is byte for byte the same before and after the API
 * answered and stopped. It refuses a missing file and a history whose schema is not current (without
 * touching it). CLI history commands take --cluster on a fleet history.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type SimHandle } from '../../../src/sim/startSim.js';
import { runCli } from '../../helpers/runCli.js';
import { ServeProcess } from '../../serve/serveProcess.js';
import { waitFor } from '../../watch/waitFor.js';
import { getJson, gql } from '../helpers.js';
import { HOST, writeFleetHistory } from './fleetHistory.js';
import { at } from '../../queries/fixtures.js';

let dir: string;
let sim: SimHandle | undefined;
let procs: ServeProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rt-api-'));
});
afterEach(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  procs = [];
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function start(command: 'serve' | 'api', args: string[]): ServeProcess {
  const p = new ServeProcess(['--listen', '127.0.0.1:0', ...args], {}, command);
  procs.push(p);
  return p;
}

function digest(file: string): string {
  const h = createHash('sha256').update(readFileSync(file));
  for (const extra of [`${file}-wal`]) if (existsSync(extra)) h.update(readFileSync(extra));
  return h.digest('hex');
}

const SERVICES = '{ services(first: 500) { totalCount edges { node { namespace name } } } }';

describe('routetrace api', () => {
  it('answers from the history serve writes, as serve does, and never writes to it', async () => {
    sim = await startSim({ scenario: 'seed', seed: 5 });
    const db = join(dir, 'fleet.db');
    const serve = start('serve', ['--server', sim.url, '--cluster', 'alpha', '--db', db]);
    const serveUrl = await serve.url();
    await waitFor(async () => (await fetch(`${serveUrl}/readyz`)).status === 200, { what: 'serve ready' });

    const api = start('api', ['--db', db]);
    const apiUrl = await api.url();
    expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
    const ready = await getJson(`${apiUrl}/readyz`);
    expect([ready.status, ready.body.ready, ready.body.readOnly, ready.body.clusters]).toEqual([200, true, true, ['alpha']]);

    // While serve writes: the API lists the cluster, synced, and answers as serve does (one cluster: no argument needed).
    const clusters = await getJson(`${apiUrl}/api/v1/clusters`);
    expect(clusters.body.clusters.map((c: any) => [c.name, c.synced, c.watchedHere])).toEqual([['alpha', true, false]]);
    const fromServe = await gql(serveUrl, SERVICES);
    const fromApi = await gql(apiUrl, SERVICES);
    expect(fromApi.body.errors).toBeUndefined();
    expect(fromApi.body.data.services.totalCount).toBeGreaterThan(0);
    expect(fromApi.body.data).toEqual(fromServe.body.data);
    const viaServe = await gql(serveUrl, '{ clusters { name watchedHere synced } }');
    expect(viaServe.body.data.clusters).toEqual([{ name: 'alpha', watchedHere: true, synced: true }]);

    serve.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
    const before = digest(db);
    const mtime = statSync(db).mtimeMs;

    // Every API surface of the read-only process, after the writer stopped.
    const answers: { name: string; request: () => Promise<number> }[] = [
      { name: 'GraphQL', request: async () => (await gql(apiUrl, SERVICES)).status },
      { name: 'REST route', request: async () => (await fetch(`${apiUrl}/api/v1/route?service=default/my-app-service`)).status },
      { name: 'REST clusters', request: async () => (await fetch(`${apiUrl}/api/v1/clusters?cluster=alpha`)).status },
      { name: 'Grafana variable', request: async () => (await fetch(`${apiUrl}/grafana/variable`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload: { target: 'namespaces' } }) })).status },
      { name: 'Infinity clusters', request: async () => (await fetch(`${apiUrl}/grafana/infinity/clusters`)).status },
      { name: 'metrics', request: async () => (await fetch(`${apiUrl}/metrics`)).status },
    ];
    const statuses = [];
    for (const a of answers) statuses.push([a.name, await a.request()]);
    expect(statuses).toEqual(answers.map((a) => [a.name, 200]));
    expect((await gql(apiUrl, SERVICES)).body.data).toEqual(fromServe.body.data);

    api.kill('SIGTERM');
    expect((await api.exited).code).toBe(0);
    expect(api.lines.at(-1)).toMatchObject({ event: 'api.stopped' });
    expect(digest(db)).toBe(before);
    expect(statSync(db).mtimeMs).toBe(mtime);
  });

  const refusals: { name: string; prepare: (file: string) => void; message: RegExp }[] = [
    { name: 'a missing file', prepare: () => {}, message: /no such file/ },
    { name: 'a file that is not a routetrace history', prepare: (f) => writeFileSync(f, ''), message: /not a routetrace history|file is not a database/ },
    {
      name: 'a history written by an older routetrace (migration pending)',
      prepare: (f) => writeFileSync(f, gunzipSync(readFileSync(fileURLToPath(new URL('../../history/fixtures/legacy/main-d81d1ef.db.gz', import.meta.url))))),
      message: /schema is not current \(\d+ migration\(s\) pending: .*start `routetrace serve` on it once/,
    },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}, exit 1, and leaves it as it was`, async () => {
      const file = join(dir, 'history.db');
      c.prepare(file);
      const before = existsSync(file) ? digest(file) : null;
      const r = await runCli(['api', '--db', file, '--listen', '127.0.0.1:0']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(c.message);
      expect(existsSync(file) ? digest(file) : null).toBe(before);
    });
  }
});

describe('CLI history commands on a fleet history (--cluster)', () => {
  const cases: { name: string; args: (db: string) => string[]; code: number; out?: RegExp; err?: RegExp; notOut?: RegExp }[] = [
    { name: 'resolve a host without --cluster: one answer per cluster', args: (db) => ['resolve', '--db', db, '--at', at(30).toISOString(), '--host', HOST], code: 0, out: /Cluster eu-1:[\s\S]*10\.0\.1\.1[\s\S]*Cluster eu-2:[\s\S]*10\.0\.2\.1[\s\S]*Cluster us-1:/ },
    { name: 'resolve a host with --cluster: that cluster only', args: (db) => ['resolve', '--db', db, '--at', at(30).toISOString(), '--host', HOST, '--cluster', 'eu-2'], code: 0, out: /10\.0\.2\.1/, notOut: /Cluster |10\.0\.1\.1/ },
    { name: 'resolve a Service without --cluster: an error naming the clusters', args: (db) => ['resolve', '--db', db, '--service', 'default/my-app-service'], code: 1, err: /several clusters: choose one with --cluster \(eu-1, eu-2, us-1\)/ },
    { name: 'resolve with an unknown --cluster', args: (db) => ['resolve', '--db', db, '--host', HOST, '--cluster', 'nope'], code: 1, err: /no cluster 'nope'.*eu-1, eu-2, us-1/ },
    { name: 'timeline without --cluster: an error naming the clusters', args: (db) => ['timeline', '--db', db, '--service', 'default/my-app-service'], code: 1, err: /choose one with --cluster/ },
    { name: 'timeline with --cluster', args: (db) => ['timeline', '--db', db, '--service', 'default/my-app-service', '--cluster', 'eu-1', '--from', at(0).toISOString(), '--to', at(70).toISOString()], code: 0, out: /ENDPOINT_NOT_READY[\s\S]*WATCH_GAP|WATCH_GAP[\s\S]*ENDPOINT_NOT_READY/ },
    { name: 'clusters: every cluster, sync state and gaps', args: (db) => ['clusters', '--db', db], code: 0, out: /Cluster eu-1: synced[\s\S]*1 gap\(s\)[\s\S]*watch stream lost[\s\S]*Cluster us-1: not synced/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const db = join(dir, 'fleet.db');
      await writeFleetHistory(db);
      const r = await runCli(c.args(db));
      expect([r.code, r.stderr.slice(0, 400)]).toEqual([c.code, expect.any(String)]);
      if (c.out) expect(r.stdout).toMatch(c.out);
      if (c.notOut) expect(r.stdout).not.toMatch(c.notOut);
      if (c.err) expect(r.stderr).toMatch(c.err);
    });
  }

  it('clusters --json lists the clusters with their kinds', async () => {
    const db = join(dir, 'fleet.db');
    await writeFleetHistory(db);
    const r = await runCli(['clusters', '--db', db, '--cluster', 'us-1', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.map((c: any) => [c.name, c.synced, c.kinds.filter((k: any) => k.synced).map((k: any) => k.kind)])).toEqual([['us-1', false, ['Service', 'Pod']]]);
  });
});
