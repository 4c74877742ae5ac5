/**
 * uiRoutes: the route viewer at /ui, the static files Vite builds from ui/ into dist/ui (`npm run build`),
 * served from the installed package, never from a CDN.
 *
 * - `/ui`, `/ui/` and `/ui/index.html`: the page (query strings such as `?host=…&at=…` are read by the
 *   page itself). `Cache-Control: no-cache` so a new build is picked up at once, with a strict
 *   Content-Security-Policy (scripts, styles and connections to this server only).
 * - `/ui/assets/<name>`: the bundles, whose names carry a content hash: cached for a year, immutable.
 * - Other names under /ui answer 404; a name with anything but `[A-Za-z0-9._-]` in it never touches the
 *   file system. When dist/ui is missing (not built), /ui answers 503 saying how to build it.
 *
 * The files carry no cluster data (the page asks /graphql for that, with the user's credentials), so
 * access control lets them through (src/ops/bearerAuth.ts OPEN_PREFIXES).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { packageRoot } from '../../history/packageRoot.js';
import type { Route } from '../../http/Route.js';
import { sendJson } from '../../http/sendJson.js';
import type { Logger } from '../../watch/Logger.js';

export const UI_PATH = '/ui';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

/** dist/ui of the installed package. */
export function defaultUiDir(): string {
  return path.join(packageRoot(), 'dist', 'ui');
}

async function sendFile(res: ServerResponse, file: string, headers: Record<string, string>): Promise<boolean> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'x-content-type-options': 'nosniff', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
  return true;
}

export function uiRoutes(log: Logger, dir: string = defaultUiDir()): Route[] {
  let warned = false;
  return [
    {
      method: 'GET',
      path: UI_PATH,
      prefix: true,
      async handler(_req, res, url) {
        const rest = url.pathname.slice(UI_PATH.length);
        if (rest === '' || rest === '/' || rest === '/index.html') {
          const sent = await sendFile(res, path.join(dir, 'index.html'), { 'cache-control': 'no-cache', 'content-security-policy': PAGE_CSP, 'referrer-policy': 'no-referrer' });
          if (!sent) {
            if (!warned) log.log('warn', 'ui.not_built', { dir });
            warned = true;
            sendJson(res, 503, { error: { code: 'UI_NOT_BUILT', message: `the UI is not built (${dir} is missing): run npm run build` } });
          }
          return;
        }
        const m = /^\/assets\/([^/]+)$/.exec(rest);
        if (m && SAFE_NAME.test(m[1]!) && (await sendFile(res, path.join(dir, 'assets', m[1]!), { 'cache-control': 'public, max-age=31536000, immutable' }))) return;
        sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no file ${url.pathname}` } });
      },
    },
  ];
}
