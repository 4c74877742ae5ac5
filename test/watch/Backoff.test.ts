import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/watch/Backoff.js';

describe('Backoff', () => {
  const cases: [string, number, number[]][] = [
    ['lowest jitter: half of each doubling step, capped', 0, [50, 100, 200, 400, 500, 500]],
    ['highest jitter: the full doubling step, capped', 0.999999, [100, 200, 400, 800, 1000, 1000]],
  ];
  for (const [name, r, want] of cases) {
    it(name, () => {
      const b = new Backoff({ baseMs: 100, maxMs: 1000, random: () => r });
      expect(want.map(() => b.next())).toEqual(want);
      expect(b.attempts).toBe(want.length);
    });
  }

  it('starts again from the base after reset()', () => {
    const b = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0 });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(50);
  });

  it('never waits zero, and spreads restarts of several watchers', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const firsts = Array.from({ length: 20 }, () => new Backoff({ baseMs: 1000, maxMs: 30_000, random }).next());
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(500);
    expect(new Set(firsts).size).toBeGreaterThan(10);
  });

  it('rejects a maximum below the base', () => {
    expect(() => new Backoff({ baseMs: 100, maxMs: 10 })).toThrow(/baseMs <= maxMs/);
  });
});
