/**
 * SupervisedInformer: one list-then-watch loop (ListThenWatch) for one kind in one scope, kept alive.
 *
 * The loop follows client-node's informer (ListWatch) but keeps no cache and hands lists over once, as
 * plain JSON (lists: getJson pages; watches: client-node's Watch transport). Like ListWatch it stops for
 * good on most errors (network, 5xx, failed list) and re-watches by itself only after clean closes,
 * timeouts and 410. This class adds what it lacks (docs: client-node-watch.md):
 *  - restart after any error with exponential back-off and jitter, each time with a fresh ListWatch
 *    (so every restart lists again and the sink can reconcile);
 *  - pitfall §0.4 (stop() during back-off still opens a watch): every loop gets a GuardedWatch that
 *    refuses to open, or aborts, a watch for an instance that is no longer current, and a delay function
 *    that is cut short when the instance is abandoned; AbortError from stop() is ignored because errors of
 *    abandoned instances are ignored;
 *  - a watchdog: no list page, event, (re)connect or watch opening for `stallAfterMs` counts as a failure
 *    (the list call has no timeout of its own);
 *  - exceptions thrown by the report (storage failed) are never swallowed (client-node ignores exceptions
 *    thrown in watch callbacks): they stop the stream and go to `report.fatal`.
 *
 * What is reported (StreamReport): every complete list (`listed`, with `relist` true after the first one);
 * watch add/update/delete as events; and gaps. A gap starts when the stream is lost (the error, the end of the
 * stream before a 410, the last sign of life before a stall) and ends when a watch is open again; it is
 * reported when the stream failed, relisted, or a clean reconnect took longer than `reconnectGapMs`.
 */
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Kind, KubeObject } from '../model/objects.js';
import type { WatchEventType } from '../watch/ChangeSink.js';
import { Backoff } from '../watch/Backoff.js';
import { errorText, type Logger } from '../watch/Logger.js';
import type { ResourceStream, StreamFactory, StreamReport, StreamStats } from '../watch/ResourceStream.js';
import { ListThenWatch } from './ListThenWatch.js';
import { listAllPages } from './listAllPages.js';
import { OptionalResourceStream } from './OptionalResourceStream.js';
import { watchedResource, type PageFn, type WatchedResource } from './watchedResources.js';

export interface SupervisedInformerOptions {
  /** Items per list page (limit). */
  readonly pageSize: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** After this long without an error, the next failure starts the back-off from the beginning. */
  readonly healthyAfterMs: number;
  /** No sign of life for this long (while not waiting to restart) is treated as a failure. */
  readonly stallAfterMs: number;
  /** A clean reconnect that leaves the stream closed longer than this is reported as a gap. */
  readonly reconnectGapMs: number;
  readonly log: Logger;
  readonly random?: () => number;
  /**
   * Applied to every listed and watched object before it is reported (the ingest thread projects here, so
   * a list holds projections page by page instead of the API server's whole objects until it is complete).
   */
  readonly transform?: (kind: Kind, object: KubeObject) => KubeObject;
  /** Optional kinds (OptionalResourceStream): how often an absent kind's API is probed again. */
  readonly absentProbeMs?: number;
}

export const DEFAULT_INFORMER_OPTIONS: Omit<SupervisedInformerOptions, 'log'> = {
  pageSize: 500,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  healthyAfterMs: 60_000,
  stallAfterMs: 120_000,
  reconnectGapMs: 1_000,
};

/** A Watch that never opens, and at once aborts, a stream for an instance that is no longer live. */
class GuardedWatch extends Watch {
  constructor(
    kc: KubeConfig,
    private readonly live: () => boolean,
    private readonly onOpen: () => void,
  ) {
    super(kc);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    if (!this.live()) return new AbortController();
    const controller = await super.watch(path, queryParams, (phase, obj, w) => this.live() && callback(phase, obj, w), done);
    if (!this.live()) controller.abort();
    else if (!controller.signal.aborted) this.onOpen();
    return controller;
  }
}

interface Outage {
  readonly at: Date;
  reason: string;
  /** True once the outage involved an error or a relist (always reported then). */
  serious: boolean;
}

interface Instance {
  readonly generation: number;
  readonly lw: ListThenWatch;
  /** Pending informer delays, resolved at once when the instance is abandoned. */
  readonly delays: Set<() => void>;
  opened: boolean;
}

export class SupervisedInformer implements ResourceStream {
  private generation = 0;
  private instance: Instance | undefined;
  private stopped = false;
  private started = false;
  private outage: Outage | undefined;
  private listedOnce = false;
  private lastActivity = Date.now();
  private lastStart = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private counters = { restarts: 0, relists: 0, gaps: 0, events: 0 };
  private state: StreamStats['state'] = 'starting';
  private lastError: string | undefined;

