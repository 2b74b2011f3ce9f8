/**
 * evalRun scenarios on fake activities (test/helpers/fake-eval-run.ts). The branch tests assert on them;
 * scripts/dev/record-workflow-histories.ts runs the same scenarios to record the replay fixtures.
 * A scenario starts its run and drives it (signals); it returns before the run has necessarily ended.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { PlannedJudge, RunPlan } from '../../activities/runs/types.js';
import { evalRunWorkflowId, TASK_QUEUES } from '../../temporal.config.js';
import {
  cancelSignal,
  type EvalRunInput,
  evalRun,
  progressQuery,
  type RunProgress,
} from '../../workflows/index.js';
import { chunks, type FakeEvalRunActivities, type FakeRun, type FakeRunScript } from './fake-eval-run.js';

export interface ScenarioContext {
  client: Client;
  fakes: FakeEvalRunActivities;
}

export interface ScenarioRun {
  runId: string;
  handle: WorkflowHandleWithFirstExecutionRunId<typeof evalRun>;
  fake: FakeRun;
}

/** One judge per task queue kind, so judge batches exercise every queue the plan can name. */
export const FAKE_JUDGES = {
  assertions: { judgeType: 'assertions', taskQueue: TASK_QUEUES.judgesCpu },
  llmJudge: { judgeType: 'llm_judge:helpfulness', taskQueue: TASK_QUEUES.llm },
  toxicity: { judgeType: 'toxicity', taskQueue: TASK_QUEUES.judgesGpu },
} as const satisfies Record<string, PlannedJudge>;

export const BASELINE_RUN_ID = 'baseline-run';

function plan(overrides: Partial<Omit<RunPlan, 'runId'>>): Omit<RunPlan, 'runId'> {
  const base = {
    totalSamples: 12,
    repetitions: 1,
    chunkSize: 4,
    maxParallelChunks: 2,
    judges: [FAKE_JUDGES.assertions],
    baselineRunId: null,
    ...overrides,
  };
  return { ...base, chunkCount: Math.ceil(base.totalSamples / base.chunkSize), ...overrides };
}

export async function startFakeEvalRun(
  ctx: ScenarioContext,
  runId: string,
  script: FakeRunScript,
  input: Omit<EvalRunInput, 'runId'> = {},
): Promise<ScenarioRun> {
  const fake = ctx.fakes.fakeRun(runId, script);
  const handle = await ctx.client.workflow.start(evalRun, {
    taskQueue: TASK_QUEUES.orchestration,
    workflowId: evalRunWorkflowId(runId),
    args: [{ runId, ...input }],
  });
  return { runId, handle, fake };
}

/** Three chunks, two judges on two queues, a baseline: every stage runs. */
export function completedWithBaseline(ctx: ScenarioContext, runId = 'completed-with-baseline') {
  return startFakeEvalRun(ctx, runId, {
    plan: plan({
      totalSamples: 10,
      judges: [FAKE_JUDGES.assertions, FAKE_JUDGES.llmJudge],
      baselineRunId: BASELINE_RUN_ID,
    }),
  });
}

/** Ten chunks, two at a time; chunks 2 and 3 hang until cancelled, and the run is cancelled then. */
export async function cancelledMidRun(
  ctx: ScenarioContext,
  runId = 'cancelled-mid-run',
): Promise<ScenarioRun & { progressBeforeCancel: RunProgress }> {
  const run = await startFakeEvalRun(ctx, runId, {
    plan: plan({ totalSamples: 40, maxParallelChunks: 2 }),
    chunk: (chunk, fake) =>
      chunk.chunkIndex < 2 ? chunks.succeed(chunk, fake) : chunks.hangUntilCancelled(),
  });
  // Both slots are taken by hanging chunks: without the cancel the workflow would wait, not launch chunk 4.
  await Promise.all([run.fake.reached('generateRunChunk#2'), run.fake.reached('generateRunChunk#3')]);
  const progressBeforeCancel = await run.handle.query(progressQuery);
  await run.handle.signal(cancelSignal);
  return { ...run, progressBeforeCancel };
}

