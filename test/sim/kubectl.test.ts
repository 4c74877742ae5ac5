/**
 * kubectl (the real binary) against the simulator: lists the seed objects, creates/applies/deletes a
 * Service and Pods with its default validation, and the EndpointSlice controller reacts.
 * Skipped when kubectl is not installed.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimHandle } from '../helpers/sim.js';

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const KUBECTL = hasKubectl();
let sim: SimHandle;
let dir: string;

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--server', sim.url, '--cache-dir', join(dir, 'cache'), ...args],
      { env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function json(...args: string[]): Promise<{ items: { metadata: { name: string; namespace?: string }; [k: string]: unknown }[] }> {
  const r = await kubectl(...args, '-o', 'json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  if (!KUBECTL) return;
  dir = mkdtempSync(join(tmpdir(), 'routetrace-kubectl-'));
  sim = await startSim({ scenario: 'seed', podGraceMs: 300 });
});

afterAll(async () => {
  if (!KUBECTL) return;
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!KUBECTL)('kubectl against the simulator (skipped: kubectl is not installed)', () => {
  it('lists the seed objects of every kind', async () => {
    const table = await kubectl('get', 'svc', '-A');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/my-app-service\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+80\/TCP/);
    expect(table.stdout).toMatch(/my-app-nodeport\s+NodePort\s+10\.96\.0\.2\s+<none>\s+80:30080\/TCP/);
    expect(table.stdout).toMatch(/kube-public\s+external-webserver-cka03-svcn\s+ClusterIP\s+10\.43\.109\.238/);
    const all = await json('get', 'services,endpoints,endpointslices,pods,ingresses,ingressclasses', '-A');
    const names = all.items.map((i) => `${i['kind']} ${i.metadata.namespace ?? ''}/${i.metadata.name}`);
    for (const want of ['Service default/external-db', 'Endpoints default/external-db', 'Endpoints default/my-app-service', 'Ingress default/my-app-ingress', 'IngressClass /nginx']) {
      expect(names).toContain(want);
    }
    expect(names.filter((n) => n.startsWith('Pod default/my-app-'))).toHaveLength(3);
    expect(names.filter((n) => n.startsWith('EndpointSlice default/'))).toHaveLength(3);
    const ep = await kubectl('get', 'ep', 'my-app-service');
    expect(ep.stdout).toContain('192.168.1.2:8080,192.168.1.3:8080,192.168.1.4:8080');
  });

  it('creates a Service and Pods; the EndpointSlice controller resolves the named port per Pod', async () => {
    const file = join(dir, 'web.yaml');
    const podYaml = (name: string, port: number) => `---
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: default, labels: { app: web } }
spec:
  containers:
    - name: c
      image: nginx
      ports: [{ name: web, containerPort: ${port} }]
`;
    writeFileSync(
      file,
      `apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: web }]
${podYaml('web-1', 8080)}${podYaml('web-2', 9090)}`,
    );
    const r = await kubectl('create', '-f', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('service/web created');
    expect(r.stdout).toContain('pod/web-2 created');
    const slices = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
    const ports = slices.items.map((s) => (s['ports'] as { port: number }[]).map((p) => p.port)).flat().sort();
    expect(ports).toEqual([8080, 9090]);
    const dup = await kubectl('create', '-f', file);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain('AlreadyExists');
  });

  it('applies a change (client-side apply: GET then strategic merge PATCH) and the slices follow', async () => {
    const file = join(dir, 'web-apply.yaml');
    const svc = (targetPort: string | number, extra = '') => `apiVersion: v1
kind: Service
metadata: { name: web, namespace: default, labels: { team: blue } }
spec:
  selector: { app: web }
  ports:
    - { name: http, port: 80, targetPort: ${targetPort} }${extra}
`;
    writeFileSync(file, svc('web', '\n    - { name: admin, port: 81, targetPort: 7000 }'));
    let r = await kubectl('apply', '-f', file);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(file, svc(7777));
    r = await kubectl('apply', '-f', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('service/web configured');
    const got = await json('get', 'svc', '-l', 'team=blue');
    expect(got.items[0]!['spec']).toMatchObject({ ports: [{ name: 'http', port: 80, targetPort: 7777, protocol: 'TCP' }] });
    const slices = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
    expect(slices.items).toHaveLength(1);
    expect(slices.items[0]!['ports']).toEqual([{ name: 'http', port: 7777, protocol: 'TCP' }]);
  });

  it('watches with get -w: table rows for the Pod going Terminating', async () => {
    const child = spawn('kubectl', ['--server', sim.url, '--cache-dir', join(dir, 'cache'), 'get', 'pods', '-w'], {
      env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      const until = Date.now() + 20_000;
      while (!out.includes('web-2') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      sim.remove('Pod', 'default', 'web-2');
      while (!/web-2\s+\S+\s+Terminating/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
      expect(out).toMatch(/web-2\s+1\/1\s+Terminating/);
    } finally {
      child.kill();
      sim.finishTerminating();
    }
  });

  it('deletes a Pod (terminating, then gone) and the Service; slices follow', async () => {
    const from = sim.resourceVersion();
    let r = await kubectl('delete', 'pod', 'web-1');
    expect(r.code, r.stderr).toBe(0);
    expect(sim.get('Pod', 'default', 'web-1')).toBeUndefined();
    const podChanges = sim.changeLog(from).filter((c) => c.kind === 'Pod' && c.name === 'web-1');
    expect(podChanges[0]!.object.metadata.deletionTimestamp).toBeTruthy();
    expect(podChanges.at(-1)!.type).toBe('DELETED');
    const slices = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
    expect(slices.items.flatMap((s) => (s['endpoints'] as { targetRef: { name: string } }[]).map((e) => e.targetRef.name))).toEqual([]);
    r = await kubectl('delete', 'svc', 'web');
    expect(r.code, r.stderr).toBe(0);
    expect((await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).items).toHaveLength(0);
  });
});
