/**
 * One eval run: plan → generate in chunks (bounded parallelism) → judge each chunk on its judges'
 * queues → summarize → finalize. Deterministic: all I/O happens in activities; payloads carry ids
 * and counts. Continue-as-new keeps each execution's history small at any dataset size.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ChunkGeneration, FinalRunStatus, RunPlan } from '../activities/runs/types.js';
import { ACTIVITY_DEFAULTS } from '../temporal.config.js';

export type RunPhase =
  | 'planning'
  | 'generating'
  | 'summarizing'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'budget_exceeded';

export interface RunProgress {
  phase: RunPhase;
  total: number;
  done: number;
  failed: number;
  chunksDone: number;
  chunkCount: number;
  judgeErrors: number;
}

export interface EvalRunState {
  plan: RunPlan;
  nextChunk: number;
  progress: RunProgress;
  budgetExceeded: boolean;
}

export interface EvalRunInput {
  runId: string;
  /** Set by continue-as-new; absent on the first execution. */
  state?: EvalRunState;
  /** Override of HISTORY_EVENTS_BEFORE_CONTINUE (tests use a small value to exercise continue-as-new). */
  historyEventsBeforeContinue?: number;
}

export interface EvalRunOutcome {
  runId: string;
  status: FinalRunStatus;
  progress: RunProgress;
}

export const progressQuery = defineQuery<RunProgress>('progress');
export const cancelSignal = defineSignal('cancel');

export const NOTHING_SUCCEEDED_FAILS_PATCH = 'nothing-succeeded-fails-run';

/** Continue-as-new well before Temporal's own warnings (10k events / 10 MB). */
export const HISTORY_EVENTS_BEFORE_CONTINUE = 4_000;

const bookkeeping = proxyActivities<Activities>(ACTIVITY_DEFAULTS.bookkeeping);
const generation = proxyActivities<Activities>(ACTIVITY_DEFAULTS.modelChunk);
const reporting = proxyActivities<Activities>({
  ...ACTIVITY_DEFAULTS.bookkeeping,
  retry: { maximumAttempts: 5 },
});

