/**
 * ControlEndpoint: drives the simulator over HTTP, under `/_sim/` (never subject to injected faults):
 *
 *   POST /_sim/cut-watches[?mode=reset|clean]   end every watch stream (socket reset by default)
 *   POST /_sim/expire-watches                   in-stream ERROR 410 to every watch, then close
 *   POST /_sim/fail?status=500|503|429&ms=N     answer API requests with that status for N ms
 *   POST /_sim/compact                          drop watch history: older resourceVersions get 410
 *   POST /_sim/pause  |  POST /_sim/resume      hold / release API requests and watch events
 *   POST /_sim/restart[?downMs=N]               drop all connections, listen again (state kept)
 *   POST /_sim/finish-terminating               complete pending Pod deletions now
 *   POST /_sim/churn?rate=N                     set churn events per second (0 stops)
 *   POST /_sim/apply        (JSON/YAML object)  create-or-replace an object
 *   GET  /_sim/changes[?sinceRv=N]              the change log: [{rv,type,kind,namespace,name,object,at}]
 *   GET  /_sim/state                            {resourceVersion, counts, watchers, stats}
 *   GET  /_sim/requests                         API requests received: [{method,path,query,at}]
 *
 * Answers are JSON; bad parameters answer 400 with a Status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './ApiError.js';
import type { FaultStatus } from './FaultGate.js';
import type { SimHandle } from './startSim.js';
import { sendJson } from './wire.js';

function num(q: URLSearchParams, name: string, def?: number): number {
  const raw = q.get(name);
  if (raw === null) {
    if (def === undefined) throw ApiError.badRequest(`missing parameter ${name}`);
    return def;
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw ApiError.badRequest(`parameter ${name}: '${raw}' is not a non-negative number`);
  return n;
}

export function controlEndpoint(sim: () => SimHandle) {
  return async (req: IncomingMessage, res: ServerResponse, path: string, q: URLSearchParams, body: () => Promise<unknown>): Promise<void> => {
    const h = sim();
    const method = req.method ?? 'GET';
    const op = path.slice('/_sim/'.length);
    const post = method === 'POST';
    if (method === 'GET' && op === 'changes') {
      const since = num(q, 'sinceRv', 0);
      return sendJson(res, 200, h.changeLog(since));
    }
    if (method === 'GET' && op === 'state') {
      const counts: Record<string, number> = {};
      for (const [k, v] of Object.entries(h.state())) counts[k] = (v as unknown[]).length;
      return sendJson(res, 200, { resourceVersion: String(h.resourceVersion()), counts, watchers: h.watcherCount(), stats: h.stats() });
    }
    if (method === 'GET' && op === 'requests') return sendJson(res, 200, h.requests());
    if (!post) throw new ApiError(405, 'MethodNotAllowed', `${method} ${path}: unknown control operation (see the simulator's documentation)`);
    switch (op) {
      case 'cut-watches': {
        const mode = q.get('mode') ?? 'reset';
        if (mode !== 'reset' && mode !== 'clean') throw ApiError.badRequest(`mode must be reset or clean`);
        return sendJson(res, 200, { cut: h.faults.cutWatches(mode) });
      }
      case 'expire-watches':
        return sendJson(res, 200, { expired: h.faults.expireWatches() });
      case 'fail': {
        const status = num(q, 'status');
        if (status !== 500 && status !== 503 && status !== 429) throw ApiError.badRequest('status must be 500, 503 or 429');
        h.faults.failFor(status as FaultStatus, num(q, 'ms'));
        return sendJson(res, 200, { failing: status, ms: num(q, 'ms') });
      }
      case 'compact':
        h.faults.compact();
        return sendJson(res, 200, { compactedAt: String(h.resourceVersion()) });
      case 'pause':
        h.faults.pause();
        return sendJson(res, 200, { paused: true });
      case 'resume':
        h.faults.resume();
        return sendJson(res, 200, { paused: false });
      case 'restart': {
        const downMs = num(q, 'downMs', 0);
        sendJson(res, 202, { restarting: true, downMs });
        res.on('finish', () => void h.faults.restart(downMs));
        return;
      }
      case 'finish-terminating':
        h.finishTerminating();
        return sendJson(res, 200, { ok: true });
      case 'churn': {
        const rate = num(q, 'rate');
        h.churn.setRate(rate);
        return sendJson(res, 200, { rate });
      }
      case 'apply': {
        const obj = h.apply(await body());
        return sendJson(res, 200, obj);
      }
      default:
        throw new ApiError(404, 'NotFound', `unknown control operation ${op}`);
    }
  };
}
