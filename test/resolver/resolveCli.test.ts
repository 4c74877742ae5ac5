/**
 * `routetrace resolve` through the compiled CLI: the human diagram, JSON, standard input, several files,
 * kubectl's own output, and bad input (non-zero exit, one line on stderr). Build first (`npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';

const tmp = mkdtempSync(join(tmpdir(), 'routetrace-resolve-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const seedCase = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/conformance/seed-my-app-ingress-root.json', import.meta.url)), 'utf8')) as { objects: unknown[] };
const dump = join(tmp, 'dump.json');
writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: seedCase.objects }));

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

describe('routetrace resolve', () => {
  it('draws the seed diagram: client → Ingress → Service → EndpointSlice → three Pods', async () => {
    const r = await runCli(['resolve', '--objects', dump, '--host', 'ibtisam-iq.com', '--port', '443']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const order = ['client', 'Ingress default/my-app-ingress', 'Service default/my-app-service', 'EndpointSlice default/my-app-service-x1'].map((p) => lines.findIndex((l) => l.startsWith(p)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(lines.filter((l) => /──▶ Pod default\/my-app-7d9f-\d/.test(l))).toHaveLength(3);
    expect(r.stdout).toContain('TLS ibtisam-iq-tls');
    expect(r.stdout).toContain('Findings: none');
  });

  it('prints the Endpoints line kubectl describe shows: <none> before the CKA EndpointSlice, the address after', async () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: external-webserver-cka03-svcn, namespace: kube-public}\nspec:\n  clusterIP: 10.43.109.238\n  ports: [{port: 80, protocol: TCP}]\n';
    const before = await runCli(['resolve', '--objects', '-', '--host', '10.43.109.238', '--port', '80'], { input: svc });
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('Endpoints: <none>');
    const slice = 'kind: EndpointSlice\napiVersion: discovery.k8s.io/v1\nmetadata:\n  name: external-webserver-cka03-svcn\n  namespace: kube-public\n  labels: {kubernetes.io/service-name: external-webserver-cka03-svcn}\naddressType: IPv4\nendpoints:\n- addresses: [192.168.141.31]\nports:\n- port: 9999\n';
    const after = await runCli(['resolve', '--objects', '-', '--host', '10.43.109.238', '--port', '80'], { input: `${svc}---\n${slice}` });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('Endpoints: 192.168.141.31:9999');
    expect(after.stdout).not.toContain('<none>');
  });

  it('prints findings under a broken route', async () => {
    const r = await runCli(['resolve', '--objects', dump, '--host', 'other.example.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Findings:\n\s+ERROR\s+NO_INGRESS_RULE_MATCH/);
  });

  it('reads YAML from standard input and several files', async () => {
    const yamlSvc = 'apiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: kube-public}\nspec:\n  clusterIP: 10.43.0.9\n  ports: [{port: 80}]\n';
    const sliceFile = join(tmp, 'slice.yaml');
    writeFileSync(sliceFile, 'kind: EndpointSlice\napiVersion: discovery.k8s.io/v1\nmetadata:\n  name: ext-1\n  namespace: kube-public\n  labels: {kubernetes.io/service-name: ext}\naddressType: IPv4\nendpoints:\n- addresses: [192.168.141.31]\nports:\n- port: 9999\n');
    const r = await runCli(['resolve', '--objects', '-', '--objects', sliceFile, '--host', '10.43.0.9', '--port', '80', '--json'], { input: yamlSvc });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).backends).toEqual(['192.168.141.31:9999']);
  });

  it('answers a reverse lookup as JSON', async () => {
    const r = await runCli(['resolve', '--objects', dump, '--pod', 'default/my-app-7d9f-1', '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.services.map((s: { name: string }) => s.name)).toEqual(['my-app-nodeport', 'my-app-service']);
    expect(a.ingresses.map((i: { host: string }) => i.host)).toEqual(['ibtisam-iq.com']);
  });

  it('passes the client node and zone to traffic policies (--client-node)', async () => {
    const objs = join(tmp, 'local.yaml');
    writeFileSync(objs, 'kind: Service\nmetadata: {name: web}\nspec:\n  clusterIP: 10.96.0.5\n  internalTrafficPolicy: Local\n  ports: [{port: 80, targetPort: 8080}]\n---\nkind: EndpointSlice\nmetadata:\n  name: web-1\n  labels: {kubernetes.io/service-name: web}\naddressType: IPv4\nendpoints:\n- addresses: [10.1.0.1]\n  nodeName: node1\nports: [{port: 8080}]\n');
    const on1 = JSON.parse((await runCli(['resolve', '--objects', objs, '--host', '10.96.0.5', '--port', '80', '--client-node', 'node1', '--client-zone', 'a', '--json'])).stdout);
    expect(on1.backends).toEqual(['10.1.0.1:8080']);
    expect(on1.question).toMatchObject({ clientNode: 'node1', clientZone: 'a' });
    const on2 = await runCli(['resolve', '--objects', objs, '--host', '10.96.0.5', '--port', '80', '--client-node', 'node2']);
    expect(on2.stdout).toContain('dropped');
    expect(on2.stdout).toContain('NO_LOCAL_ENDPOINTS');
  });

  it('answers for the client given by --client (pkg/proxy/iptables/proxier.go: Pod traffic to external IPs ignores ETP Local)', async () => {
    const objs = join(tmp, 'etp.yaml');
    writeFileSync(
      objs,
      'kind: Node\nmetadata: {name: n1, labels: {topology.kubernetes.io/zone: z1}}\nstatus: {addresses: [{type: InternalIP, address: 172.30.0.1}]}\n---\n' +
        'kind: Node\nmetadata: {name: n2}\nstatus: {addresses: [{type: InternalIP, address: 172.30.0.2}]}\n---\n' +
        'kind: Pod\nmetadata: {name: client, namespace: default}\nspec: {nodeName: n2}\nstatus: {podIP: 10.2.0.9}\n---\n' +
        'kind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.0.6\n  externalTrafficPolicy: Local\n  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]\nstatus: {loadBalancer: {ingress: [{ip: 203.0.113.9}]}}\n---\n' +
        'kind: EndpointSlice\nmetadata:\n  name: web-1\n  labels: {kubernetes.io/service-name: web}\naddressType: IPv4\nendpoints:\n- addresses: [10.1.0.1]\n  nodeName: n1\nports: [{port: 8080}]\n',
    );
    const ask = async (...args: string[]) => JSON.parse((await runCli(['resolve', '--objects', objs, '--json', ...args])).stdout);
    const fromPod = await ask('--host', '203.0.113.9', '--port', '80', '--client', 'pod:default/client');
    expect(fromPod.backends).toEqual(['10.1.0.1:8080']);
    expect(fromPod.question.client).toEqual({ kind: 'pod', namespace: 'default', name: 'client' });
    const outside = await ask('--host', '172.30.0.2', '--port', '30080', '--client', 'external');
    expect(outside.verdict).toBe('dropped');
    const clusterIP = await ask('--host', '10.96.0.6', '--port', '80', '--client', 'external');
    expect(clusterIP.findings.map((f: { code: string }) => f.code)).toContain('CLIENT_CANNOT_REACH');
  });

  it('answers as one controller sees it (--ingress-class, --controller)', async () => {
    const objs = join(tmp, 'classes.yaml');
    const ing = (name: string, cls: string, svc: string) =>
      `kind: Ingress\napiVersion: networking.k8s.io/v1\nmetadata: {name: ${name}}\nspec:\n  ingressClassName: ${cls}\n  rules:\n  - host: h.example.com\n    http:\n      paths: [{path: /, pathType: Prefix, backend: {service: {name: ${svc}, port: {number: 80}}}}]\n`;
    const svcAndSlice = (name: string, ip: string, addr: string) =>
      `kind: Service\nmetadata: {name: ${name}}\nspec: {clusterIP: ${ip}, ports: [{port: 80, targetPort: 8080}]}\n---\nkind: EndpointSlice\nmetadata:\n  name: ${name}-1\n  labels: {kubernetes.io/service-name: ${name}}\naddressType: IPv4\nendpoints: [{addresses: [${addr}]}]\nports: [{port: 8080}]\n`;
    writeFileSync(
      objs,
      [
        'kind: IngressClass\napiVersion: networking.k8s.io/v1\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n',
        'kind: IngressClass\napiVersion: networking.k8s.io/v1\nmetadata: {name: traefik}\nspec: {controller: traefik.io/ingress-controller}\n',
        ing('a', 'nginx', 'one'),
        ing('b', 'traefik', 'two'),
        svcAndSlice('one', '10.96.0.11', '10.1.1.1'),
        svcAndSlice('two', '10.96.0.12', '10.1.1.2'),
      ].join('---\n'),
    );
    const backends = async (...args: string[]) => JSON.parse((await runCli(['resolve', '--objects', objs, '--host', 'h.example.com', '--json', ...args])).stdout).backends;
    expect(await backends('--ingress-class', 'traefik')).toEqual(['10.1.1.2:8080']);
    expect(await backends('--controller', 'k8s.io/ingress-nginx')).toEqual(['10.1.1.1:8080']);
  });

  it.skipIf(!hasKubectl)('reads what kubectl itself prints (skipped when kubectl is missing)', async () => {
    const out = execFileSync('kubectl', ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--dry-run=client', '-o', 'yaml'], { encoding: 'utf8' });
    const r = await runCli(['resolve', '--objects', '-', '--service', 'default/web', '--port', '80-8080', '--json'], { input: out });
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.service).toMatchObject({ name: 'web', port: 80, targetPort: 8080 });
    expect(a.findings.map((f: { code: string }) => f.code)).toEqual(expect.arrayContaining(['NO_ENDPOINTS', 'SELECTOR_MATCHES_NO_PODS']));
  });

  const bad: [string, string[], number][] = [
    ['a port above 65535', ['--host', 'x', '--port', '70000'], 2],
    ['port 0', ['--host', 'x', '--port', '0'], 2],
    ['a port that is not a number', ['--host', 'x', '--port', 'http'], 2],
    ['a path without leading /', ['--host', 'x', '--path', 'api'], 2],
    ['no question', [], 2],
    ['two questions', ['--host', 'x', '--service', 'a/b'], 2],
    ['a malformed --service', ['--service', 'a/b/c'], 2],
    ['a bad --ip', ['--ip', 'not-an-ip'], 2],
    ['a --client that is no origin', ['--host', 'x', '--client', 'somewhere'], 2],
    ['--client with --client-node', ['--host', 'x', '--client', 'node:a', '--client-node', 'a'], 2],
    ['--ingress-class with --controller', ['--host', 'x', '--ingress-class', 'a', '--controller', 'k8s.io/x'], 2],
    ['a missing file', ['--host', 'x', '--objects-missing'], 2],
  ];
  for (const [name, args, code] of bad) {
    it(`rejects ${name}: exit ${code}, one line`, async () => {
      const r = await runCli(['resolve', ...(args.includes('--objects-missing') ? ['--objects', join(tmp, 'nope.json'), '--host', 'x'] : ['--objects', dump, ...args])]);
      if (args.includes('--objects-missing')) {
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('no such file');
      } else {
        expect(r.code).toBe(code);
      }
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    });
  }

  it('rejects an unparseable file with one line naming it (exit 1)', async () => {
    const f = join(tmp, 'broken.json');
    writeFileSync(f, '{"kind": ');
    const r = await runCli(['resolve', '--objects', f, '--host', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('broken.json: not valid JSON');
  });

  it('requires --objects', async () => {
    const r = await runCli(['resolve', '--host', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--objects');
  });
});