export async function evalRun(input: EvalRunInput): Promise<EvalRunOutcome> {
  const { runId } = input;
  const historyLimit = input.historyEventsBeforeContinue ?? HISTORY_EVENTS_BEFORE_CONTINUE;
  let cancelled = false;
  let progress: RunProgress = input.state?.progress ?? {
    phase: 'planning',
    total: 0,
    done: 0,
    failed: 0,
    chunksDone: 0,
    chunkCount: 0,
    judgeErrors: 0,
  };
  setHandler(progressQuery, () => progress);
  // Replaced once chunks are running; until then a cancel only stops planning from going further.
  setHandler(cancelSignal, () => {
    cancelled = true;
  });

  const finish = async (status: FinalRunStatus, error?: string): Promise<EvalRunOutcome> => {
    // Final bookkeeping must run even when the run was cancelled.
    await CancellationScope.nonCancellable(async () => {
      await bookkeeping.finalizeRun({ runId, status, error });
      // A GitHub outage must never change the run's outcome: the report is best effort.
      await reporting.reportToGitHub({ runId, status }).catch(() => undefined);
    });
    progress = { ...progress, phase: status };
    return { runId, status, progress };
  };

  try {
    const plan = input.state?.plan ?? (await bookkeeping.planRun(runId));
    if (cancelled) return await finish('cancelled');
    progress = {
      ...progress,
      phase: 'generating',
      total: plan.totalSamples * plan.repetitions,
      chunkCount: plan.chunkCount,
    };
    let nextChunk = input.state?.nextChunk ?? 0;
    let budgetExceeded = input.state?.budgetExceeded ?? false;

    const judgeActivities = new Map(
      plan.judges.map((j) => [
        j.judgeType,
        proxyActivities<Activities>({ ...ACTIVITY_DEFAULTS.judgeBatch, taskQueue: j.taskQueue }),
      ]),
    );

    const runChunk = async (chunkIndex: number) => {
      const generated: ChunkGeneration = await generation.generateRunChunk({
        runId,
        chunkIndex,
        chunkSize: plan.chunkSize,
      });
      if (generated.budgetExceeded) budgetExceeded = true;
      if (generated.resultIds.length > 0) {
        // One judge failing records error scores inside its activity; the others go on regardless.
        const judged = await Promise.allSettled(
          plan.judges.map((j) =>
            judgeActivities
              .get(j.judgeType)!
              .runJudgeBatch({ runId, judgeType: j.judgeType, resultIds: generated.resultIds }),
          ),
        );
        for (const [i, outcome] of judged.entries()) {
          if (outcome.status === 'fulfilled') {
            progress.judgeErrors += outcome.value.errored;
          } else if (isCancellation(outcome.reason)) {
            throw outcome.reason;
          } else {
            // Awaited before the +=: chunks record failures concurrently, and `a += await b` reads `a` first.
            const recorded = await bookkeeping.recordJudgeFailure({
              runId,
              judgeType: plan.judges[i].judgeType,
              resultIds: generated.resultIds,
              error: describeFailure(outcome.reason),
            });
            progress.judgeErrors += recorded;
          }
        }
      }
      progress.done += generated.succeeded + generated.failed;
      progress.failed += generated.failed;
      progress.chunksDone += 1;
    };

    // Chunks run in their own scope: cancel stops them (what they stored is kept), bookkeeping goes on.
    const chunkScope = new CancellationScope();
    setHandler(cancelSignal, () => {
      cancelled = true;
      chunkScope.cancel();
    });
    const inFlight = new Set<Promise<void>>();
    let chunkError: unknown;
    const launch = (chunkIndex: number) => {
      // Track the chunk's own promise, not scope.run's: a cancelled scope rejects at once, while its
      // activities are still finishing their cancellation (and their last writes).
      let work: Promise<void> | undefined;
      chunkScope
        .run(() => {
          work = runChunk(chunkIndex);
          return work;
        })
        .catch(() => {});
      const task: Promise<void> = work!
        .catch((err) => {
          if (!isCancellation(err)) chunkError ??= err;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    };
    const mustStop = () => cancelled || budgetExceeded || chunkError !== undefined;
    while (nextChunk < plan.chunkCount && !mustStop()) {
      if (workflowInfo().historyLength > historyLimit) break;
      launch(nextChunk);
      nextChunk += 1;
      await condition(() => inFlight.size < plan.maxParallelChunks || mustStop());
    }
    await condition(() => inFlight.size === 0);
    if (chunkError !== undefined) throw chunkError;

    if (cancelled) {
      // What finished before the cancel is summarized like any run's results.
      await CancellationScope.nonCancellable(() => bookkeeping.summarizeRun(runId));
      return await finish('cancelled');
    }
    if (!budgetExceeded && nextChunk < plan.chunkCount) {
      const state: EvalRunState = { plan, nextChunk, progress, budgetExceeded };
      return await continueAsNew<typeof evalRun>({
        runId,
        state,
        historyEventsBeforeContinue: input.historyEventsBeforeContinue,
      });
    }

    progress = { ...progress, phase: 'summarizing' };
    const summary = await bookkeeping.summarizeRun(runId);
    // A run in which no model call produced output measured nothing: it fails, whatever its guardrails say.
    // Patched so runs already past this point when the change shipped replay as they ran.
    if (
      patched(NOTHING_SUCCEEDED_FAILS_PATCH) &&
      summary.samples.total > 0 &&
      summary.samples.succeeded === 0
    ) {
      return await finish(
        'failed',
        `no sample produced output: all ${summary.samples.failed} model calls failed`,
      );
    }
    if (plan.baselineRunId && plan.judges.length > 0) {
      await bookkeeping.detectRegressions({ runId, baselineRunId: plan.baselineRunId });
    }
    return await finish(budgetExceeded ? 'budget_exceeded' : 'completed');
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (cancelled && isCancellation(err)) return await finish('cancelled');
    const message = describeFailure(err);
    await finish('failed', message);
    throw ApplicationFailure.create({ type: 'RunFailed', message, nonRetryable: true, cause: err as Error });
  }
}

function describeFailure(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return `${err.activityType}: ${err.cause.message}`;
  return err instanceof Error ? err.message : String(err);
}
