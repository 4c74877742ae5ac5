/**
 * payloadFields: the payload fields of routetrace's Grafana metrics, read and checked.
 *
 * Builder mode sends every value as a string ("50"), multi-selects as arrays of strings; code mode sends
 * any JSON. Each reader accepts both. A field the metric does not take, or a value of the wrong shape, is
 * a RequestError BAD_REQUEST naming the field (a misspelt "nmespace" must not chart every namespace).
 */
import { checkServicePort } from '../../queries/inputs.js';
import { REDUCES, type Reduce } from '../../queries/stepSeries.js';
import { RequestError } from '../errors.js';
import { nameSelector, type NameSelector } from './nameSelector.js';

export const CONDITIONS = ['ready', 'serving', 'terminating'] as const;
export type Condition = (typeof CONDITIONS)[number];

export const MAX_SERIES_LIMIT = 1_000;

export class PayloadFields {
  constructor(
    private readonly payload: Readonly<Record<string, unknown>>,
    private readonly where: string,
    allowed: readonly string[],
  ) {
    for (const k of Object.keys(payload)) {
      if (!allowed.includes(k)) throw new RequestError('BAD_REQUEST', `${where}: payload field '${k.slice(0, 40)}' is not known (fields: ${allowed.join(', ')})`);
    }
  }

  private bad(field: string, expected: string): never {
    throw new RequestError('BAD_REQUEST', `${this.where}: payload field '${field}': expected ${expected}`);
  }

  names(field: string): NameSelector {
    return nameSelector(this.payload[field], `${this.where}: payload field '${field}'`);
  }

  /** A single string (trimmed), or undefined when absent or "". */
  text(field: string): string | undefined {
    const v = this.payload[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.bad(field, 'a string');
    const t = v.trim();
    return t === '' ? undefined : t.replace(/\\(.)/g, '$1');
  }

  port(field = 'port'): number | string | undefined {
    const v = this.payload[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'number' && typeof v !== 'string') this.bad(field, 'a port number or name');
    try {
      return checkServicePort(v, field);
    } catch (e) {
      throw new RequestError('BAD_REQUEST', `${this.where}: ${(e as Error).message}`);
    }
  }

  integer(field: string, min: number, max: number): number | undefined {
    const v = this.payload[field];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) this.bad(field, `a whole number from ${min} to ${max}`);
    return n;
  }

  conditions(field = 'conditions'): Condition[] {
    const v = this.payload[field];
    if (v === undefined || v === null || v === '') return [];
    const sel = nameSelector(v, `${this.where}: payload field '${field}'`);
    if (sel.names === null) return [];
    for (const c of sel.names) if (!(CONDITIONS as readonly string[]).includes(c)) this.bad(field, `conditions among ${CONDITIONS.join(', ')}`);
    return sel.names as Condition[];
  }

  reduce(field = 'reduce'): Reduce | undefined {
    const v = this.text(field);
    if (v === undefined) return undefined;
    if (!(REDUCES as readonly string[]).includes(v)) this.bad(field, `one of ${REDUCES.join(', ')}`);
    return v as Reduce;
  }
}
