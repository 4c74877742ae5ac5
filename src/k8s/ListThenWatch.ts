/**
 * ListThenWatch: the list-then-watch loop of one scope, without a cache.
 *
 * It follows client-node's ListWatch step for step (docs: client-node-watch.md): list when it has no
 * resourceVersion, then watch from the list's resourceVersion; after a clean end or a client-side timeout
 * watch again from the last resourceVersion seen (after a short, doubling delay when the previous watch
 * delivered nothing); after 410 Gone (status or ERROR event) forget the resourceVersion, so the next round
 * lists again. Other errors end the loop and go to `error` (the supervisor restarts with a fresh instance).
 *
 * What it does not do, on purpose: keep the objects. ListWatch keeps every listed and watched object in its
 * cache (a second copy of the cluster) and replays lists as add/update/delete; here a list is handed over
 * once through `list` (the caller reports it as the complete list of the scope) and only watch events go to
 * `event`, as parsed from the stream (plain JSON).
 */
import type { KubernetesObject, Watch } from '@kubernetes/client-node';
import type { WatchEventType } from '../watch/ChangeSink.js';

export interface ListThenWatchHandlers {
  /** Lists the scope (every page) and hands the items over; resolves with the list's resourceVersion. */
  list(): Promise<string>;
  event(type: WatchEventType, object: KubernetesObject): void;
  /** Before every list or watch attempt. */
  connect(): void;
  error(err: unknown): void;
}

const BASE_RECONNECT_DELAY_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 30_000;

type Done = (err: unknown) => void;

export class ListThenWatch {
  private resourceVersion = '';
  private stopped = false;
  private hasConnected = false;
  private reconnectDelayMs = 0;
  private request: AbortController | undefined;

  constructor(
    private readonly path: string,
    private readonly watch: Pick<Watch, 'watch'>,
    private readonly handlers: ListThenWatchHandlers,
    private readonly delayFn: (ms: number) => Promise<void>,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.hasConnected = false;
    this.reconnectDelayMs = 0;
    await this.round(null);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort();
  }

  latestResourceVersion(): string {
    return this.resourceVersion;
  }

  private abort(): void {
    this.request?.abort();
    this.request = undefined;
  }

  /** One round: called at start and whenever a watch ends (err null for a clean end). */
  private async round(err: unknown): Promise<void> {
    this.abort();
    const e = err as { statusCode?: number; code?: number; name?: string } | null;
    if (e && (e.statusCode === 410 || e.code === 410)) this.resourceVersion = '';
    else if (e && e.name === 'TimeoutError') this.reconnectDelayMs = 0;
    else if (e) return this.handlers.error(err);
    if (this.stopped) return;
    this.handlers.connect();
    if (!this.resourceVersion) {
      try {
        this.resourceVersion = await this.handlers.list();
      } catch (listErr) {
        return this.handlers.error(listErr);
      }
    }
    if (this.reconnectDelayMs > 0 && this.hasConnected) await this.delayFn(this.reconnectDelayMs);
    if (this.hasConnected) {
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs > 0 ? this.reconnectDelayMs * 2 : BASE_RECONNECT_DELAY_MS, MAX_RECONNECT_DELAY_MS);
    }
    this.hasConnected = true;
    if (this.stopped) return;
    const done: Done = (doneErr) => void this.round(doneErr);
    this.request = await this.watch.watch(this.path, { resourceVersion: this.resourceVersion }, (phase, obj) => this.onWatchEvent(phase, obj), done);
  }

  private onWatchEvent(phase: string, obj: KubernetesObject & { code?: number }): void {
    switch (phase) {
      case 'ERROR':
        if (obj.code === 410) this.resourceVersion = '';
        return; // the stream ends after an ERROR event; the round that follows decides
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        this.handlers.event(phase, obj);
        break;
      case 'BOOKMARK':
        break;
      default:
        return;
    }
    this.reconnectDelayMs = 0;
    this.resourceVersion = obj.metadata?.resourceVersion ?? '';
  }
}
