/**
 * The generate activity: model answers for a chunk of a run's samples (every repetition), written
 * idempotently. Safe to retry or resume at any point: it skips (sample, repetition) pairs that already
 * have a result row, so no sample is called twice for a stored result and none is lost.
 */
import { setMaxListeners } from 'node:events';
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { readRunPrompts } from '../../core/config-run.js';
import { EndpointConfigError } from '../../core/endpoint-config.js';
import { EvalRun, type EvalSample } from '../../db/entities/index.js';
import type { ActivityDeps } from '../deps.js';
import { currentActivityControl } from './activity-context.js';
import { BudgetGuard } from './budget.js';
import {
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_MIN_GAP_MS,
  MAX_ERROR_LENGTH,
  SAMPLES_IN_PROGRESS_PER_SLOT,
} from './constants.js';
import { createModelRunner, type ModelRunner, type ModelRunnerOptions } from './model-runner.js';
import { UnsupportedEndpointError } from './providers/create-chat-client.js';
import { readCachedResponse, storeCachedResponse } from './response-cache.js';
import {
  existingResultKeys,
  isUnstorableRowError,
  type ResultRow,
  resultKey,
  storableTokenCount,
  unstorableNumbers,
  upsertResult,
} from './result-store.js';

export interface GenerateChunkInput {
  runId: string;
  sampleIds: string[];
}

export interface GenerateChunkResult {
  /** Results written by this call (a resumed chunk counts only what it added). */
  succeeded: number;
  failed: number;
  /** (sample, repetition) pairs that already had a result. */
  skipped: number;
  /** Generation stopped before the cap would be passed; the rest of the chunk was not called. */
  budgetExceeded: boolean;
  /** Generation cost of the results written by this call. */
  costUsd: number;
}

export type GenerateChunkOptions = ModelRunnerOptions;

type SamplePrompt = Pick<EvalSample, 'id' | 'input_text' | 'system_prompt'> &
  Partial<Pick<EvalSample, 'reference_output' | 'metadata'>>;

interface WorkItem {
  sample: SamplePrompt;
  repetition: number;
}

const invalid = (message: string) =>
  ApplicationFailure.create({ type: 'ValidationError', message, nonRetryable: true });

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Writes a result; one the database can never hold (a cost or token count out of range, text it rejects)
 * is recorded as a failed sample with the reason instead. Throwing would retry the chunk, and every retry
 * would pay for the same model call again. Returns the status written.
 */
async function recordResult(dataSource: DataSource, row: ResultRow): Promise<ResultRow['status']> {
  let problem = unstorableNumbers(row);
  if (!problem) {
    try {
      await upsertResult(dataSource, row);
      return row.status;
    } catch (err) {
      if (!isUnstorableRowError(err)) throw err;
      problem = `the result could not be stored: ${errorText(err)}`;
    }
  }
  try {
    await upsertResult(dataSource, {
      ...row,
      status: 'failed',
      output: '',
      error: problem.slice(0, MAX_ERROR_LENGTH),
      inputTokens: storableTokenCount(row.inputTokens),
      outputTokens: storableTokenCount(row.outputTokens),
      costUsd: null,
    });
  } catch (err) {
    if (!isUnstorableRowError(err)) throw err;
    throw ApplicationFailure.create({
      type: 'UnstorableResult',
      message: `result of sample ${row.sampleId} cannot be stored, not even as failed: ${errorText(err)} (after: ${problem})`,
      nonRetryable: true,
    });
  }
  return 'failed';
}

