#!/usr/bin/env node
// Runs `npm ci` when dependencies are missing or older than package-lock.json, so that `npm test` and
// `npm run demo` work on a fresh clone as the first command. Uses only Node built-ins.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const mtime = (p) => {
  try {
    return statSync(new URL(p, `file://${root}/`)).mtimeMs;
  } catch {
    return undefined;
  }
};

const installed = mtime('node_modules/.package-lock.json');
const lock = mtime('package-lock.json');
if (installed !== undefined && lock !== undefined && installed >= lock) process.exit(0);

console.error(installed === undefined ? 'Dependencies are not installed: running npm ci' : 'package-lock.json changed: running npm ci');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
