import { createLogger } from '../lib/logger.js';

/** The two calls judges make; pino's logger satisfies it, and so does a test's recording logger. */
export interface JudgeLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

let defaultLogger: JudgeLogger | undefined;
export function defaultJudgeLogger(): JudgeLogger {
  defaultLogger ??= createLogger('judges');
  return defaultLogger;
}
