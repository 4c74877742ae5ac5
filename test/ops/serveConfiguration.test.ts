/**
 * serve's configuration as a whole: every flag `serve` accepts can also be set by its ROUTETRACE_*
 * variable with the same effect (driven by serve's own option table, so a new flag without an
 * environment path fails here), and invalid configuration stops the compiled CLI at start with one line
 * on stderr and exit code 2, before anything is opened.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParsedOptions } from '../../src/cli/Command.js';
import { serveCommand } from '../../src/cli/serve.js';
import { envName, serveConfig } from '../../src/config.js';
import { OPS_OPTIONS, TOKEN_ENV, opsConfig } from '../../src/ops/opsConfig.js';
import { runCli } from '../helpers/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, 'a-sufficiently-long-token-value\n');

/** A valid value, different from the default, for every serve flag. */
const SAMPLES: Record<string, string> = {
  kubeconfig: '/etc/kube/config',
  context: 'prod-eu',
  server: 'http://127.0.0.1:9',
  namespace: 'shop',
  db: '/tmp/elsewhere.db',
  database: 'postgresql://routetrace@db.example:5432/history',
  cluster: 'prod',
  retention: '12h',
  'max-db-size': '500MiB',
  listen: '127.0.0.1:0',
  'auth-token-file': tokenFile,
  'cors-origin': 'https://grafana.example.com',
  'log-level': 'warn',
};

const options = serveCommand.options;
const settings = (flags: ParsedOptions, env: NodeJS.ProcessEnv) => ({ serve: serveConfig(flags, env), ops: opsConfig(flags, env) });

describe('serve configuration: flags and environment', () => {
  it('has a sample for every flag, the operational ones included', () => {
    expect(Object.keys(options).sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const flag of Object.keys(OPS_OPTIONS)) expect(options).toHaveProperty(flag);
  });

  for (const [flag, spec] of Object.entries(options)) {
    it(`--${flag} can be set as ${envName(flag)}`, () => {
      const value = SAMPLES[flag]!;
      const viaFlag = settings({ [flag]: spec.multiple ? [value] : value }, {});
      const viaEnv = settings({}, { [envName(flag)]: value });
      expect(viaEnv).toEqual(viaFlag);
      expect(viaEnv).not.toEqual(settings({}, {}));
    });
  }
});

describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const rows = section.split('\n').filter((l) => l.startsWith('| '));
  for (const flag of Object.keys(options)) {
    it(`documents --${flag} and ${envName(flag)} in one row`, () => {
      expect(rows.filter((r) => r.includes(`\`--${flag} `) || r.includes(`\`--${flag}\``)).filter((r) => r.includes(`\`${envName(flag)}\``))).toHaveLength(1);
    });
  }
  it(`documents ${TOKEN_ENV}`, () => expect(rows.some((r) => r.includes(`\`${TOKEN_ENV}\``))).toBe(true));
});

describe('invalid configuration stops serve at start: one line, exit 2', () => {
  const db = join(dir, 'never.db');
  const cases: [string, string[], NodeJS.ProcessEnv, RegExp][] = [
    ['an unknown log level', ['--log-level', 'loud'], {}, /--log-level: 'loud' is not one of/],
    ['a bad retention in the environment', [], { ROUTETRACE_RETENTION: 'forever' }, /ROUTETRACE_RETENTION: 'forever' is not a duration/],
    ['a missing token file', ['--auth-token-file', join(dir, 'absent')], {}, /--auth-token-file: cannot read/],
    ['a short token in the environment', [], { ROUTETRACE_AUTH_TOKEN: 'short' }, /ROUTETRACE_AUTH_TOKEN: the token is shorter than 16/],
    ['a CORS origin with a path', ['--cors-origin', 'https://a.example.com/x'], {}, /--cors-origin: .* is not an origin/],
    ['a listen address without a port', [], { ROUTETRACE_LISTEN: 'localhost' }, /ROUTETRACE_LISTEN: 'localhost' is not HOST:PORT/],
  ];
  for (const [name, args, env, message] of cases) {
    it(`${name}`, async () => {
      const r = await runCli(['serve', '--server', 'http://127.0.0.1:9', '--db', db, ...args], { env: { KUBECONFIG: '', ...env }, timeoutMs: 20_000 });
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toContain('a-sufficiently-long-token-value');
      expect(existsSync(db)).toBe(false);
    });
  }
});
