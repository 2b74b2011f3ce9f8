/**
 * Starting, cancelling and reading eval runs. A run is a row (the record users query) plus a
 * Temporal workflow `eval-run-<runId>` (the execution); both are created idempotently.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { canonicalJson, sha256Hex } from '../../core/config-run.js';
import { FINAL_RUN_STATUSES } from '../../core/run-status.js';
import {
  DatasetVersion,
  EvalDataset,
  EvalRun,
  LlmEndpoint,
  type RunStatus,
  type TriggerType,
} from '../../db/entities/index.js';
import { evalRunWorkflowId, TASK_QUEUES } from '../../temporal.config.js';
import { cancelSignal, evalRun, progressQuery, type RunProgress } from '../../workflows/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound } from '../errors.js';

export interface StartRunInput {
  project_id: string;
  dataset_id: string;
  /** Pinned version; the dataset's latest when omitted. */
  dataset_version?: number;
  endpoint_id: string;
  /** Display name and labels (part of the request fingerprint: a different name is a different request). */
  name?: string;
  labels?: string[];
  judges?: string[];
  trigger_type?: TriggerType;
  git_commit_sha?: string;
  git_branch?: string;
  git_base_branch?: string;
  pr_number?: number;
  baseline_run_id?: string;
  repetitions?: number;
  cache?: boolean;
  budget_usd?: number;
  chunk_size?: number;
  max_parallel_chunks?: number;
  idempotency_key?: string;
  /** Merged into eval_runs.config: a config run's prompts, guardrails and the config itself (core/config-run.ts). */
  run_config?: Record<string, unknown>;
  /** eval_runs.config_sha256 of a run started from an evalforge.yaml. */
  config_sha256?: string;
  /** What the Idempotency-Key is bound to when the caller decides it (a config run binds it to the config
   * request it was resolved from); requestFingerprint(input) otherwise. */
  request_fingerprint?: string;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

/**
 * What an Idempotency-Key is bound to: sha256 of the canonical request without the key itself.
 * Defaults are applied first, so leaving out an option and sending its default are the same request.
 */
export function requestFingerprint(input: StartRunInput): string {
  const { idempotency_key: _key, request_fingerprint: _fingerprint, ...request } = input;
  const effective = {
    ...request,
    trigger_type: request.trigger_type ?? 'api',
    repetitions: request.repetitions ?? 1,
    cache: request.cache ?? false,
    // No labels and an empty list are the same request (and runs keyed before labels existed keep their fingerprint).
    labels: request.labels?.length ? request.labels : undefined,
  };
  return sha256Hex(canonicalJson(effective));
}

/**
 * The run an Idempotency-Key already names (IETF Idempotency-Key draft): the same request gets that run,
 * a different one is refused. Runs recorded before fingerprints existed (NULL) cannot be compared and
 * are accepted. A finished run is returned as it is: its workflow is never started again.
 */
export async function replayRun(deps: ApiDeps, existing: EvalRun, fingerprint: string) {
  if (existing.request_fingerprint && existing.request_fingerprint !== fingerprint) {
    throw new ApiError(
      422,
      'idempotency_key_reused',
      `Idempotency-Key "${existing.idempotency_key}" was already used with a different request (run ${existing.id}); send a new key for a new run`,
      { run_id: existing.id },
    );
  }
  if (!FINAL_RUN_STATUSES.has(existing.status)) await ensureWorkflowStarted(deps, existing);
  return { run: existing, created: false };
}

