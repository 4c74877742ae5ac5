/**
 * deploy/ against its requirements: kustomize-ready (every manifest listed, `kubectl kustomize`
 * renders them when kubectl is installed), one replica with the database on a PersistentVolume at the
 * directory of ROUTETRACE_DB, probes on /healthz and /readyz, requests and limits, a locked-down security
 * context, a termination grace period, the ServiceAccount bound to the read-only ClusterRole, and only
 * configuration variables serve actually reads.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { serveCommand } from '../../src/cli/serve.js';
import { envName } from '../../src/config.js';
import { OPS_OPTIONS, TOKEN_ENV } from '../../src/ops/opsConfig.js';

const DEPLOY = new URL('../../deploy/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, DEPLOY), 'utf8');
type Doc = any;
const kustomization = parse(read('kustomization.yaml')) as { resources: string[]; namespace: string };
const docs: Doc[] = kustomization.resources.flatMap((f) => parseAllDocuments(read(f)).map((d) => d.toJS() as Doc));
const byKind = (kind: string): Doc => {
  const found = docs.filter((d) => d.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};
const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('deploy/ manifests', () => {
  it('lists every manifest in kustomization.yaml', () => {
    const files = readdirSync(DEPLOY).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(docs.map((d) => d.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'Service', 'ServiceAccount', 'StatefulSet']);
  });

  it.skipIf(!kubectl)('renders with kubectl kustomize (skipped when kubectl is not installed)', () => {
    const out = execFileSync('kubectl', ['kustomize', new URL('.', DEPLOY).pathname], { encoding: 'utf8' });
    expect(parseAllDocuments(out).map((d) => (d.toJS() as Doc).kind).sort()).toEqual(docs.map((d) => d.kind).sort());
  });

  it('binds the ServiceAccount the StatefulSet runs as to the read-only ClusterRole', () => {
    const binding = byKind('ClusterRoleBinding');
    const sts = byKind('StatefulSet');
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: byKind('ClusterRole').metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sts.spec.template.spec.serviceAccountName, namespace: kustomization.namespace }]);
    expect(byKind('ServiceAccount').metadata.name).toBe(sts.spec.template.spec.serviceAccountName);
  });

  it('runs one replica with the database on a PersistentVolume, probes, resources and a locked-down container', () => {
    const sts = byKind('StatefulSet');
    const pod = sts.spec.template.spec;
    const [c] = pod.containers;
    expect(sts.spec.replicas).toBe(1);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.resources.requests).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
    expect(c.resources.limits.memory).toBeDefined();
    const env = Object.fromEntries((c.env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
    const dataMount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === dirname(env['ROUTETRACE_DB']!));
    expect(dataMount, 'a volume mounted at the directory of ROUTETRACE_DB').toBeDefined();
    expect(sts.spec.volumeClaimTemplates.map((t: Doc) => t.metadata.name)).toContain(dataMount.name);
    expect(env['ROUTETRACE_LISTEN']).toMatch(/^0\.0\.0\.0:8080$/);
    expect(c.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 8080 })]);
    expect(byKind('Service').spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 'http' })]);
  });

  it('sets only variables serve reads', () => {
    const known = new Set([...Object.keys({ ...serveCommand.options, ...OPS_OPTIONS }).map(envName), TOKEN_ENV]);
    const env = byKind('StatefulSet').spec.template.spec.containers[0].env as { name: string }[];
    expect(env.map((e) => e.name).filter((n) => !known.has(n))).toEqual([]);
  });
});
