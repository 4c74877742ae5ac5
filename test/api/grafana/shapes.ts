/**
 * shapes: checks that answer elements have the shapes Grafana's toDataFrame and the simPod plugin accept
 * (timeseries {target, datapoints: [[value, epoch ms]]}, table {type: 'table', columns: [{text, type}],
 * rows}), and small readers over them.
 */
import { expect } from 'vitest';

const FIELD_TYPES = ['time', 'number', 'string', 'boolean', 'other'];

export function expectTimeseries(el: any, grid?: { from: number; to: number; stepMs: number; maxDataPoints: number }): void {
  expect(typeof el.target).toBe('string');
  expect(typeof el.refId).toBe('string');
  expect(Array.isArray(el.datapoints)).toBe(true);
  expect('columns' in el || 'fields' in el).toBe(false);
  let prev = -Infinity;
  for (const p of el.datapoints) {
    expect(p).toHaveLength(2);
    expect(typeof p[0] === 'number' || p[0] === null).toBe(true);
    expect(Number.isInteger(p[1])).toBe(true);
    expect(p[1]).toBeGreaterThan(prev);
    prev = p[1];
  }
  if (grid) {
    expect(el.datapoints.length).toBeLessThanOrEqual(grid.maxDataPoints);
    const step = el.datapoints.length > 1 ? el.datapoints[1][1] - el.datapoints[0][1] : grid.stepMs;
    expect(step % grid.stepMs).toBe(0);
    for (const p of el.datapoints) {
      expect(p[1] % step).toBe(0);
      expect(p[1]).toBeGreaterThan(grid.from - step);
      expect(p[1]).toBeLessThanOrEqual(grid.to);
    }
    expect(el.datapoints[el.datapoints.length - 1][1]).toBeGreaterThanOrEqual(grid.to - step);
  }
}

export function expectTable(el: any): void {
  expect(el.type).toBe('table');
  expect(typeof el.refId).toBe('string');
  expect(Array.isArray(el.columns)).toBe(true);
  expect(Array.isArray(el.rows)).toBe(true);
  for (const c of el.columns) {
    expect(typeof c.text).toBe('string');
    expect(FIELD_TYPES).toContain(c.type);
  }
  for (const row of el.rows) {
    expect(row).toHaveLength(el.columns.length);
    row.forEach((v: unknown, i: number) => {
      if (v === null) return;
      const t = el.columns[i].type;
      if (t === 'time' || t === 'number') expect(typeof v).toBe('number');
      if (t === 'string') expect(typeof v).toBe('string');
      if (t === 'boolean') expect(typeof v).toBe('boolean');
    });
  }
}

/** Grafana needs a time field and a text field (matched by name) to make annotation events. */
export function expectAnnotationTable(el: any): void {
  expectTable(el);
  const names = el.columns.map((c: any) => c.text);
  for (const n of ['time', 'timeEnd', 'title', 'text', 'tags']) expect(names).toContain(n);
  expect(el.columns.find((c: any) => c.text === 'time').type).toBe('time');
  expect(el.columns.find((c: any) => c.text === 'text').type).toBe('string');
  expect(el.rows.length).toBeGreaterThan(0);
}

export function seriesByTarget(els: any[]): Record<string, any> {
  const out: Record<string, any> = {};
  for (const el of els) {
    expect(out[el.target]).toBeUndefined();
    out[el.target] = el;
  }
  return out;
}

/** The value of the point stamped exactly `t`. */
export function valueAt(series: any, t: number): number | null {
  const p = series.datapoints.find((d: [number, number]) => d[1] === t);
  if (!p) throw new Error(`no point at ${new Date(t).toISOString()} in ${series.target}`);
  return p[0];
}
