import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/runCli.js';
import { commands } from '../src/cli/commands.js';

describe('routetrace CLI', () => {
  it('lists every command in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(c.name);
  });

  it('rejects an unknown command with exit 2 and one line', async () => {
    const r = await runCli(['no-such-command']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  for (const c of commands) {
    it(`${c.name}: --help describes every flag`, async () => {
      const r = await runCli([c.name, '--help']);
      expect(r.code).toBe(0);
      for (const flag of Object.keys(c.options)) expect(r.stdout).toContain(`--${flag}`);
    });

    it(`${c.name}: an unknown flag exits 2 with one line`, async () => {
      const r = await runCli([c.name, '--no-such-flag']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('no-such-flag');
    });
  }
});
