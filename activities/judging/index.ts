export { JUDGE_BATCH_SIZES, judgeTaskQueue } from './judge-task-queue.js';
export {
  type JudgeBatchDeps,
  type JudgeChatCallerFactory,
  makeRunJudgeBatch,
  type RunJudgeBatchInput,
  type RunJudgeBatchOutcome,
} from './run-judge-batch.js';
