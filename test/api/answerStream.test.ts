/**
 * answerStream over a real LiveChangeFeed (a version counter and a short interval): the current answer
 * first, one answer per distinct state, errors as items, coalescing while nobody pulls, and the feed
 * released when the stream ends.
 */
import { describe, expect, it } from 'vitest';
import { answerStream, newStreamStats, type StreamItem } from '../../src/api/subscriptions/answerStream.js';
import { LiveChangeFeed } from '../../src/api/subscriptions/LiveChangeFeed.js';

function world() {
  const w = { version: 0, value: 'a' as string | Error, computed: 0 };
  const feed = new LiveChangeFeed(() => w.version, 5);
  const set = (value: string | Error) => {
    w.value = value;
    w.version++;
  };
  const compute = () => {
    w.computed++;
    if (w.value instanceof Error) throw w.value;
    return w.value;
  };
  return { w, feed, set, compute };
}

const valueOf = (r: IteratorResult<StreamItem<string>>) => (r.done ? 'done' : 'error' in r.value ? `error:${(r.value.error as Error).message}` : r.value.value);

describe('answerStream', () => {
  it('sends the current answer, then one answer per distinct state, errors included', async () => {
    const { feed, set, compute } = world();
    const stats = newStreamStats();
    const s = answerStream(feed, compute, (v) => v, stats);
    expect(valueOf(await s.next())).toBe('a');
    const steps: [name: string, value: string | Error, expected: string][] = [
      ['a new state', 'b', 'b'],
      ['an error', new Error('boom'), 'error:boom'],
      ['recovery', 'c', 'c'],
    ];
    for (const [, value, expected] of steps) {
      set(value);
      expect(valueOf(await s.next())).toBe(expected);
    }
    // The same answer again is not sent: the next item is the one after it.
    set('c');
    setTimeout(() => set('d'), 30);
    expect(valueOf(await s.next())).toBe('d');
    expect(stats.delivered).toBe(5);
    await s.return!();
    expect(feed.listenerCount).toBe(0);
    expect(stats.active).toBe(0);
  });

  it('computes once for many changes made while the consumer does not pull (coalesced)', async () => {
    const { w, feed, set, compute } = world();
    const stats = newStreamStats();
    const s = answerStream(feed, compute, (v) => v, stats);
    expect(valueOf(await s.next())).toBe('a');
    const before = w.computed;
    for (let i = 0; i < 10; i++) {
      set(`v${i}`);
      await new Promise((resolve) => setTimeout(resolve, 8));
    }
    expect(valueOf(await s.next())).toBe('v9');
    expect(w.computed - before).toBe(1);
    expect(stats.coalesced).toBeGreaterThan(0);
    await s.return!();
  });

  it('ends a pending next() when the stream is closed', async () => {
    const { feed, compute } = world();
    const s = answerStream(feed, compute, (v) => v, newStreamStats());
    await s.next();
    const pending = s.next();
    await s.return!();
    expect((await pending).done).toBe(true);
    expect(feed.listenerCount).toBe(0);
  });
});