  constructor(
    readonly kind: Kind,
    readonly namespace: string | undefined,
    private readonly kc: KubeConfig,
    private readonly path: string,
    private readonly pageFn: PageFn,
    private readonly report: StreamReport,
    private readonly options: SupervisedInformerOptions,
  ) {
    this.backoff = new Backoff({ baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs, ...(options.random ? { random: options.random } : {}) });
  }

  start(): void {
    if (this.started) throw new Error(`SupervisedInformer ${this.label()}: started twice`);
    this.started = true;
    this.watchdog = setInterval(() => this.checkStall(), Math.max(50, Math.floor(this.options.stallAfterMs / 4)));
    this.watchdog.unref();
    this.startInstance();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.state = 'stopped';
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const outage = this.outage;
    this.outage = undefined;
    if (outage?.serious && !this.lastError?.startsWith('storage:')) {
      // Still down at shutdown: the time not seen ends now (the next start's list reconciles the rest).
      try {
        this.counters.gaps++;
        this.report.gap(outage.at, new Date(), `${outage.reason} (until shutdown)`);
      } catch {
        // storage already failed; that failure is being reported
      }
    }
    const inst = this.instance;
    this.abandon();
    if (inst) await inst.lw.stop();
  }

  stats(): StreamStats {
    return { state: this.state, ...this.counters, ...(this.lastError !== undefined ? { lastError: this.lastError } : {}) };
  }

  private label(): string {
    return this.namespace === undefined ? this.kind : `${this.kind}/${this.namespace}`;
  }

