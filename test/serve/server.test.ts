import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from '../../src/http/sendJson.js';
import { HttpServer, healthRoutes } from '../../src/server.js';

describe('HttpServer', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(ready: () => boolean): Promise<string> {
    server = new HttpServer(healthRoutes(() => ({ ready: ready(), detail: 'x' })));
    server.addRoute({ method: 'GET', path: '/api/v1', prefix: true, handler: (_q, res, url) => sendJson(res, 200, { path: url.pathname }) });
    server.addRoute({ method: 'GET', path: '/boom', handler: () => { throw new Error('secret internals'); } });
    return (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  }

  it('answers /healthz at once and /readyz 503 until ready, then 200, with the status as JSON', async () => {
    let ready = false;
    const url = await start(() => ready);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, detail: 'x' });
    ready = true;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  const cases: [string, string, string, number][] = [
    ['an unknown path', 'GET', '/nope', 404],
    ['a known path with another method', 'POST', '/healthz', 405],
    ['a prefix route below its root', 'GET', '/api/v1/routes/x', 200],
    ['a path that only shares the prefix text', 'GET', '/api/v10', 404],
    ['HEAD on a GET route', 'HEAD', '/healthz', 200],
  ];
  for (const [name, method, path, status] of cases) {
    it(`answers ${status} for ${name}`, async () => {
      const url = await start(() => true);
      expect((await fetch(`${url}${path}`, { method })).status).toBe(status);
    });
  }

  it('masks a failing handler as 500 INTERNAL without its message', async () => {
    const url = await start(() => true);
    const r = await fetch(`${url}/boom`);
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(text).toContain('INTERNAL');
    expect(text).not.toContain('secret internals');
  });

  it('runs filters in order before routing; a filter that answers stops the request there', async () => {
    const url = await start(() => true);
    const seen: string[] = [];
    server!.addFilter((req) => (seen.push(`first ${req.url}`), false));
    server!.addFilter((req, res, u) => {
      if (u.pathname !== '/api/v1/private') return false;
      sendJson(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'token required' } });
      return true;
    });
    expect((await fetch(`${url}/api/v1/private`)).status).toBe(401);
    expect((await fetch(`${url}/api/v1/public`)).status).toBe(200);
    expect(seen).toEqual(['first /api/v1/private', 'first /api/v1/public']);
  });

  it('refuses a second route for the same method and path', async () => {
    await start(() => true);
    expect(() => server!.addRoute({ method: 'GET', path: '/healthz', handler: () => {} })).toThrow(/already routed/);
  });
});
