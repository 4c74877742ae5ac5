// children: the benchmark's child processes (simulator, serve, history builder) and temp folders, with
// guaranteed cleanup. Every spawn is registered; cleanup() sends SIGTERM, then SIGKILL after a grace period,
// and removes the temp folders. An 'exit' hook SIGKILLs whatever is still alive, so no child outlives the
// bench even when it throws. Only 127.0.0.1 addresses are used.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'bin', 'routetrace.js');

const children = new Set();
const tempDirs = new Set();

process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix) {
  const d = mkdtempSync(path.join(os.tmpdir(), `routetrace-bench-${prefix}-`));
  tempDirs.add(d);
  return d;
}

/**
 * Spawns `node args...` and resolves once `pattern` matches its stdout or stderr (the first capture group is
 * returned as `match`), or rejects on exit / after `timeoutMs`. The child's output tail is kept for errors.
 */
export async function spawnNode(name, args, { pattern, timeoutMs, nodeArgs = [], env } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT, env: env ?? process.env });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const proc = { name, child, pid: child.pid, out: '', tail: '', lines: [] };
  const onData = (d) => {
    const s = d.toString('utf8');
    proc.tail = (proc.tail + s).slice(-6000);
    proc.out = (proc.out + s).slice(-200_000);
    for (const line of s.split('\n')) if (line.startsWith('{')) proc.lines.push(line);
    if (proc.lines.length > 5000) proc.lines.splice(0, proc.lines.length - 5000);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  if (!pattern) return proc;
  proc.match = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${name}: no '${pattern}' within ${timeoutMs} ms; output: ${proc.tail.slice(-800)}`)), timeoutMs);
    const check = () => {
      const m = pattern.exec(proc.out);
      if (m) done(null, m[1]);
    };
    const onExit = (code, sig) => done(new Error(`${name} exited (${code ?? sig}) before ready: ${proc.tail.slice(-1500)}`));
    function done(err, value) {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.stderr.off('data', check);
      child.off('exit', onExit);
      err ? reject(err) : resolve(value);
    }
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', onExit);
    check();
  });
  return proc;
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the child has exited. */
export async function stopChild(proc, graceMs = 10_000) {
  const c = proc?.child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}

export async function cleanup() {
  await Promise.all([...children].map((c) => stopChild({ child: c }, 5000)));
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

/** Resident set size of a process in MB (VmRSS from /proc), or null when unavailable. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const plainAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One HTTP request to 127.0.0.1 (the URL must be loopback); resolves {status, text}. */
export function request(url, { method = 'GET', body, agent = plainAgent, timeoutMs = 60_000 } = {}) {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1') throw new Error(`refusing a non-loopback URL: ${url}`);
  return new Promise((resolve, reject) => {
    const headers = body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {};
    const req = http.request(u, { method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${u.pathname}`)));
    req.on('error', reject);
    req.end(body);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `routetrace serve` against `server` on a free loopback port; resolves {proc, url, spawnedAt}
 * once it listens (readiness is awaited separately with waitReady).
 */
export async function startServe({ server, db, database, cluster = 'bench', timeoutMs = 60_000, nodeArgs = [] }) {
  const spawnedAt = performance.now();
  const store = database ? ['--database', database] : ['--db', db];
  const proc = await spawnNode('serve', [CLI, 'serve', '--server', server, ...store, '--listen', '127.0.0.1:0', '--cluster', cluster], {
    pattern: /"event":"serve\.start".*?"listen":"(http:\/\/127\.0\.0\.1:\d+)"/,
    timeoutMs,
    nodeArgs,
  });
  return { proc, url: proc.match, spawnedAt };
}

/** Polls /readyz every intervalMs until 200; resolves {readyAt, body}; rejects when the child exits or on timeout. */
export async function waitReady(serve, { timeoutMs, intervalMs = 50 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (serve.proc.child.exitCode !== null) throw new Error(`serve exited (${serve.proc.child.exitCode}): ${serve.proc.tail.slice(-1500)}`);
    try {
      const r = await request(`${serve.url}/readyz`, { timeoutMs: 5000 });
      if (r.status === 200) return { readyAt: performance.now(), body: JSON.parse(r.text) };
    } catch {}
    if (Date.now() > deadline) throw new Error(`serve not ready within ${timeoutMs} ms: ${serve.proc.tail.slice(-800)}`);
    await sleep(intervalMs);
  }
}
