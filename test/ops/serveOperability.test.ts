/**
 * The compiled `routetrace serve` against the simulator, as deployed with access control and CORS on
 * (token and origin from ROUTETRACE_* variables): the probes and /metrics stay open, every API route
 * answers 401 without the token and works with it, preflights of the configured origin are answered,
 * /metrics reports what happened (lists, events, versions written, readiness, database size, HTTP
 * latency per route group), and the log level filter applies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { ServeProcess } from '../serve/serveProcess.js';
import { waitFor } from '../watch/waitFor.js';
import { parsePromText, sampleValue } from './promText.js';

const TOKEN = 'serve-operability-token-0123456789';
const ORIGIN = 'https://grafana.example.com';
let dir: string;
let sim: SimHandle;
let p: ServeProcess;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rt-ops-serve-'));
  sim = await startSim({ scenario: 'seed', seed: 41 });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  p = new ServeProcess(['--server', sim.url, '--listen', `127.0.0.1:${port}`, '--cluster', 'ops', '--db', join(dir, 'h.db')], {
    ROUTETRACE_AUTH_TOKEN: TOKEN,
    ROUTETRACE_CORS_ORIGIN: ORIGIN,
    ROUTETRACE_LOG_LEVEL: 'warn',
  });
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, { what: 'ready', timeoutMs: 45_000 });
}, 60_000);
afterAll(async () => {
  p?.kill('SIGTERM');
  await p?.exited;
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A free loopback port (serve logs its address at info level, which this test filters out). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe('serve with access control, CORS and metrics', () => {
  const open: [string, number][] = [
    ['/healthz', 200],
    ['/readyz', 200],
    ['/metrics', 200],
  ];
  for (const [path, status] of open) it(`${path} answers ${status} without a token`, async () => expect((await fetch(url + path)).status).toBe(status));

  const guarded: [string, RequestInit][] = [
    ['/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }],
    ['/api/v1/routes?host=shop.example.com&port=80', {}],
    ['/grafana/', {}],
    ['/no-such-path', {}],
  ];
  for (const [path, init] of guarded) {
    it(`${path} answers 401 without the token and not 401 with it`, async () => {
      const without = await fetch(url + path, init);
      expect(without.status).toBe(401);
      expect(((await without.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      const withToken = await fetch(url + path, { ...init, headers: { ...(init.headers as Record<string, string>), ...auth } });
      expect(withToken.status).not.toBe(401);
      await withToken.arrayBuffer();
    });
  }

  it('answers GraphQL with the token', async () => {
    const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await r.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('answers the preflight of the configured origin and adds the origin to answers', async () => {
    const pre = await fetch(`${url}/graphql`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const other = await fetch(`${url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://other.example.net', 'access-control-request-method': 'POST' } });
    expect(other.status).toBe(403);
  });

  it('reports ingest, history, readiness and HTTP latency on /metrics', async () => {
    const before = parsePromText(await (await fetch(`${url}/metrics`)).text());
    const addedBefore = sampleValue(before, 'routetrace_watch_events_received_total', { kind: 'Service', type: 'ADDED' }) ?? 0;
    const versionsBefore = sampleValue(before, 'routetrace_history_versions_written_total')!;
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics-probe', namespace: 'default' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    let s = before;
    await waitFor(
      async () => {
        s = parsePromText(await (await fetch(`${url}/metrics`)).text());
        return (sampleValue(s, 'routetrace_watch_events_received_total', { kind: 'Service', type: 'ADDED' }) ?? 0) > addedBefore && sampleValue(s, 'routetrace_history_pending_reports') === 0;
      },
      { what: 'the new Service counted and stored' },
    );
    expect(sampleValue(s, 'routetrace_history_versions_written_total')).toBeGreaterThan(versionsBefore);
    expect(versionsBefore).toBeGreaterThan(0); // the initial lists were stored
    for (const kind of ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Ingress', 'IngressClass']) {
      expect(sampleValue(s, 'routetrace_watch_lists_received_total', { kind }), kind).toBe(1);
      expect(sampleValue(s, 'routetrace_kind_synced', { kind }), kind).toBe(1);
      expect(sampleValue(s, 'routetrace_watch_restarts_total', { kind }), kind).toBe(0);
    }
    expect(sampleValue(s, 'routetrace_watch_list_objects_received_total', { kind: 'Service' })).toBe(sim.state().Service.length - 1);
    expect(sampleValue(s, 'routetrace_ready')).toBe(1);
    expect(sampleValue(s, 'routetrace_db_size_bytes')).toBeGreaterThan(4096);
    expect(sampleValue(s, 'routetrace_ingest_lag_seconds_count', { kind: 'Service' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(s, 'routetrace_ingest_durable_seconds_count')).toBeGreaterThan(0);
    expect(sampleValue(s, 'routetrace_http_request_duration_seconds_count', { group: 'graphql', code: '401' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(s, 'routetrace_http_request_duration_seconds_count', { group: 'graphql', code: '200' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(s, 'routetrace_http_request_duration_seconds_count', { group: 'health', code: '200' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(s, 'routetrace_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
  it('logs only warnings and errors at ROUTETRACE_LOG_LEVEL=warn (runs last: it forces relists)', async () => {
    expect(p.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]); // a clean start has none
    sim.faults.expireWatches(); // every stream relists: a warning each
    await p.waitForLog('watch.relisted', 30_000);
    await waitFor(
      async () => {
        const s = parsePromText(await (await fetch(`${url}/metrics`)).text());
        return ['Service', 'Pod', 'IngressClass'].every((kind) => (sampleValue(s, 'routetrace_watch_relists_total', { kind }) ?? 0) >= 1);
      },
      { what: 'relists counted on /metrics' },
    );
    expect(p.lines.every((l) => l.level === 'warn' || l.level === 'error')).toBe(true);
    expect(p.lines.length).toBeGreaterThan(0);
    expect(p.stderr).not.toContain(TOKEN);
  });
});
