/** endpointRowKey: equal keys exactly when the cells are equal. */
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/history/derivedRows.js';
import { endpointRowKey } from '../../src/history/endpointRowKey.js';

const row = (over: Partial<Record<number, Cell>> = {}): Cell[] => {
  const base: Cell[] = ['web', '10.0.0.1', 'http', 8080, 'TCP', 1, 1, 0, 'node-a', 'zone-a', 'Pod', 'web-1'];
  for (const [i, v] of Object.entries(over)) base[Number(i)] = v as Cell;
  return base;
};

describe('endpointRowKey', () => {
  const different: { name: string; a: Cell[]; b: Cell[] }[] = [
    { name: 'another address', a: row(), b: row({ 1: '10.0.0.2' }) },
    { name: 'not ready', a: row(), b: row({ 5: 0 }) },
    { name: 'readiness unknown (null) vs false', a: row({ 5: null }), b: row({ 5: 0 }) },
    { name: 'null vs the empty string', a: row({ 2: null }), b: row({ 2: '' }) },
    { name: 'null vs the text "null"', a: row({ 9: null }), b: row({ 9: 'null' }) },
    { name: 'a value moved to the next cell', a: row({ 8: 'a', 9: '' }), b: row({ 8: '', 9: 'a' }) },
    { name: 'another port', a: row(), b: row({ 3: 80 }) },
  ];
  for (const c of different) it(`tells apart: ${c.name}`, () => expect(endpointRowKey(c.a)).not.toBe(endpointRowKey(c.b)));
  it('gives equal cells equal keys', () => expect(endpointRowKey(row())).toBe(endpointRowKey(row())));
});
