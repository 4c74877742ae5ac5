/**
 * parseTime: the one reader of user-given instants (CLI flags, REST query parameters, GraphQL DateTime).
 *
 * Accepted forms:
 *  - RFC 3339 with a zone: "2026-11-26T08:00:00Z", "2026-11-26T09:00:00.250+01:00" (a space may replace T);
 *  - epoch milliseconds: a whole number (or digit string) of at most 15 digits;
 *  - relative to `now`: "now", or a minus sign, a whole number and a unit (ms, s, m, h, d, w): "-15m".
 * Anything else, an impossible calendar date (Feb 30), or an instant outside years 1970..9999 throws
 * TimeParseError with a one-line message naming the accepted forms. Pure: `now` is passed in.
 */

export class TimeParseError extends Error {
  override readonly name = 'TimeParseError';
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const RELATIVE = /^-(\d{1,9})(ms|s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const TIME_FORMS = 'RFC 3339 (2026-11-26T08:00:00Z), epoch milliseconds, or relative (-15m, -2h, -1d)';

function fail(input: unknown): never {
  const shown = typeof input === 'string' ? `'${input.length > 60 ? `${input.slice(0, 60)}…` : input}'` : String(input);
  throw new TimeParseError(`${shown} is not a time: use ${TIME_FORMS}`);
}

function checked(ms: number, input: unknown): Date {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) fail(input);
  return new Date(ms);
}

export function parseTime(input: string | number, now: number = Date.now()): Date {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) fail(input);
    return checked(input, input);
  }
  const s = input.trim();
  if (/^\d{1,15}$/.test(s)) return checked(Number(s), input);
  if (s === 'now') return checked(now, input);
  const rel = RELATIVE.exec(s);
  if (rel) return checked(now - Number(rel[1]) * UNIT_MS[rel[2]!]!, input);
  const m = RFC3339.exec(s);
  if (!m) fail(input);
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(sec);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) fail(input);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) fail(input);
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone!.slice(1, 3)), om = Number(zone!.slice(4, 6));
    if (oh > 23 || om > 59) fail(input);
    offsetMin = (zone!.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - offsetMin * 60_000;
  return checked(utc, input);
}

/** RFC 3339 UTC with milliseconds: the one output form of instants. */
export function formatTime(d: Date): string {
  return d.toISOString();
}
