/** The statuses of eval_runs.status, with no imports: the CLI reads them without loading TypeORM. */
export const RUN_STATUSES = [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
  'budget_exceeded',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
