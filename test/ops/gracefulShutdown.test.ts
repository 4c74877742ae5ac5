/**
 * Graceful shutdown of the compiled `routetrace serve` (as Kubernetes stops it) against the simulator:
 *  - SIGTERM right after a burst of changes was received: exit 0 well within the Pod's termination grace
 *    period (30 s), the database consistent (checkInvariants), and everything received before the signal
 *    stored (the final flush): the stored current state equals the simulator's;
 *  - SIGTERM while the API server holds every request (watchers stuck reconnecting): still exit 0 within
 *    the grace period, the database consistent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteConnection } from '../../src/history/sqliteConnection.js';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { openHistoryDatabase } from '../../src/history/openHistoryDatabase.js';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { snapshotMismatches } from '../serve/historyCompare.js';
import { ServeProcess } from '../serve/serveProcess.js';
import { waitFor } from '../watch/waitFor.js';

/** terminationGracePeriodSeconds in deploy/statefulset.yaml. */
const GRACE_MS = 30_000;

let dir: string;
let sim: SimHandle | undefined;
let procs: ServeProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rt-stop-'));
});
afterEach(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  procs = [];
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

type Readyz = { ready: boolean; kinds: Record<string, { streams: { events: number }[] }> };
async function readyz(url: string): Promise<Readyz> {
  return (await (await fetch(`${url}/readyz`)).json()) as Readyz;
}
const eventsReceived = (r: Readyz) => Object.values(r.kinds).reduce((n, k) => n + k.streams.reduce((m, s) => m + s.events, 0), 0);

function invariantsOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return checkInvariants(new SqliteConnection(db));
  } finally {
    db.close();
  }
}

async function storedMismatches(file: string): Promise<string[]> {
  const database = await openHistoryDatabase({ file });
  try {
    return snapshotMismatches(new HistoryReader(database).currentSnapshot('stop'), sim!.state());
  } finally {
    await database.close();
  }
}

async function startServe(db: string): Promise<{ p: ServeProcess; url: string }> {
  const p = new ServeProcess(['--server', sim!.url, '--listen', '127.0.0.1:0', '--cluster', 'stop', '--db', db]);
  procs.push(p);
  const url = await p.url();
  await waitFor(async () => (await readyz(url)).ready, { what: 'serve ready', timeoutMs: 45_000 });
  return { p, url };
}

async function terminate(p: ServeProcess): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  p.kill('SIGTERM');
  const { code } = await p.exited;
  return { code, ms: Date.now() - t0 };
}

describe('serve on SIGTERM', () => {
  it('stores everything received before the signal, exits 0 within the grace period, database consistent', async () => {
    // Pod deletions stay pending for the whole test (no timer changes the simulator after the burst)
    sim = await startSim({ scenario: 'seed', seed: 21, podGraceMs: 600_000 });
    const db = join(dir, 'h.db');
    const { p, url } = await startServe(db);
    const before = eventsReceived(await readyz(url));
    const rv = sim.resourceVersion();
    sim.churn.step(150); // a burst of changes of every kind
    const changes = sim.changeLog(rv).filter((c) => c.kind !== 'Namespace').length;
    expect(changes).toBeGreaterThan(150);
    // signal as soon as serve has received every change, before its batch timer wrote the last ones
    await waitFor(async () => eventsReceived(await readyz(url)) - before >= changes, { what: `${changes} events received`, intervalMs: 5 });
    const { code, ms } = await terminate(p);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(GRACE_MS);
    expect(p.lines.at(-1)).toMatchObject({ event: 'serve.stopped', exitCode: 0 });
    expect(invariantsOf(db)).toEqual([]);
    expect(await storedMismatches(db)).toEqual([]);
  }, 90_000);

  it('exits 0 within the grace period while the API server holds every request', async () => {
    sim = await startSim({ scenario: 'seed', seed: 22 });
    const db = join(dir, 'h.db');
    const { p } = await startServe(db);
    sim.faults.pause();
    const asked = sim.requests().length;
    sim.faults.cutWatches('reset'); // watchers reconnect into held requests
    await waitFor(() => sim!.requests().length >= asked + 6, { what: 'every stream asking again (held by the paused API server)' });
    const { code, ms } = await terminate(p);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(GRACE_MS);
    expect(invariantsOf(db)).toEqual([]);
  }, 90_000);
});
