/**
 * WatchHub: serves watch requests and keeps track of every open watch stream.
 *
 * Protocol (client-node-watch.md §4–§5):
 *  - 200, `Content-Type: application/json`, headers flushed at once; one compact JSON event per line.
 *  - resourceVersion unset, '' or '0': synthetic ADDED for every current matching object, then live.
 *    resourceVersion N: every logged event with rv > N (replay), then live — replay and subscription happen
 *    in the same tick, so nothing is missed or duplicated. N older than the kind's log (or ahead of the
 *    current version): an `ERROR` event (Status 410, reason Expired) then the stream is closed
 *    (`expired: 'stream'`, like the watch cache), or HTTP 410 (`expired: 'http'`).
 *  - Namespace, labelSelector and fieldSelector filter events; an update that makes an object start
 *    matching is sent as ADDED, one that makes it stop matching as DELETED (previous state, new version).
 *  - DELETED carries the last state stamped with the deletion's resourceVersion.
 *  - allowWatchBookmarks=true: a BOOKMARK `{kind, apiVersion, metadata:{resourceVersion}}` every
 *    `bookmarkMs`. sendInitialEvents=true: initial ADDEDs then a BOOKMARK annotated
 *    `k8s.io/initial-events-end: "true"`.
 *  - timeoutSeconds: clean close after that long. A client that stops reading (more than `maxBufferBytes`
 *    buffered) is closed cleanly; it resumes from its last version.
 *
 * Faults: `cut(mode)` ends every stream (clean end or socket destroy); `expireAll()` sends each stream an
 * ERROR 410 and closes it; `pause()` holds events (queued per stream) until `resume()`.
 */
import type { ServerResponse } from 'node:http';
import type { FieldSelector } from './fieldSelector.js';
import { matchesFields } from './fieldSelector.js';
import { ApiError } from './ApiError.js';
import { type LabelSelector, matchesLabels } from './labelSelector.js';
import type { ResourceType } from './resources.js';
import type { SimObject, Store, StoredEvent } from './Store.js';
import { objectJson, sendError } from './wire.js';

export interface WatchRequest {
  rt: ResourceType;
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  resourceVersion: string | undefined;
  bookmarks: boolean;
  timeoutSeconds: number | undefined;
  sendInitialEvents: boolean;
  /** Re-shapes each event object (kubectl asks for Table rows); undefined = the object itself. */
  render?: (obj: SimObject) => object;
}

export interface WatchHubOptions {
  bookmarkMs: number;
  expired: 'stream' | 'http';
  maxBufferBytes: number;
}

class WatchStream {
  private queue: string[] | null = null;
  private corked = false;
  closed = false;
  unsubscribe: () => void = () => {};
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly res: ServerResponse,
    readonly req: WatchRequest,
    private readonly hub: WatchHub,
  ) {}

  matches(obj: SimObject | undefined): boolean {
    if (!obj) return false;
    if (this.req.namespace !== undefined && obj.metadata.namespace !== this.req.namespace) return false;
    return matchesLabels(this.req.labels, obj.metadata.labels) && matchesFields(this.req.fields, obj);
  }

  line(type: string, obj: SimObject): string {
    return this.req.render ? JSON.stringify({ type, object: this.req.render(obj) }) + '\n' : eventLine(type, obj);
  }

  /** The line to send for a stored event, or undefined when this stream does not see it. */
  lineFor(e: StoredEvent): string | undefined {
    const cur = e.type !== 'DELETED' && this.matches(e.object);
    const prev = e.type !== 'ADDED' && this.matches(e.prev);
    if (e.type === 'DELETED') return prev ? this.line('DELETED', e.object) : undefined;
    if (cur && prev) return this.line('MODIFIED', e.object);
    if (cur) return this.line('ADDED', e.object);
    if (prev) return this.line('DELETED', { ...e.prev!, metadata: { ...e.prev!.metadata, resourceVersion: String(e.rv) } });
    return undefined;
  }

  write(line: string): void {
    if (this.closed) return;
    if (this.queue) {
      this.queue.push(line);
      return;
    }
    // Events written in the same tick go out in one chunk.
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      process.nextTick(() => {
        this.corked = false;
        this.res.uncork();
      });
    }
    this.res.write(line);
    if (this.res.writableLength > this.hub.opts.maxBufferBytes) this.end();
  }

  pause(): void {
    if (!this.queue) this.queue = [];
  }

  resume(): void {
    const q = this.queue;
    this.queue = null;
    if (q && q.length) this.write(q.join(''));
  }

  get paused(): boolean {
    return this.queue !== null;
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.cleanup();
    this.res.end();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.cleanup();
    this.res.socket?.destroy();
    this.res.destroy();
  }

  cleanup(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.hub.streams.delete(this);
    this.hub.notifyWaiters();
  }
}

export function eventLine(type: string, obj: object): string {
  return `{"type":"${type}","object":${objectJson(obj)}}\n`;
}

function expiredStatus(requested: string, oldest: number) {
  return ApiError.expired(`too old resource version: ${requested} (${oldest})`).toStatus();
}

