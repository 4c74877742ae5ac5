/**
 * Route-resolution conformance: every case in test/fixtures/conformance runs through the compiled CLI
 * (`routetrace resolve --objects FILE ... --json`), as a user runs it, and the JSON answer is compared the
 * way the conformance runner compares it: `ingress`/`service` fields listed in the case must be equal,
 * `backends` equal as a set, `externalName` equal, `findings` present, `absentFindings` absent; a case
 * expecting an error needs a non-zero exit with one line on stderr. Build first (`npm run build`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';

interface Case {
  name: string;
  objects: unknown[];
  question: { host?: string; port?: number; path?: string; service?: string };
  expect: {
    error?: boolean;
    ingress?: Record<string, unknown> | null;
    service?: Record<string, unknown> | null;
    backends?: string[];
    externalName?: string;
    findings?: string[];
    absentFindings?: string[];
  };
}

const CASES_DIR = fileURLToPath(new URL('../fixtures/conformance/', import.meta.url));
const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();
const tmp = mkdtempSync(join(tmpdir(), 'routetrace-conformance-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function codes(findings: unknown): Set<string> {
  return new Set((Array.isArray(findings) ? findings : []).map((f) => (typeof f === 'string' ? f : (f as { code?: string })?.code ?? '')));
}

/** The differences between the expectation and the answer, in the conformance runner's terms. */
function compare(want: Case['expect'], exitCode: number | null, stdout: string, stderr: string): string[] {
  const problems: string[] = [];
  if (want.error) {
    if (exitCode === 0) problems.push('expected a failing exit code (bad input), got 0');
    if (stderr.trim().split('\n').length !== 1) problems.push(`expected one line on stderr, got ${JSON.stringify(stderr)}`);
    return problems;
  }
  if (exitCode !== 0) return [`exit code ${exitCode}: ${stderr.trim().slice(0, 300)}`];
  let got: Record<string, unknown>;
  try {
    got = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return ['output is not JSON'];
  }
  for (const key of ['ingress', 'service'] as const) {
    if (!(key in want)) continue;
    const w = want[key];
    const have = (got[key] ?? null) as Record<string, unknown> | null;
    if (w === null || w === undefined) {
      if (have !== null) problems.push(`${key}: expected null, got ${JSON.stringify(have)}`);
      continue;
    }
    if (have === null) {
      problems.push(`${key}: expected ${JSON.stringify(w)}, got null`);
      continue;
    }
    for (const [k, v] of Object.entries(w)) if (JSON.stringify(have[k]) !== JSON.stringify(v)) problems.push(`${key}.${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(have[k])}`);
  }
  if (want.backends) {
    const w = [...want.backends].sort();
    const have = Array.isArray(got['backends']) ? [...(got['backends'] as string[])].map(String).sort() : null;
    if (JSON.stringify(w) !== JSON.stringify(have)) problems.push(`backends: expected ${JSON.stringify(w)}, got ${JSON.stringify(have)}`);
  }
  if ('externalName' in want && got['externalName'] !== want.externalName) problems.push(`externalName: expected ${JSON.stringify(want.externalName)}, got ${JSON.stringify(got['externalName'])}`);
  const have = codes(got['findings']);
  for (const c of want.findings ?? []) if (!have.has(c)) problems.push(`findings: missing ${c} (got ${JSON.stringify([...have])})`);
  for (const c of want.absentFindings ?? []) if (have.has(c)) problems.push(`findings: ${c} should not be reported`);
  // Every finding must be an object with a human message.
  for (const f of Array.isArray(got['findings']) ? (got['findings'] as { code?: unknown; message?: unknown }[]) : []) {
    if (typeof f.code !== 'string' || typeof f.message !== 'string' || f.message.length < 10) problems.push(`finding without code/message: ${JSON.stringify(f)}`);
  }
  return problems;
}

describe('route resolution conformance (compiled CLI)', () => {
  it('has the cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(38);
  });

  for (const file of files) {
    const c = JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as Case;
    it.concurrent(c.name, async ({ expect }) => {
      const objectsFile = join(tmp, file);
      writeFileSync(objectsFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: c.objects }));
      const args = ['resolve', '--objects', objectsFile];
      const q = c.question;
      if (q.host !== undefined) args.push('--host', q.host);
      if (q.port !== undefined) args.push('--port', String(q.port));
      if (q.path !== undefined) args.push('--path', q.path);
      if (q.service !== undefined) args.push('--service', q.service);
      args.push('--json');
      const r = await runCli(args);
      expect(compare(c.expect, r.code, r.stdout, r.stderr)).toEqual([]);
    });
  }
});
