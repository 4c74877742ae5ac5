/**
 * ingestThread: the entry of serve's ingest worker thread (started by IngestWorker).
 *
 * Runs the whole write path on its own event loop: the watch streams (plain JSON lists and watches), the
 * projection of every report, and the history writer with its own SQLite connection (WAL: the main
 * thread's readers never block it, nor it them). What the main thread needs comes over the port
 * (ingestMessages.ts): the projections of every report for the live state, the ingest counters, the
 * watchers' status, log lines, and failures. Storing failures are never swallowed: they are reported as
 * `fatal` and the thread stops its streams (WatcherSet's rules); `stop` ends with one final write.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { Kind, KubeObject } from '../model/objects.js';
import { project } from '../model/project.js';
import { HistoryWriter } from '../history/HistoryWriter.js';
import { loadKubeConfig } from '../k8s/loadKubeConfig.js';
import { meteredStore } from '../ops/meteredStore.js';
import type { IngestObserver } from '../ops/Metrics.js';
import type { ChangeSink } from '../watch/ChangeSink.js';
import { errorText, type Logger } from '../watch/Logger.js';
import type { IngestSettings } from './Ingest.js';
import { watchIntoStore } from './watchIntoStore.js';
import { LIST_PART_SIZE, STATUS_INTERVAL_MS, type ChangeReport, type FromWorker, type ObservedCall, type ToWorker } from './ingestMessages.js';

/**
 * The channel to the main thread: the worker port, or (a child process, on PostgreSQL: see IngestWorker)
 * the IPC channel, whose first message carries the settings.
 */
interface Port {
  postMessage(m: FromWorker): void;
  on(event: 'message', listener: (m: ToWorker) => void): void;
  close(): void;
}
let unsent = 0;
let closing = false;
const disconnectWhenSent = () => {
  if (closing && unsent === 0 && process.connected) process.disconnect();
};
const processPort: Port = {
  postMessage: (m) => {
    if (!process.connected) return;
    unsent++;
    process.send!(m, undefined, undefined, () => {
      unsent--;
      disconnectWhenSent();
    });
  },
  on: (event, listener) => void process.on(event, listener as (m: unknown) => void),
  close: () => {
    closing = true;
    disconnectWhenSent();
  },
};
if (!parentPort && !process.send) throw new Error('ingestThread: must run as a worker thread or a forked process');
const port: Port = parentPort ?? processPort;
const settings: IngestSettings = parentPort
  ? (workerData as IngestSettings)
  : await new Promise<IngestSettings>((resolve) => process.once('message', (m: { settings: IngestSettings }) => resolve(m.settings)));
// A child process ends with its parent (the channel closes when the parent exits).
if (!parentPort) process.on('disconnect', () => process.exit(0));
const send = (m: FromWorker) => port.postMessage(m);

const log: Logger = {
  log(level, event, fields) {
    send({ t: 'log', level, event, ...(fields ? { fields: { ...fields } } : {}) });
  },
};

// Reports and counters are sent once per turn of the event loop (a watch stream delivers many at once).
let changes: ChangeReport[] = [];
let calls: ObservedCall[] = [];
let scheduled = false;
/** The status message, once the watchers exist (sent after every outbox with reports, so the main thread
 * never sees a report counted without the pending count that includes it). */
let statusMessage: (() => FromWorker) | undefined;
function flushOutbox(): void {
  scheduled = false;
  const any = changes.length > 0 || calls.length > 0;
  if (changes.length) send({ t: 'changes', reports: changes });
  if (calls.length) send({ t: 'observed', calls });
  changes = [];
  calls = [];
  if (any && statusMessage) send(statusMessage());
}
function schedule(): void {
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushOutbox);
  }
}

const observer: IngestObserver = {
  eventReceived: (kind, type) => void calls.push(['eventReceived', kind, type]),
  listReceived: (kind, n) => void calls.push(['listReceived', kind, n]),
  gapReported: (kind) => void calls.push(['gapReported', kind]),
  ingestLag: (kind, s) => void calls.push(['ingestLag', kind, s]),
  durable: (s) => {
    calls.push(['durable', s]);
    schedule();
  },
};