export async function startRun(
  deps: ApiDeps,
  input: StartRunInput,
): Promise<{ run: EvalRun; created: boolean }> {
  const runs = deps.dataSource.getRepository(EvalRun);
  const fingerprint = input.request_fingerprint ?? requestFingerprint(input);
  if (input.idempotency_key) {
    const existing = await runs.findOneBy({
      project_id: input.project_id,
      idempotency_key: input.idempotency_key,
    });
    if (existing) return replayRun(deps, existing, fingerprint);
  }

  const dataset = await deps.dataSource.getRepository(EvalDataset).findOneBy({ id: input.dataset_id });
  if (!dataset || dataset.project_id !== input.project_id) throw notFound('dataset', input.dataset_id);
  if (dataset.archived_at) throw new ApiError(409, 'archived', `dataset ${dataset.id} is archived`);
  const versionNumber = input.dataset_version ?? dataset.version;
  const version = await deps.dataSource
    .getRepository(DatasetVersion)
    .findOneBy({ dataset_id: dataset.id, version: versionNumber });
  if (!version) throw notFound(`dataset ${dataset.id} version`, String(versionNumber));
  if (version.sample_count === 0) {
    throw new ApiError(422, 'empty_dataset', `dataset ${dataset.id} version ${versionNumber} has no samples`);
  }
  const endpoint = await deps.dataSource.getRepository(LlmEndpoint).findOneBy({ id: input.endpoint_id });
  if (!endpoint || endpoint.project_id !== input.project_id) throw notFound('endpoint', input.endpoint_id);
  if (endpoint.archived_at) throw new ApiError(409, 'archived', `endpoint ${endpoint.id} is archived`);
  if (input.baseline_run_id) {
    const baseline = await runs.findOneBy({ id: input.baseline_run_id });
    if (!baseline || baseline.project_id !== input.project_id)
      throw notFound('baseline run', input.baseline_run_id);
  }

  let run: EvalRun;
  try {
    run = await runs.save(
      runs.create({
        project_id: input.project_id,
        dataset_id: dataset.id,
        dataset_version_id: version.id,
        endpoint_id: endpoint.id,
        name: input.name ?? null,
        labels: input.labels ?? [],
        baseline_run_id: input.baseline_run_id ?? null,
        status: 'pending',
        trigger_type: input.trigger_type ?? 'api',
        git_commit_sha: input.git_commit_sha ?? null,
        git_branch: input.git_branch ?? null,
        git_base_branch: input.git_base_branch ?? null,
        pr_number: input.pr_number ?? null,
        idempotency_key: input.idempotency_key ?? null,
        request_fingerprint: fingerprint,
        repetitions: input.repetitions ?? 1,
        use_cache: input.cache ?? false,
        budget_usd: input.budget_usd ?? null,
        total_samples: version.sample_count * (input.repetitions ?? 1),
        config_sha256: input.config_sha256 ?? null,
        config: {
          ...input.run_config,
          ...(input.judges ? { judges: input.judges } : {}),
          ...(input.chunk_size ? { chunk_size: input.chunk_size } : {}),
          ...(input.max_parallel_chunks ? { max_parallel_chunks: input.max_parallel_chunks } : {}),
        },
      }),
    );
  } catch (err) {
    // Two requests with one Idempotency-Key raced: the loser answers as a retry would, fingerprint included.
    if (input.idempotency_key && isUniqueViolation(err)) {
      const winner = await runs.findOneByOrFail({
        project_id: input.project_id,
        idempotency_key: input.idempotency_key,
      });
      return replayRun(deps, winner, fingerprint);
    }
    throw err;
  }
  await ensureWorkflowStarted(deps, run);
  return { run: await runs.findOneByOrFail({ id: run.id }), created: true };
}

/**
 * Starts the run's workflow unless it already exists (a retried request, or a start that failed midway).
 * Temporal enforces "at most one execution per run" itself: a running execution is reused, and a closed
 * one (finished, cancelled, terminated) rejects the start, so no retry ever revives a run.
 */
