/**
 * IngestWorker: serve's ingest pipeline on a worker thread (ingestThread.ts), driven from the main thread.
 *
 * The main thread keeps HTTP, the API and the live state; the worker lists and watches, projects, and
 * writes the history with its own SQLite connection. start() resolves once the worker has opened (and
 * migrated) the history database and `hooks.opened` has run (the main thread opens its read connection
 * there), and rejects with the worker's reason if opening failed. While it runs, `hooks.changes` receives
 * the projections of every report in order (apply them to the live state), `hooks.observer` the ingest
 * counters, and the request's logger every log line of the thread.
 *
 * Failure: storing failed in the worker (`fatal`), an uncaught error in it, or its unexpected exit all make
 * it fail for good: listeners are told once and stop() rejects. stop() asks for the final write and waits
 * for it (then ends the thread).
 *
 * The worker runs the compiled entry (dist/ingest/ingestThread.js beside this module, or the package's
 * dist/ when this module runs from its TypeScript source, as under the test runner after a build).
 *
 * On PostgreSQL the worker is a child process rather than a thread (same entry, same messages over the
 * IPC channel): libpq's binding can be loaded by one thread of a process only, and the main thread needs
 * it for its read connection.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../history/packageRoot.js';
import type { IngestObserver } from '../ops/Metrics.js';
import type { WatcherSetStatus } from '../watch/WatcherSet.js';
import type { Ingest, IngestRequest, IngestSettings } from './Ingest.js';
import type { ChangeReport, FromWorker, ToWorker } from './ingestMessages.js';

export interface IngestWorkerHooks {
  /** The history database is open and migrated (location: file, or URL without password): open readers of it here. */
  opened?(location: string, appliedMigrations: readonly string[]): void | Promise<void>;
  changes(reports: readonly ChangeReport[]): void;
  observer?: IngestObserver;
}

const STOP_TIMEOUT_MS = 60_000;

function threadEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, 'ingestThread.js');
  return existsSync(beside) ? beside : path.join(packageRoot(here), 'dist', 'ingest', 'ingestThread.js');
}

/** What IngestWorker uses of a worker: a thread's Worker, or childWorker's process. */
interface WorkerLike {
  on(event: 'message', listener: (m: FromWorker) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  postMessage(m: ToWorker): void;
  terminate(): unknown;
}

/** The ingest entry as a child process with an IPC channel, its settings sent as the first message. */
function childWorker(entry: string, settings: IngestSettings): WorkerLike {
  const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  child.send({ t: 'settings', settings });
  return {
    on(event: 'message' | 'error' | 'exit', listener: (arg: never) => void) {
      if (event === 'exit') child.on('exit', (code, signal) => (listener as (c: number) => void)(code ?? (signal ? 128 : 1)));
      else child.on(event, listener as (arg: unknown) => void);
      return this;
    },
    postMessage(m: ToWorker) {
      if (child.connected) child.send(m);
    },
    terminate() {
      child.kill('SIGKILL');
    },
  };
}

export class IngestWorker implements Ingest {
  private current: WatcherSetStatus = { ready: false, kinds: {} };
  private pending = 0;
  private heapUsed: number | undefined;
  private failure: string | undefined;
  private readonly fatalListeners: ((err: unknown) => void)[] = [];
  private stopped: { error?: string } | undefined;
  private exited = false;
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly worker: WorkerLike,
    private readonly request: IngestRequest,
    private readonly hooks: IngestWorkerHooks,
  ) {}

  static start(request: IngestRequest, hooks: IngestWorkerHooks): Promise<IngestWorker> {
    const { log: _log, ...settings } = request;
    const entry = threadEntry();
    if (!existsSync(entry)) return Promise.reject(new Error(`the ingest worker's code is missing (${entry}): build the package first (npm run build)`));
    const worker: WorkerLike = settings.url === undefined
      ? new Worker(entry, { workerData: settings satisfies IngestSettings, stdout: false, stderr: false })
      : childWorker(entry, settings);
    const self = new IngestWorker(worker, request, hooks);
    return new Promise((resolve, reject) => {
      let opening = true;
      worker.on('message', (m: FromWorker) => {
        if (opening && m.t === 'opened') {
          opening = false;
          Promise.resolve(hooks.opened?.(m.location, m.appliedMigrations)).then(
            () => resolve(self),
            (err: unknown) => {
              void self.stop().catch(() => {});
              reject(err instanceof Error ? err : new Error(String(err)));
            },
          );
          return;
        }
        if (opening && m.t === 'startFailed') {
          opening = false;
          void worker.terminate();
          reject(new Error(m.error));
          return;
        }
        self.onMessage(m);
      });
      worker.on('error', (err) => {
        if (opening) {
          opening = false;
          reject(err);
        }
        self.fail(`ingest worker failed: ${err.message}`);
      });
      worker.on('exit', (code) => {
        self.exited = true;
        if (opening) {
          opening = false;
          reject(new Error(`ingest worker exited with code ${code} before opening the history`));
        }
        if (!self.stopped) self.fail(`ingest worker exited with code ${code}`);
        for (const w of self.waiters.splice(0)) w();
      });
    });
  }

  status(): WatcherSetStatus {
    return this.failure !== undefined && this.current.failed === undefined ? { ...this.current, ready: false, failed: this.failure } : this.current;
  }

  /** The worker thread's used heap (as of its last status). */
  get heapUsedBytes(): number | undefined {
    return this.heapUsed;
  }

  /** Reports the worker has received but not yet written (as of its last status). */
  get pendingReports(): number {
    return this.pending;
  }

  onFatal(listener: (err: unknown) => void): void {
    this.fatalListeners.push(listener);
    if (this.failure !== undefined) listener(new Error(this.failure));
  }

  async stop(): Promise<void> {
    if (!this.exited && !this.stopped) {
      this.worker.postMessage({ t: 'stop' } satisfies ToWorker);
      const timer = setTimeout(() => void this.worker.terminate(), STOP_TIMEOUT_MS);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      clearTimeout(timer);
    }
    const error = this.stopped?.error ?? this.failure;
    if (error !== undefined) throw new Error(error);
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'log':
        this.request.log.log(m.level, m.event, m.fields);
        break;
      case 'changes':
        this.hooks.changes(m.reports);
        break;
      case 'observed': {
        const o = this.hooks.observer;
        if (!o) break;
        for (const c of m.calls) {
          switch (c[0]) {
            case 'eventReceived': o.eventReceived(c[1], c[2]); break;
            case 'listReceived': o.listReceived(c[1], c[2]); break;
            case 'gapReported': o.gapReported(c[1]); break;
            case 'ingestLag': o.ingestLag(c[1], c[2]); break;
            case 'durable': o.durable(c[1]); break;
          }
        }
        break;
      }
      case 'status':
        this.current = m.status;
        this.pending = m.pendingReports;
        this.heapUsed = m.heapUsedBytes;
        break;
      case 'fatal':
        this.fail(m.error);
        break;
      case 'stopped':
        this.stopped = m.error !== undefined ? { error: m.error } : {};
        void this.worker.terminate();
        break;
      case 'opened':
      case 'startFailed':
        break;
    }
  }

  private fail(reason: string): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    for (const l of this.fatalListeners) {
      try {
        l(new Error(reason));
      } catch {
        // a listener's own failure must not hide the original one
      }
    }
  }
}
