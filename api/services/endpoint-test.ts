/**
 * "Test connection", of a saved endpoint or of an unsaved form: the API never calls a provider itself (api/ may not import activities, and provider
 * keys live on the workers). It starts the `endpointTest` workflow, whose one activity on the llm queue
 * makes ONE request through the runs' own model runner (outbound policy, key resolution, redaction), and
 * waits for its answer. Without workers polling the queues it answers at once instead of waiting.
 * Nothing is stored: the outcome is the answer.
 */
import { randomUUID } from 'node:crypto';
import protos from '@temporalio/proto';
import { TASK_QUEUES, type TaskQueueName } from '../../temporal.config.js';
import {
  type EndpointTestResult,
  type EndpointTestTarget,
  endpointTest,
  type UnsavedEndpoint,
} from '../../workflows/index.js';
import type { ApiDeps } from '../deps.js';

export type { EndpointTestResult, EndpointTestTarget, UnsavedEndpoint };

/** The whole test, worker pick-up included, ends within this. */
export const ENDPOINT_TEST_DEADLINE_MS = 40_000;

const failure = (error_kind: 'no_worker' | 'deadline', error: string): EndpointTestResult => ({
  ok: false,
  latency_ms: null,
  reply: null,
  error,
  error_kind,
});

/** Pollers Temporal sees on the queue (workflow or activity tasks); null when it cannot tell. */
export async function pollers(
  deps: ApiDeps,
  queue: TaskQueueName,
  workflowTasks: boolean,
): Promise<number | null> {
  const { TaskQueueType, TaskQueueKind } = protos.temporal.api.enums.v1;
  try {
    const r = await deps.temporal.workflowService.describeTaskQueue({
      namespace: deps.temporal.options.namespace,
      taskQueue: { name: queue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: workflowTasks
        ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
        : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    return r.pollers?.length ?? 0;
  } catch {
    return null; // unknown: try anyway, the deadline bounds it
  }
}

export async function testEndpointConnection(
  deps: ApiDeps,
  target: EndpointTestTarget,
): Promise<EndpointTestResult> {
  const [orchestration, llm] = await Promise.all([
    pollers(deps, TASK_QUEUES.orchestration, true),
    pollers(deps, TASK_QUEUES.llm, false),
  ]);
  if (orchestration === 0)
    return failure('no_worker', `no worker is serving the ${TASK_QUEUES.orchestration} queue`);
  if (llm === 0) return failure('no_worker', `no worker is serving the ${TASK_QUEUES.llm} queue`);
  try {
    return await deps.temporal.workflow.execute(endpointTest, {
      taskQueue: TASK_QUEUES.orchestration,
      workflowId: `endpoint-test-${'endpoint_id' in target ? target.endpoint_id : `unsaved-${target.unsaved.project_id}`}-${randomUUID()}`,
      args: [target],
      workflowExecutionTimeout: ENDPOINT_TEST_DEADLINE_MS,
    });
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message, target }, 'endpoint test did not finish');
    return failure(
      'deadline',
      `the test did not finish within ${ENDPOINT_TEST_DEADLINE_MS / 1000} s (${(err as Error).message})`,
    );
  }
}
