/**
 * Ids that every log line written inside an activity carries (workflow id, eval run id, activity
 * type, attempt) without passing them to each logger call: the activity interceptor opens a context,
 * and the pino mixin in lib/logger.ts reads it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  workflowId?: string;
  /** Our run id, from a workflow id of the form `eval-run-<runId>`. */
  evalRunId?: string;
  activityType?: string;
  taskQueue?: string;
  attempt?: number;
}

const storage = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** A fresh object each call: pino's mixin merges the log call's fields into what it gets. */
export function currentLogContext(): LogContext {
  return { ...storage.getStore() };
}
