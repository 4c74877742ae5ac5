import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';

describe('routetrace serve without a cluster', () => {
  const home = mkdtempSync(join(tmpdir(), 'rt-nohome-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('says no cluster is configured and exits 1 without creating the database', async () => {
    const db = join(home, 'never.db');
    const env: NodeJS.ProcessEnv = { HOME: home, KUBECONFIG: '', ROUTETRACE_SERVER: '', KUBERNETES_SERVICE_HOST: '' };
    const r = await runCli(['serve', '--db', db, '--listen', '127.0.0.1:0'], { env, timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no Kubernetes cluster configured/);
    expect(r.stderr).toMatch(/--kubeconfig FILE, --server URL, or set KUBECONFIG/);
    expect(r.stderr).not.toMatch(/localhost:8080/);
    expect(() => rmSync(db)).toThrow();
  });

  it('rejects a malformed ROUTETRACE_* value with exit 2 naming the variable', async () => {
    const r = await runCli(['serve'], { env: { HOME: home, ROUTETRACE_MAX_DB_SIZE: 'lots' }, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('ROUTETRACE_MAX_DB_SIZE');
  });
});
