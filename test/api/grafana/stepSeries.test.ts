/**
 * stepSeries and stepGrid: the bucketing of stored validity intervals into chart points (pure).
 */
import { describe, expect, it } from 'vitest';
import { stepGrid, stepSeries, type Interval, type Reduce } from '../../../src/queries/stepSeries.js';

describe('stepGrid', () => {
  const cases: { name: string; args: [number, number, number | undefined, number | undefined]; step: number; start: number; count: number }[] = [
    { name: 'intervalMs fits maxDataPoints', args: [1_000, 61_000, 10_000, 100], step: 10_000, start: 0, count: 7 },
    { name: 'raised to a multiple of intervalMs', args: [0, 100_000, 1_000, 10], step: 10_000, start: 0, count: 10 },
    { name: 'raised to the next multiple of intervalMs', args: [0, 100_000, 3_000, 10], step: 12_000, start: 0, count: 9 },
    { name: 'no intervalMs: span / maxDataPoints', args: [0, 1_000, undefined, 10], step: 100, start: 0, count: 10 },
    { name: 'empty range: one point', args: [5_000, 5_000, 1_000, 100], step: 1_000, start: 5_000, count: 1 },
    { name: '7 days at 1 minute, aligned', args: [0, 7 * 86_400_000, 60_000, 10_080], step: 60_000, start: 0, count: 10_080 },
    { name: '7 days at 1 minute, unaligned: starts at from instead of halving the resolution', args: [30_000, 30_000 + 7 * 86_400_000, 60_000, 10_080], step: 60_000, start: 30_000, count: 10_080 },
    { name: '7 days at 1 minute, unaligned, room for alignment', args: [30_000, 30_000 + 7 * 86_400_000, 60_000, 11_000], step: 60_000, start: 0, count: 10_081 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const g = stepGrid(...c.args);
      expect({ step: g.step, start: g.start, count: g.count }).toEqual({ step: c.step, start: c.start, count: c.count });
      if (c.args[3] !== undefined) expect(g.count).toBeLessThanOrEqual(c.args[3]);
    });
  }
  it('a request for more points than the cap gets the cap', () => {
    expect(stepGrid(0, 1e9, 1, 1e9).count).toBeLessThanOrEqual(20_000);
  });
});

describe('stepSeries', () => {
  const grid = stepGrid(0, 40, 10, 100); // buckets at 0, 10, 20, 30 (the last one up to and including 40)
  const cases: { name: string; intervals: Interval[]; reduce: Reduce; values: number[] }[] = [
    { name: 'constant', intervals: [[-5, null]], reduce: 'min', values: [1, 1, 1, 1] },
    { name: 'starts inside a bucket (max sees it, min does not)', intervals: [[15, null]], reduce: 'max', values: [0, 1, 1, 1] },
    { name: 'starts inside a bucket, min', intervals: [[15, null]], reduce: 'min', values: [0, 0, 1, 1] },
    { name: 'dip shorter than a bucket shows with min', intervals: [[-5, 12], [14, null]], reduce: 'min', values: [1, 0, 1, 1] },
    { name: 'dip shorter than a bucket, last', intervals: [[-5, 12], [14, null]], reduce: 'last', values: [1, 1, 1, 1] },
    { name: 'dip shorter than a bucket, avg', intervals: [[-5, 12], [14, null]], reduce: 'avg', values: [1, 0.8, 1, 1] },
    { name: 'closed and reopened at one instant is no dip', intervals: [[-5, 12], [12, null]], reduce: 'min', values: [1, 1, 1, 1] },
    { name: 'ends at a bucket boundary', intervals: [[0, 20]], reduce: 'max', values: [1, 1, 0, 0] },
    { name: 'two overlapping', intervals: [[0, 25], [5, null]], reduce: 'max', values: [2, 2, 2, 1] },
    { name: 'change at the range end counts', intervals: [[40, null]], reduce: 'max', values: [0, 0, 0, 1] },
    { name: 'outside the range', intervals: [[50, null], [-10, 0]], reduce: 'max', values: [0, 0, 0, 0] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pts = stepSeries(c.intervals, grid, c.reduce);
      expect(pts.map((p) => p[1])).toEqual([0, 10, 20, 30]);
      expect(pts.map((p) => p[0])).toEqual(c.values);
    });
  }
});
