// rawInsert: the limit the history writer is compared with. Reads every data row of a history database
// and inserts the very same rows into a fresh database of the same schema (created by the product's own
// migrations) with raw better-sqlite3 prepared statements, 2000 rows per transaction (the method of
// bench/history.mjs). Only the inserts are timed, not the reading.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { openHistoryDatabase } from '../../dist/history/openHistoryDatabase.js';
import { CONNECTION_PRAGMAS } from '../../dist/history/sqliteDialect.js';

/**
 * The data tables of the write path: every row the history writer writes in its transactions, LookupKey
 * included (the lookup terms of each version), so serve's rate and the raw rate count the same rows
 * (PodFact: databases before the delta_bodies migration); missing ones are skipped.
 */
export const DATA_TABLES = ['KubeObject', 'ObjectVersion', 'ServicePort', 'EndpointRow', 'IngressRule', 'PodFact', 'LookupKey', 'WatchGap', 'WatchProgress'];
const tablesOf = (db) => DATA_TABLES.filter((t) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t));

/** Rows per data table of a history file (read-only connection; safe while serve writes, WAL). */
export function countRows(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = Object.fromEntries(tablesOf(db).map((t) => [t, Number(db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get())]));
    const byKind = Object.fromEntries(db.prepare(`SELECT kind, count(*) AS n FROM "KubeObject" GROUP BY kind`).raw().all());
    return { rows, total: Object.values(rows).reduce((a, b) => a + b, 0), byKind };
  } finally {
    db.close();
  }
}

/** Inserts the data rows of `sourceFile` into a new database at `targetFile`; resolves {rows, ms, rowsPerSec}. */
export async function rawInsert(sourceFile, targetFile, clusterName = 'bench') {
  const src = new Database(sourceFile, { readonly: true, fileMustExist: true });
  let dumps;
  let cluster;
  try {
    cluster = src.prepare(`SELECT * FROM "Cluster" WHERE name = ?`).get(clusterName);
    dumps = tablesOf(src).map((t) => {
      const stmt = src.prepare(`SELECT * FROM "${t}"`);
      const cols = stmt.columns().map((c) => `"${c.name}"`);
      return { t, rows: stmt.raw().all(), sql: `INSERT INTO "${t}" (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})` };
    });
  } finally {
    src.close();
  }
  // The schema through the product's own opener (migrations), then the rows through better-sqlite3 itself,
  // on a connection set up as the store's (CONNECTION_PRAGMAS): the raw limit of this file on this disk.
  await (await openHistoryDatabase({ file: targetFile })).close();
  const target = { db: new Database(targetFile) };
  for (const p of CONNECTION_PRAGMAS) target.db.pragma(p);
  try {
    target.db.prepare(`INSERT INTO "Cluster" (id, name, createdAt) VALUES (?, ?, ?)`).run(cluster.id, cluster.name, cluster.createdAt);
    const t0 = performance.now();
    for (const { rows, sql } of dumps) {
      const insert = target.db.prepare(sql);
      for (let i = 0; i < rows.length; i += 2000) {
        target.db.transaction(() => {
          for (let j = i; j < Math.min(rows.length, i + 2000); j++) insert.run(rows[j]);
        }).immediate();
      }
    }
    const ms = performance.now() - t0;
    const rows = dumps.reduce((a, d) => a + d.rows.length, 0);
    return { rows, ms: Math.round(ms), rowsPerSec: Math.round(rows / (ms / 1000)), bytes: statSync(targetFile).size };
  } finally {
    target.db.close();
  }
}
