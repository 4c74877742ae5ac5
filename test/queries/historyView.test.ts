/**
 * The history view at an instant (indexed reads of the rows a question touches) answers every kind of
 * question exactly as the whole snapshot at that instant does: a property test over a churned history
 * (churnedHistory.ts) at 200 random instants, plus the lookup-term rows the writer keeps equal to a
 * backfill from the stored versions.
 */
import { BACKENDS, describeBackends, sql, type Backend } from '../helpers/backends.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteConnection } from '../../src/history/sqliteConnection.js';
import type { SqlConnection } from '../../src/history/SqlConnection.js';
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { InstantReader } from '../../src/history/InstantReader.js';
import { openHistoryDatabase, type HistoryDatabase } from '../../src/history/openHistoryDatabase.js';
import { clusterIdOf } from '../../src/history/clusterIdOf.js';
import { checkInvariants } from '../../src/history/checkInvariants.js';
import type { ForwardQuestion } from '../../src/model/route.js';
import { ClusterState } from '../../src/queries/ClusterState.js';
import { HistoryViewAt } from '../../src/queries/HistoryViewAt.js';
import type { ClusterView } from '../../src/resolver/ClusterView.js';
import { resolve } from '../../src/resolver/resolve.js';
import { reverseLookup } from '../../src/resolver/reverseLookup.js';
import { buildIndex } from '../../src/resolver/SnapshotIndex.js';
import { tempDir } from '../history/builders.js';
import { writeChurnedHistory, type ChurnedHistory } from './churnedHistory.js';
import { questionsOf } from './questionsOf.js';

const INSTANTS = 200;

let tmp: ReturnType<typeof tempDir>;
let history: ChurnedHistory;
let database: HistoryDatabase;

/** Writes the churned history on `backend` before the block's tests, and removes it after. */
function churnedOn(backend: Backend): void {
  beforeAll(async () => {
    tmp = tempDir('routetrace-view-');
    history = await writeChurnedHistory(tmp.dir, { location: backend.location(tmp.dir, 'churned.db') });
    database = await openHistoryDatabase(history.location);
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    tmp?.remove();
  });
}

const json = (x: unknown) => JSON.stringify(x);

describeBackends('the history view at an instant answers as the whole snapshot does', (backend) => {
  churnedOn(backend);

  it(`route, routeToService and reverse questions at ${INSTANTS} random instants of a churned history`, () => {
    const reader = new HistoryReader(database);
    const clusterId = clusterIdOf(database, history.cluster);
    let seed = 3;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    let compared = 0;
    let forwarded = 0;
    let throughGateway = 0;
    const verdicts = new Set<string>();
    const findings = new Set<string>();
    for (let i = 0; i < INSTANTS; i++) {
      // Random instants, some exactly at a stored boundary (every 8th: a version's validFrom).
      const t = i % 8 === 0
        ? Number(sql(database.db, 'SELECT validFrom FROM "ObjectVersion" ORDER BY id LIMIT 1 OFFSET ?').pluck(Math.floor(rand() * 1000)))
        : Math.floor(history.from + rand() * (history.to - history.from + 600_000));
      const whole = buildIndex(reader.snapshotAt(history.cluster, new Date(t)));
      const view: ClusterView = new HistoryViewAt(new InstantReader(database, clusterId, t));
      const { forward, reverse } = questionsOf(whole);
      for (const q of forward) {
        const expected = resolve(whole, q);
        expect(json(resolve(view, q)), `${json(q)} at ${new Date(t).toISOString()}`).toBe(json(expected));
        verdicts.add(expected.verdict);
        for (const f of expected.findings) findings.add(f.code);
        if (expected.verdict === 'forwarded') forwarded++;
        if (expected.gateway?.route) throughGateway++;
        compared++;
      }
      for (const q of reverse) {
        const expected = reverseLookup(whole, q);
        expect(json(reverseLookup(view, q)), `${json(q)} at ${new Date(t).toISOString()}`).toBe(json(expected));
        for (const f of expected.findings) findings.add(f.code);
        compared++;
      }
    }
    // The history is rich enough for the comparison to mean something.
    expect(compared).toBeGreaterThan(INSTANTS * 100);
    expect(forwarded).toBeGreaterThan(INSTANTS * 10);
    expect(throughGateway, 'answers through a Gateway route (the seed Gateway, at every instant)').toBeGreaterThanOrEqual(INSTANTS);
    expect([...verdicts].sort()).toEqual(expect.arrayContaining(['forwarded', 'not-found', 'rejected', 'dns']));
    for (const code of ['INGRESS_DEFAULT_BACKEND', 'NO_ENDPOINTS', 'SERVICE_NOT_FOUND', 'TOPOLOGY_HINTS', 'INGRESS_INVALID', 'ENDPOINTS_MIRRORED', 'PODS_NOT_READY', 'SERVICE_PORT_NOT_FOUND']) {
      expect(findings, code).toContain(code);
    }
  }, 300_000);

  it('ClusterState answers past instants from the view, and questions asked again reuse it', () => {
    const state = new ClusterState({ history: { reader: new HistoryReader(database), database, cluster: history.cluster }, now: () => history.to + 3_600_000 });
    const at = new Date(history.from + (history.to - history.from) / 3);
    const v = state.viewAt(at);
    expect(v.source).toBe('history');
    expect(v.view).toBeInstanceOf(HistoryViewAt);
    // A view is kept from the second question about its instant (instants asked once are not cached).
    const second = state.viewAt(at).view;
    expect(second).not.toBe(v.view);
    expect(state.viewAt(at).view).toBe(second);
    expect(state.viewAt(new Date(at.getTime() + 1)).view).not.toBe(second);
    const q: ForwardQuestion = { kind: 'host', host: 'h1.scale.example.com', port: 80, path: '/' };
    expect(json(resolve(v.view, q))).toBe(json(resolve(state.stateAt(at).index, q)));
  });
});

// A copy of the file, backfilled: SQLite only (the backfill is the same code on both engines).
describe('lookup terms [sqlite]', () => {
  churnedOn(BACKENDS[0]!);

  it('the rows the writer kept equal a backfill from the stored versions, and the invariants hold', async () => {
    expect(checkInvariants(database.db)).toEqual([]);
    const copy = path.join(tmp.dir, 'backfilled.db');
    (database.db as SqliteConnection).native.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(history.file!, copy);
    const raw = new Database(copy);
    raw.exec(`DELETE FROM "LookupKey"; INSERT INTO "PendingBackfill" (name) VALUES ('LookupKey')`);
    raw.close();
    // The intervals of each (cluster, term, object), with rows that meet at an instant joined: the writer may
    // close a term and reopen it at the same instant (an object found gone by a relist and reported again
    // at that instant), which holds at the same instants as one row.
    const rows = (db: SqlConnection) => {
      const out: number[][] = [];
      for (const r of db.prepare('SELECT clusterId, term, objectId, validFrom, validTo FROM "LookupKey" ORDER BY 1, 2, 3, 4').raw() as number[][]) {
        const last = out[out.length - 1];
        if (last && last[0] === r[0] && last[1] === r[1] && last[2] === r[2] && last[4] === r[3]) last[4] = r[4]!;
        else out.push([...r]);
      }
      return out;
    };
    const written = rows(database.db);
    const backfilled = await openHistoryDatabase({ file: copy });
    try {
      expect(backfilled.db.prepare('SELECT count(*) FROM "PendingBackfill"').pluck()).toBe(0);
      expect(written.length).toBeGreaterThan(1000);
      expect(rows(backfilled.db)).toEqual(written);
    } finally {
      await backfilled.close();
    }
  });
});
