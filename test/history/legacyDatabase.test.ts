/**
 * A database written by an earlier routetrace (commit d81d1ef, before the LookupKey migration) is upgraded
 * in place when opened: the pending migration is applied, the lookup terms of its stored versions are
 * backfilled, and it then answers the questions that routetrace answered on it (recorded by
 * fixtures/legacy/makeLegacyDatabase.mjs) exactly as it did, now from the history view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import { openHistoryFile, type HistoryFile } from '../../src/queries/historyFile.js';
import type { ForwardQuestion, ReverseQuestion } from '../../src/model/route.js';
import { resolve } from '../../src/resolver/resolve.js';
import { reverseLookup } from '../../src/resolver/reverseLookup.js';
import { HistoryViewAt } from '../../src/queries/HistoryViewAt.js';
import { tempDir } from './builders.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => gunzipSync(readFileSync(path.join(here, 'fixtures', 'legacy', name)));

interface Recorded {
  cluster: string;
  instants: number[];
  answers: { at: number; question: ForwardQuestion | ReverseQuestion; answer: unknown }[];
}

let tmp: ReturnType<typeof tempDir>;
let h: HistoryFile;
const progress: string[] = [];
const recorded = JSON.parse(fixture('main-d81d1ef.answers.json.gz').toString('utf8')) as Recorded;

beforeAll(async () => {
  tmp = tempDir('routetrace-legacy-');
  const file = path.join(tmp.dir, 'legacy.db');
  writeFileSync(file, fixture('main-d81d1ef.db.gz'));
  h = await openHistoryFile(file, undefined, { log: (_level, event) => progress.push(event) });
});

afterAll(async () => {
  await h?.close();
  tmp?.remove();
});

describe('a database written before the LookupKey migration', () => {
  it('is migrated in place and backfilled, and stays consistent', () => {
    expect(h.database.appliedMigrations).toEqual([
      expect.stringMatching(/_lookup_keys$/), expect.stringMatching(/_service_selector_terms$/), expect.stringMatching(/_delta_bodies$/),
    ]);
    expect(progress).toContain('history.backfill.done');
    expect(h.database.db.prepare('SELECT count(*) FROM "PendingBackfill"').pluck()).toBe(0);
    expect(Number(h.database.db.prepare('SELECT count(*) FROM "LookupKey"').pluck())).toBeGreaterThan(500);
    expect(checkInvariants(h.database.db)).toEqual([]);
  });

  it(`answers the ${recorded.answers.length} recorded questions as the earlier version did`, () => {
    expect(recorded.answers.length).toBeGreaterThan(500);
    let reverse = 0;
    for (const r of recorded.answers) {
      const at = new Date(r.at);
      const label = `${JSON.stringify(r.question)} at ${at.toISOString()}`;
      if (r.question.kind === 'reverse') {
        const v = h.state.reverseViewAt(at);
        expect(v.view, label).toBeInstanceOf(HistoryViewAt);
        expect(JSON.stringify(reverseLookup(v.view, r.question)), label).toBe(JSON.stringify(r.answer));
        reverse++;
      } else {
        const v = h.state.viewAt(at);
        expect(v.view, label).toBeInstanceOf(HistoryViewAt);
        expect(JSON.stringify(resolve(v.view, r.question)), label).toBe(JSON.stringify(r.answer));
      }
    }
    expect(reverse).toBeGreaterThan(50);
  });

  it('opens again without migrating or backfilling', async () => {
    const file = h.database.file!;
    await h.close();
    progress.length = 0;
    h = await openHistoryFile(file, undefined, { log: (_level, event) => progress.push(event) });
    expect(h.database.appliedMigrations).toEqual([]);
    expect(progress).toEqual([]);
  });
});
