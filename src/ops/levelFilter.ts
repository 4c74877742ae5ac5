/**
 * levelFilter: a Logger that passes on only lines at or above a minimum level
 * (debug < info < warn < error). `--log-level` / ROUTETRACE_LOG_LEVEL choose the minimum; default info.
 */
import type { Logger, LogLevel } from '../watch/Logger.js';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export function levelFilter(logger: Logger, minimum: LogLevel): Logger {
  const min = LOG_LEVELS.indexOf(minimum);
  return {
    log(level, event, fields) {
      if (LOG_LEVELS.indexOf(level) >= min) logger.log(level, event, fields);
    },
  };
}
