/**
 * `routetrace resolve --objects` on Gateway API objects, through the compiled CLI: a dump `kubectl get -o json`
 * printed from the simulator's canary scenario (skipped without kubectl), the diagram naming the Gateway
 * listener and route rule, the JSON with weights, --header/--method, bad flags (exit 2, one line), and
 * `resolve --db --at` on a history that serve recorded. Build first (`npm run build`).
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { runCli } from '../helpers/runCli.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const KINDS = 'services,endpoints,endpointslices,pods,ingresses,ingressclasses,gatewayclasses,gateways,httproutes,grpcroutes,referencegrants';

let tmp: string;
let sim: SimHandle;
let dump: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'routetrace-gw-cli-'));
  if (!hasKubectl) return;
  sim = await startSim({ scenario: 'canary', steps: 'manual' });
  sim.nextStep(); // the 90/10 canary
  dump = join(tmp, 'dump.json');
  // Asynchronously: the simulator answers kubectl from this process's event loop.
  const { stdout } = await promisify(execFile)('kubectl', ['--server', sim.url, '--cache-dir', join(tmp, 'cache'), 'get', KINDS, '-A', '-o', 'json'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(tmp, 'none') }, timeout: 30_000 });
  writeFileSync(dump, stdout);
}, 60_000);

afterAll(async () => {
  await sim?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)('routetrace resolve on a kubectl dump with Gateway API objects (skipped without kubectl)', () => {
  it('draws client → Gateway listener → HTTPRoute rule → weighted backends → Service → Pods', async () => {
    const r = await runCli(['resolve', '--objects', dump, '--host', 'shop.example.com', '--path', '/checkout']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Gateway shop/shop-gateway  listener http (HTTP 80 shop.example.com)  class sim');
    expect(r.stdout).toContain('HTTPRoute shop/checkout  rule 0  path /checkout (PathPrefix)');
    expect(r.stdout).toContain('backend Service shop/checkout-v1:80  weight 90 (90%)  resolved → 10.244.50.11:8080,10.244.50.12:8080');
    expect(r.stdout).toContain('backend Service shop/checkout-v2:80  weight 10 (10%)  resolved → 10.244.50.21:8080');
    expect(r.stdout).toContain('Result: forwarded to 3 backend(s)');
  });

  it('--json carries the Gateway hop; --header and --method are part of the question', async () => {
    const r = await runCli(['resolve', '--objects', dump, '--host', 'shop.example.com', '--path', '/checkout?v=2', '--header', 'X-Canary: yes', '--method', 'post', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.question).toMatchObject({ headers: { 'X-Canary': 'yes' }, method: 'POST', path: '/checkout?v=2' });
    expect(a.gateway.backends.map((b: { name: string; share: number }) => [b.name, b.share])).toEqual([['checkout-v1', 0.9], ['checkout-v2', 0.1]]);
    expect(a.gateway.route).toEqual({ kind: 'HTTPRoute', namespace: 'shop', name: 'checkout', hostname: 'shop.example.com' });
  });

  it('a path no rule matches: 404 with the finding', async () => {
    const r = await runCli(['resolve', '--objects', dump, '--host', 'shop.example.com', '--path', '/other']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ERROR\s+GATEWAY_NO_ROUTE_MATCH \[G4\]/);
  });
});

describe('routetrace resolve: bad Gateway API flags', () => {
  const host = ['--host', 'h.example.com'];
  const cases: [string, string[], RegExp][] = [
    ['a header without a colon', [...host, '--header', 'x-canary'], /--header: .*not "Name: value"/],
    ['a header name with a space', [...host, '--header', 'x canary: yes'], /--header: .*not a header name/],
    ['a method that is not a token', [...host, '--method', 'GE T'], /--method: .*not an HTTP method/],
    ['--header with --service', ['--service', 'default/web', '--header', 'a: b'], /--header: only applies to --host/],
  ];
  for (const [name, flags, message] of cases) {
    it(`${name}: exit 2, one line on stderr`, async () => {
      const r = await runCli(['resolve', '--objects', '-', ...flags], { input: '' });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
