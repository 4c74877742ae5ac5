/**
 * WatcherSet with hand-driven streams (the style of client-go's fake controller source): how lists of
 * several namespaces combine into one complete list per kind, when the set turns ready, and how a storage
 * failure stops everything. The real informers are exercised against the simulator in informers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Kind, KubeObject } from '../../src/model/objects.js';
import { silentLogger } from '../../src/watch/Logger.js';
import type { ResourceStream, StreamReport, StreamStats } from '../../src/watch/ResourceStream.js';
import { WatcherSet } from '../../src/watch/WatcherSet.js';
import { RecordingSink } from './RecordingSink.js';
import { waitFor } from './waitFor.js';

class HandStream implements ResourceStream {
  objects: KubeObject[] = [];
  started = false;
  stopped = false;
  constructor(readonly kind: Kind, readonly namespace: string | undefined, readonly report: StreamReport) {}
  start(): void { this.started = true; }
  async stop(): Promise<void> { this.stopped = true; }
  stats(): StreamStats { return { state: 'watching', restarts: 0, relists: 0, gaps: 0, events: 0 }; }
  list(names: string[], relist = false): void {
    this.objects = names.map((name) => ({ metadata: { namespace: this.namespace ?? 'default', name, resourceVersion: '1' } }));
    this.report.listed(this.objects, new Date(), relist);
  }
}

function setup(namespaces: string[], kinds: Kind[] = ['Service', 'IngressClass']) {
  const sink = new RecordingSink();
  const streams: HandStream[] = [];
  const set = new WatcherSet({
    sink,
    kinds,
    namespaces,
    isNamespaced: (k) => k !== 'IngressClass',
    createStream: (kind, ns, report) => {
      const s = new HandStream(kind, ns, report);
      streams.push(s);
      return s;
    },
    flushIntervalMs: 20,
    log: silentLogger,
  });
  set.start();
  const find = (kind: Kind, ns?: string) => streams.find((s) => s.kind === kind && s.namespace === ns)!;
  return { sink, set, streams, find };
}

describe('WatcherSet', () => {
  it('creates one stream per namespace for namespaced kinds and one cluster-wide stream for cluster-scoped kinds', () => {
    const { streams } = setup(['a', 'b']);
    expect(streams.map((s) => `${s.kind}/${s.namespace ?? '*'}`).sort()).toEqual(['IngressClass/*', 'Service/a', 'Service/b']);
    expect(streams.every((s) => s.started)).toBe(true);
  });

  it('reports each namespace\'s list as the complete list of that namespace; the kind syncs once every namespace has listed', async () => {
    const { sink, set, find } = setup(['a', 'b']);
    find('Service', 'a').list(['s1', 's2']);
    find('IngressClass').list(['nginx']);
    expect(sink.lists('Service').map((l) => [l.namespace, l.count])).toEqual([['a', 2]]);
    await new Promise((r) => setTimeout(r, 50));
    expect(set.ready()).toBe(false);
    expect(set.status().kinds['Service']?.state).toBe('listing');
    find('Service', 'b').list(['s3']);
    expect(sink.lists('Service').map((l) => [l.namespace, l.count])).toEqual([['a', 2], ['b', 1]]);
    await waitFor(() => set.ready(), { what: 'ready' });
    expect([...sink.versions('Service').keys()].sort()).toEqual(['Service/a/s1', 'Service/a/s2', 'Service/b/s3']);
  });

  it('reconciles only the relisted namespace: the other namespaces\' objects stay', () => {
    const { sink, find } = setup(['a', 'b']);
    find('Service', 'a').list(['s1', 's2']);
    find('Service', 'b').list(['s3']);
    find('Service', 'a').list(['s1'], true);
    expect(sink.lists('Service').map((l) => [l.namespace, l.count])).toEqual([['a', 2], ['b', 1], ['a', 1]]);
    expect([...sink.versions('Service').keys()].sort()).toEqual(['Service/a/s1', 'Service/b/s3']);
  });

  it('is not ready before every kind has synced', async () => {
    const { set, find } = setup([]);
    find('Service').list(['s1']);
    await new Promise((r) => setTimeout(r, 50));
    expect(set.ready()).toBe(false);
    expect(set.status().kinds['IngressClass']?.state).toBe('listing');
    find('IngressClass').list([]);
    await waitFor(() => set.ready(), { what: 'ready after the last kind listed' });
    expect(set.status().kinds['Service']).toMatchObject({ state: 'synced', listedObjects: 1 });
  });

  it('treats a rejected flush as fatal: not ready, streams stopped, listeners told once, stop() rejects', async () => {
    const { sink, set, streams, find } = setup([]);
    find('Service').list(['s1']);
    find('IngressClass').list([]);
    await waitFor(() => set.ready(), { what: 'ready' });
    const fatal: unknown[] = [];
    set.onFatal((e) => fatal.push(e));
    sink.failFlushWith(new Error('disk I/O error'));
    await waitFor(() => fatal.length > 0, { what: 'the fatal callback' });
    expect(set.ready()).toBe(false);
    expect(set.status().failed).toContain('disk I/O error');
    expect(streams.every((s) => s.stopped)).toBe(true);
    expect(() => find('Service').report.event('ADDED', { metadata: { name: 'x' } }, new Date())).toThrow(/storage failed/);
    await expect(set.stop()).rejects.toThrow(/disk I\/O error/);
    expect(fatal).toHaveLength(1);
  });

  it('passes a gap on with the namespace named in the reason', () => {
    const { sink, find } = setup(['a']);
    find('Service', 'a').report.gap(new Date(1000), new Date(2000), 'HTTP 500 Internal Server Error');
    expect(sink.gaps('Service')).toEqual([{ t: 'gap', kind: 'Service', from: new Date(1000), to: new Date(2000), reason: 'namespace a: HTTP 500 Internal Server Error' }]);
  });
});
