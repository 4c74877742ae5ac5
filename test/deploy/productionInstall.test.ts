/**
 * The container image's start command, tested without a container engine: the files the Dockerfile's
 * run stage copies (read from the Dockerfile itself) are copied into an empty temp dir, production
 * dependencies are installed there from the lockfile (`npm ci --omit=dev`), and the image's ENTRYPOINT +
 * CMD run with the image's environment variables pointed at a temp database and a loopback port,
 * against the simulator: /healthz, /readyz, /metrics and a GraphQL query answer, the image's
 * HEALTHCHECK command succeeds, SIGTERM exits 0. This proves that nothing from devDependencies (nor any
 * file the image does not copy, e.g. src/ or the simulator's scenario files) is needed to serve.
 *
 * Install scripts are skipped (`--ignore-scripts`) and better-sqlite3's addon is copied from the
 * project's own install (same lockfile version, same Node), which keeps this test to seconds instead of
 * a from-source native build; the test checks that no other installed package has an install script
 * that could matter. The `--omit` flags are those of the Dockerfile's `npm prune`. Needs the npm registry or a warm npm cache (`npm ci` of the project fills it).
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimHandle } from '../../src/sim/startSim.js';
import { waitFor } from '../watch/waitFor.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** The run stage: everything after the last FROM. */
const runStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

/** `COPY --from=build /app/X ./Y` lines of the run stage, as [X, Y]. */
const copies = [...runStage.matchAll(/^COPY --from=build \/app\/(\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
const jsonInstruction = (name: string): string[] => {
  const m = new RegExp(`^${name} (\\[.*\\])$`, 'm').exec(runStage);
  if (!m) throw new Error(`Dockerfile run stage has no ${name} [..] line`);
  return JSON.parse(m[1]!) as string[];
};
/** The `--omit=…` flags of the build stage's `npm prune`, used for the clean install here. */
const pruneOmits = (/npm prune ((?:--omit=\w+ ?)+)/.exec(dockerfile)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
const imageEnv: Record<string, string> = Object.fromEntries(
  [...runStage.matchAll(/(ROUTETRACE_[A-Z_]+|NODE_ENV)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
);

/**
 * Production packages whose install scripts are known not to be needed to serve here (better-sqlite3's addon
 * is copied; libpq, pg-native's addon, is built in the image against libpq-dev and loaded only for a
 * PostgreSQL history, which this SQLite start does not open; the Prisma CLI and its engines are kept
 * unused, as optional peers of @prisma/client, and serve never runs them).
 */
const SCRIPTS_NOT_NEEDED = new Set(['node_modules/better-sqlite3', 'node_modules/@apollo/protobufjs', 'node_modules/libpq', 'node_modules/prisma', 'node_modules/@prisma/engines']);

let dir: string;
let sim: SimHandle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rt-image-'));
  sim = await startSim({ scenario: 'seed', seed: 31 });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the image start command from a clean production install', () => {
  it('reads what the run stage copies, its entrypoint, command and environment from the Dockerfile', () => {
    expect(copies.map(([from]) => from)).toEqual(expect.arrayContaining(['package.json', 'node_modules', 'dist', 'bin', 'prisma']));
    expect([...jsonInstruction('ENTRYPOINT'), ...jsonInstruction('CMD')]).toEqual(['node', 'bin/routetrace.js', 'serve']);
    expect(imageEnv).toMatchObject({ NODE_ENV: 'production', ROUTETRACE_DB: '/data/routetrace.db' });
    expect(runStage).toMatch(/^USER node$/m);
    expect(runStage).toMatch(/^VOLUME \["\/data"\]$/m);
  });

  it('installs with npm ci --omit=dev and serves against the simulator', async () => {
    const app = join(dir, 'app');
    mkdirSync(app);
    for (const [from, to] of copies) {
      if (from === 'node_modules') continue;
      expect(existsSync(join(ROOT, from)), `${from} (run \`npm run build\` first)`).toBe(true);
      cpSync(join(ROOT, from), to.endsWith('/') ? join(app, to, basename(from)) : join(app, to), { recursive: true });
    }
    cpSync(join(ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
    expect(pruneOmits).toContain('--omit=dev');
    await run('npm', ['ci', ...pruneOmits, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: app, timeout: 240_000 });

    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
    const scripted = Object.entries(lock.packages).filter(([k, v]) => k && v.hasInstallScript && existsSync(join(app, k))).map(([k]) => k);
    expect(scripted.filter((k) => !SCRIPTS_NOT_NEEDED.has(k))).toEqual([]);
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    mkdirSync(join(app, addon, '..'), { recursive: true });
    cpSync(join(ROOT, addon), join(app, addon));
    // nothing that only devDependencies bring is there (the Prisma CLI and TypeScript stay: optional peers of
    // @prisma/client, kept because the image keeps optional dependencies for pg-native)
    for (const dev of ['vitest', '@graphql-codegen/cli', 'vite', 'playwright-core']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'pg-native')), 'pg-native').toBe(true);
    expect(existsSync(join(app, 'src'))).toBe(false);

    const [cmd, ...args] = [...jsonInstruction('ENTRYPOINT'), ...jsonInstruction('CMD')];
    const db = join(dir, 'data', 'routetrace.db');
    const child = spawn(cmd === 'node' ? process.execPath : cmd!, [...args, '--server', sim.url], {
      cwd: app,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, KUBECONFIG: '', ...imageEnv, ROUTETRACE_DB: db, ROUTETRACE_LISTEN: '127.0.0.1:0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => /"event":"serve.start"/.test(stderr) || child.exitCode !== null, { what: 'serve.start', timeoutMs: 60_000 });
      const start = stderr.split('\n').find((l) => l.includes('"serve.start"'));
      expect(start, stderr.slice(-2000)).toBeDefined();
      const url = String((JSON.parse(start!) as { listen: string }).listen);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { what: '/readyz 200', timeoutMs: 60_000, describe: () => stderr.slice(-1500) });
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^routetrace_watch_list_objects_received_total\{kind="Service"\} \d+$/m);
      const gql = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(gql.status).toBe(200);
      expect(await gql.json()).toMatchObject({ data: { __typename: 'Query' } });
      // the image's HEALTHCHECK command, pointed at this port
      const hc = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(runStage);
      expect(hc, 'HEALTHCHECK ... CMD [..]').not.toBeNull();
      const [hcCmd, ...hcArgs] = JSON.parse(hc![1]!) as string[];
      const port = new URL(url).port;
      await run(hcCmd === 'node' ? process.execPath : hcCmd!, hcArgs.map((a) => a.replace(':8080/', `:${port}/`)), { timeout: 10_000 });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(db)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  }, 300_000);
});