/** Cancelled while planRun is still running: the run must stop before generating anything. */
export async function cancelledWhilePlanning(ctx: ScenarioContext, runId = 'cancelled-while-planning') {
  let releasePlan!: () => void;
  const planGate = new Promise<void>((r) => {
    releasePlan = r;
  });
  const run = await startFakeEvalRun(ctx, runId, { plan: plan({}), planGate });
  await run.fake.reached('planRun');
  await run.handle.signal(cancelSignal);
  releasePlan();
  return run;
}

/** Six chunks one at a time; chunk 1 reaches the budget cap. */
export function budgetExceeded(ctx: ScenarioContext, runId = 'budget-exceeded') {
  return startFakeEvalRun(ctx, runId, {
    plan: plan({ totalSamples: 24, maxParallelChunks: 1 }),
    chunk: (chunk, fake) => chunks.succeed(chunk, fake, { budgetExceeded: chunk.chunkIndex === 1 }),
  });
}

export const JUDGE_FAILURE_MESSAGE = 'toxicity model file is missing';

/** Three judges on three queues: toxicity fails for good, assertions reports one error score per batch.
 * Chunks run one at a time unless `maxParallelChunks` says otherwise. */
export function judgeFailure(
  ctx: ScenarioContext,
  runId = 'judge-failure',
  extra: Pick<FakeRunScript, 'beforeRecordJudgeFailure'> & { maxParallelChunks?: number } = {},
) {
  return startFakeEvalRun(ctx, runId, {
    plan: plan({
      totalSamples: 8,
      maxParallelChunks: extra.maxParallelChunks ?? 1,
      judges: [FAKE_JUDGES.assertions, FAKE_JUDGES.llmJudge, FAKE_JUDGES.toxicity],
    }),
    beforeRecordJudgeFailure: extra.beforeRecordJudgeFailure,
    judge: (judgeType, resultIds) => {
      if (judgeType === FAKE_JUDGES.toxicity.judgeType) {
        throw ApplicationFailure.nonRetryable(JUDGE_FAILURE_MESSAGE, 'ModelNotFound');
      }
      const errored = judgeType === FAKE_JUDGES.assertions.judgeType ? 1 : 0;
      return { scored: resultIds.length - errored, errored };
    },
  });
}

/** Eight chunks with a history budget of a few chunks: the run continues as new at least once. */
export function continuedAsNew(ctx: ScenarioContext, runId = 'continued-as-new') {
  return startFakeEvalRun(
    ctx,
    runId,
    { plan: plan({ totalSamples: 40, chunkSize: 5, maxParallelChunks: 2 }) },
    { historyEventsBeforeContinue: 20 },
  );
}

/** Every model call failed; the plan has judges and a baseline that must not be used. */
export function allSamplesFailed(ctx: ScenarioContext, runId = 'all-samples-failed') {
  return startFakeEvalRun(ctx, runId, {
    plan: plan({ totalSamples: 12, baselineRunId: BASELINE_RUN_ID }),
    chunk: chunks.failEverySample,
  });
}

export const CHUNK_FAILURE_MESSAGE = 'endpoint rejected temperature=7';

/** Four chunks one at a time; chunk 1 fails for good (a misconfigured endpoint). */
export function chunkFailed(ctx: ScenarioContext, runId = 'chunk-failed') {
  return startFakeEvalRun(ctx, runId, {
    plan: plan({ totalSamples: 16, maxParallelChunks: 1 }),
    chunk: (chunk, fake) => {
      if (chunk.chunkIndex === 1) throw ApplicationFailure.nonRetryable(CHUNK_FAILURE_MESSAGE, 'BadRequest');
      return chunks.succeed(chunk, fake);
    },
  });
}

/** The scenarios whose histories are kept as replay fixtures (test/fixtures/workflow-histories). */
export const RECORDED_SCENARIOS: Record<string, (ctx: ScenarioContext) => Promise<ScenarioRun>> = {
  'completed-with-baseline': completedWithBaseline,
  'cancelled-mid-run': cancelledMidRun,
  'cancelled-while-planning': cancelledWhilePlanning,
  'budget-exceeded': budgetExceeded,
  'judge-failure': (ctx) => judgeFailure(ctx),
  'continued-as-new': continuedAsNew,
  'all-samples-failed': allSamplesFailed,
  'chunk-failed': chunkFailed,
};
