/**
 * Logger: structured operational log, one JSON object per line: `{"time","level","event",...fields}`.
 *
 * Events are short dotted names (`watch.restart`, `kind.synced`); fields are plain JSON values. Writers are
 * injected so tests can collect lines; the default writes to stderr. Logging never throws.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

/** A logger writing one JSON line per call to `write` (stderr by default). */
export function jsonLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  return {
    log(level, event, fields = {}) {
      let line: string;
      try {
        line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }, errorReplacer);
      } catch {
        line = JSON.stringify({ time: new Date().toISOString(), level, event, note: 'fields not serialisable' });
      }
      try {
        write(line + '\n');
      } catch {
        // A closed stderr must not take the service down.
      }
    },
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { log() {} };

/** One-line text for an error of any shape (message plus HTTP status when the client attached one). */
export function errorText(err: unknown): string {
  if (err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err)) {
    const e = err as { name?: string; message?: string; statusCode?: number; code?: unknown; cause?: unknown };
    const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
    const cause = e.cause instanceof Error && e.cause.message && e.cause.message !== e.message ? ` (${e.cause.message})` : '';
    const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
    return `${status !== undefined ? `HTTP ${status} ` : ''}${name}${String(e.message ?? '').split('\n')[0]}${cause}`;
  }
  return String(err);
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? errorText(value) : value;
}
