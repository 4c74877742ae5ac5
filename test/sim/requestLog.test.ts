/**
 * The simulator's request log (`requests()`, `GET /_sim/requests`): every API request as it arrives, with
 * method, path and query, including requests held by a pause or failed by an injected fault, and never
 * the control endpoint's own requests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { waitFor } from '../watch/waitFor.js';

let sim: SimHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('simulator request log', () => {
  it('records API requests in order with their query, not /_sim requests', async () => {
    sim = await startSim({ scenario: 'seed' });
    await (await fetch(`${sim.url}/api/v1/pods?limit=2`)).arrayBuffer();
    await (await fetch(`${sim.url}/_sim/state`)).arrayBuffer();
    await (
      await fetch(`${sim.url}/api/v1/namespaces/default/services`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'logged' }, spec: { ports: [{ port: 80 }] } }),
      })
    ).arrayBuffer();
    const expected = [
      { method: 'GET', path: '/api/v1/pods', query: 'limit=2' },
      { method: 'POST', path: '/api/v1/namespaces/default/services', query: '' },
    ];
    expect(sim.requests()).toMatchObject(expected);
    const overHttp = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as unknown[];
    expect(overHttp).toMatchObject(expected);
  });

  it('records requests held by a pause and failed by a fault', async () => {
    sim = await startSim();
    sim.faults.pause();
    const held = fetch(`${sim.url}/apis/discovery.k8s.io/v1/endpointslices?watch=true`).catch(() => undefined);
    await waitFor(() => sim!.requests().length === 1, { what: 'the held request logged' });
    expect(sim.requests()[0]).toMatchObject({ method: 'GET', path: '/apis/discovery.k8s.io/v1/endpointslices', query: 'watch=true' });
    sim.faults.resume();
    await held;
    sim.faults.failFor(503, 60_000);
    expect((await fetch(`${sim.url}/api/v1/endpoints`)).status).toBe(503);
    expect(sim.requests().at(-1)).toMatchObject({ path: '/api/v1/endpoints' });
  });

  it('keeps only the last requestLogLimit requests', async () => {
    sim = await startSim({ requestLogLimit: 3 });
    for (const i of [1, 2, 3, 4, 5]) await (await fetch(`${sim.url}/api/v1/pods?limit=${i}`)).arrayBuffer();
    expect(sim.requests().map((r) => r.query)).toEqual(['limit=3', 'limit=4', 'limit=5']);
  });
});
