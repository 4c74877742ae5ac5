/**
 * stepSeries: a count that changes only at stored instants (how many validity intervals hold at t) turned
 * into a chart series on a regular grid, without sampling: every change inside a bucket is taken into
 * account by the bucket's reduction.
 *
 *  - stepGrid(from, to, intervalMs, maxDataPoints): buckets of `step` ms, aligned to multiples of `step`
 *    (or starting at `from` when alignment would need one bucket more than maxDataPoints allows); step is
 *    intervalMs (Grafana's bucket size), raised to a multiple of it when [from, to] would need more than
 *    maxDataPoints buckets (and never more than MAX_BUCKETS). Bucket k covers
 *    [start + k·step, start + (k+1)·step) ∩ [from, to], the last one up to and including `to`; its point
 *    is stamped start + k·step.
 *  - stepSeries(intervals, grid, reduce): one [value, time] per bucket, ascending. The value is the count's
 *    min, max, time-weighted mean (avg) or value at the bucket's end (last) over the bucket. An interval
 *    [validFrom, validTo) with validTo null is still open. Changes at one instant are applied together
 *    (an endpoint row closed and reopened at t is no dip).
 * Pure; times are epoch ms.
 */

export type Reduce = 'min' | 'max' | 'avg' | 'last';

export const REDUCES: readonly Reduce[] = ['min', 'max', 'avg', 'last'];

/** Upper bound on buckets per series, whatever the request asks. */
export const MAX_BUCKETS = 20_000;
const DEFAULT_MAX_DATA_POINTS = 1_000;

export interface StepGrid {
  readonly from: number;
  readonly to: number;
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

export function stepGrid(from: number, to: number, intervalMs?: number, maxDataPoints?: number): StepGrid {
  if (!(to >= from)) throw new Error(`stepGrid: to (${to}) before from (${from})`);
  const maxPoints = Math.min(MAX_BUCKETS, Math.max(1, Math.floor(maxDataPoints && maxDataPoints > 0 ? maxDataPoints : DEFAULT_MAX_DATA_POINTS)));
  const span = to - from;
  const unit = intervalMs && intervalMs >= 1 ? Math.floor(intervalMs) : 1;
  let step = Math.max(unit, Math.ceil(span / maxPoints) || 1);
  step = Math.ceil(step / unit) * unit;
  const buckets = (start: number) => Math.max(1, Math.ceil((to - start) / step));
  for (;;) {
    const aligned = Math.floor(from / step) * step;
    if (buckets(aligned) <= maxPoints) return { from, to, start: aligned, step, count: buckets(aligned) };
    // Alignment can cost one bucket more than span / step: start at `from` rather than widen the step.
    if (buckets(from) <= maxPoints) return { from, to, start: from, step, count: buckets(from) };
    step += unit;
  }
}

export type Interval = readonly [validFrom: number, validTo: number | null];

export function stepSeries(intervals: Iterable<Interval>, grid: StepGrid, reduce: Reduce): [number, number][] {
  const { from, to } = grid;
  let cur = 0;
  const opens: number[] = [];
  const closes: number[] = [];
  for (const [a, b] of intervals) {
    if (a > to || (b !== null && (b <= from || b <= a))) continue;
    if (a <= from) cur += 1;
    else opens.push(a);
    if (b !== null && b <= to) closes.push(b);
  }
  const up = Float64Array.from(opens).sort();
  const down = Float64Array.from(closes).sort();
  let i = 0, j = 0;
  /** The next instant with a change, or Infinity. */
  const next = () => Math.min(i < up.length ? up[i]! : Infinity, j < down.length ? down[j]! : Infinity);
  /** Applies every change at instant t (opens and closes together). */
  const apply = (t: number) => {
    while (i < up.length && up[i] === t) { cur += 1; i++; }
    while (j < down.length && down[j] === t) { cur -= 1; j++; }
  };
  const out: [number, number][] = [];
  for (let k = 0; k < grid.count; k++) {
    const t0 = grid.start + k * grid.step;
    const b0 = Math.max(t0, from);
    // The last bucket ends at `to` inclusive: a change at exactly `to` is part of the range.
    const b1 = k === grid.count - 1 ? to + 1 : Math.min(t0 + grid.step, to + 1);
    for (let t = next(); t <= b0; t = next()) apply(t);
    let min = cur, max = cur, area = 0, prev = b0;
    for (let t = next(); t < b1; t = next()) {
      area += cur * (t - prev);
      prev = t;
      apply(t);
      if (cur < min) min = cur;
      if (cur > max) max = cur;
    }
    area += cur * (b1 - prev);
    const value = reduce === 'min' ? min : reduce === 'max' ? max : reduce === 'last' ? cur : b1 > b0 ? area / (b1 - b0) : cur;
    out.push([reduce === 'avg' ? Math.round(value * 1000) / 1000 : value, t0]);
  }
  return out;
}
