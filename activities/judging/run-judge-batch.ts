/**
 * The judge stage for one chunk of a run and one judge type: loads the chunk's results with their samples and
 * the project's settings for the judge, scores them, and upserts judge_scores. Idempotent: results already
 * scored are skipped, so a retried or resumed batch never duplicates a score or pays twice for an LLM verdict.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { ModelNotFoundError } from '../../judges/inference/model-loader.js';
import type { ChatCaller } from '../../judges/llm/chat-caller.js';
import { createJudge } from '../../judges/registry.js';
import { JudgeConfigError, type JudgeDeps, judgeSettingsFromGuardrail } from '../../judges/settings.js';
import type { Judge, JudgeItem, JudgeResult } from '../../judges/types.js';
import { recordJudgeBatch } from '../../lib/metrics.js';
import type { ActivityDeps } from '../deps.js';
import { currentActivityControl } from '../generation/activity-context.js';
import { HEARTBEAT_INTERVAL_MS } from '../generation/constants.js';
import { loadJudgeContext, type PendingResult, type ScoreRow, upsertScores } from './judge-score-store.js';
import { JUDGE_BATCH_SIZES, judgeTaskQueue } from './judge-task-queue.js';
import { effectiveThreshold } from './judge-threshold.js';

export interface RunJudgeBatchInput {
  runId: string;
  judgeType: string;
  resultIds: string[];
}

export interface RunJudgeBatchOutcome {
  /** Results that got a score now. */
  scored: number;
  /** Results that got an error score now (judge could not score them). */
  errored: number;
}

/** How an LLM judge reaches its model; the project's guardrail config may name an endpoint or model. */
export type JudgeChatCallerFactory = (request: {
  projectId: string;
  runId: string;
  config: Record<string, unknown>;
}) => Promise<ChatCaller>;

export interface JudgeBatchDeps extends Pick<ActivityDeps, 'dataSource' | 'logger'> {
  /** Models folder, CUDA override (tests); defaults read the environment. */
  judgeDeps?: Omit<JudgeDeps, 'chatCaller'>;
  /** Needed only by LLM-as-judge; without it those results get a recorded configuration error. */
  judgeChatCaller?: JudgeChatCallerFactory;
}

const MAX_ERROR_CHARS = 4_000;

const inputSchema = z.object({
  runId: z.uuid(),
  judgeType: z.string().min(1).max(50),
  resultIds: z.array(z.uuid()).max(100_000),
});

