import pino from 'pino';
import { currentLogContext } from './log-context.js';

/** Structured JSON logs; every process names itself so interleaved supervisor output stays readable.
 * Lines written inside an activity also carry its workflow and eval run ids (lib/log-context.ts). */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL || 'info',
  destination?: pino.DestinationStream,
) {
  return pino({ name, level, base: { pid: process.pid, name }, mixin: currentLogContext }, destination);
}

export type Logger = ReturnType<typeof createLogger>;
