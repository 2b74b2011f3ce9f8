import pino from 'pino';

/** Structured JSON logs; every process names itself so interleaved supervisor output stays readable. */
export function createLogger(name: string, level = process.env.LOG_LEVEL || 'info') {
  return pino({ name, level, base: { pid: process.pid, name } });
}

export type Logger = ReturnType<typeof createLogger>;
