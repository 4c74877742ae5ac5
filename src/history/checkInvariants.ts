/**
 * checkInvariants: the history store's consistency rules, checked with SQL over a whole history database.
 * Returns the list of violations (empty = consistent):
 *  - SQLite integrity_check and foreign_key_check pass (PostgreSQL enforces both itself);
 *  - no two versions of the same name (cluster, kind, namespace, name) overlap in time, and at most one
 *    is open;
 *  - no version ends before it starts;
 *  - no two back-to-back versions of an object have the same content (a stored no-op: a duplicate), except
 *    where a gap of its kind ends (a relist closed it unseen and it was reported again at that instant);
 *  - no per-version derived row outlives its version; no endpoint row is open while its object has no
 *    open version, and none ends before it starts.
 * Used after crashes (tests, and available to operators) and by tests of the write path.
 */
import type { SqlConnection } from './SqlConnection.js';
import { decodeBody } from './bodyCodec.js';

export function checkInvariants(db: SqlConnection): string[] {
  const problems: string[] = [];
  const integrity = db.stmt('integrityCheck').pluckAll() as string[];
  if (integrity.length !== 1 || integrity[0] !== 'ok') problems.push(`integrity_check: ${integrity.join('; ')}`);
  const fk = db.stmt('foreignKeyCheck').all();
  if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
  const report = (label: string, key: 'invariantOverlaps' | 'invariantManyOpen' | 'invariantBackwards') => {
    const rows = db.stmt(key).all();
    if (rows.length > 0) problems.push(`${label}: ${JSON.stringify(rows.slice(0, 5))}`);
  };
  report('overlapping versions', 'invariantOverlaps');
  report('more than one open version', 'invariantManyOpen');
  report('version ends before it starts', 'invariantBackwards');
  const duplicates = duplicateVersions(db);
  if (duplicates.length > 0) problems.push(`duplicate back-to-back versions: ${JSON.stringify(duplicates.slice(0, 5))}`);
  for (const r of db.stmt('invariantOrphanDerived').all() as { t: string; n: number }[]) {
    if (Number(r.n) > 0) problems.push(`derived rows without a version: ${r.t} ${r.n}`);
  }
  return problems;
}

/**
 * Versions whose decoded body equals the one of the version of the same object that ended where they begin.
 * Not counted: a pair whose boundary is the end of a gap record of that kind (a relist that did not see the
 * object closed it there, and the report that followed at the same instant opened it again).
 */
function duplicateVersions(db: SqlConnection): { objectId: number; id: number }[] {
  const gapEnds = new Set(db.stmt('invariantGapEnds').all().map((g) => `${g.clusterId}\u0000${g.kind}\u0000${g.toTime}`));
  const found: { objectId: number; id: number }[] = [];
  let prev: { objectId: number; validTo: number | null; body: string } | null = null;
  for (const r of db.stmt('invariantVersionSequence').iterate()) {
    const body = decodeBody(r.body as Buffer, r.chain as string | null);
    if (prev && prev.objectId === r.objectId && prev.validTo === r.validFrom && prev.body === body && found.length < 20
      && !gapEnds.has(`${r.clusterId}\u0000${r.kind}\u0000${r.validFrom}`) && !gapEnds.has(`${r.clusterId}\u0000*\u0000${r.validFrom}`)) {
      found.push({ objectId: r.objectId as number, id: r.id as number });
    }
    prev = { objectId: r.objectId as number, validTo: r.validTo as number | null, body };
  }
  return found;
}
