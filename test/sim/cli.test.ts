/**
 * `routetrace sim` as a user runs it (compiled CLI): readiness line, serving the seed, clean shutdown on
 * SIGTERM/SIGINT, one-line exit-2 errors for bad flag values, user scenario files.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/runCli.js';
import { httpRequest } from '../helpers/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'routetrace-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `routetrace sim ARGS`, resolves with the child and the URL once the readiness line is printed. */
function startCli(args: string[]): Promise<{ child: ReturnType<typeof spawn>; url: string; stdout: () => string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = out.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      if (m) resolve({ child, url: m[1]!, stdout: () => out, exited });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    void exited.then((code) => reject(new Error(`sim exited early (${code}): ${err}`)));
    setTimeout(() => reject(new Error(`no readiness line within 30 s: ${out} ${err}`)), 30_000).unref();
  });
}

describe('routetrace sim', () => {
  it('prints exactly "listening on http://127.0.0.1:PORT", serves the seed, and exits 0 on SIGTERM', async () => {
    const { child, url, stdout, exited } = await startCli(['--port', '0', '--scenario', 'seed']);
    expect(stdout()).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const body = JSON.parse((await httpRequest(`${url}/api/v1/namespaces/default/services/my-app-service`)).body);
    expect(body.spec.clusterIP).toBe('10.96.0.1');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('loads a user scenario file (multi-document YAML) and exits 0 on SIGINT', async () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Service
metadata: { name: mine, namespace: team-a }
spec:
  selector: { app: mine }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Pod
metadata: { name: mine-0, namespace: team-a, labels: { app: mine } }
spec:
  containers: [{ name: c, image: x }]
`,
    );
    const { child, url, exited } = await startCli(['--scenario', file]);
    const slices = JSON.parse((await httpRequest(`${url}/apis/discovery.k8s.io/v1/namespaces/team-a/endpointslices`)).body);
    expect(slices.items).toHaveLength(1);
    expect(slices.items[0].endpoints).toHaveLength(1);
    expect(slices.items[0].ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  const bad: [string, string[], string][] = [
    ['a port that is not a number', ['--port', 'abc'], '--port'],
    ['a port out of range', ['--port', '70000'], '--port'],
    ['a negative churn rate', ['--churn', '-1'], '--churn'],
    ['a malformed scale', ['--scale', 'services=10,pods'], '--scale'],
    ['an unknown scenario', ['--scenario', 'no-such-scenario'], '--scenario'],
    ['a seed that is not a whole number', ['--seed', '1.5'], '--seed'],
  ];
  for (const [name, args, flag] of bad) {
    it(`rejects ${name} with exit 2 and one line`, async () => {
      const r = await runCli(['sim', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(flag);
      expect(r.stdout).toBe('');
    });
  }

  it('exits 1 with one line for a scenario file that is not valid YAML manifests', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'kind: Service\nmetadata: {}\n');
    const r = await runCli(['sim', '--scenario', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('needs kind and metadata.name');
  });
});
