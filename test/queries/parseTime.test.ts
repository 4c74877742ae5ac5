import { describe, expect, it } from 'vitest';
import { parseTime, TimeParseError } from '../../src/time/parseTime.js';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');

describe('parseTime accepts', () => {
  const cases: { name: string; input: string | number; want: string }[] = [
    { name: 'RFC 3339 UTC', input: '2026-11-26T08:00:00Z', want: '2026-11-26T08:00:00.000Z' },
    { name: 'RFC 3339 lower-case z and t', input: '2026-11-26t08:00:00z', want: '2026-11-26T08:00:00.000Z' },
    { name: 'RFC 3339 with a space', input: '2026-11-26 08:00:00Z', want: '2026-11-26T08:00:00.000Z' },
    { name: 'RFC 3339 with milliseconds', input: '2026-11-26T08:00:00.250Z', want: '2026-11-26T08:00:00.250Z' },
    { name: 'RFC 3339 with nanoseconds (truncated)', input: '2026-11-26T08:00:00.123456789Z', want: '2026-11-26T08:00:00.123Z' },
    { name: 'RFC 3339 with a positive offset', input: '2026-11-26T09:30:00+01:30', want: '2026-11-26T08:00:00.000Z' },
    { name: 'RFC 3339 with a negative offset', input: '2026-11-26T03:00:00-05:00', want: '2026-11-26T08:00:00.000Z' },
    { name: 'leap day', input: '2028-02-29T00:00:00Z', want: '2028-02-29T00:00:00.000Z' },
    { name: 'epoch ms as a string', input: '1795680000000', want: new Date(1795680000000).toISOString() },
    { name: 'epoch ms as a number', input: 1795680000000, want: new Date(1795680000000).toISOString() },
    { name: 'epoch 0', input: '0', want: '1970-01-01T00:00:00.000Z' },
    { name: 'now', input: 'now', want: '2026-11-26T10:00:00.000Z' },
    { name: 'minus 15 minutes', input: '-15m', want: '2026-11-26T09:45:00.000Z' },
    { name: 'minus 2 hours', input: '-2h', want: '2026-11-26T08:00:00.000Z' },
    { name: 'minus 1 day', input: '-1d', want: '2026-11-25T10:00:00.000Z' },
    { name: 'minus 30 seconds', input: '-30s', want: '2026-11-26T09:59:30.000Z' },
    { name: 'minus 1 week', input: '-1w', want: '2026-11-19T10:00:00.000Z' },
    { name: 'surrounding spaces', input: '  -15m ', want: '2026-11-26T09:45:00.000Z' },
  ];
  for (const c of cases) it(c.name, () => expect(parseTime(c.input, NOW).toISOString()).toBe(c.want));
});

describe('parseTime rejects', () => {
  const cases: { name: string; input: string | number }[] = [
    { name: 'empty', input: '' },
    { name: 'a word', input: 'yesterday' },
    { name: 'a date without time', input: '2026-11-26' },
    { name: 'no zone', input: '2026-11-26T08:00:00' },
    { name: 'February 30', input: '2026-02-30T00:00:00Z' },
    { name: 'February 29 of a common year', input: '2027-02-29T00:00:00Z' },
    { name: 'month 13', input: '2026-13-01T00:00:00Z' },
    { name: 'hour 24', input: '2026-11-26T24:00:00Z' },
    { name: 'offset hour 24', input: '2026-11-26T08:00:00+24:00' },
    { name: 'positive relative', input: '+15m' },
    { name: 'unknown unit', input: '-15y' },
    { name: 'a fractional number', input: 1.5 },
    { name: 'a negative epoch', input: -1 },
    { name: 'too many digits', input: '1234567890123456' },
    { name: 'beyond year 9999', input: 253402300800000 },
    { name: 'relative before 1970', input: '-999999999w' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(() => parseTime(c.input, NOW)).toThrow(TimeParseError);
    });
  }
  it('says which forms it accepts, on one line', () => {
    try {
      parseTime('soon', NOW);
    } catch (e) {
      expect((e as Error).message).toMatch(/RFC 3339.*epoch milliseconds.*-15m/);
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
