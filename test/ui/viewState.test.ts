/**
 * viewState: the route viewer's shareable URL, read and written (pure functions of ui/src/viewState.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseViewState, portValue, serviceRef, viewSearch, windowStart } from '../../ui/src/viewState.js';

const parseCases: [name: string, search: string, expected: ReturnType<typeof parseViewState>][] = [
  ['nothing', '', { from: '-1h' }],
  ['a host with port, path and instant', '?host=shop.example.com&port=443&path=/api&at=2026-11-26T09:26:36Z', { host: 'shop.example.com', port: '443', path: '/api', at: '2026-11-26T09:26:36.000Z', from: '-1h' }],
  ['an instant in epoch milliseconds', '?host=a&at=1764149196000', { host: 'a', at: '2025-11-26T09:26:36.000Z', from: '-1h' }],
  ['an unreadable instant is now', '?host=a&at=yesterday-ish', { host: 'a', from: '-1h' }],
  ['a Service and a window', '?service=default/web&port=http&from=-15m', { service: 'default/web', port: 'http', from: '-15m' }],
  ['a host wins over a Service', '?host=a&service=default/web', { host: 'a', from: '-1h' }],
  ['blank values are absent', '?host=%20&port=', { from: '-1h' }],
];

describe('parseViewState', () => {
  for (const [name, search, expected] of parseCases) it(name, () => expect(parseViewState(search)).toEqual(expected));

  it('reads back what viewSearch writes', () => {
    for (const [, search] of parseCases) {
      const s = parseViewState(search);
      expect(parseViewState(viewSearch(s))).toEqual(s);
    }
  });
});

describe('viewState helpers', () => {
  const refs: [string, ReturnType<typeof serviceRef>][] = [
    ['default/web', { namespace: 'default', name: 'web' }],
    [' kube-public/dns ', { namespace: 'kube-public', name: 'dns' }],
    ['web', undefined],
    ['a/b/c', undefined],
  ];
  for (const [text, ref] of refs) it(`serviceRef(${JSON.stringify(text)})`, () => expect(serviceRef(text)).toEqual(ref));

  const ports: [string | undefined, number | string | undefined][] = [['80', 80], ['http', 'http'], ['', undefined], [undefined, undefined]];
  for (const [text, port] of ports) it(`portValue(${JSON.stringify(text)})`, () => expect(portValue(text)).toBe(port));

  const NOW = Date.parse('2026-11-26T10:00:00Z');
  const windows: [string, number][] = [
    ['-15m', NOW - 15 * 60_000],
    ['-2h', NOW - 2 * 3_600_000],
    ['-1d', NOW - 86_400_000],
    ['2026-11-26T09:00:00Z', Date.parse('2026-11-26T09:00:00Z')],
    ['nonsense', NOW - 3_600_000],
  ];
  for (const [from, start] of windows) it(`windowStart(${from})`, () => expect(windowStart(from, NOW)).toBe(start));
});
