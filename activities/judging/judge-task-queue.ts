import { isKnownJudgeType, judgeKind } from '../../judges/registry.js';
import { TASK_QUEUES, type TaskQueueName } from '../../temporal.config.js';

/** Which task queue a judge's batches run on: LLM-as-judge on `llm` (network bound, rate limited); local
 * models on `judges.gpu` when the project's config asks for it (queue or device), else `judges.cpu`; rule-based
 * judges on `judges.cpu` (cheap, no model). Unknown types go to `judges.cpu`, where the batch records why
 * they cannot be scored. */
export function judgeTaskQueue(judgeType: string, config: Record<string, unknown> = {}): TaskQueueName {
  const kind = isKnownJudgeType(judgeType) ? judgeKind(judgeType) : 'rule';
  if (kind === 'llm') return TASK_QUEUES.llm;
  if (kind === 'model' && (config.queue === TASK_QUEUES.judgesGpu || config.device === 'cuda')) {
    return TASK_QUEUES.judgesGpu;
  }
  return TASK_QUEUES.judgesCpu;
}

/** Results per evaluateBatch call on each queue: GPUs want big batches, CPUs moderate ones (memory, heartbeat
 * cadence), LLM judges small ones (each item is one or two model calls). */
export const JUDGE_BATCH_SIZES: Record<TaskQueueName, number> = {
  [TASK_QUEUES.judgesGpu]: 512,
  [TASK_QUEUES.judgesCpu]: 64,
  [TASK_QUEUES.llm]: 16,
  [TASK_QUEUES.orchestration]: 64,
};
