/**
 * uiRoutes over real HTTP (the real HttpServer) on a directory laid out like dist/ui: content types,
 * caching (page revalidated, hashed bundles immutable), 404 for anything else, no path escapes, and 503
 * when the UI is not built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiRoutes } from '../../src/api/ui/uiRoutes.js';
import { HttpServer } from '../../src/server.js';
import { silentLogger } from '../../src/watch/Logger.js';

const root = mkdtempSync(join(tmpdir(), 'rt-ui-routes-'));
const built = join(root, 'ui');
mkdirSync(join(built, 'assets'), { recursive: true });
writeFileSync(join(built, 'index.html'), '<!doctype html><title>viewer</title>');
writeFileSync(join(built, 'assets', 'index-Ab12.js'), 'console.log(1)');
writeFileSync(join(built, 'assets', 'index-Cd34.css'), 'body{}');
writeFileSync(join(root, 'secret.txt'), 'not for the web');

let servers: HttpServer[] = [];
let url = '';
let unbuiltUrl = '';
beforeAll(async () => {
  const a = new HttpServer(uiRoutes(silentLogger, built));
  const b = new HttpServer(uiRoutes(silentLogger, join(root, 'missing')));
  servers = [a, b];
  url = (await a.listen({ host: '127.0.0.1', port: 0 })).url;
  unbuiltUrl = (await b.listen({ host: '127.0.0.1', port: 0 })).url;
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

const cases: [name: string, path: string, status: number, type?: RegExp, cache?: RegExp][] = [
  ['the page', '/ui', 200, /^text\/html; charset=utf-8$/, /^no-cache$/],
  ['the page with a trailing slash and a query', '/ui/?host=a.example&at=2026-11-26T09:00:00Z', 200, /^text\/html/, /^no-cache$/],
  ['the page by name', '/ui/index.html', 200, /^text\/html/, /^no-cache$/],
  ['a script bundle', '/ui/assets/index-Ab12.js', 200, /^text\/javascript/, /max-age=31536000, immutable/],
  ['a style sheet', '/ui/assets/index-Cd34.css', 200, /^text\/css/, /immutable/],
  ['a missing bundle', '/ui/assets/index-Zz99.js', 404],
  ['another name under /ui', '/ui/secret.txt', 404],
  ['an encoded path escape', '/ui/assets/..%2F..%2Fsecret.txt', 404],
  ['a nested asset path', '/ui/assets/a/b.js', 404],
];

describe('uiRoutes', () => {
  for (const [name, path, status, type, cache] of cases) {
    it(`${name}: ${status}`, async () => {
      const r = await fetch(url + path);
      expect(r.status).toBe(status);
      const body = await r.text();
      if (type) expect(r.headers.get('content-type')).toMatch(type);
      if (cache) expect(r.headers.get('cache-control')).toMatch(cache);
      expect(body).not.toContain('not for the web');
    });
  }

  it('sends the page with a Content-Security-Policy that allows this server only', async () => {
    const csp = (await fetch(`${url}/ui`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|https?:/);
  });

  it('answers HEAD without a body', async () => {
    const r = await fetch(`${url}/ui/assets/index-Ab12.js`, { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBe('14');
    expect(await r.text()).toBe('');
  });

  it('answers 503 UI_NOT_BUILT when dist/ui is missing', async () => {
    const r = await fetch(`${unbuiltUrl}/ui`);
    expect(r.status).toBe(503);
    expect(((await r.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'UI_NOT_BUILT', message: expect.stringMatching(/npm run build/) });
  });
});
