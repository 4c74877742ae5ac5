/**
 * WatcherSet: every watched kind's streams, reporting to one ChangeSink, with readiness and failure state.
 *
 * Scope: with no namespaces, one stream per kind (all namespaces); with namespaces, one stream per
 * namespace per namespaced kind, and one cluster-wide stream per cluster-scoped kind.
 *
 * Lists: each stream's (re)list is reported as the complete list of its scope (ChangeSink.listed with the
 * stream's namespace, or none for a cluster-wide stream), so a relist of one namespace reconciles that
 * namespace only and no stream needs to keep a copy of its objects.
 *
 * Readiness: a kind is synced once every stream of it has reported its first list and a flush of the sink
 * resolved (the lists are durably stored). The set is ready when every kind is synced and nothing failed.
 *
 * Failure: storing is never retried or skipped. A sink call that throws, or a flush that rejects (the
 * set flushes every `flushIntervalMs`, which is also how background write failures surface), marks the
 * set failed for good: streams stop, `ready()` is false, and `onFatal` listeners are told once.
 */
import { KINDS, type Kind } from '../model/objects.js';
import type { ChangeSink } from './ChangeSink.js';
import { errorText, type Logger } from './Logger.js';
import type { ResourceStream, StreamFactory, StreamReport, StreamStats } from './ResourceStream.js';

export interface WatcherSetOptions {
  readonly sink: ChangeSink;
  readonly createStream: StreamFactory;
  /** Whether a kind is namespaced (decides the scopes when namespaces are given). */
  readonly isNamespaced: (kind: Kind) => boolean;
  readonly kinds?: readonly Kind[];
  /** Empty: watch all namespaces. */
  readonly namespaces?: readonly string[];
  readonly flushIntervalMs?: number;
  readonly log: Logger;
}

export type KindState = 'listing' | 'persisting' | 'synced' | 'failed' | 'stopped';

export interface KindStatus {
  readonly state: KindState;
  /** Objects in the first complete list. */
  readonly listedObjects?: number;
  readonly syncedAt?: string;
  readonly streams: readonly ({ readonly namespace?: string } & StreamStats)[];
}

export interface WatcherSetStatus {
  readonly ready: boolean;
  readonly failed?: string;
  readonly kinds: Readonly<Record<string, KindStatus>>;
}

interface KindEntry {
  readonly kind: Kind;
  readonly streams: ResourceStream[];
  /** Objects in the first list of each stream that has listed. */
  readonly listedStreams: Map<ResourceStream, number>;
  state: KindState;
  listedObjects?: number;
  syncedAt?: Date;
  startedAt: number;
}

export class WatcherSet {
  private readonly entries: KindEntry[] = [];
  private readonly fatalListeners: ((err: unknown) => void)[] = [];
  private failure: unknown;
  private failed = false;
  private stopping = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing = false;

  constructor(private readonly options: WatcherSetOptions) {}

  /** Creates and starts every stream. */
  start(): void {
    if (this.entries.length) throw new Error('WatcherSet: started twice');
    const namespaces = this.options.namespaces ?? [];
    for (const kind of this.options.kinds ?? KINDS) {
      const entry: KindEntry = { kind, streams: [], listedStreams: new Map(), state: 'listing', startedAt: Date.now() };
      this.entries.push(entry);
      const scopes: (string | undefined)[] = namespaces.length && this.options.isNamespaced(kind) ? [...namespaces] : [undefined];
      for (const ns of scopes) entry.streams.push(this.options.createStream(kind, ns, this.reportFor(entry, ns)));
    }
    this.options.log.log('info', 'watch.start', {
      kinds: this.entries.map((e) => e.kind),
      namespaces: namespaces.length ? namespaces : 'all',
      streams: this.entries.reduce((n, e) => n + e.streams.length, 0),
    });
    for (const e of this.entries) for (const s of e.streams) s.start();
    this.flushTimer = setInterval(() => this.periodicFlush(), this.options.flushIntervalMs ?? 1000);
  }

  /** Registers a listener for the (single) fatal failure. */
  onFatal(listener: (err: unknown) => void): void {
    this.fatalListeners.push(listener);
    if (this.failed) listener(this.failure);
  }

