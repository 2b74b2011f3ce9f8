import { ApplicationFailure } from '@temporalio/activity';
import { In } from 'typeorm';
import { readRunGuardrails } from '../../core/config-run.js';
import { DEFAULT_CONCURRENCY, endpointConfigSchema } from '../../core/endpoint-config.js';
import { judgesForRun } from '../../core/gate.js';
import { isFinalRunStatus, OPEN_RUN_STATUSES } from '../../core/run-status.js';
import { EvalRun, GuardrailConfig, LlmEndpoint, Project } from '../../db/entities/index.js';
import type { ActivityDeps } from '../deps.js';
import { judgeTaskQueue } from '../judging/judge-task-queue.js';
import { chunkCount, DEFAULT_CHUNK_SIZE, defaultParallelChunks, MAX_CHUNK_SIZE } from './chunking.js';
import type { PlannedJudge, RunPlan } from './types.js';

interface RunOptions {
  judges?: string[];
  chunk_size?: number;
  max_parallel_chunks?: number;
}

/** Marks the run running and decides chunks, judges (with their queues) and the baseline. */
export function makePlanRun(deps: ActivityDeps) {
  return async function planRun(runId: string): Promise<RunPlan> {
    const runs = deps.dataSource.getRepository(EvalRun);
    const run = await runs.findOneBy({ id: runId });
    if (!run)
      throw ApplicationFailure.create({
        type: 'NotFoundError',
        message: `run ${runId} not found`,
        nonRetryable: true,
      });
    // A run that has ended is never brought back (a second execution under its id must not revive it).
    if (isFinalRunStatus(run.status))
      throw ApplicationFailure.create({
        type: 'RunAlreadyFinished',
        message: `run ${runId} is already ${run.status}`,
        nonRetryable: true,
      });

    const [{ count }] = await deps.dataSource.query(
      'SELECT count(*)::int AS count FROM eval_samples WHERE dataset_version_id = $1',
      [run.dataset_version_id],
    );
    const options = run.config as RunOptions;
    const chunkSize = Math.min(Math.max(1, options.chunk_size ?? DEFAULT_CHUNK_SIZE), MAX_CHUNK_SIZE);

    // A run from an evalforge.yaml with guardrails of its own uses those instead of the project's.
    const guardrails =
      readRunGuardrails(run.config) ??
      (await deps.dataSource
        .getRepository(GuardrailConfig)
        .findBy({ project_id: run.project_id, enabled: true }));
    const judges: PlannedJudge[] = judgesForRun(guardrails, options.judges).map((judgeType) => ({
      judgeType,
      taskQueue: judgeTaskQueue(judgeType, guardrails.find((g) => g.judge_type === judgeType)?.config),
    }));

    const baselineRunId = run.baseline_run_id ?? (await findBaseline(deps, run));
    await runs.update({ id: runId, status: In([...OPEN_RUN_STATUSES]) }, {
      status: 'running',
      started_at: () => 'COALESCE(started_at, now())',
      total_samples: count * run.repetitions,
      baseline_run_id: baselineRunId,
    } as never);
    return {
      runId,
      totalSamples: count,
      repetitions: run.repetitions,
      chunkSize,
      chunkCount: chunkCount(count, chunkSize),
      maxParallelChunks: Math.max(
        1,
        options.max_parallel_chunks ?? defaultParallelChunks(await endpointConcurrency(deps, run), chunkSize),
      ),
      judges,
      baselineRunId,
    };
  };
}

/**
 * CI runs compare with the base branch's latest completed run; others with the latest completed run
 * on the same dataset version and endpoint. Never a run that measured nothing: its verdict is `error`,
 * or more of its samples failed than the project allows.
 */
async function findBaseline(deps: ActivityDeps, run: EvalRun): Promise<string | null> {
  const project = await deps.dataSource.getRepository(Project).findOneByOrFail({ id: run.project_id });
  const params: unknown[] = [
    run.project_id,
    run.dataset_version_id,
    run.id,
    project.baseline_max_failed_share,
  ];
  let branchFilter = '';
  if (run.trigger_type === 'ci' && run.git_base_branch) {
    params.push(run.git_base_branch);
    branchFilter = `AND git_branch = $${params.length}`;
  } else {
    params.push(run.endpoint_id);
    branchFilter = `AND endpoint_id = $${params.length}`;
  }
  // Summaries of older versions have no samples.failed: those runs are eligible as before unless they
  // say otherwise. A run whose summary has no verdict at all was never summarized: not eligible.
  const rows: { id: string }[] = await deps.dataSource.query(
    `SELECT id FROM eval_runs
      WHERE project_id = $1 AND dataset_version_id = $2 AND id <> $3 AND status = 'completed' ${branchFilter}
        AND summary ? 'verdict' AND summary->>'verdict' <> 'error'
        AND COALESCE((summary->'samples'->>'failed')::float8, 0)
            <= $4 * GREATEST(COALESCE((summary->'samples'->>'total')::float8, 0), 1)
      ORDER BY completed_at DESC LIMIT 1`,
    params,
  );
  return rows[0]?.id ?? null;
}

/** The run's endpoint's configured concurrency; the default when the endpoint is gone or its config is
 * invalid (generation then fails with the reason; planning does not). */
async function endpointConcurrency(deps: ActivityDeps, run: EvalRun): Promise<number> {
  const endpoint = await deps.dataSource.getRepository(LlmEndpoint).findOneBy({ id: run.endpoint_id });
  const parsed = endpointConfigSchema.safeParse(endpoint?.config ?? {});
  return parsed.success ? parsed.data.concurrency : DEFAULT_CONCURRENCY;
}
