// postgresServer: a PostgreSQL server for tests and development scripts. Uses the admin URL in
// ROUTETRACE_TEST_POSTGRES_URL (a role allowed to CREATE DATABASE) when set; otherwise starts a throwaway
// server from Debian's binaries (/usr/lib/postgresql/<version>/bin) on a free 127.0.0.1 port, in a
// temporary folder, trusting local connections (as user postgres when running as root, which initdb
// refuses). startPostgres() resolves to { url, stop(), started } or { url: null, reason }.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function postgresBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port} within ${ms} ms`);
}

export async function startPostgres() {
  const given = process.env.ROUTETRACE_TEST_POSTGRES_URL;
  if (given) return { url: given, started: false, stop: async () => {} };
  const bin = postgresBin();
  if (!bin) return { url: null, reason: 'ROUTETRACE_TEST_POSTGRES_URL is not set and no PostgreSQL server binaries are in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)' };
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'routetrace-pg-'));
  const run = (cmd, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  try {
    if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
    const data = path.join(dir, 'data');
    const [c, a] = run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    execFileSync(c, a, { stdio: 'pipe' });
    const port = await freePort();
    const [pc, pa] = run(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'max_connections=200', '-c', 'shared_buffers=64MB']);
    const child = spawn(pc, pa, { stdio: 'ignore', detached: false });
    await waitForPort(port, 20_000);
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      started: true,
      stop: async () => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const [sc, sa] = run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        try {
          execFileSync(sc, sa, { stdio: 'pipe' });
        } catch {
          child.kill('SIGKILL');
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { url: null, reason: `could not start a throwaway PostgreSQL from ${bin}: ${e.message.split('\n')[0]}` };
  }
}
