import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig, NoClusterConfiguredError, type KubeConfigEnvironment } from '../../src/k8s/loadKubeConfig.js';

function kubeconfigYaml(current: string, clusters: Record<string, string>, insecure = false): string {
  const names = Object.keys(clusters);
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${current}`,
    'clusters:',
    ...names.flatMap((n) => [`- name: ${n}`, '  cluster:', `    server: ${clusters[n]}`, ...(insecure ? ['    insecure-skip-tls-verify: true'] : [])]),
    'users:',
    '- name: u',
    '  user:',
    '    token: t',
    'contexts:',
    ...names.flatMap((n) => [`- name: ctx-${n}`, '  context:', `    cluster: ${n}`, '    user: u']),
    '',
  ].join('\n');
}

describe('loadKubeConfig', () => {
  let dir: string;
  let env: KubeConfigEnvironment;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rt-kubeconfig-'));
    mkdirSync(join(dir, 'home'));
    env = { env: {}, home: join(dir, 'home'), serviceAccountTokenPath: join(dir, 'no-token') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to guess when nothing is configured (no silent localhost:8080)', () => {
    expect(() => loadKubeConfig({}, env)).toThrow(NoClusterConfiguredError);
    expect(() => loadKubeConfig({}, env)).toThrow(/no Kubernetes cluster configured.*--kubeconfig FILE, --server URL, or set KUBECONFIG/);
  });

  it('says so when KUBECONFIG names only missing files', () => {
    env = { ...env, env: { KUBECONFIG: join(dir, 'missing') } };
    expect(() => loadKubeConfig({}, env)).toThrow(/KUBECONFIG=.*names no existing file/);
  });

  it('uses --server alone for a plain-http simulator, with TLS verification off and the host as cluster name', () => {
    const k = loadKubeConfig({ server: 'http://127.0.0.1:6443/' }, env);
    expect(k.server).toBe('http://127.0.0.1:6443');
    expect(k.kc.getCurrentCluster()).toMatchObject({ server: 'http://127.0.0.1:6443', skipTLSVerify: true });
    expect(k.defaultClusterName).toBe('127.0.0.1:6443');
  });

  it('reads ~/.kube/config, names the cluster after the context and lets --server override the server', () => {
    mkdirSync(join(env.home, '.kube'));
    writeFileSync(join(env.home, '.kube', 'config'), kubeconfigYaml('ctx-a', { a: 'https://10.0.0.1:6443' }));
    const k = loadKubeConfig({}, env);
    expect(k.defaultClusterName).toBe('ctx-a');
    expect(k.kc.getCurrentCluster()?.server).toBe('https://10.0.0.1:6443');
    const o = loadKubeConfig({ server: 'http://127.0.0.1:1' }, env);
    expect(o.kc.getCurrentCluster()).toMatchObject({ server: 'http://127.0.0.1:1', skipTLSVerify: true });
    expect(o.kc.getCurrentUser()?.token).toBe('t');
  });

  it('merges KUBECONFIG files with the first file\'s current-context winning, and honours --context', () => {
    const f1 = join(dir, 'one');
    const f2 = join(dir, 'two');
    writeFileSync(f1, kubeconfigYaml('ctx-a', { a: 'https://10.0.0.1' }));
    writeFileSync(f2, kubeconfigYaml('ctx-b', { b: 'https://10.0.0.2' }));
    env = { ...env, env: { KUBECONFIG: [f1, join(dir, 'missing'), f2].join(delimiter) } };
    expect(loadKubeConfig({}, env).contextName).toBe('ctx-a');
    expect(loadKubeConfig({ context: 'ctx-b' }, env).server).toBe('https://10.0.0.2');
    expect(() => loadKubeConfig({ context: 'nope' }, env)).toThrow(/--context nope: no such context/);
  });

  it('rejects a kubeconfig without a current context', () => {
    const f = join(dir, 'cfg');
    writeFileSync(f, kubeconfigYaml('""', { a: 'https://10.0.0.1' }));
    expect(() => loadKubeConfig({ kubeconfig: f }, env)).toThrow(/no current context/);
  });

  it('reports a missing --kubeconfig file', () => {
    expect(() => loadKubeConfig({ kubeconfig: join(dir, 'nope') }, env)).toThrow(/does not exist/);
  });
});