export function makeRunJudgeBatch(deps: JudgeBatchDeps) {
  return async function runJudgeBatch(input: RunJudgeBatchInput): Promise<RunJudgeBatchOutcome> {
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) {
      throw ApplicationFailure.create({
        type: 'ValidationError',
        message: parsed.error.message,
        nonRetryable: true,
      });
    }
    const { runId, judgeType, resultIds } = parsed.data;
    const context = await loadJudgeContext(deps.dataSource, runId, judgeType, resultIds);
    if (!context) {
      throw ApplicationFailure.create({
        type: 'NotFoundError',
        message: `run ${runId} not found`,
        nonRetryable: true,
      });
    }
    const { pending, guardrail, projectId } = context;
    if (pending.length === 0) return { scored: 0, errored: 0 };

    const settings = guardrail ? judgeSettingsFromGuardrail(guardrail) : {};
    const config = settings.config ?? {};
    // Recorded with every score, also when the judge's default decided (no guardrail, or none set).
    const decidedBy = {
      threshold: effectiveThreshold(judgeType, settings),
      blocking: settings.blocking ?? false,
    };
    const log = deps.logger.child({ runId, judgeType, results: pending.length });
    let judge: Judge;
    try {
      const chatCaller =
        deps.judgeChatCaller && judgeTypeIsLlm(judgeType)
          ? await deps.judgeChatCaller({ projectId, runId, config })
          : undefined;
      judge = createJudge(judgeType, settings, { ...deps.judgeDeps, logger: log, chatCaller });
    } catch (err) {
      if (!(err instanceof JudgeConfigError)) throw err;
      return recordWholeBatchError(deps, runId, judgeType, pending, err, decidedBy);
    }

    const batchSize = JUDGE_BATCH_SIZES[judgeTaskQueue(judgeType, config)];
    const outcome: RunJudgeBatchOutcome = { scored: 0, errored: 0 };
    // Cancellation (a cancelled run, a stopping worker) reaches the judge, so an LLM judge stops paying for
    // calls. A run's cancel arrives with a heartbeat's reply: heartbeats go on while a slow batch runs.
    const control = currentActivityControl();
    const signal = control?.cancellationSignal;
    let progress = { done: 0, total: pending.length };
    const ticker = control
      ? setInterval(() => control.heartbeat(progress), HEARTBEAT_INTERVAL_MS)
      : undefined;
    try {
      for (let i = 0; i < pending.length; i += batchSize) {
        if (signal?.aborted) throw await control!.cancellationError();
        const batch = pending.slice(i, i + batchSize);
        const started = performance.now();
        let results: JudgeResult[];
        try {
          results = await judge.evaluateBatch(batch.map(toItem), { signal });
        } catch (err) {
          // Retrying cannot fix a wrong config or a model missing from the models folder: record and go on.
          // Anything else (out of memory, a transient I/O error) is thrown so Temporal retries the batch.
          if (!(err instanceof JudgeConfigError || err instanceof ModelNotFoundError)) throw err;
          const rest = await recordWholeBatchError(deps, runId, judgeType, pending.slice(i), err, decidedBy);
          return { scored: outcome.scored, errored: outcome.errored + rest.errored };
        }
        // Scores of a cancelled batch are partial (calls cut short read as errors): none is stored, so the
        // retried activity judges these results again instead of keeping errors it did not earn.
        if (signal?.aborted) throw await control!.cancellationError();
        const seconds = (performance.now() - started) / 1000;
        const info = judge.modelInfo();
        const latencyMs = Math.round((seconds * 1000) / batch.length);
        const rows: ScoreRow[] = batch.map((result, k) => ({
          resultId: result.id,
          score: results[k].score,
          passed: results[k].passed,
          details: { ...results[k].details, ...decidedBy },
          error: results[k].error?.slice(0, MAX_ERROR_CHARS) ?? null,
          modelId: info?.modelId ?? null,
          modelRevision: info?.revision ?? null,
          dtype: info?.dtype ?? null,
          latencyMs,
          inputTokens: results[k].usage?.inputTokens ?? null,
          outputTokens: results[k].usage?.outputTokens ?? null,
          costUsd: results[k].usage?.costUsd ?? null,
        }));
        await upsertScores(deps.dataSource, runId, judgeType, rows);
        const errors = rows.filter((r) => r.error !== null).length;
        outcome.errored += errors;
        outcome.scored += rows.length - errors;
        recordJudgeBatch({
          judgeType,
          device: info?.device ?? 'none',
          seconds,
          passed: rows.filter((r) => r.passed).length,
          failed: rows.filter((r) => !r.passed && r.error === null).length,
          errors,
        });
        progress = { done: i + batch.length, total: pending.length };
        control?.heartbeat(progress);
      }
    } finally {
      clearInterval(ticker);
    }
    log.info({ ...outcome, device: judge.modelInfo()?.device }, 'judge batch done');
    return outcome;
  };
}

function judgeTypeIsLlm(judgeType: string): boolean {
  return judgeTaskQueue(judgeType) === 'llm';
}

function toItem(result: PendingResult): JudgeItem {
  return {
    id: result.id,
    output: result.output,
    input: result.input,
    reference: result.reference,
    metadata: result.metadata,
  };
}

async function recordWholeBatchError(
  deps: JudgeBatchDeps,
  runId: string,
  judgeType: string,
  results: PendingResult[],
  err: Error,
  decidedBy: { threshold: number | null; blocking: boolean },
): Promise<RunJudgeBatchOutcome> {
  deps.logger.warn(
    { runId, judgeType, results: results.length, err: err.message },
    'judge cannot run: recording error scores',
  );
  await upsertScores(
    deps.dataSource,
    runId,
    judgeType,
    results.map((r) => ({
      resultId: r.id,
      score: null,
      passed: false,
      details: { ...decidedBy },
      error: `${err.name}: ${err.message}`.slice(0, MAX_ERROR_CHARS),
      modelId: null,
      modelRevision: null,
      dtype: null,
      latencyMs: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
    })),
  );
  return { scored: 0, errored: results.length };
}