  private logFields(): Record<string, unknown> {
    return { kind: this.kind, ...(this.namespace !== undefined ? { namespace: this.namespace } : {}) };
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private isLive(generation: number): boolean {
    return !this.stopped && this.instance?.generation === generation;
  }

  private startInstance(): void {
    const generation = ++this.generation;
    const live = () => this.isLive(generation);
    const delays = new Set<() => void>();
    const delayFn = (ms: number) =>
      new Promise<void>((resolve) => {
        if (!live()) return resolve();
        const finish = () => {
          clearTimeout(timer);
          delays.delete(finish);
          resolve();
        };
        const timer = setTimeout(finish, ms);
        delays.add(finish);
      });
    const watch = new GuardedWatch(this.kc, live, () => this.guard(() => this.onWatchOpen(generation)));
    const lw = new ListThenWatch(this.path, watch, {
      list: () => this.list(generation),
      event: (type, obj) => this.guard(() => this.onObject(generation, type, obj)),
      connect: () => this.guard(() => this.onConnect(generation)),
      error: (err) => this.guard(() => this.onError(generation, err)),
    }, delayFn);
    const inst: Instance = { generation, lw, delays, opened: false };
    this.instance = inst;
    this.lastStart = Date.now();
    this.touch();
    lw.start().catch((err: unknown) => this.guard(() => this.onError(generation, err)));
  }

  /** Runs a handler called by client-node; nothing may escape into the library (it would be swallowed). */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(err);
    }
  }

  /** Storage (or an invariant) failed: stop for good and hand the error up. */
  private fail(err: unknown): void {
    if (this.stopped) return;
    this.lastError = `storage: ${errorText(err)}`;
    void this.stop();
    this.report.fatal(err);
  }

  /** The list step of the loop: every page, then one report of the complete list; resolves with its resourceVersion. */
  private async list(generation: number): Promise<string> {
    this.touch();
    const transform = this.options.transform;
    const list = await listAllPages(this.pageFn, this.namespace, this.options.pageSize, () => {
      if (!this.isLive(generation)) throw abortError(`${this.label()}: list abandoned`);
      this.touch();
    }, transform ? (item) => transform(this.kind, item as unknown as KubeObject) as unknown as KubernetesObject : undefined);
    if (!this.isLive(generation)) throw abortError(`${this.label()}: list finished after the stream was abandoned`);
    const observedAt = new Date();
    const relist = this.listedOnce;
    const items = list.items;
    try {
      this.report.listed(items as unknown as KubeObject[], observedAt, relist);
    } catch (err) {
      this.fail(err);
      throw abortError(`${this.label()}: storing the list failed`);
    }
    this.listedOnce = true;
    if (relist) {
      this.counters.relists++;
      if (this.outage) {
        this.outage.serious = true;
        if (!/relisted/.test(this.outage.reason)) this.outage.reason += ', relisted';
      }
    }
    this.options.log.log(relist ? 'warn' : 'info', relist ? 'watch.relisted' : 'watch.listed', {
      ...this.logFields(),
      objects: items.length,
      resourceVersion: list.metadata?.resourceVersion,
    });
    return list.metadata?.resourceVersion ?? '';
  }

  private onConnect(generation: number): void {
    if (!this.isLive(generation)) return;
    this.touch();
    const inst = this.instance!;
    // `connect` fires before every list or watch attempt; after the first watch opened it means the stream ended.
    if (inst.opened && this.state === 'watching') this.state = 'reconnecting';
    if (inst.opened && !this.outage) this.outage = { at: new Date(), reason: 'watch stream ended', serious: false };
    if (inst.opened && this.outage && inst.lw.latestResourceVersion() === '') {
      this.outage.serious = true;
      if (!/410/.test(this.outage.reason)) this.outage.reason = 'watch expired (410 Gone)';
    }
  }

  private onWatchOpen(generation: number): void {
    if (!this.isLive(generation)) return;
    this.touch();
    const inst = this.instance!;
    inst.opened = true;
    this.state = 'watching';
    const outage = this.outage;
    this.outage = undefined;
    if (!outage) return;
    const to = new Date();
    const ms = to.getTime() - outage.at.getTime();
    if (!outage.serious && ms <= this.options.reconnectGapMs) return;
    this.counters.gaps++;
    const reason = `${outage.reason} (not watching for ${ms} ms)`;
    this.options.log.log('warn', 'watch.gap', { ...this.logFields(), from: outage.at.toISOString(), to: to.toISOString(), reason });
    this.report.gap(outage.at, to, reason);
  }

  private onObject(generation: number, type: WatchEventType, obj: KubernetesObject): void {
    if (!this.isLive(generation)) return;
    this.touch();
    this.counters.events++;
    const object = obj as unknown as KubeObject;
    this.report.event(type, this.options.transform ? this.options.transform(this.kind, object) : object, new Date());
  }

  private onError(generation: number, err: unknown): void {
    if (!this.isLive(generation)) return; // abandoned or stopped instance: includes the AbortError of stop()
    const now = new Date();
    const text = errorText(err);
    this.lastError = text;
    this.state = 'down';
    if (!this.outage) this.outage = { at: now, reason: text, serious: true };
    else {
      this.outage.serious = true;
      if (this.outage.reason === 'watch stream ended') this.outage.reason = text;
    }
    this.restartLater(text);
  }

  private checkStall(): void {
    if (this.stopped || this.restartTimer || !this.instance) return;
    const idle = Date.now() - this.lastActivity;
    if (idle <= this.options.stallAfterMs) return;
    const reason = `no list progress, event or reconnect for ${Math.round(idle / 1000)} s (stalled)`;
    this.lastError = reason;
    this.state = 'down';
    if (!this.outage) this.outage = { at: new Date(this.lastActivity), reason, serious: true };
    else this.outage.serious = true;
    this.restartLater(reason);
  }

  private abandon(): void {
    const inst = this.instance;
    this.instance = undefined;
    if (!inst) return;
    for (const finish of [...inst.delays]) finish();
    void inst.lw.stop().catch(() => {});
  }

  private restartLater(reason: string): void {
    this.abandon();
    if (Date.now() - this.lastStart > this.options.healthyAfterMs) this.backoff.reset();
    const delayMs = this.backoff.next();
    this.options.log.log('warn', 'watch.restart', { ...this.logFields(), reason, delayMs, attempt: this.backoff.attempts });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      this.counters.restarts++;
      this.startInstance();
    }, delayMs);
  }
}

function abortError(message: string): Error {
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}

/**
 * The stream factory the watcher set uses in production: one SupervisedInformer per kind and scope, with
 * paths and list calls from the resource table.
 */
export function informerStreamFactory(kc: KubeConfig, options: SupervisedInformerOptions): StreamFactory {
  const pageFns = new Map<string, PageFn>();
  const informer = (resource: WatchedResource, namespace: string | undefined, report: StreamReport) => {
    const path = resource.path(undefined);
    let pageFn = pageFns.get(path);
    if (!pageFn) pageFns.set(path, (pageFn = resource.pageFn(kc)));
    return new SupervisedInformer(resource.kind, namespace, kc, resource.path(namespace), pageFn, report, options);
  };
  return (kind, namespace, report) => {
    const resource = watchedResource(kind);
    if (namespace !== undefined && !resource.namespaced) throw new Error(`informerStreamFactory: ${kind} is cluster-scoped`);
    if (resource.optional) {
      return new OptionalResourceStream(kind, namespace, kc, resource, report, (served) => informer(served, namespace, report), {
        log: options.log,
        backoffBaseMs: options.backoffBaseMs,
        backoffMaxMs: options.backoffMaxMs,
        ...(options.absentProbeMs !== undefined ? { absentProbeMs: options.absentProbeMs } : {}),
        ...(options.random ? { random: options.random } : {}),
      });
    }
    return informer(resource, namespace, report);
  };
}