export class WatchHub {
  readonly streams = new Set<WatchStream>();
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private waiters: { n: number; kind?: string; resolve: () => void }[] = [];
  /** Total events written to watch streams (for measurements). */
  eventsSent = 0;

  constructor(
    private readonly store: Store,
    readonly opts: WatchHubOptions,
  ) {
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), opts.bookmarkMs);
    this.bookmarkTimer.unref();
  }

  count(kind?: string): number {
    if (!kind) return this.streams.size;
    let n = 0;
    for (const s of this.streams) if (s.req.rt.kind === kind) n++;
    return n;
  }

  /** Resolves once at least `n` watch streams (of `kind`, if given) are open; rejects after `timeoutMs`. */
  waitFor(n: number, kind?: string, timeoutMs = 30_000): Promise<void> {
    if (this.count(kind) >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        n,
        kind,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${n} ${kind ?? ''} watch stream(s); ${this.count(kind)} open`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  notifyWaiters(): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => {
      if (this.count(w.kind) >= w.n) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  serve(res: ServerResponse, req: WatchRequest): void {
    const { store } = this;
    const kind = req.rt.kind;
    const rvParam = req.resourceVersion;
    const fromStart = rvParam === undefined || rvParam === '' || rvParam === '0';
    let fromRv = 0;
    if (!fromStart) {
      if (!/^\d+$/.test(rvParam)) {
        sendError(res, ApiError.badRequest(`invalid resource version: ${rvParam}`));
        return;
      }
      fromRv = Number(rvParam);
    }
    const expired = !fromStart && !store.replayableFrom(kind, fromRv);
    if (expired && this.opts.expired === 'http') {
      sendError(res, ApiError.expired(`too old resource version: ${rvParam} (${store.oldestReplayable(kind)})`));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    if (expired) {
      res.end(JSON.stringify({ type: 'ERROR', object: expiredStatus(rvParam!, store.oldestReplayable(kind)) }) + '\n');
      return;
    }
    const stream = new WatchStream(res, req, this);
    if (this.paused) stream.pause();
    // Replay (or initial state) and subscription in the same tick.
    if (fromStart) {
      const parts: string[] = [];
      for (const obj of store.list(kind)) if (stream.matches(obj)) parts.push(stream.line('ADDED', obj));
      if (req.sendInitialEvents) {
        parts.push(
          JSON.stringify({
            type: 'BOOKMARK',
            object: { kind: req.rt.kind, apiVersion: req.rt.apiVersion, metadata: { resourceVersion: String(store.rv), annotations: { 'k8s.io/initial-events-end': 'true' } } },
          }) + '\n',
        );
      }
      if (parts.length) {
        this.eventsSent += parts.length;
        stream.write(parts.join(''));
      }
    } else {
      const parts: string[] = [];
      for (const e of store.eventsAfter(kind, fromRv)) {
        const line = stream.lineFor(e);
        if (line) parts.push(line);
      }
      if (parts.length) {
        this.eventsSent += parts.length;
        stream.write(parts.join(''));
      }
    }
    stream.unsubscribe = store.subscribe(kind, (e) => {
      const line = stream.lineFor(e);
      if (line) {
        this.eventsSent++;
        stream.write(line);
      }
    });
    if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
      stream.timer = setTimeout(() => stream.end(), req.timeoutSeconds * 1000);
    }
    res.on('close', () => {
      if (!stream.closed) {
        stream.closed = true;
        stream.cleanup();
      }
    });
    this.streams.add(stream);
    this.notifyWaiters();
  }

  private sendBookmarks(): void {
    if (this.paused) return;
    const rv = String(this.store.rv);
    for (const s of this.streams) {
      if (!s.req.bookmarks || s.paused) continue;
      s.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: s.req.rt.kind, apiVersion: s.req.rt.apiVersion, metadata: { resourceVersion: rv } } }) + '\n');
    }
  }

  /** Sends a BOOKMARK to every stream that asked for bookmarks, now. */
  bookmarkNow(): void {
    this.sendBookmarks();
  }

  /** Ends every open watch: `clean` ends the response, `reset` destroys the socket. Returns how many. */
  cut(mode: 'clean' | 'reset' = 'reset'): number {
    const all = [...this.streams];
    for (const s of all) {
      if (mode === 'clean') {
        s.resume();
        s.end();
      } else s.destroy();
    }
    return all.length;
  }

  /** Sends an in-stream ERROR 410 (Expired) to every open watch and closes it. Returns how many. */
  expireAll(): number {
    const all = [...this.streams];
    for (const s of all) {
      s.resume();
      s.write(JSON.stringify({ type: 'ERROR', object: expiredStatus(String(this.store.rv), this.store.rv) }) + '\n');
      s.end();
    }
    return all.length;
  }

  pause(): void {
    this.paused = true;
    for (const s of this.streams) s.pause();
  }

  resume(): void {
    this.paused = false;
    for (const s of [...this.streams]) s.resume();
  }

  close(): void {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    this.cut('reset');
  }
}
