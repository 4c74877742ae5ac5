/**
 * openHistoryDatabase({readOnly}): the opener of `routetrace api`. A current history opens and its
 * connection refuses every write (SQLite file and PostgreSQL database); a history that is not exactly current (a changed or unknown migration,
 * a pending data backfill) is refused with a MigrationError, and the file is left as it was.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationError } from '../../src/history/applyMigrations.js';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { openHistoryDatabase } from '../../src/history/openHistoryDatabase.js';
import { defaultMigrationsDir } from '../../src/history/packageRoot.js';
import { describeBackends } from '../helpers/backends.js';
import { tempDir } from './builders.js';

let tmp: ReturnType<typeof tempDir>;
let file: string;
beforeEach(async () => {
  tmp = tempDir('routetrace-readonly-');
  file = path.join(tmp.dir, 'h.db');
  const w = await HistoryWriter.open({ file, cluster: 'c1' });
  await w.close();
});
afterEach(() => tmp.remove());

/** A copy of the migrations folder, changed by `change`. */
function migrationsCopy(change: (dir: string, names: string[]) => void): string {
  const dir = path.join(tmp.dir, 'migrations');
  cpSync(defaultMigrationsDir(), dir, { recursive: true });
  change(dir, readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort());
  return dir;
}

describe('read-only open', () => {
  it('opens a current history file; its connection refuses writes', async () => {
    const before = readFileSync(file);
    const h = await openHistoryDatabase({ file, readOnly: true });
    try {
      expect(h.db.stmt('clusterNames').pluckAll()).toEqual(['c1']);
      expect(() => h.db.prepare(`INSERT INTO "Cluster" (name, createdAt) VALUES ('c2', 0)`).run()).toThrow(/readonly|read-only|query_only/i);
    } finally {
      await h.close();
    }
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  const refused: { name: string; prepare: () => string | undefined; message: RegExp }[] = [
    {
      name: 'a migration changed after it was applied',
      prepare: () => migrationsCopy((dir, names) => writeFileSync(path.join(dir, names[0]!, 'migration.sql'), readFileSync(path.join(dir, names[0]!, 'migration.sql'), 'utf8') + '\n-- changed\n')),
      message: /differs from the one applied/,
    },
    {
      name: 'a migration this routetrace does not know (a newer one wrote the file)',
      prepare: () => migrationsCopy((dir, names) => rmSync(path.join(dir, names.at(-1)!), { recursive: true })),
      message: /written by a newer routetrace/,
    },
    {
      name: 'a data backfill pending',
      prepare: () => {
        const db = new Database(file);
        db.prepare(`INSERT INTO "PendingBackfill" (name) VALUES ('LookupKey')`).run();
        db.close();
        return undefined;
      },
      message: /data backfills pending \(LookupKey\)/,
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}`, async () => {
      const migrationsDir = c.prepare();
      const before = readFileSync(file);
      const open = openHistoryDatabase({ file, readOnly: true, ...(migrationsDir ? { migrationsDir } : {}) });
      await expect(open).rejects.toThrow(MigrationError);
      await expect(open).rejects.toThrow(c.message);
      expect(readFileSync(file).equals(before)).toBe(true);
    });
  }
});

describeBackends('read-only open of a database', (backend) => {
  it('reads a current history and refuses writes', async () => {
    const dir = tempDir('routetrace-readonly-db-');
    try {
      const where = backend.location(dir.dir);
      const w = await HistoryWriter.open({ ...where, cluster: 'c1' });
      await w.close();
      const h = await openHistoryDatabase({ ...where, readOnly: true });
      try {
        expect(h.db.stmt('clusterNames').pluckAll()).toEqual(['c1']);
        expect(() => h.db.stmt('registerCluster').run('c2', 0)).toThrow(/readonly|read-only|query_only/i);
      } finally {
        await h.close();
      }
    } finally {
      dir.remove();
    }
  });
});
