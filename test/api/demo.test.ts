/**
 * `routetrace demo` (the compiled command, as a user runs it) serves /graphql and /api/v1 next to
 * /healthz and /readyz, and stops cleanly on SIGTERM. Needs `npm run build` first (npm test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/runCli.js';
import { waitFor } from '../watch/waitFor.js';

let child: ChildProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'rt-demo-api-'));
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('routetrace demo', () => {
  it('serves the API and the IDE, and stops on SIGTERM', async () => {
    const c = spawn(process.execPath, [BIN, 'demo', '--listen', '127.0.0.1:0', '--db', join(dir, 'demo.db'), '--churn', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let out = '';
    c.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.stderr!.resume();
    let base = '';
    await waitFor(() => {
      const m = /routetrace\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) base = m[1]!;
      return base !== '';
    }, { what: 'the demo to print its address', describe: () => out });
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, { what: 'ready' });

    const rest = await fetch(`${base}/api/v1/route?host=ibtisam-iq.com&port=443`);
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { backends: string[] }).backends).toEqual(['192.168.1.2:8080', '192.168.1.3:8080', '192.168.1.4:8080']);

    const gql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ services(namespace: "shop") { totalCount } timeline(host: "ibtisam-iq.com", port: 443, from: "-1m") { totalCount } }' }),
    });
    const body = (await gql.json()) as { errors?: unknown; data: { services: { totalCount: number } } };
    expect(body.errors).toBeUndefined();
    expect(body.data.services.totalCount).toBeGreaterThan(0);

    const ide = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(ide.status).toBe(200);
    expect(await ide.text()).not.toMatch(/https?:\/\//);

    const openapi = await fetch(`${base}/api/v1/openapi.json`);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe('3.1.0');

    const exited = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
    c.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
