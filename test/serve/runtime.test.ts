/**
 * ServeRuntime (the composition root) in-process against the simulator: start order (HTTP answers before
 * the history is open), readiness over HTTP, and a storage failure turning into readyz 503 and exit code 1
 * (never logged and ignored). The history store here is the in-memory RecordingSink, made to fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serveConfig } from '../../src/config.js';
import { ServeRuntime, type HistoryStore } from '../../src/main.js';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { jsonLogger } from '../../src/watch/Logger.js';
import { RecordingSink } from '../watch/RecordingSink.js';
import { waitFor } from '../watch/waitFor.js';

let sim: SimHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

class ClosableSink extends RecordingSink implements HistoryStore {
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('ServeRuntime', () => {
  it('answers /healthz while the history is still opening, and names the cluster after the server host', async () => {
    sim = await startSim({ scenario: 'seed' });
    let release!: () => void;
    const opened = new Promise<void>((r) => (release = r));
    const sink = new ClosableSink();
    const logs: Record<string, unknown>[] = [];
    const startP = ServeRuntime.start(serveConfig({ server: sim.url, listen: '127.0.0.1:0' }, {}), {
      log: jsonLogger((l) => logs.push(JSON.parse(l) as Record<string, unknown>)),
      openHistory: async (req) => {
        expect(req.cluster).toBe(new URL(sim!.url).host);
        await opened;
        return sink;
      },
    });
    await waitFor(() => logs.some((l) => l['event'] === 'serve.start'), { what: 'the start log line' });
    const url = String(logs.find((l) => l['event'] === 'serve.start')!['listen']);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const early = await fetch(`${url}/readyz`);
    expect(early.status).toBe(503);
    expect(await early.json()).toMatchObject({ ready: false, phase: 'opening-database' });
    release();
    const rt = await startP;
    expect((await fetch(`${rt.url}/healthz`)).status).toBe(200);
    await waitFor(async () => (await fetch(`${rt.url}/readyz`)).status === 200, { what: 'ready' });
    expect(await rt.stop('test')).toBe(0);
    expect(sink.closed).toBe(true);
  });

  it('fails loudly when storing fails: not ready any more, watchers stopped, history closed, exit code 1', async () => {
    sim = await startSim({ scenario: 'seed', churn: 20 });
    const sink = new ClosableSink();
    const logs: Record<string, unknown>[] = [];
    const rt = await ServeRuntime.start(serveConfig({ server: sim.url, listen: '127.0.0.1:0' }, {}), {
      log: jsonLogger((l) => logs.push(JSON.parse(l) as Record<string, unknown>)),
      openHistory: async () => sink,
      flushIntervalMs: 50,
    });
    await waitFor(async () => (await fetch(`${rt.url}/readyz`)).status === 200, { what: 'ready' });
    sink.failFlushWith(new Error('SQLITE_IOERR: disk I/O error'));
    expect(await rt.done).toBe(1);
    expect(rt.readiness()).toMatchObject({ ready: false, phase: 'failed' });
    expect(String(rt.readiness()['failed'])).toContain('SQLITE_IOERR');
    expect(sink.closed).toBe(true);
    await waitFor(() => sim!.watcherCount() === 0, { what: 'every watch to close' });
    expect(logs.find((l) => l['event'] === 'ingest.failed')).toMatchObject({ level: 'error' });
    expect(logs.at(-1)).toMatchObject({ event: 'serve.stopped', exitCode: 1 });
  });
});
