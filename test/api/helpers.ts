/**
 * helpers: a routetrace HTTP server (the real HttpServer, the real API modules) over a recorded history,
 * on 127.0.0.1 with a free port, plus small request helpers.
 */
import type { Backend } from '../helpers/backends.js';
import path from 'node:path';
import { createApi, type Api } from '../../src/api/createApi.js';
import type { SubscriptionOptions } from '../../src/api/graphql/subscriptionServer.js';
import type { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { HttpServer } from '../../src/server.js';
import type { LiveSnapshot } from '../../src/state/LiveSnapshot.js';
import { silentLogger, type Logger } from '../../src/watch/Logger.js';
import { recordStory, tempDir } from '../queries/fixtures.js';

export interface TestServer {
  url: string;
  api: Api;
  writer: HistoryWriter;
  live: LiveSnapshot;
  close(): Promise<void>;
}

/** `backend`: the history engine (default SQLite); `subscriptions`: the WebSocket side's settings. */
export async function startTestServer(log: Logger = silentLogger, backend?: Backend, subscriptions?: SubscriptionOptions): Promise<TestServer> {
  const tmp = tempDir();
  const { writer, live } = await recordStory(backend ? backend.location(tmp.dir) : path.join(tmp.dir, 'history.db'));
  const api = createApi(log, { live, ...(subscriptions ? { subscriptions } : {}) });
  api.attachHistory(writer.database, 'test');
  const http = new HttpServer(api.routes, log);
  const { url } = await http.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    api,
    writer,
    live,
    async close() {
      await http.close();
      await api.stop();
      await writer.close();
      tmp.remove();
    },
  };
}

export async function getJson(url: string): Promise<{ status: number; body: any; headers: Headers }> {
  const r = await fetch(url);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

export async function gql(base: string, query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: r.status, body: JSON.parse(await r.text()) };
}
