import { OPEN_RUN_STATUSES } from '../../core/run-status.js';
import { EvalRun } from '../../db/entities/index.js';
import type { ActivityDeps } from '../deps.js';
import type { FinalRunStatus } from './types.js';

/** Writes the run's final status once; a retried call leaves an already-final run as it is. */
export function makeFinalizeRun(deps: ActivityDeps) {
  return async function finalizeRun(input: { runId: string; status: FinalRunStatus; error?: string }) {
    const now = new Date();
    await deps.dataSource
      .getRepository(EvalRun)
      .createQueryBuilder()
      .update()
      .set({
        status: input.status,
        error: input.error ?? null,
        completed_at: now,
        ...(input.status === 'cancelled' ? { cancelled_at: now } : {}),
      })
      .where('id = :id AND status IN (:...open)', { id: input.runId, open: [...OPEN_RUN_STATUSES] })
      .execute();
  };
}
