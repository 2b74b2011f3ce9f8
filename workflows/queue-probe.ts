import { proxyActivities } from '@temporalio/workflow';
import type { Activities, WorkerDescription } from '../activities/index.js';
import type { TaskQueueName } from '../temporal.config.js';

export interface QueueProbeResult {
  queue: TaskQueueName;
  worker: WorkerDescription | null;
  error: string | null;
}

/** Sends one activity to each task queue and reports who answered: an operator's "is every queue served?". */
export async function queueProbe(queues: TaskQueueName[], timeoutSeconds = 10): Promise<QueueProbeResult[]> {
  return Promise.all(
    queues.map(async (queue) => {
      const { describeWorker } = proxyActivities<Activities>({
        taskQueue: queue,
        // No worker on the queue must fail fast, not wait forever.
        scheduleToStartTimeout: timeoutSeconds * 1000,
        startToCloseTimeout: timeoutSeconds * 1000,
        retry: { maximumAttempts: 1 },
      });
      try {
        return { queue, worker: await describeWorker(), error: null };
      } catch (err) {
        return {
          queue,
          worker: null,
          error: err instanceof Error ? ((err.cause as Error)?.message ?? err.message) : String(err),
        };
      }
    }),
  );
}
