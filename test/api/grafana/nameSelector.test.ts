/**
 * nameSelector: the forms in which Grafana sends names (single, regex-escaped, multi-value, All).
 */
import { describe, expect, it } from 'vitest';
import { nameSelector } from '../../../src/api/grafana/nameSelector.js';

describe('nameSelector', () => {
  const cases: { name: string; value: unknown; names: string[] | null }[] = [
    { name: 'absent', value: undefined, names: null },
    { name: 'empty string', value: '', names: null },
    { name: 'a name', value: 'checkout', names: ['checkout'] },
    { name: 'regex-escaped name', value: 'checkout\\.v2', names: ['checkout.v2'] },
    { name: 'regex multi-value', value: '(checkout|payments)', names: ['checkout', 'payments'] },
    { name: 'regex multi-value with escapes', value: '(a\\.b|c)', names: ['a.b', 'c'] },
    { name: 'glob multi-value (Infinity)', value: '{checkout,payments}', names: ['checkout', 'payments'] },
    { name: 'csv', value: 'checkout,payments', names: ['checkout', 'payments'] },
    { name: 'array', value: ['payments', 'checkout'], names: ['checkout', 'payments'] },
    { name: 'All as .*', value: '.*', names: null },
    { name: 'All as $__all', value: '$__all', names: null },
    { name: 'All among values', value: ['checkout', '*'], names: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(nameSelector(c.value, 'service').names).toEqual(c.names);
    });
  }
  const bad: [string, unknown][] = [
    ['number', 5],
    ['object', { a: 1 }],
    ['other regex', 'check.*out'],
    ['uninterpolated variable', '$service'],
    ['space', 'a b'],
  ];
  for (const [name, value] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => nameSelector(value, 'service')).toThrow(/service/);
    });
  }
});
