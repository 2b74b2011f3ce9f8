/**
 * Every branch of the evalRun workflow on the test Temporal server with fake activities
 * (test/helpers/fake-eval-run.ts): no PostgreSQL, no model, seconds per test. What the activities
 * really do is covered by eval-run.test.ts; here only what the workflow asks for, and when.
 */
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  allSamplesFailed,
  BASELINE_RUN_ID,
  budgetExceeded,
  CHUNK_FAILURE_MESSAGE,
  cancelledMidRun,
  cancelledWhilePlanning,
  chunkFailed,
  completedWithBaseline,
  continuedAsNew,
  FAKE_JUDGES,
  JUDGE_FAILURE_MESSAGE,
  judgeFailure,
  type ScenarioContext,
  startFakeEvalRun,
} from '../test/helpers/eval-run-scenarios.js';
import {
  createFakeEvalRunActivities,
  type FakeActivityWorkers,
  type FakeRun,
  installQuietTemporalRuntime,
  startFakeActivityWorkers,
} from '../test/helpers/fake-eval-run.js';
import type { TestTemporal } from '../test/helpers/temporal.js';
import { createTestNamespace } from '../test/helpers/temporal-namespace.js';
import { progressQuery } from './index.js';

let temporal: TestTemporal;
let workers: FakeActivityWorkers;
let ctx: ScenarioContext;

