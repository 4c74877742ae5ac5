/**
 * pruneHistory: retention for one cluster's history, in small transactions that yield to the event loop
 * between them, so the writer's batches keep committing while a large prune runs.
 *
 *  1. retentionMs: versions that ended before now - retentionMs are deleted (their per-version derived
 *     rows go with them by ON DELETE CASCADE), and so are endpoint rows, lookup terms and gap records that
 *     ended before it. Open versions are never deleted: the current state is kept however old it is.
 *  2. maxDbBytes (SQLite only: PostgreSQL does not shrink on delete, and its database is shared): while the database's used bytes (pages in use, excluding free pages) exceed it, the oldest
 *     closed versions are deleted, oldest end first, with the endpoint rows and lookup terms that ended no
 *     later; then one
 *     gap record (kind '*') says history from the first to the last deleted version's interval was removed
 *     to keep the size.
 * Objects left with no version are deleted. A deleted version that later versions of its object decode
 * from (a delta chain's keyframe or link, bodyCodec.ts) first hands its role on: the next version of the
 * chain is stored as a keyframe and the rest of the chain is moved onto it, in the same transaction. Freed pages are returned to the file system when the file
 * was created with auto_vacuum (openHistoryDatabase does that for new files).
 */
import type { SqlConnection } from './SqlConnection.js';
import { decodeBody, encodeBody } from './bodyCodec.js';

export interface PruneOptions {
  clusterId: number;
  /** Keep closed versions that ended within this many ms before `now`. Omitted: no age limit. */
  retentionMs?: number;
  /** Keep the database's used bytes at or below this. Omitted: no size limit. */
  maxDbBytes?: number;
  /** Default: the current time. */
  now?: Date;
  /** Versions deleted per transaction. Default 500. */
  batchSize?: number;
  /** Checked between transactions; pruning stops early (consistently) when it returns true. */
  shouldStop?: () => boolean;
}