async function ensureWorkflowStarted(deps: ApiDeps, run: EvalRun) {
  const workflowId = evalRunWorkflowId(run.id);
  try {
    await deps.temporal.workflow.start(evalRun, {
      taskQueue: TASK_QUEUES.orchestration,
      workflowId,
      args: [{ runId: run.id }],
      memo: { project_id: run.project_id },
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  } catch (err) {
    // Raised for a closed execution under REJECT_DUPLICATE: the run had its one execution.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      deps.logger.error({ err, runId: run.id }, 'could not start the run workflow');
      throw new ApiError(
        503,
        'temporal_unavailable',
        'the run was recorded but could not be started; retry the request',
      );
    }
  }
  if (!run.workflow_id) {
    await deps.dataSource.getRepository(EvalRun).update({ id: run.id }, { workflow_id: workflowId });
    run.workflow_id = workflowId;
  }
}

export async function getRun(deps: ApiDeps, runId: string) {
  const run = await deps.dataSource.getRepository(EvalRun).findOneBy({ id: runId });
  if (!run) throw notFound('run', runId);
  return run;
}

const OPEN_STATUSES = new Set(['pending', 'running']);
export const PROGRESS_QUERY_TIMEOUT_MS = 2_000;

export type ProgressSource = 'workflow' | 'database';
export type RunProgressAnswer = RunProgress & { status: RunStatus; source: ProgressSource };

/**
 * The phase the stored row proves the run has reached, for when the workflow cannot be asked: never
 * earlier than the truth. planRun sets `running`; summarizeRun writes `summary`; finalizeRun the status.
 */
export function storedPhase(run: Pick<EvalRun, 'status' | 'started_at' | 'summary'>): RunProgress['phase'] {
  if (FINAL_RUN_STATUSES.has(run.status)) return run.status as RunProgress['phase'];
  if (run.status === 'pending' || !run.started_at) return 'planning';
  if (run.summary && Object.keys(run.summary).length > 0) return 'summarizing';
  return 'generating';
}

/**
 * Live progress from the workflow while it runs; from the database once it has finished, or when the
 * workflow does not answer in time (no worker polling, Temporal down): `source` says which.
 */
export async function getRunProgress(deps: ApiDeps, run: EvalRun): Promise<RunProgressAnswer> {
  if (OPEN_STATUSES.has(run.status) && run.workflow_id) {
    try {
      // A query needs a worker to answer: bounded, so /status answers from the database when none polls.
      const progress = await deps.temporal.connection.withDeadline(
        Date.now() + PROGRESS_QUERY_TIMEOUT_MS,
        () => deps.temporal.workflow.getHandle(run.workflow_id!).query(progressQuery),
      );
      return { status: run.status, ...progress, source: 'workflow' };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError))
        deps.logger.warn({ err, runId: run.id }, 'progress query failed; answering from the database');
    }
  }
  const [counts] = await deps.dataSource.query(
    `SELECT count(*)::int AS done, count(*) FILTER (WHERE status = 'failed')::int AS failed,
            (SELECT count(*)::int FROM judge_scores WHERE run_id = $1 AND error IS NOT NULL) AS judge_errors
       FROM eval_results WHERE run_id = $1`,
    [run.id],
  );
  return {
    status: run.status,
    phase: storedPhase(run),
    total: run.total_samples,
    done: counts.done,
    failed: counts.failed,
    // Chunking is the workflow's plan, not stored: unknown here.
    chunksDone: 0,
    chunkCount: 0,
    judgeErrors: counts.judge_errors,
    source: 'database',
  };
}

export async function cancelRun(deps: ApiDeps, runId: string) {
  const run = await getRun(deps, runId);
  if (!OPEN_STATUSES.has(run.status)) {
    throw new ApiError(409, 'run_finished', `run ${runId} is already ${run.status}`);
  }
  await deps.temporal.workflow.getHandle(run.workflow_id ?? evalRunWorkflowId(run.id)).signal(cancelSignal);
  return run;
}

/** Renames and/or relabels a run (any status): `name: null` clears the name, `labels` replaces the set. */
export async function updateRunMetadata(
  deps: ApiDeps,
  runId: string,
  patch: { name?: string | null; labels?: string[] },
): Promise<EvalRun> {
  const runs = deps.dataSource.getRepository(EvalRun);
  const changes: Partial<Pick<EvalRun, 'name' | 'labels'>> = {};
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.labels !== undefined) changes.labels = patch.labels;
  if (Object.keys(changes).length > 0) await runs.update({ id: runId }, changes);
  return getRun(deps, runId);
}

export interface RunFilter {
  project_id?: string;
  status?: RunStatus;
  branch?: string;
  /** A commit SHA prefix. */
  sha?: string;
  /** Runs carrying this label. */
  label?: string;
  offset: number;
  limit: number;
}

/** A page of runs, newest first, and how many match. */
export function listRuns(ds: DataSource, f: RunFilter): Promise<[EvalRun[], number]> {
  const qb = ds.getRepository(EvalRun).createQueryBuilder('r');
  if (f.project_id) qb.andWhere('r.project_id = :p', { p: f.project_id });
  if (f.status) qb.andWhere('r.status = :s', { s: f.status });
  if (f.branch) qb.andWhere('r.git_branch = :b', { b: f.branch });
  if (f.sha) qb.andWhere('r.git_commit_sha LIKE :sha', { sha: `${f.sha.toLowerCase()}%` });
  if (f.label) qb.andWhere('r.labels @> jsonb_build_array(CAST(:label AS text))', { label: f.label });
  return qb.orderBy('r.created_at', 'DESC').skip(f.offset).take(f.limit).getManyAndCount();
}