  ready(): boolean {
    return !this.failed && this.entries.length > 0 && this.entries.every((e) => e.state === 'synced');
  }

  get failedWith(): unknown {
    return this.failure;
  }

  status(): WatcherSetStatus {
    const kinds: Record<string, KindStatus> = {};
    for (const e of this.entries) {
      kinds[e.kind] = {
        state: e.state,
        ...(e.listedObjects !== undefined ? { listedObjects: e.listedObjects } : {}),
        ...(e.syncedAt ? { syncedAt: e.syncedAt.toISOString() } : {}),
        streams: e.streams.map((s) => ({ ...(s.namespace !== undefined ? { namespace: s.namespace } : {}), ...s.stats() })),
      };
    }
    return { ready: this.ready(), ...(this.failed ? { failed: errorText(this.failure) } : {}), kinds };
  }

  /**
   * Stops every stream, then flushes the sink once more. Rejects when that flush fails (or the set had
   * already failed), so the caller can exit non-zero: nothing is dropped silently.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    await Promise.all(this.entries.flatMap((e) => e.streams.map((s) => s.stop())));
    for (const e of this.entries) if (e.state !== 'failed') e.state = 'stopped';
    if (this.failed) throw this.failure instanceof Error ? this.failure : new Error(errorText(this.failure));
    await this.options.sink.flush();
  }

  private reportFor(entry: KindEntry, namespace: string | undefined): StreamReport {
    const sink = this.options.sink;
    const kind = entry.kind;
    let self: ResourceStream | undefined;
    const stream = () => (self ??= entry.streams.find((s) => s.namespace === namespace)!);
    return {
      listed: (objects, observedAt, relist) => {
        this.assertUsable();
        sink.listed(kind, objects, observedAt, namespace);
        if (!entry.listedStreams.has(stream())) entry.listedStreams.set(stream(), objects.length);
        if (entry.listedStreams.size < entry.streams.length) return; // other namespaces have not listed yet
        let total = 0;
        for (const n of entry.listedStreams.values()) total += n;
        if (entry.state === 'listing') this.persistInitialList(entry, total, relist);
      },
      event: (type, object, observedAt) => {
        this.assertUsable();
        sink.event(kind, type, object, observedAt);
      },
      gap: (from, to, reason) => {
        this.assertUsable();
        sink.gap(kind, from, to, namespace === undefined ? reason : `namespace ${namespace}: ${reason}`);
      },
      fatal: (err) => this.fail(err, kind),
    };
  }

  private assertUsable(): void {
    if (this.failed) throw new Error('WatcherSet: storage failed earlier; no further reports are accepted');
  }

  private persistInitialList(entry: KindEntry, objects: number, relist: boolean): void {
    entry.state = 'persisting';
    entry.listedObjects = objects;
    this.options.sink.flush().then(
      () => {
        if (this.failed || entry.state !== 'persisting') return;
        entry.state = 'synced';
        entry.syncedAt = new Date();
        this.options.log.log('info', 'kind.synced', {
          kind: entry.kind,
          objects,
          ms: entry.syncedAt.getTime() - entry.startedAt,
          ...(relist ? { afterRelist: true } : {}),
        });
        if (this.ready()) this.options.log.log('info', 'watch.ready', { kinds: this.entries.length });
      },
      (err: unknown) => this.fail(err, entry.kind),
    );
  }

  private periodicFlush(): void {
    if (this.flushing || this.failed || this.stopping) return;
    this.flushing = true;
    this.options.sink.flush().then(
      () => (this.flushing = false),
      (err: unknown) => {
        this.flushing = false;
        this.fail(err);
      },
    );
  }

  private fail(err: unknown, kind?: Kind): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = err;
    if (this.flushTimer) clearInterval(this.flushTimer);
    for (const e of this.entries) if (e.state !== 'stopped') e.state = 'failed';
    this.options.log.log('error', 'ingest.failed', { ...(kind ? { kind } : {}), error: errorText(err) });
    for (const e of this.entries) for (const s of e.streams) void s.stop().catch(() => {});
    for (const l of this.fatalListeners) {
      try {
        l(err);
      } catch {
        // a listener's own failure must not hide the original one
      }
    }
  }
}
