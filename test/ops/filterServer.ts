/**
 * filterServer: a real HTTP server on 127.0.0.1 that runs request filters, then answers 200 with the
 * request's path (standing in for the routes), for testing filters on their own.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestFilter } from '../../src/http/Route.js';

export async function filterServer(filters: readonly RequestFilter[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x.invalid');
    for (const f of filters) if (f(req, res, url)) return;
    const body = JSON.stringify({ path: url.pathname });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
