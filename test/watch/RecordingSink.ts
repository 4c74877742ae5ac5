/**
 * RecordingSink: an in-memory ChangeSink for watcher tests. It keeps what a history store keeps at the
 * present instant (the live objects per kind, applying listed() the way the contract says) plus every
 * report in order, so tests can compare the live view with the simulator's state and inspect gaps.
 * `failFlushWith(err)` makes every later flush reject (storage failure).
 */
import { objectKey, type Kind, type KubeObject } from '../../src/model/objects.js';
import type { ChangeSink, WatchEventType } from '../../src/watch/ChangeSink.js';

export type Report =
  | { readonly t: 'event'; readonly kind: Kind; readonly type: WatchEventType; readonly key: string; readonly rv: string | undefined; readonly at: Date }
  | { readonly t: 'listed'; readonly kind: Kind; readonly count: number; readonly at: Date; readonly namespace?: string }
  | { readonly t: 'gap'; readonly kind: Kind; readonly from: Date; readonly to: Date; readonly reason: string };

export class RecordingSink implements ChangeSink {
  readonly reports: Report[] = [];
  private readonly live = new Map<Kind, Map<string, KubeObject>>();
  private flushError: Error | undefined;
  flushes = 0;

  event(kind: Kind, type: WatchEventType, object: KubeObject, observedAt: Date): void {
    const key = objectKey(kind, object.metadata);
    this.reports.push({ t: 'event', kind, type, key, rv: object.metadata.resourceVersion, at: observedAt });
    const m = this.liveOf(kind);
    if (type === 'DELETED') m.delete(key);
    else m.set(key, object);
  }

  listed(kind: Kind, objects: readonly KubeObject[], observedAt: Date, namespace?: string): void {
    this.reports.push({ t: 'listed', kind, count: objects.length, at: observedAt, ...(namespace !== undefined ? { namespace } : {}) });
    const m = new Map<string, KubeObject>();
    for (const [key, o] of this.liveOf(kind)) if (namespace !== undefined && (o.metadata.namespace ?? '') !== namespace) m.set(key, o);
    for (const o of objects) m.set(objectKey(kind, o.metadata), o);
    this.live.set(kind, m);
  }

  gap(kind: Kind, from: Date, to: Date, reason: string): void {
    this.reports.push({ t: 'gap', kind, from, to, reason });
  }

  flush(): Promise<void> {
    this.flushes++;
    return this.flushError ? Promise.reject(this.flushError) : Promise.resolve();
  }

  failFlushWith(err: Error): void {
    this.flushError = err;
  }

  /** `key → resourceVersion` of the live objects of `kind`. */
  versions(kind: Kind): Map<string, string | undefined> {
    return new Map([...this.liveOf(kind)].map(([k, o]) => [k, o.metadata.resourceVersion]));
  }

  liveObjects(kind: Kind): KubeObject[] {
    return [...this.liveOf(kind).values()];
  }

  gaps(kind?: Kind): Extract<Report, { t: 'gap' }>[] {
    return this.reports.filter((r): r is Extract<Report, { t: 'gap' }> => r.t === 'gap' && (!kind || r.kind === kind));
  }

  lists(kind?: Kind): Extract<Report, { t: 'listed' }>[] {
    return this.reports.filter((r): r is Extract<Report, { t: 'listed' }> => r.t === 'listed' && (!kind || r.kind === kind));
  }

  private liveOf(kind: Kind): Map<string, KubeObject> {
    let m = this.live.get(kind);
    if (!m) this.live.set(kind, (m = new Map()));
    return m;
  }
}
