/**
 * checkInvariants: the history store's consistency rules, checked with SQL over a whole database file.
 * Returns the list of violations (empty = consistent):
 *  - SQLite integrity_check and foreign_key_check pass;
 *  - no two versions of the same name (cluster, kind, namespace, name) overlap in time, and at most one
 *    is open;
 *  - no version ends before it starts;
 *  - no two back-to-back versions of an object have the same content (a stored no-op: a duplicate);
 *  - no per-version derived row outlives its version; no endpoint row is open while its object has no
 *    open version, and none ends before it starts.
 * Used after crashes (tests, and available to operators) and by tests of the write path.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { decodeBody } from './bodyCodec.js';
import { SQL } from './sqliteDialect.js';

export function checkInvariants(db: BetterSqlite3.Database): string[] {
  const problems: string[] = [];
  db.function('routetrace_body', { deterministic: true }, (body: unknown, chain: unknown) => decodeBody(body as Buffer, chain as string | null));
  const integrity = db.prepare(SQL.integrityCheck).pluck().all() as string[];
  if (integrity.length !== 1 || integrity[0] !== 'ok') problems.push(`integrity_check: ${integrity.join('; ')}`);
  const fk = db.prepare(SQL.foreignKeyCheck).all();
  if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
  const report = (label: string, sql: string) => {
    const rows = db.prepare(sql).all();
    if (rows.length > 0) problems.push(`${label}: ${JSON.stringify(rows.slice(0, 5))}`);
  };
  report('overlapping versions', SQL.invariantOverlaps);
  report('more than one open version', SQL.invariantManyOpen);
  report('version ends before it starts', SQL.invariantBackwards);
  report('duplicate back-to-back versions', SQL.invariantDuplicates);
  for (const r of db.prepare(SQL.invariantOrphanDerived).all() as { t: string; n: number }[]) {
    if (Number(r.n) > 0) problems.push(`derived rows without a version: ${r.t} ${r.n}`);
  }
  return problems;
}
