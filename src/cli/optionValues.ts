/**
 * optionValues: typed readers for parsed flag values. Each throws UsageError with a one-line message
 * naming the flag when the value is malformed, so every subcommand rejects bad input the same way.
 */
import { UsageError, type ParsedOptions } from './Command.js';

export function stringOption(opts: ParsedOptions, name: string): string | undefined {
  const v = opts[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`--${name}: expected a value`);
  return v;
}

export function stringListOption(opts: ParsedOptions, name: string): string[] {
  const v = opts[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [String(v)];
}

export function booleanOption(opts: ParsedOptions, name: string): boolean {
  return opts[name] === true;
}

/** An integer in [min, max]. */
export function intOption(opts: ParsedOptions, name: string, min: number, max: number): number | undefined {
  const raw = stringOption(opts, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`--${name}: '${raw}' is not a whole number`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name}: ${raw} is outside ${min}..${max}`);
  return n;
}

/** A non-negative decimal number. */
export function numberOption(opts: ParsedOptions, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = stringOption(opts, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name}: '${raw}' is not a number in ${min}..${max}`);
  return n;
}
