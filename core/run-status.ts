/** Run statuses and the sets every layer asks about: one definition. */
import { RUN_STATUSES, type RunStatus } from '../db/run-statuses.js';

export { RUN_STATUSES, type RunStatus };

/** A run still doing work: its workflow may change it. */
export const OPEN_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['pending', 'running']);
/** A run that will not change again: never restarted, never re-run under the same key. */
export const FINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'budget_exceeded',
]);

export const isOpenRunStatus = (s: RunStatus) => OPEN_RUN_STATUSES.has(s);
export const isFinalRunStatus = (s: RunStatus) => FINAL_RUN_STATUSES.has(s);

export type FinalRunStatus = Extract<RunStatus, 'completed' | 'failed' | 'cancelled' | 'budget_exceeded'>;
