/** Waits until a run's row shows a final status, heartbeating, so a workflow can wait for another run. */
import { Context } from '@temporalio/activity';
import { FINAL_RUN_STATUSES } from '../../core/run-status.js';
import { EvalRun } from '../../db/entities/index.js';
import type { ActivityDeps } from '../deps.js';

/** How often the row is read: a run takes minutes, a few seconds of delay do not matter. */
export const AWAIT_RUN_POLL_MS = 2_000;

export function makeAwaitRunFinished(deps: ActivityDeps, pollMs = AWAIT_RUN_POLL_MS) {
  return async function awaitRunFinished(input: { runId: string }): Promise<{ status: string }> {
    const ctx = Context.current();
    for (;;) {
      const run = await deps.dataSource.getRepository(EvalRun).findOne({
        where: { id: input.runId },
        select: { id: true, status: true },
      });
      // A run that is gone (deleted project) will never finish: stop waiting.
      if (!run) return { status: 'missing' };
      if (FINAL_RUN_STATUSES.has(run.status)) return { status: run.status };
      ctx.heartbeat();
      await ctx.sleep(pollMs);
    }
  };
}
