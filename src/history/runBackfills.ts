/**
 * runBackfills: the data a schema migration left to routetrace (rows of PendingBackfill), written when the
 * database is opened, right after the migrations.
 *
 *  - LookupKey: the lookup terms of every stored version (src/resolver/lookupTerms.ts), as intervals per
 *    object exactly as the writer would have kept them had it written the versions (lookupKeyRows.ts):
 *    versions of an object are walked oldest first; contiguous versions move the open terms along, a hole
 *    between versions (the object gone, then back) closes them, an ended last version closes them.
 * One transaction per backfill: it writes everything and deletes its PendingBackfill row, or nothing (a
 * crash or failure leaves the row, and the backfill runs again at the next open). Progress is logged every
 * PROGRESS_EVERY versions. An unknown backfill name is an error (a newer routetrace wrote the database).
 */
import type { SqlConnection } from './SqlConnection.js';
import type { Kind } from '../model/objects.js';
import { lookupTermHashes } from '../resolver/lookupTerms.js';
import type { Logger } from '../watch/Logger.js';
import { decodeBody } from './bodyCodec.js';
import { closeTerms, updateTerms, type OpenTerms, type TermStatements } from './lookupKeyRows.js';
import { joinBody } from './storedBody.js';

const PROGRESS_EVERY = 50_000;
const OBJECTS_PER_READ = 2_000;

interface VersionRow {
  objectId: number; kind: Kind; namespace: string; name: string; uid: string; resourceVersion: string;
  validFrom: number; validTo: number | null; body: Buffer; chain: string | null;
}

function backfillLookupKeys(db: SqlConnection, logger: Logger | undefined): number {
  const s: TermStatements = {
    insertLookupKey: db.stmt('insertLookupKey'),
    closeLookupKey: db.stmt('closeLookupKey'),
    deleteLookupKey: db.stmt('deleteLookupKey'),
  };
  const total = Number(db.stmt('countVersions').pluck());
  const read = db.stmt('versionsOfObjectRange');
  const maxId = Number(db.stmt('maxObjectId').pluck() ?? 0);
  if (total > 0) logger?.log('info', 'history.backfill.start', { backfill: 'LookupKey', versions: total });
  let done = 0;
  let nextReport = PROGRESS_EVERY;
  for (let lo = 1; lo <= maxId; lo += OBJECTS_PER_READ) {
    const rows = read.all(lo, lo + OBJECTS_PER_READ - 1) as VersionRow[];
    let objectId = -1;
    let clusterId = -1;
    let open: OpenTerms | undefined;
    let openUntil: number | null = null;
    const finish = () => {
      if (open && openUntil !== null) closeTerms(s, clusterId, objectId, open, openUntil);
      open = undefined;
    };
    for (const r of rows as (VersionRow & { clusterId: number })[]) {
      if (r.objectId !== objectId) {
        finish();
        objectId = r.objectId;
        clusterId = r.clusterId;
      } else if (openUntil !== null && openUntil !== r.validFrom) {
        finish();
      }
      const object = joinBody(r.kind, { namespace: r.namespace, name: r.name, uid: r.uid, resourceVersion: r.resourceVersion, body: decodeBody(r.body, r.chain) });
      open = updateTerms(s, clusterId, objectId, open, lookupTermHashes(r.kind, object), r.validFrom);
      openUntil = r.validTo;
      if (++done >= nextReport) {
        nextReport += PROGRESS_EVERY;
        logger?.log('info', 'history.backfill.progress', { backfill: 'LookupKey', versions: done, of: total });
      }
    }
    finish();
  }
  return done;
}

const BACKFILLS: Readonly<Record<string, (db: SqlConnection, logger: Logger | undefined) => number>> = {
  LookupKey: backfillLookupKeys,
};

/** Runs every pending backfill; returns their names. */
export function runBackfills(db: SqlConnection, logger?: Logger): string[] {
  const pending = db.stmt('pendingBackfills').pluckAll() as string[];
  for (const name of pending) {
    const run = BACKFILLS[name];
    if (!run) throw new Error(`the history database asks for a data backfill '${name}' this routetrace does not know (written by a newer version?)`);
    const started = performance.now();
    const versions = db.transaction(() => {
      const n = run(db, logger);
      db.stmt('deleteBackfill').run(name);
      return n;
    });
    logger?.log('info', 'history.backfill.done', { backfill: name, versions, ms: Math.round(performance.now() - started) });
  }
  return pending;
}
