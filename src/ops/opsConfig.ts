/**
 * opsConfig: the operational settings of `serve` (access control, CORS, log level), from flags and
 * ROUTETRACE_* variables like every other serve setting (a flag wins over its variable; a repeatable
 * flag takes a comma-separated list in its variable).
 *
 *   --auth-token-file FILE   ROUTETRACE_AUTH_TOKEN_FILE   file holding the bearer token (read once at start)
 *   (no flag)                ROUTETRACE_AUTH_TOKEN        the bearer token itself (never a flag: it would
 *                                                         show in the process list)
 *   --cors-origin ORIGIN     ROUTETRACE_CORS_ORIGIN       allowed browser origin (repeatable; `*` for any)
 *   --log-level LEVEL        ROUTETRACE_LOG_LEVEL         debug, info (default), warn, error
 *
 * Setting both a token file and a token is an error. A token is trimmed of surrounding whitespace and
 * must be at least 16 visible ASCII characters without spaces. Every problem throws UsageError with a
 * one-line message naming the flag or variable (the CLI exits 2). The token file is the only disk read.
 */
import { readFileSync } from 'node:fs';
import { UsageError, type OptionTable, type ParsedOptions } from '../cli/Command.js';
import { envName } from '../config.js';
import type { LogLevel } from '../watch/Logger.js';
import { invalidOrigin } from './corsFilter.js';
import { isLogLevel, LOG_LEVELS } from './levelFilter.js';

export interface OpsConfig {
  /** undefined: no access control. */
  readonly authToken?: string;
  /** Empty: CORS off. */
  readonly corsOrigins: readonly string[];
  readonly logLevel: LogLevel;
}

export const TOKEN_ENV = 'ROUTETRACE_AUTH_TOKEN';
export const MIN_TOKEN_LENGTH = 16;

export const OPS_OPTIONS: OptionTable = {
  'auth-token-file': { type: 'string', valueName: 'FILE', description: 'Require the bearer token in FILE for the API (probes and /metrics stay open)', defaultText: 'no auth' },
  'cors-origin': { type: 'string', valueName: 'ORIGIN', multiple: true, description: "Allow browsers on this origin ('*' for any)", defaultText: 'CORS off' },
  'log-level': { type: 'string', valueName: 'LEVEL', description: `Lowest log level written (${LOG_LEVELS.join(', ')})`, defaultText: 'info' },
};

function single(opts: ParsedOptions, env: NodeJS.ProcessEnv, flag: string): { value: string; from: string } | undefined {
  const v = opts[flag];
  if (typeof v === 'string') return { value: v, from: `--${flag}` };
  if (v !== undefined) throw new UsageError(`--${flag}: expected a value`);
  const e = env[envName(flag)];
  return e !== undefined && e !== '' ? { value: e, from: envName(flag) } : undefined;
}

function list(opts: ParsedOptions, env: NodeJS.ProcessEnv, flag: string): { values: string[]; from: string } {
  const v = opts[flag];
  if (Array.isArray(v) && v.length) return { values: v, from: `--${flag}` };
  if (typeof v === 'string') return { values: [v], from: `--${flag}` };
  const e = env[envName(flag)];
  return { values: e ? e.split(',').map((s) => s.trim()).filter(Boolean) : [], from: envName(flag) };
}

function checkedToken(raw: string, from: string): string {
  const token = raw.trim();
  if (!token) throw new UsageError(`${from}: the token is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`${from}: the token must be visible ASCII characters without spaces`);
  if (token.length < MIN_TOKEN_LENGTH) throw new UsageError(`${from}: the token is shorter than ${MIN_TOKEN_LENGTH} characters`);
  return token;
}

export function opsConfig(opts: ParsedOptions, env: NodeJS.ProcessEnv = process.env, readFile: (file: string) => string = (f) => readFileSync(f, 'utf8')): OpsConfig {
  const file = single(opts, env, 'auth-token-file');
  const direct = env[TOKEN_ENV];
  if (file && direct !== undefined && direct !== '') throw new UsageError(`${file.from} and ${TOKEN_ENV} are both set: use one`);
  let authToken: string | undefined;
  if (file) {
    let text: string;
    try {
      text = readFile(file.value);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`${file.from}: cannot read '${file.value}'${code ? ` (${code})` : ''}`);
    }
    authToken = checkedToken(text, `${file.from} '${file.value}'`);
  } else if (direct !== undefined && direct !== '') {
    authToken = checkedToken(direct, TOKEN_ENV);
  }
  const cors = list(opts, env, 'cors-origin');
  for (const o of cors.values) {
    const problem = invalidOrigin(o);
    if (problem) throw new UsageError(`${cors.from}: ${problem}`);
  }
  const level = single(opts, env, 'log-level');
  if (level && !isLogLevel(level.value)) throw new UsageError(`${level.from}: '${level.value}' is not one of ${LOG_LEVELS.join(', ')}`);
  return Object.freeze({
    ...(authToken !== undefined ? { authToken } : {}),
    corsOrigins: Object.freeze([...new Set(cors.values)]),
    logLevel: (level?.value as LogLevel | undefined) ?? 'info',
  });
}