export interface PruneResult {
  versionsDeleted: number;
  endpointRowsDeleted: number;
  lookupKeysDeleted: number;
  gapsDeleted: number;
  objectsDeleted: number;
  bytesBefore: number;
  bytesAfter: number;
  /** The gap recorded for size pruning, if any. */
  sizeGap: { from: Date; to: Date } | null;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

class Stopped extends Error {}

export function usedBytes(db: SqlConnection): number {
  return Number((db.stmt('usedBytes').get() as { bytes: number }).bytes);
}

export async function pruneHistory(db: SqlConnection, options: PruneOptions): Promise<PruneResult> {
  const batch = options.batchSize ?? 500;
  const now = (options.now ?? new Date()).getTime();
  const result: PruneResult = {
    versionsDeleted: 0, endpointRowsDeleted: 0, lookupKeysDeleted: 0, gapsDeleted: 0, objectsDeleted: 0, bytesBefore: usedBytes(db), bytesAfter: 0, sizeGap: null,
  };
  const pause = async () => {
    await yieldToEventLoop();
    if (options.shouldStop?.()) throw new Stopped();
  };
  try {
    await pruneSteps(db, options, result, batch, now, pause);
  } catch (e) {
    if (!(e instanceof Stopped)) throw e;
  }
  result.bytesAfter = usedBytes(db);
  return result;
}

/** Deletes one version by id, first making the next version of its delta chain (if any) a keyframe. */
function versionDeleter(db: SqlConnection): (id: number) => void {
  const link = db.stmt('versionChainLink');
  const next = db.stmt('nextInChain');
  const makeKeyframe = db.stmt('makeKeyframe');
  const rebase = db.stmt('rebaseChain');
  const del = db.stmt('deleteVersion');
  return (id) => {
    const v = link.get(id) as { objectId: number; baseId: number | null } | undefined;
    if (v) {
      const keyframe = v.baseId ?? id;
      const n = next.get(v.objectId, keyframe, id) as { id: number; body: Buffer; chain: string | null } | undefined;
      if (n) {
        makeKeyframe.run(encodeBody(decodeBody(n.body, n.chain)), n.id);
        rebase.run(n.id, v.objectId, keyframe, n.id);
      }
    }
    del.run(id);
  };
}

async function pruneSteps(
  db: SqlConnection, options: PruneOptions, result: PruneResult, batch: number, now: number,
  yieldToEventLoop: () => Promise<void>,
): Promise<void> {
  const { clusterId } = options;
  const deleteVersion = versionDeleter(db);
  const deleteGap = db.stmt('deleteGap');
  const expiredRows = db.stmt('expiredEndpointRowIds');
  const deleteRow = db.stmt('deleteEndpointRow');
  const deleteLookupKeys = db.stmt('deleteExpiredLookupKeys');
  /** Deletes endpoint rows and lookup terms that ended before `cutoff`, in batches. */
  const pruneEndpointRows = async (cutoff: number) => {
    for (;;) {
      const n = db.transaction(() => deleteLookupKeys.run(clusterId, cutoff, batch).changes);
      result.lookupKeysDeleted += n;
      if (n < batch) break;
      await yieldToEventLoop();
    }
    for (;;) {
      const n = db.transaction(() => {
        const ids = expiredRows.pluckAll(clusterId, cutoff, batch) as number[];
        for (const id of ids) deleteRow.run(id);
        return ids.length;
      });
      result.endpointRowsDeleted += n;
      if (n < batch) break;
      await yieldToEventLoop();
    }
  };

  if (options.retentionMs !== undefined) {
    const cutoff = now - options.retentionMs;
    const expired = db.stmt('expiredVersionIds');
    for (;;) {
      const n = db.transaction(() => {
        const ids = expired.pluckAll(clusterId, cutoff, batch) as number[];
        for (const id of ids) deleteVersion(id);
        return ids.length;
      });
      result.versionsDeleted += n;
      if (n < batch) break;
      await yieldToEventLoop();
    }
    await pruneEndpointRows(cutoff);
    const expiredGaps = db.stmt('expiredGapIds');
    for (;;) {
      const n = db.transaction(() => {
        const ids = expiredGaps.pluckAll(clusterId, cutoff, batch) as number[];
        for (const id of ids) deleteGap.run(id);
        return ids.length;
      });
      result.gapsDeleted += n;
      if (n < batch) break;
      await yieldToEventLoop();
    }
  }

  if (options.maxDbBytes !== undefined) {
    if (db.engine !== 'sqlite') {
      // PostgreSQL keeps deleted rows' space for reuse (the database size does not shrink), and the database
      // is shared by every cluster's writer: a size limit would delete this cluster's history to the end.
      throw new Error('pruning to a size (maxDbBytes) needs a SQLite history; on PostgreSQL use retention');
    }
    const oldest = db.stmt('oldestClosedVersions');
    let from: number | null = null;
    let to: number | null = null;
    while (usedBytes(db) > options.maxDbBytes) {
      const n = db.transaction(() => {
        const rows = oldest.all(clusterId, batch) as { id: number; validFrom: number; validTo: number }[];
        for (const r of rows) {
          deleteVersion(r.id);
          if (from === null || r.validFrom < from) from = r.validFrom;
          if (to === null || r.validTo > to) to = r.validTo;
        }
        return rows.length;
      });
      result.versionsDeleted += n;
      if (n === 0) break;
      if (to !== null) await pruneEndpointRows(to + 1);
      await yieldToEventLoop();
    }
    if (from !== null && to !== null) {
      db.stmt('insertGap').run(clusterId, '*', from, to,
        `history pruned to keep the database under ${options.maxDbBytes} bytes; changes in this period may be missing`);
      result.sizeGap = { from: new Date(from), to: new Date(to) };
    }
  }

  const orphans = db.stmt('deleteOrphanObjects');
  for (;;) {
    const n = orphans.run(clusterId, clusterId, batch).changes;
    result.objectsDeleted += n;
    if (n < batch) break;
    await yieldToEventLoop();
  }
  db.stmt('incrementalVacuum').run();
}
