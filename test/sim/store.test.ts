/**
 * Store: the global resourceVersion, the bounded per-kind event logs behind watch replay, compaction, and
 * the bounded change record.
 */
import { describe, expect, it } from 'vitest';
import { Store, type SimObject } from '../../src/sim/Store.js';

const svc = (name: string, v = '1'): SimObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns', labels: { v } } });
const pod = (name: string): SimObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' } });

describe('Store', () => {
  it('stamps one strictly increasing resourceVersion across kinds; DELETED carries the deletion version', () => {
    const s = new Store(100, () => new Date(0));
    const a = s.put(svc('a'));
    const b = s.put(pod('b'));
    const c = s.put(svc('a', '2'));
    const d = s.remove('Service', 'ns', 'a')!;
    expect([a.rv, b.rv, c.rv, d.rv]).toEqual([1, 2, 3, 4]);
    expect([a.type, c.type, d.type]).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(d.object.metadata.resourceVersion).toBe('4');
    expect(d.object.metadata.labels).toEqual({ v: '2' });
    expect(d.prev).toBe(c.object);
    expect(s.remove('Service', 'ns', 'a')).toBeUndefined();
  });

  it('replays a kind from any version inside its window and refuses older or future versions', () => {
    const s = new Store(3, () => new Date(0));
    for (let i = 0; i < 5; i++) s.put(svc(`s${i}`)); // rv 1..5; the window keeps 3..5
    s.put(pod('p')); // rv 6, another kind
    expect(s.replayableFrom('Service', 2)).toBe(true);
    expect(s.eventsAfter('Service', 2).map((e) => e.rv)).toEqual([3, 4, 5]);
    expect(s.replayableFrom('Service', 1)).toBe(false);
    expect(s.replayableFrom('Service', 6)).toBe(true);
    expect(s.eventsAfter('Service', 6)).toEqual([]);
    expect(s.replayableFrom('Service', 7)).toBe(false);
    expect(s.replayableFrom('Pod', 0)).toBe(true);
  });

  it('after compaction only the current version is replayable', () => {
    const s = new Store(100, () => new Date(0));
    s.put(svc('a'));
    s.put(svc('b'));
    s.compact();
    expect(s.replayableFrom('Service', 1)).toBe(false);
    expect(s.replayableFrom('Service', 2)).toBe(true);
    s.put(svc('c'));
    expect(s.eventsAfter('Service', 2).map((e) => e.name)).toEqual(['c']);
  });

  it('keeps the change record within its limit and refuses to hand out a truncated record', () => {
    let t = 0;
    const s = new Store(100, () => new Date(t++ * 1000), 0, 3);
    for (let i = 0; i < 5; i++) s.put(svc(`s${i}`));
    expect(s.changes(2).map((e) => [e.rv, e.at.getTime()])).toEqual([
      [3, 2000],
      [4, 3000],
      [5, 4000],
    ]);
    expect(() => s.changes(1)).toThrow(/dropped/);
    expect(() => s.changes()).toThrow(/dropped/);
  });
});
