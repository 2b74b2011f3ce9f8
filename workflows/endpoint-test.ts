import { proxyActivities } from '@temporalio/workflow';
import type {
  EndpointTestResult,
  EndpointTestTarget,
  UnsavedEndpoint,
} from '../activities/generation/test-endpoint.js';
import type { Activities } from '../activities/index.js';
import { TASK_QUEUES } from '../temporal.config.js';

export type { EndpointTestResult, EndpointTestTarget, UnsavedEndpoint };

/** How long the API waits for a worker of the llm queue to pick the test up. */
export const ENDPOINT_TEST_SCHEDULE_TIMEOUT_S = 10;

/**
 * One test call of an endpoint, saved or unsaved, on the llm queue (activities/generation/test-endpoint.ts);
 * never retried. The unsaved config travels in the payload: it holds no secret (the API refuses any).
 */
export async function endpointTest(target: EndpointTestTarget): Promise<EndpointTestResult> {
  const { testEndpoint } = proxyActivities<Activities>({
    taskQueue: TASK_QUEUES.llm,
    scheduleToStartTimeout: ENDPOINT_TEST_SCHEDULE_TIMEOUT_S * 1000,
    startToCloseTimeout: 30_000,
    retry: { maximumAttempts: 1 },
  });
  try {
    return await testEndpoint(target);
  } catch (err) {
    const cause =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    const noWorker = /schedule.?to.?start/i.test(cause);
    return {
      ok: false,
      latency_ms: null,
      reply: null,
      error: noWorker
        ? `no worker of the llm queue answered within ${ENDPOINT_TEST_SCHEDULE_TIMEOUT_S} s`
        : cause,
      error_kind: noWorker ? 'no_worker' : 'unknown',
    };
  }
}
