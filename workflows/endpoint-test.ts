import { proxyActivities } from '@temporalio/workflow';
import type { EndpointTestResult } from '../activities/generation/test-endpoint.js';
import type { Activities } from '../activities/index.js';
import { TASK_QUEUES } from '../temporal.config.js';

export type { EndpointTestResult };

/** How long the API waits for a worker of the llm queue to pick the test up. */
export const ENDPOINT_TEST_SCHEDULE_TIMEOUT_S = 10;

/** One test call of an endpoint on the llm queue (activities/generation/test-endpoint.ts); never retried. */
export async function endpointTest(endpointId: string): Promise<EndpointTestResult> {
  const { testEndpoint } = proxyActivities<Activities>({
    taskQueue: TASK_QUEUES.llm,
    scheduleToStartTimeout: ENDPOINT_TEST_SCHEDULE_TIMEOUT_S * 1000,
    startToCloseTimeout: 30_000,
    retry: { maximumAttempts: 1 },
  });
  try {
    return await testEndpoint(endpointId);
  } catch (err) {
    const cause =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    const message = /schedule.?to.?start/i.test(cause)
      ? `no worker of the llm queue answered within ${ENDPOINT_TEST_SCHEDULE_TIMEOUT_S} s`
      : cause;
    return { ok: false, latency_ms: null, reply: null, error: message };
  }
}
