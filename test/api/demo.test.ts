/**
 * `routetrace demo` (the compiled command, as a user runs it) serves /graphql and /api/v1 next to
 * /healthz and /readyz, and stops cleanly on SIGTERM. Needs `npm run build` first (npm test does it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoProcess } from '../helpers/demo.js';

let demo: DemoProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'rt-demo-api-'));
afterAll(() => {
  demo?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('routetrace demo', () => {
  it('serves the API and the IDE, and stops on SIGTERM', async () => {
    demo = await startDemo(['--db', join(dir, 'demo.db'), '--churn', '5']);
    const base = demo.url;

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

    // The route viewer: built files only, nothing loaded from elsewhere.
    const ui = await fetch(`${base}/ui?host=ibtisam-iq.com&port=443`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await ui.text();
    expect(html).not.toMatch(/https?:\/\//);
    const script = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const bundle = await fetch(`${base}${script}`);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(bundle.headers.get('cache-control')).toMatch(/immutable/);

    const openapi = await fetch(`${base}/api/v1/openapi.json`);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe('3.1.0');

    expect(await demo.stop()).toBe(0);
  });
});