beforeAll(async () => {
  installQuietTemporalRuntime();
  temporal = await createTestNamespace();
  const fakes = createFakeEvalRunActivities();
  workers = await startFakeActivityWorkers({
    address: temporal.address,
    namespace: temporal.namespace,
    activities: fakes.activities,
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  ctx = { client: temporal.client, fakes };
});
afterAll(async () => {
  await workers?.stop();
  await temporal?.close();
});

const finalizeCalls = (fake: FakeRun) => fake.inputsOf('finalizeRun');

describe('evalRun branches (fake activities)', () => {
  it('completes: every chunk once, judges per chunk on their queues, then summarize → regressions → finalize → report', async () => {
    const { handle, fake, runId } = await completedWithBaseline(ctx);
    const outcome = await handle.result();

    expect(outcome.status).toBe('completed');
    expect(outcome.progress).toMatchObject({ total: 10, done: 10, failed: 0, chunksDone: 3, chunkCount: 3 });
    expect(fake.chunkIndexes()).toEqual([0, 1, 2]);
    expect(fake.peakParallelChunks).toBeLessThanOrEqual(2);
    // Each judge scores exactly the results its chunk produced.
    const judged = fake.inputsOf('runJudgeBatch');
    expect(judged).toHaveLength(6);
    for (const judge of [FAKE_JUDGES.assertions, FAKE_JUDGES.llmJudge]) {
      const ids = judged.filter((j) => j.judgeType === judge.judgeType).flatMap((j) => j.resultIds);
      expect(ids.sort()).toEqual(
        [0, 1, 2]
          .flatMap((c) => (c < 2 ? [0, 1, 2, 3] : [0, 1]).map((i) => `${runId}/chunk-${c}/${i}`))
          .sort(),
      );
    }
    expect(fake.inputsOf('detectRegressions')).toEqual([{ runId, baselineRunId: BASELINE_RUN_ID }]);
    expect(finalizeCalls(fake)).toEqual([{ runId, status: 'completed', error: undefined }]);
    // The tail runs in order, after the last chunk's judges.
    const tail = fake.log.slice(-4);
    expect(tail).toEqual(['summarizeRun', 'detectRegressions', 'finalizeRun:completed', 'reportToGitHub']);
    expect(fake.log.indexOf('planRun')).toBe(0);
    expect((await handle.query(progressQuery)).phase).toBe('completed');
  });

  it('skips regression detection when the run has no baseline, or no judges to compare', async () => {
    const noBaseline = await startFakeEvalRun(ctx, 'no-baseline', {
      plan: {
        totalSamples: 4,
        repetitions: 1,
        chunkSize: 4,
        chunkCount: 1,
        maxParallelChunks: 1,
        judges: [FAKE_JUDGES.assertions],
        baselineRunId: null,
      },
    });
    const noJudges = await startFakeEvalRun(ctx, 'baseline-without-judges', {
      plan: {
        totalSamples: 4,
        repetitions: 1,
        chunkSize: 4,
        chunkCount: 1,
        maxParallelChunks: 1,
        judges: [],
        baselineRunId: BASELINE_RUN_ID,
      },
    });
    for (const run of [noBaseline, noJudges]) {
      expect((await run.handle.result()).status).toBe('completed');
      expect(run.fake.inputsOf('summarizeRun')).toHaveLength(1);
      expect(run.fake.inputsOf('detectRegressions')).toEqual([]);
    }
    expect(noJudges.fake.inputsOf('runJudgeBatch')).toEqual([]);
  });

  it('cancel mid-run: no chunk launched after it, running chunks stop, summarize still runs, status cancelled', async () => {
    const { handle, fake, runId, progressBeforeCancel } = await cancelledMidRun(ctx);
    expect(progressBeforeCancel).toMatchObject({ phase: 'generating', chunksDone: 2, chunkCount: 10 });

    const outcome = await handle.result();
    expect(outcome.status).toBe('cancelled');
    expect(outcome.progress).toMatchObject({ chunksDone: 2, done: 8 });
    // Chunks 4–9 were never launched; 2 and 3 were cancelled while running.
    expect(fake.chunkIndexes()).toEqual([0, 1, 2, 3]);
    // Summarize waits until both cancelled chunks have stopped (their last writes are in the summary).
    const summarizedAt = fake.log.indexOf('summarizeRun');
    expect(summarizedAt).toBeGreaterThan(fake.log.indexOf('chunk#2 cancelled'));
    expect(summarizedAt).toBeGreaterThan(fake.log.indexOf('chunk#3 cancelled'));
    expect(fake.log.indexOf('chunk#2 cancelled')).toBeGreaterThan(-1);
    expect(fake.log.indexOf('chunk#3 cancelled')).toBeGreaterThan(-1);
    expect(finalizeCalls(fake)).toEqual([{ runId, status: 'cancelled', error: undefined }]);
    expect(fake.inputsOf('reportToGitHub')).toEqual([{ runId, status: 'cancelled' }]);
    expect(fake.inputsOf('detectRegressions')).toEqual([]);
  });

  it('cancel while planning: nothing is generated or summarized, status cancelled', async () => {
    const { handle, fake, runId } = await cancelledWhilePlanning(ctx);
    expect((await handle.result()).status).toBe('cancelled');
    expect(fake.log).toEqual(['planRun', 'finalizeRun:cancelled', 'reportToGitHub']);
    expect(finalizeCalls(fake)).toEqual([{ runId, status: 'cancelled', error: undefined }]);
  });

  it('budget exceeded: stops launching chunks, summarizes what it has, status budget_exceeded', async () => {
    const { handle, fake, runId } = await budgetExceeded(ctx);
    const outcome = await handle.result();
    expect(outcome.status).toBe('budget_exceeded');
    expect(fake.chunkIndexes()).toEqual([0, 1]);
    // The chunk that hit the cap still had its results judged and counted.
    expect(fake.inputsOf('runJudgeBatch')).toHaveLength(2);
    expect(outcome.progress).toMatchObject({ chunksDone: 2, done: 8, chunkCount: 6 });
    expect(fake.inputsOf('summarizeRun')).toEqual([runId]);
    expect(finalizeCalls(fake)).toEqual([{ runId, status: 'budget_exceeded', error: undefined }]);
  });

  it('one judge failing for good: its failure is recorded per chunk, the other judges go on, the run completes', async () => {
    const { handle, fake, runId } = await judgeFailure(ctx);
    const outcome = await handle.result();
    expect(outcome.status).toBe('completed');

    const failures = fake.inputsOf('recordJudgeFailure');
    expect(failures).toHaveLength(2);
    for (const failure of failures) {
      expect(failure).toMatchObject({ runId, judgeType: FAKE_JUDGES.toxicity.judgeType });
      expect(failure.resultIds).toHaveLength(4);
      expect(failure.error).toBe(`runJudgeBatch: ${JUDGE_FAILURE_MESSAGE}`);
    }
    const judged = fake.inputsOf('runJudgeBatch');
    for (const judge of Object.values(FAKE_JUDGES)) {
      expect(judged.filter((j) => j.judgeType === judge.judgeType)).toHaveLength(2);
    }
    // 2 chunks × (4 toxicity error rows recorded + 1 assertions error reported by its batch).
    expect(outcome.progress).toMatchObject({ judgeErrors: 10, done: 8, chunksDone: 2 });
    expect(finalizeCalls(fake)).toEqual([{ runId, status: 'completed', error: undefined }]);
  });

  // `progress.judgeErrors += await …` read judgeErrors before the await and lost one chunk's count when two
  // chunks recorded judge failures at the same time.
  it('counts every judge error when two chunks record judge failures at the same time', async () => {
    const runId = 'judge-failure-parallel';
    const { handle } = await judgeFailure(ctx, runId, {
      maxParallelChunks: 2,
      // Chunk 0's failure is recorded only once chunk 1's is being recorded: both are in flight together.
      beforeRecordJudgeFailure: async (input, fake) => {
        if (input.resultIds[0] === `${runId}/chunk-0/0`) {
          await fake.reached(`recordJudgeFailure:${FAKE_JUDGES.toxicity.judgeType}:${runId}/chunk-1/0`);
        }
      },
    });
    const outcome = await handle.result();
    expect(outcome.status).toBe('completed');
    expect(outcome.progress.judgeErrors).toBe(10);
  });

  it('continues as new when history grows and still runs every chunk exactly once', async () => {
    const { handle, fake, runId } = await continuedAsNew(ctx);
    const outcome = await handle.result();
    expect(outcome.status).toBe('completed');
    expect(outcome.progress).toMatchObject({ total: 40, done: 40, chunksDone: 8, chunkCount: 8 });

    const first = await temporal.client.workflow
      .getHandle(handle.workflowId, handle.firstExecutionRunId)
      .describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const latest = await handle.describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
    expect(fake.chunkIndexes()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The plan travels in the continue-as-new state: it is made once.
    expect(fake.inputsOf('planRun')).toEqual([runId]);
    expect(fake.inputsOf('summarizeRun')).toHaveLength(1);
    expect(finalizeCalls(fake)).toEqual([{ runId, status: 'completed', error: undefined }]);
  });

  it('every sample failed: the run fails with the reason, no judges and no regression detection', async () => {
    const { handle, fake, runId } = await allSamplesFailed(ctx);
    // A failed-but-measured outcome, not a workflow failure: the run ended as designed.
    const outcome = await handle.result();
    expect(outcome.status).toBe('failed');
    expect(outcome.progress).toMatchObject({ done: 12, failed: 12, phase: 'failed' });
    expect(finalizeCalls(fake)).toEqual([
      { runId, status: 'failed', error: expect.stringMatching(/no sample produced output.*12 model calls/) },
    ]);
    expect(fake.inputsOf('runJudgeBatch')).toEqual([]);
    expect(fake.inputsOf('detectRegressions')).toEqual([]);
    expect(fake.inputsOf('reportToGitHub')).toEqual([{ runId, status: 'failed' }]);
  });

  it('a chunk failing for good fails the run: finalize gets the reason, the workflow fails with RunFailed', async () => {
    const { handle, fake, runId } = await chunkFailed(ctx);
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('RunFailed');
    expect(cause?.message).toBe(`generateRunChunk: ${CHUNK_FAILURE_MESSAGE}`);

    // Non-retryable: tried once, and no chunk after it was launched.
    expect(fake.chunkIndexes()).toEqual([0, 1]);
    expect(fake.inputsOf('summarizeRun')).toEqual([]);
    expect(finalizeCalls(fake)).toEqual([
      { runId, status: 'failed', error: `generateRunChunk: ${CHUNK_FAILURE_MESSAGE}` },
    ]);
    expect(fake.inputsOf('reportToGitHub')).toEqual([{ runId, status: 'failed' }]);
  });
});
