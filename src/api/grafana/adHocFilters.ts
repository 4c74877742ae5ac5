/**
 * adHocFilters: Grafana ad hoc filters (`filters` since simPod 0.6.4, `adhocFilters` before) read into
 * predicates over the keys routetrace knows: namespace and service (which Services are charted), zone and
 * node (which endpoints count), and cluster (which clusters of the history are asked; offered as a key
 * only when the history holds several).
 *
 * Operators: = and != (value), =| and !=| (one of / none of `values`), =~ and !~ (an anchored regular
 * expression, at most 256 characters). Several filters on one key must all hold. An unknown key, an
 * unsupported operator (<, >, ...) or an invalid regular expression is a RequestError BAD_REQUEST, since
 * ignoring it would chart something the user did not ask for. `lenientKeys` (tag-values: the other
 * filters only narrow a picker) skips unknown keys instead.
 */
import { RequestError } from '../errors.js';

export const AD_HOC_KEYS = ['namespace', 'service', 'zone', 'node'] as const;
/** The keys filters may use: AD_HOC_KEYS and `cluster`. */
export const FILTER_KEYS = [...AD_HOC_KEYS, 'cluster'] as const;
export type AdHocKey = (typeof FILTER_KEYS)[number];

export type ValueTest = (value: string | null) => boolean;

export interface AdHocFilters {
  readonly empty: boolean;
  test(key: AdHocKey, value: string | null): boolean;
  /** Whether any filter is set on `key`. */
  has(key: AdHocKey): boolean;
}

export const NO_FILTERS: AdHocFilters = { empty: true, test: () => true, has: () => false };

function stringOf(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new RequestError('BAD_REQUEST', `ad hoc filter ${what}: expected a string`);
}

function regexOf(source: string, key: string): RegExp {
  if (source.length > 256) throw new RequestError('BAD_REQUEST', `ad hoc filter on ${key}: regular expression longer than 256 characters`);
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    throw new RequestError('BAD_REQUEST', `ad hoc filter on ${key}: '${source.slice(0, 80)}' is not a valid regular expression`);
  }
}

function testOf(operator: string, f: Record<string, unknown>, key: string): ValueTest {
  const value = () => stringOf(f['value'], `${key} value`);
  const values = (): Set<string> => {
    const vs = f['values'];
    if (Array.isArray(vs)) return new Set(vs.map((v) => stringOf(v, `${key} values`)));
    return new Set([value()]);
  };
  switch (operator) {
    case '=': { const v = value(); return (x) => x === v; }
    case '!=': { const v = value(); return (x) => x !== v; }
    case '=|': { const s = values(); return (x) => x !== null && s.has(x); }
    case '!=|': { const s = values(); return (x) => x === null || !s.has(x); }
    case '=~': { const r = regexOf(value(), key); return (x) => x !== null && r.test(x); }
    case '!~': { const r = regexOf(value(), key); return (x) => x === null || !r.test(x); }
    default:
      throw new RequestError('BAD_REQUEST', `ad hoc filter on ${key}: operator '${operator.slice(0, 10)}' is not supported (use =, !=, =|, !=|, =~ or !~)`);
  }
}

/** Reads `filters` (or legacy `adhocFilters`) of a request body. */
export function adHocFilters(body: Record<string, unknown>, options: { lenientKeys?: boolean } = {}): AdHocFilters {
  const raw = body['filters'] ?? body['adhocFilters'];
  if (raw === undefined || raw === null) return NO_FILTERS;
  if (!Array.isArray(raw)) throw new RequestError('BAD_REQUEST', 'filters: expected an array of ad hoc filters');
  const tests = new Map<AdHocKey, ValueTest[]>();
  for (const f of raw) {
    if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new RequestError('BAD_REQUEST', 'filters: each filter is an object {key, operator, value}');
    const o = f as Record<string, unknown>;
    const key = stringOf(o['key'], 'key');
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      if (options.lenientKeys) continue;
      throw new RequestError('BAD_REQUEST', `ad hoc filter key '${key.slice(0, 60)}' is not supported (keys: ${FILTER_KEYS.join(', ')})`);
    }
    const operator = o['operator'] === undefined ? '=' : stringOf(o['operator'], `${key} operator`);
    const list = tests.get(key as AdHocKey) ?? [];
    list.push(testOf(operator, o, key));
    tests.set(key as AdHocKey, list);
  }
  if (tests.size === 0) return NO_FILTERS;
  return {
    empty: false,
    test: (key, value) => (tests.get(key) ?? []).every((t) => t(value)),
    has: (key) => tests.has(key),
  };
}