export function makeGenerateChunk(deps: ActivityDeps, options: GenerateChunkOptions = {}) {
  const { dataSource } = deps;
  /** Chunks started by this worker: the integer part of their calls' priority (older first). */
  let chunksStarted = 0;

  return async function generateChunk(input: GenerateChunkInput): Promise<GenerateChunkResult> {
    const control = currentActivityControl();
    const run = await dataSource
      .getRepository(EvalRun)
      .findOne({ where: { id: input.runId }, relations: { endpoint: true } });
    if (!run?.endpoint) {
      throw ApplicationFailure.create({
        type: 'NotFoundError',
        message: `run ${input.runId} not found`,
        nonRetryable: true,
      });
    }
    // A run from an evalforge.yaml renders its prompt templates per sample (and caches under the rendered text).
    const prompts = readRunPrompts(run.config);
    let runner: ModelRunner;
    try {
      runner = createModelRunner(deps, run.endpoint, { ...options, prompts });
    } catch (err) {
      if (err instanceof EndpointConfigError || err instanceof UnsupportedEndpointError)
        throw invalid(err.message);
      throw err;
    }
    if (run.budget_usd !== null && !runner.price) {
      throw invalid(
        `run has a budget but the price of ${run.endpoint.model_name} is unknown: set price_per_1k_input and price_per_1k_output in the endpoint config`,
      );
    }

    const sampleIds = [...new Set(input.sampleIds)];
    const samples: SamplePrompt[] = await dataSource.query(
      `SELECT id, input_text, system_prompt${prompts ? ', reference_output, metadata' : ''}
         FROM eval_samples WHERE id = ANY($1::uuid[]) AND dataset_version_id = $2`,
      [sampleIds, run.dataset_version_id],
    );
    if (samples.length !== sampleIds.length) {
      throw invalid(`${sampleIds.length - samples.length} sample(s) are not in the run's dataset version`);
    }
    const byId = new Map(samples.map((s) => [s.id, s]));
    // Calls wait for the endpoint's slots in this order: this chunk's before a later chunk's, then by
    // position. A retry after its Retry-After goes before untried samples, and chunks end one after the
    // other, so the last retries of one overlap the bulk of the next instead of all chunks tailing at once.
    const chunkOrder = chunksStarted++;
    const done = await existingResultKeys(dataSource, run.id, sampleIds);
    const items: WorkItem[] = [];
    for (const id of sampleIds) {
      for (let repetition = 0; repetition < run.repetitions; repetition++) {
        if (!done.has(resultKey(id, repetition))) items.push({ sample: byId.get(id)!, repetition });
      }
    }

    const result: GenerateChunkResult = {
      succeeded: 0,
      failed: 0,
      skipped: sampleIds.length * run.repetitions - items.length,
      budgetExceeded: false,
      costUsd: 0,
    };
    const budget = run.budget_usd === null ? null : new BudgetGuard(dataSource, run.id, run.budget_usd);
    // Aborted by Temporal's cancellation, or by our own fatal error so sibling calls stop too.
    const fatal = new AbortController();
    const signal = control ? AbortSignal.any([control.cancellationSignal, fatal.signal]) : fatal.signal;
    // Each sample in progress listens on it while it waits for a slot: many listeners, none leaked.
    setMaxListeners(0, signal);
    // Each finished sample may heartbeat, but at most every HEARTBEAT_MIN_GAP_MS: the server hears of it at
    // most every 2 s anyway (runtime/worker.ts), and a call into the SDK per sample is CPU a busy worker lacks.
    let lastHeartbeat = Number.NEGATIVE_INFINITY;
    const heartbeat = () => {
      const now = performance.now();
      if (!control || now - lastHeartbeat < HEARTBEAT_MIN_GAP_MS) return;
      lastHeartbeat = now;
      control.heartbeat({
        done: result.succeeded + result.failed,
        total: items.length,
        skipped: result.skipped,
      });
    };
    const ticker = control ? setInterval(heartbeat, HEARTBEAT_INTERVAL_MS) : undefined;
    heartbeat();

    async function generateOne({ sample, repetition }: WorkItem, position: number): Promise<void> {
      const prompt = runner.promptFor(sample);
      const base = { runId: run!.id, sampleId: sample.id, repetition };
      const cacheKey = run!.use_cache && repetition === 0 ? runner.cacheKey(prompt) : null;
      if (cacheKey) {
        const hit = await readCachedResponse(dataSource, cacheKey);
        if (hit) {
          const status = await recordResult(dataSource, {
            ...base,
            status: 'succeeded',
            output: hit.output,
            error: null,
            finishReason: hit.finishReason,
            latencyMs: null,
            inputTokens: hit.inputTokens,
            outputTokens: hit.outputTokens,
            costUsd: 0,
            cached: true,
            attempts: 0,
          });
          result[status]++;
          return;
        }
      }
      const releaseBudget = budget ? await budget.reserve(runner.worstCaseCostUsd(prompt) ?? 0) : () => {};
      if (!releaseBudget) {
        result.budgetExceeded = true;
        return;
      }
      try {
        // Hedge stragglers once no sample is left to start: a duplicate then fills a slot that would idle.
        // Not under a budget: the reservation covers one call, a duplicate could pass the cap.
        const outcome = await runner.call(prompt, signal, {
          hedge: () => !budget && next >= items.length,
          priority: chunkOrder + position / items.length,
        });
        if (outcome.status === 'cancelled') return;
        const cost = runner.costOf(outcome, prompt);
        const status = await recordResult(dataSource, {
          ...base,
          status: outcome.status,
          output: outcome.output,
          error: outcome.error,
          finishReason: outcome.finishReason,
          latencyMs: outcome.latencyMs,
          inputTokens: outcome.inputTokens,
          outputTokens: outcome.outputTokens,
          costUsd: cost,
          cached: false,
          attempts: outcome.attempts,
        });
        if (status === 'failed') {
          result.failed++;
          return;
        }
        result.succeeded++;
        result.costUsd += cost ?? 0;
        if (cacheKey) {
          await storeCachedResponse(dataSource, cacheKey, {
            ...outcome,
            provider: run!.endpoint!.provider,
            model: run!.endpoint!.model_name,
          });
        }
      } finally {
        releaseBudget();
      }
    }

    let next = 0;
    let firstError: unknown;
    async function worker() {
      while (!signal.aborted && !result.budgetExceeded && next < items.length) {
        const position = next++;
        try {
          await generateOne(items[position], position);
        } catch (err) {
          firstError ??= err;
          fatal.abort(err);
          return;
        }
        heartbeat();
      }
    }
    try {
      const workers = Math.min(runner.config.concurrency * SAMPLES_IN_PROGRESS_PER_SLOT, items.length);
      await Promise.all(Array.from({ length: workers }, worker));
    } finally {
      clearInterval(ticker);
    }
    if (firstError) throw firstError;
    if (control?.cancellationSignal.aborted) throw await control.cancellationError();
    result.costUsd = Number(result.costUsd.toFixed(6));
    deps.logger.debug({ runId: run.id, samples: sampleIds.length, ...result }, 'chunk generated');
    return result;
  };
}
