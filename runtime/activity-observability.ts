/**
 * Activity interceptor: times every activity attempt into evalforge_activity_duration_seconds and
 * runs it inside a log context, so whatever the activity logs names its workflow and eval run.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { withLogContext } from '../lib/log-context.js';
import { activityDuration } from '../lib/metrics.js';
import { evalRunWorkflowId } from '../temporal.config.js';

export const observeActivities: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const { activityType, taskQueue, attempt, workflowExecution } = ctx.info;
      const workflowId = workflowExecution?.workflowId;
      const stopTimer = activityDuration.startTimer({ activity_type: activityType, task_queue: taskQueue });
      let outcome: 'ok' | 'error' | 'cancelled' = 'ok';
      try {
        return await withLogContext(
          { workflowId, evalRunId: workflowId && evalRunIdOf(workflowId), activityType, taskQueue, attempt },
          () => next(input),
        );
      } catch (err) {
        outcome = ctx.cancellationSignal.aborted ? 'cancelled' : 'error';
        throw err;
      } finally {
        stopTimer({ outcome });
      }
    },
  },
});

const EVAL_RUN_PREFIX = evalRunWorkflowId('');

export function evalRunIdOf(workflowId: string): string | undefined {
  return workflowId.startsWith(EVAL_RUN_PREFIX) ? workflowId.slice(EVAL_RUN_PREFIX.length) : undefined;
}
