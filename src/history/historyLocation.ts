/**
 * historyLocation: where a history database is, from what a user typed: a postgresql:// (or postgres://)
 * URL names a PostgreSQL database, anything else a SQLite file. The one place that tells them apart.
 */
export type HistoryLocation = { readonly file: string; readonly url?: undefined } | { readonly url: string; readonly file?: undefined };

/** True when `spec` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

export function historyLocation(spec: string): HistoryLocation {
  return isPostgresUrl(spec) ? { url: spec } : { file: spec };
}
