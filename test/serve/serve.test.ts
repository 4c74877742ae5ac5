/**
 * `routetrace serve` as a process against the simulator, with the real SQLite history: health and
 * readiness, clean shutdown, SIGKILL in the middle of ingest followed by a restart (no duplicate or
 * overlapping versions), and secrets in Pod specs never reaching the database file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KINDS } from '../../src/model/objects.js';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { openHistoryDatabase } from '../../src/history/openHistoryDatabase.js';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { waitFor } from '../watch/waitFor.js';
import { snapshotMismatches } from './historyCompare.js';
import { ServeProcess } from './serveProcess.js';

let dir: string;
let sim: SimHandle | undefined;
let procs: ServeProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rt-serve-'));
});
afterEach(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  procs = [];
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function serve(args: string[]): ServeProcess {
  const p = new ServeProcess(['--server', sim!.url, '--listen', '127.0.0.1:0', '--cluster', 'test', ...args]);
  procs.push(p);
  return p;
}

async function readyz(url: string): Promise<{ status: number; body: { ready: boolean; kinds: Record<string, { state: string }> } }> {
  const r = await fetch(`${url}/readyz`);
  return { status: r.status, body: (await r.json()) as { ready: boolean; kinds: Record<string, { state: string }> } };
}

/** Waits until the stored current state equals the simulator's, reading the file while serve writes it. */
async function waitForHistoryToMatch(db: string): Promise<void> {
  const database = await openHistoryDatabase({ file: db });
  try {
    const reader = new HistoryReader(database);
    await waitFor(() => snapshotMismatches(reader.currentSnapshot('test'), sim!.state()).length === 0, {
      what: 'the stored current state to equal the simulator',
      timeoutMs: 45_000,
      describe: () => snapshotMismatches(reader.currentSnapshot('test'), sim!.state()).slice(0, 10),
    });
  } finally {
    await database.close();
  }
}

const SECRETS = ['hunter2-S3cr3t-env-value', 'AKIAIOSFODNN7EXAMPLE', 'ghp_annotationTokenValue0123456789'];

function secretPod(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'secret-holder' }, annotations: { 'example.com/token': SECRETS[2] } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'example/app:1',
          command: ['run', `--password=${SECRETS[0]}`],
          env: [
            { name: 'DB_PASSWORD', value: SECRETS[0] },
            { name: 'AWS_ACCESS_KEY_ID', value: SECRETS[1] },
          ],
          ports: [{ name: 'http', containerPort: 8080 }],
        },
      ],
    },
  };
}

describe('routetrace serve', () => {
  it('answers /healthz at once, /readyz 503 until the first lists are stored, then 200; stops cleanly on SIGTERM', async () => {
    sim = await startSim({ scenario: 'seed', seed: 3 });
    sim.faults.pause(); // the API server holds every request: the initial lists cannot complete yet
    const db = join(dir, 'h.db');
    const p = serve(['--db', db]);
    const url = await p.url();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const before = await readyz(url);
    expect(before.status).toBe(503);
    expect(before.body.ready).toBe(false);
    sim.faults.resume();
    await waitFor(async () => (await readyz(url)).status === 200, { what: '/readyz 200' });
    const after = await readyz(url);
    expect(Object.keys(after.body.kinds).sort()).toEqual([...KINDS].sort());
    for (const k of Object.values(after.body.kinds)) expect(k.state).toBe('synced');
    const synced = p.lines.filter((l) => l.event === 'kind.synced');
    expect(synced).toHaveLength(KINDS.length);
    expect(synced.every((l) => typeof l['objects'] === 'number' && l.level === 'info')).toBe(true);
    p.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(p.lines.at(-1)).toMatchObject({ event: 'serve.stopped', exitCode: 0 });
    expect(checkInvariantsOf(db)).toEqual([]);
  });

  it('keeps Pod env values, commands and other annotations out of the database file', async () => {
    sim = await startSim({ scenario: 'seed', seed: 4 });
    sim.apply(secretPod('listed-with-secrets')); // reaches serve through the initial list
    const db = join(dir, 'h.db');
    const p = serve(['--db', db]);
    const url = await p.url();
    await waitFor(async () => (await readyz(url)).status === 200, { what: 'ready' });
    sim.apply(secretPod('watched-with-secrets')); // and through a watch event
    await waitForHistoryToMatch(db);
    p.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    const bytes = ['', '-wal', '-shm', '-journal'].map((s) => db + s).filter(existsSync).map((f) => readFileSync(f));
    const all = Buffer.concat(bytes);
    expect(all.includes('watched-with-secrets')).toBe(true); // the Pods are stored...
    expect(all.includes('listed-with-secrets')).toBe(true);
    for (const secret of SECRETS) expect(all.includes(secret), secret).toBe(false); // ...their secrets are not
    expect(all.includes('DB_PASSWORD')).toBe(false);
  });

  it('after SIGKILL in the middle of ingest, a restart resumes without duplicate or overlapping versions', async () => {
    sim = await startSim({ scenario: 'seed', seed: 5, podGraceMs: 200, churn: 60 });
    const db = join(dir, 'h.db');
    const first = serve(['--db', db]);
    const url = await first.url();
    await waitFor(async () => (await readyz(url)).status === 200, { what: 'ready' });
    const rv = sim.resourceVersion();
    await waitFor(() => sim!.resourceVersion() > rv + 100, { what: 'churn while serve writes' });
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const rv2 = sim.resourceVersion();
    await waitFor(() => sim!.resourceVersion() > rv2 + 50, { what: 'churn while serve is down' });
    const second = serve(['--db', db]);
    const url2 = await second.url();
    await waitFor(async () => (await readyz(url2)).status === 200, { what: 'ready after restart' });
    sim.churn.stop();
    sim.finishTerminating();
    await waitForHistoryToMatch(db);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(checkInvariantsOf(db)).toEqual([]);
  });
});

function checkInvariantsOf(file: string): string[] {
  // A plain read-only connection: the checker is SQL over the file.
  return withDb(file, (db) => checkInvariants(db));
}

function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
