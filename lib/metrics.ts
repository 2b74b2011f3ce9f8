/**
 * EvalForge's own Prometheus metrics in worker processes (prom-client). Model-runner and judge code
 * record into the objects below (directly or through the two record* helpers); a worker started with
 * EVALFORGE_METRICS_PORT serves them at /metrics together with the Temporal SDK's runtime metrics
 * (runtime/worker-metrics-server.ts). Conventions: base units (seconds, USD), `_total` on counters,
 * bounded labels only — never a run id, sample id or free text as a label value.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Everything a worker process exports besides the Temporal SDK's metrics. */
export const workerRegistry = new Registry();

/** Buckets from a DB write to a long model chunk (30 min start-to-close). */
const ACTIVITY_BUCKETS_S = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
/** One provider request: fast local servers up to slow reasoning models. */
const MODEL_CALL_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
/** One judge batch: regex judges take milliseconds, a model judge on CPU can take minutes. */
const JUDGE_BATCH_BUCKETS_S = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Recorded by the activity interceptor (runtime/activity-observability.ts) for every attempt. */
export const activityDuration = new Histogram({
  name: 'evalforge_activity_duration_seconds',
  help: 'Wall time of one activity attempt by activity type, task queue and outcome (ok|error|cancelled)',
  labelNames: ['activity_type', 'task_queue', 'outcome'] as const,
  buckets: ACTIVITY_BUCKETS_S,
  registers: [workerRegistry],
});

export type ModelCallOutcome =
  | 'ok'
  | 'rate_limited'
  | 'timeout'
  | 'server_error'
  | 'client_error'
  | 'malformed';

/** One HTTP request to a model provider (each retry is its own observation). */
export const modelCallDuration = new Histogram({
  name: 'evalforge_model_call_duration_seconds',
  help: 'Latency of one model request by provider, model and outcome (ok|rate_limited|timeout|server_error|client_error|malformed)',
  labelNames: ['provider', 'model', 'outcome'] as const,
  buckets: MODEL_CALL_BUCKETS_S,
  registers: [workerRegistry],
});

export const modelTokens = new Counter({
  name: 'evalforge_model_tokens_total',
  help: 'Tokens reported by model providers by provider, model and direction (input|output)',
  labelNames: ['provider', 'model', 'direction'] as const,
  registers: [workerRegistry],
});

export const modelCostUsd = new Counter({
  name: 'evalforge_model_cost_usd_total',
  help: 'Estimated spend on model calls in USD by provider and model (generation and LLM-as-judge)',
  labelNames: ['provider', 'model'] as const,
  registers: [workerRegistry],
});

export type JudgeScoreOutcome = 'passed' | 'failed' | 'error';

/** Judge throughput: one increment per score written. */
export const judgeScores = new Counter({
  name: 'evalforge_judge_scores_total',
  help: 'Judge scores produced by judge type and outcome (passed|failed|error)',
  labelNames: ['judge_type', 'outcome'] as const,
  registers: [workerRegistry],
});

export const judgeBatchDuration = new Histogram({
  name: 'evalforge_judge_batch_duration_seconds',
  help: 'Wall time of one judge evaluateBatch call by judge type and device (cpu|cuda|none)',
  labelNames: ['judge_type', 'device'] as const,
  buckets: JUDGE_BATCH_BUCKETS_S,
  registers: [workerRegistry],
});

export interface ModelCallObservation {
  provider: string;
  model: string;
  outcome: ModelCallOutcome;
  seconds: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/** Records one model request in every model metric at once. */
export function recordModelCall(call: ModelCallObservation): void {
  const { provider, model } = call;
  modelCallDuration.observe({ provider, model, outcome: call.outcome }, call.seconds);
  if (call.inputTokens) modelTokens.inc({ provider, model, direction: 'input' }, call.inputTokens);
  if (call.outputTokens) modelTokens.inc({ provider, model, direction: 'output' }, call.outputTokens);
  if (call.costUsd) modelCostUsd.inc({ provider, model }, call.costUsd);
}

export interface JudgeBatchObservation {
  judgeType: string;
  device: 'cpu' | 'cuda' | 'none';
  seconds: number;
  passed: number;
  failed: number;
  errors: number;
}

/** Records one judge batch: its duration and how many scores of each outcome it produced. */
export function recordJudgeBatch(batch: JudgeBatchObservation): void {
  const judge_type = batch.judgeType;
  judgeBatchDuration.observe({ judge_type, device: batch.device }, batch.seconds);
  if (batch.passed) judgeScores.inc({ judge_type, outcome: 'passed' }, batch.passed);
  if (batch.failed) judgeScores.inc({ judge_type, outcome: 'failed' }, batch.failed);
  if (batch.errors) judgeScores.inc({ judge_type, outcome: 'error' }, batch.errors);
}

const withProcessMetrics = new WeakSet<Registry>();

/** Adds Node's process metrics (CPU, RSS, heap, event-loop lag) to a registry, once. */
export function enableProcessMetrics(registry: Registry): void {
  if (withProcessMetrics.has(registry)) return;
  withProcessMetrics.add(registry);
  collectDefaultMetrics({ register: registry });
}
