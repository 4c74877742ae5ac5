import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteConnection } from '../../src/history/sqliteConnection.js';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { BASE, PODS, eventAt, stateAfter } from './fixtures/crashStream.mjs';
import { SnapshotModel, snapshotText } from './snapshotModel.js';
import { tempDir } from './builders.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'fixtures', 'crashWriter.mjs');
const compiled = path.join(here, '..', '..', 'dist', 'history', 'HistoryWriter.js');

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('routetrace-crash-');
});
afterEach(() => tmp.remove());

/** Starts the writing child and SIGKILLs it once it has committed at least `minSteps` steps. */
function runAndKill(file: string, minSteps: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let reported = 0;
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = [...out.matchAll(/committed (\d+)/g)].pop();
      reported = m ? Number(m[1]) : 0;
      if (reported >= minSteps && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`writer exited before it was killed (code ${code}): ${err}`));
    });
  });
}

describe('crash safety', () => {
  it.skipIf(!existsSync(compiled))('SIGKILL mid-ingest leaves a consistent database, and resuming the stream duplicates nothing (needs `npm run build`)', async () => {
    const file = path.join(tmp.dir, 'crash.db');
    const reported = await runAndKill(file, 3000);

    // Reopen with plain SQLite first: the database recovers from its WAL and every invariant holds.
    const raw = new Database(file);
    expect(checkInvariants(new SqliteConnection(raw))).toEqual([]);
    const lastStep = Number(raw.prepare(`SELECT max(CAST(resourceVersion AS INTEGER)) FROM "ObjectVersion"`).pluck().get()) - PODS;
    const versions = Number(raw.prepare('SELECT count(*) FROM "ObjectVersion"').pluck().get());
    raw.close();
    expect(lastStep).toBeGreaterThanOrEqual(reported); // everything flush() reported is there
    expect(versions).toBe(PODS + lastStep); // one version per report, none twice: a committed prefix

    // Resume as routetrace would: relist (the state as stored), then keep watching.
    const w = await HistoryWriter.open({ file, cluster: 'crash', batchMs: 5 });
    try {
      w.listed('Pod', stateAfter(lastStep), new Date(BASE + lastStep + 1000));
      await w.flush();
      expect(Number(w.database.db.prepare('SELECT count(*) FROM "ObjectVersion"').pluck())).toBe(versions);
      const model = new SnapshotModel();
      model.listed('Pod', stateAfter(lastStep + 500));
      for (let s = lastStep + 1; s <= lastStep + 500; s++) w.event('Pod', 'MODIFIED', eventAt(s), new Date(BASE + lastStep + 1000 + s));
      await w.flush();
      expect(Number(w.database.db.prepare('SELECT count(*) FROM "ObjectVersion"').pluck())).toBe(versions + 500);
      expect(checkInvariants(w.database.db)).toEqual([]);
      expect(snapshotText(new HistoryReader(w.database).currentSnapshot('crash'))).toBe(snapshotText(model.snapshot()));
    } finally {
      await w.close();
    }
  });
});
