/**
 * Every Temporal setting of EvalForge lives here: namespace, address, task queues,
 * activity timeouts and retry policies. Workflows import this file too, so module scope
 * stays deterministic (no process.env reads outside functions).
 */
import { ActivityCancellationType, type ActivityOptions, type RetryPolicy } from '@temporalio/common';
import { JUDGE_QUEUES } from './judges/judge-types.js';

export const DEFAULT_TEMPORAL_NAMESPACE = 'default';
export const DEFAULT_TEMPORAL_PORT = 7233;
export const DEFAULT_TEMPORAL_UI_PORT = 8233;

export const TASK_QUEUES = {
  /** workflow tasks and light bookkeeping activities (planning, DB writes, stats, reporting) */
  orchestration: 'orchestration',
  /** model calls and LLM-as-judge: network bound, rate limited per endpoint */
  llm: 'llm',
  /** local model judges on CPU */
  judgesCpu: JUDGE_QUEUES.cpu,
  /** local model judges on GPU nodes */
  judgesGpu: JUDGE_QUEUES.gpu,
} as const;

export type TaskQueueName = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];
export const ALL_TASK_QUEUES: readonly TaskQueueName[] = Object.values(TASK_QUEUES);

export function isTaskQueueName(name: string): name is TaskQueueName {
  return (ALL_TASK_QUEUES as readonly string[]).includes(name);
}

/** Errors that retrying cannot fix; activities throw ApplicationFailure with these types. */
export const NON_RETRYABLE_ERROR_TYPES = ['ValidationError', 'NotFoundError', 'BudgetExceeded', 'BadRequest'];

/** Temporal's policy is the only retry layer: SDK clients run with their own retries off. */
export const RETRY_POLICIES = {
  /** DB writes, planning, stats: fast, cheap, retried for a long while (transient DB outages). */
  bookkeeping: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 20,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
  /** A chunk of model calls: per-sample retries happen inside the chunk (honouring Retry-After);
   * the activity itself is retried when a worker dies or the heartbeat times out. */
  modelChunk: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    maximumAttempts: 10,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
  /** A judge batch: model loading can fail transiently (disk, memory pressure). */
  judgeBatch: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    maximumAttempts: 5,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
  /**
   * GitHub work for a webhook event: GitHub being down or rate limiting us must lose no event, so it is
   * retried for a day; a rate-limited call is retried when GitHub says (ApplicationFailure nextRetryDelay).
   */
  gitHub: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '5m',
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
} as const satisfies Record<string, RetryPolicy>;

/** Default activity options per kind of work; workflows spread these into proxyActivities. */
export const ACTIVITY_DEFAULTS = {
  bookkeeping: {
    taskQueue: TASK_QUEUES.orchestration,
    startToCloseTimeout: '2m',
    retry: RETRY_POLICIES.bookkeeping,
  },
  modelChunk: {
    taskQueue: TASK_QUEUES.llm,
    startToCloseTimeout: '30m',
    // Chunks heartbeat every few seconds; a dead worker's chunk moves to a live one after this.
    heartbeatTimeout: '20s',
    // A cancelled run summarizes only after its chunks have stopped writing (the wire default is TRY_CANCEL).
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: RETRY_POLICIES.modelChunk,
  },
  judgeBatch: {
    taskQueue: TASK_QUEUES.judgesCpu,
    startToCloseTimeout: '30m',
    heartbeatTimeout: '5m',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: RETRY_POLICIES.judgeBatch,
  },
  gitHubEvent: {
    taskQueue: TASK_QUEUES.orchestration,
    startToCloseTimeout: '5m',
    scheduleToCloseTimeout: '24h',
    retry: RETRY_POLICIES.gitHub,
  },
  /** Waiting for a run to end: a heartbeating poll of its row (a dead worker's wait moves on). */
  awaitRun: {
    taskQueue: TASK_QUEUES.orchestration,
    startToCloseTimeout: '24h',
    heartbeatTimeout: '1m',
    retry: RETRY_POLICIES.bookkeeping,
  },
} as const satisfies Record<string, ActivityOptions>;

/** One workflow per accepted webhook delivery (its webhook_deliveries row): a redelivery finds it. */
export function gitHubEventWorkflowId(deliveryRowId: string): string {
  return `github-event-${deliveryRowId}`;
}

/** Workflow ids are deterministic so a retried request never starts a second run. */
export function evalRunWorkflowId(runId: string): string {
  return `eval-run-${runId}`;
}

export interface TemporalConnectionConfig {
  address: string;
  namespace: string;
}

/** Read at call time (never at import) so workflow code can import this module. */
export function temporalConnectionConfig(env: NodeJS.ProcessEnv = process.env): TemporalConnectionConfig {
  return {
    address: env.TEMPORAL_ADDRESS || `127.0.0.1:${env.TEMPORAL_PORT || DEFAULT_TEMPORAL_PORT}`,
    namespace: env.TEMPORAL_NAMESPACE || DEFAULT_TEMPORAL_NAMESPACE,
  };
}