/**
 * The writer, with every report also queued for the main thread's live state. Reports arrive projected
 * (the streams project on receipt, see `transform` below).
 */
function forwarding(writer: HistoryWriter): ChangeSink & { close(): Promise<void> } {
  return {
    event(kind: Kind, type, p: KubeObject, observedAt) {
      writer.event(kind, type, p, observedAt);
      changes.push({ t: 'event', kind, type, object: p, at: observedAt.getTime() });
      schedule();
    },
    listed(kind, ps, observedAt, namespace) {
      writer.listed(kind, ps, observedAt, namespace);
      let from = 0;
      for (; ps.length - from > LIST_PART_SIZE; from += LIST_PART_SIZE) {
        changes.push({ t: 'listPart', kind, objects: ps.slice(from, from + LIST_PART_SIZE) });
        flushOutbox(); // one message per part
      }
      changes.push({ t: 'listed', kind, objects: from ? ps.slice(from) : ps, at: observedAt.getTime(), ...(namespace !== undefined ? { namespace } : {}) });
      schedule();
    },
    gap: (kind, from, to, reason) => writer.gap(kind, from, to, reason),
    flush: () => writer.flush(),
    close: () => writer.close(),
  };
}

let writer: HistoryWriter;
try {
  const kube = loadKubeConfig(settings.kube, settings.kubeEnvironment);
  writer = await HistoryWriter.open({
    ...(settings.url !== undefined ? { url: settings.url } : { file: settings.file }),
    cluster: settings.cluster,
    retentionMs: settings.retentionMs,
    // PostgreSQL: no size limit (the database is shared, and managed by its operators); retention applies.
    ...(settings.url === undefined ? { maxDbBytes: settings.maxDbSizeBytes } : {}),
    projected: true,
    // A failed batch stays queued and is retried by the writer; the watchers' periodic flush turns a
    // persisting failure into a fatal stop, so this only records each failure (and maintenance ones).
    onError: (err) => log.log('error', 'history.write_failed', { error: errorText(err) }),
    logger: log,
  });
  send({ t: 'opened', location: writer.database.location, appliedMigrations: writer.database.appliedMigrations });
  const watchers = watchIntoStore(kube.kc, settings, meteredStore(forwarding(writer), observer), log, project);
  statusMessage = () => ({ t: 'status', status: watchers.status(), pendingReports: writer.pendingReports, heapUsedBytes: getHeapStatistics().used_heap_size });
  const postStatus = () => {
    flushOutbox();
    send(statusMessage!());
  };
  let readyLogged = false;
  const statusTimer = setInterval(() => {
    postStatus();
    if (!readyLogged && watchers.status().ready) {
      // The thread's own heap once the first lists are stored (the process RSS covers both threads); after a
      // full collection when the process runs with --expose-gc (diagnostics: bench/serve.mjs).
      readyLogged = true;
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      log.log('info', 'ingest.memory', { heapUsedMb: Math.round(m.heapUsed / 1048576), heapTotalMb: Math.round(m.heapTotal / 1048576) });
    }
  }, STATUS_INTERVAL_MS);
  watchers.onFatal((err) => {
    postStatus();
    send({ t: 'fatal', error: errorText(err) });
  });
  port.on('message', (m: ToWorker) => {
    if (m.t !== 'stop') return;
    void (async () => {
      let error: unknown;
      try {
        await watchers.stop();
      } catch (err) {
        error = err;
      }
      clearInterval(statusTimer);
      postStatus();
      send({ t: 'stopped', ...(error !== undefined ? { error: errorText(error) } : {}) });
      port.close();
    })();
  });
  postStatus();
} catch (err) {
  send({ t: 'startFailed', error: errorText(err) });
  port.close();
}
