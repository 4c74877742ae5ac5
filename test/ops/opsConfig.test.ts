/**
 * Operational settings: flags and ROUTETRACE_* variables for the token, CORS origins and log level, and a
 * clear one-line UsageError for every bad value. Token files are real files in a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError, type ParsedOptions } from '../../src/cli/Command.js';
import { opsConfig } from '../../src/ops/opsConfig.js';
import { levelFilter } from '../../src/ops/levelFilter.js';
import type { LogLevel } from '../../src/watch/Logger.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GOOD = 'Zm9vYmFyLXRva2VuLXZhbHVl';
const file = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const tokenFile = file('token', `${GOOD}\n`);

describe('opsConfig', () => {
  it('defaults: no auth, CORS off, level info', () => {
    expect(opsConfig({}, {})).toEqual({ corsOrigins: [], logLevel: 'info' });
  });

  const good: [string, ParsedOptions, NodeJS.ProcessEnv, object][] = [
    ['the token from --auth-token-file (trailing newline trimmed)', { 'auth-token-file': tokenFile }, {}, { authToken: GOOD }],
    ['the token file from ROUTETRACE_AUTH_TOKEN_FILE', {}, { ROUTETRACE_AUTH_TOKEN_FILE: tokenFile }, { authToken: GOOD }],
    ['the token from ROUTETRACE_AUTH_TOKEN', {}, { ROUTETRACE_AUTH_TOKEN: GOOD }, { authToken: GOOD }],
    ['repeated --cors-origin', { 'cors-origin': ['https://a.example.com', 'http://localhost:3000'] }, {}, { corsOrigins: ['https://a.example.com', 'http://localhost:3000'] }],
    ['ROUTETRACE_CORS_ORIGIN as a comma list', {}, { ROUTETRACE_CORS_ORIGIN: 'https://a.example.com, *' }, { corsOrigins: ['https://a.example.com', '*'] }],
    ['--cors-origin wins over the variable', { 'cors-origin': ['https://b.example.com'] }, { ROUTETRACE_CORS_ORIGIN: 'https://a.example.com' }, { corsOrigins: ['https://b.example.com'] }],
    ['--log-level', { 'log-level': 'warn' }, {}, { logLevel: 'warn' }],
    ['ROUTETRACE_LOG_LEVEL', {}, { ROUTETRACE_LOG_LEVEL: 'debug' }, { logLevel: 'debug' }],
    ['--log-level wins over the variable', { 'log-level': 'error' }, { ROUTETRACE_LOG_LEVEL: 'debug' }, { logLevel: 'error' }],
  ];
  for (const [name, flags, env, expected] of good) it(`reads ${name}`, () => expect(opsConfig(flags, env)).toMatchObject(expected));

  const bad: [string, ParsedOptions, NodeJS.ProcessEnv, RegExp][] = [
    ['a missing token file', { 'auth-token-file': join(dir, 'absent') }, {}, /^--auth-token-file: cannot read .*absent' \(ENOENT\)$/],
    ['an empty token file', { 'auth-token-file': file('empty', '\n') }, {}, /--auth-token-file .*: the token is empty/],
    ['a short token', {}, { ROUTETRACE_AUTH_TOKEN: 'short' }, /^ROUTETRACE_AUTH_TOKEN: the token is shorter than 16 characters$/],
    ['a token with a space inside', { 'auth-token-file': file('spaced', 'abcdefgh ijklmnopq') }, {}, /visible ASCII/],
    ['both a token file and a token', { 'auth-token-file': tokenFile }, { ROUTETRACE_AUTH_TOKEN: GOOD }, /^--auth-token-file and ROUTETRACE_AUTH_TOKEN are both set: use one$/],
    ['an origin with a path', { 'cors-origin': ['https://a.example.com/x'] }, {}, /^--cors-origin: 'https:\/\/a.example.com\/x' is not an origin/],
    ['an origin without scheme in the variable', {}, { ROUTETRACE_CORS_ORIGIN: 'a.example.com' }, /^ROUTETRACE_CORS_ORIGIN: /],
    ['an unknown log level', { 'log-level': 'verbose' }, {}, /^--log-level: 'verbose' is not one of debug, info, warn, error$/],
    ['an unknown log level in the variable', {}, { ROUTETRACE_LOG_LEVEL: 'INFO' }, /^ROUTETRACE_LOG_LEVEL: /],
  ];
  for (const [name, flags, env, message] of bad) {
    it(`rejects ${name} with a one-line UsageError`, () => {
      let err: unknown;
      try {
        opsConfig(flags, env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
      expect((err as Error).message).not.toContain(GOOD);
    });
  }
});

describe('levelFilter', () => {
  const levels: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const expected: Record<LogLevel, LogLevel[]> = { debug: levels, info: ['info', 'warn', 'error'], warn: ['warn', 'error'], error: ['error'] };
  for (const min of levels) {
    it(`at ${min} passes ${expected[min].join(', ')}`, () => {
      const seen: LogLevel[] = [];
      const log = levelFilter({ log: (level) => void seen.push(level) }, min);
      for (const l of levels) log.log(l, 'e');
      expect(seen).toEqual(expected[min]);
    });
  }
});
