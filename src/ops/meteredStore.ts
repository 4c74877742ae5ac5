/**
 * meteredStore: a ChangeSink (with close) that passes every report on unchanged and tells an
 * IngestObserver what went through: events per kind and type, lists and their sizes, gap reports, the
 * ingest lag of watch ADDED events (observed time minus creationTimestamp), and for every report the time
 * until a flush of the store confirmed it stored (failed flushes keep the reports waiting for the next).
 * Errors of the store pass through unchanged; the observer is called only after the store accepted the
 * report, so nothing is counted that was refused.
 */
import type { Kind, KubeObject } from '../model/objects.js';
import type { ChangeSink } from '../watch/ChangeSink.js';
import type { IngestObserver } from './Metrics.js';

export interface ClosableSink extends ChangeSink {
  close(): Promise<void>;
}

function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export function meteredStore<T extends ClosableSink>(store: T, observer: IngestObserver, now: () => number = Date.now): ClosableSink {
  let waiting: number[] = [];
  const received = () => waiting.push(now());
  return {
    event(kind: Kind, type, object: KubeObject, observedAt) {
      store.event(kind, type, object, observedAt);
      received();
      observer.eventReceived(kind, type);
      if (type === 'ADDED') {
        const created = timeOf((object.metadata as { creationTimestamp?: unknown }).creationTimestamp);
        if (created !== undefined) observer.ingestLag(kind, (observedAt.getTime() - created) / 1000);
      }
    },
    listed(kind, objects, observedAt, namespace) {
      store.listed(kind, objects, observedAt, namespace);
      received();
      observer.listReceived(kind, objects.length);
    },
    gap(kind, from, to, reason) {
      store.gap(kind, from, to, reason);
      received();
      observer.gapReported(kind);
    },
    async flush() {
      const batch = waiting;
      waiting = [];
      try {
        await store.flush();
      } catch (err) {
        waiting = batch.concat(waiting);
        throw err;
      }
      const t = now();
      for (const at of batch) observer.durable((t - at) / 1000);
    },
    close: () => store.close(),
  };
}
