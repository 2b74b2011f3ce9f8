import { z } from '@hono/zod-openapi';
import { GateDecisionSchema } from '../../core/gate.js';
import { RunSummaryDocumentSchema } from '../../core/run-summary.js';
import { atMost, BUDGET_USD_MAX, DATASET_VERSION_MAX, PR_NUMBER_MAX } from '../../db/column-bounds.js';
import {
  RUN_LABEL_MAX,
  RUN_LABELS_MAX,
  RUN_NAME_MAX,
  RUN_STATUSES,
  TRIGGER_TYPES,
} from '../../db/entities/index.js';
import { boundedInt, CommitSha, PaginationQuery, Timestamp, Uuid } from './common.js';
import { JudgeTypeName } from './judges.js';
import { storableString } from './text.js';

/** A run's optional display name. */
export const RunName = storableString()
  .min(1)
  .max(RUN_NAME_MAX)
  .describe(`display name (≤ ${RUN_NAME_MAX} characters)`);
/** A run's labels: free strings, duplicates dropped (first occurrence kept). */
export const RunLabels = z
  .array(storableString().min(1).max(RUN_LABEL_MAX))
  .max(RUN_LABELS_MAX)
  .transform((labels) => [...new Set(labels)])
  .describe(
    `labels (at most ${RUN_LABELS_MAX}, each ≤ ${RUN_LABEL_MAX} characters); runs are listed by label`,
  );

/** Where a run comes from and what it is compared with: shared by plain and config runs. */
export const RunContextFields = {
  trigger_type: z.enum(TRIGGER_TYPES).optional(),
  git_commit_sha: CommitSha.optional(),
  git_branch: z.string().min(1).max(255).optional(),
  git_base_branch: z.string().min(1).max(255).optional(),
  pr_number: boundedInt(1, PR_NUMBER_MAX).optional(),
  baseline_run_id: Uuid.optional(),
};

export const BudgetUsd = z
  .number()
  .positive()
  .max(BUDGET_USD_MAX, atMost(BUDGET_USD_MAX))
  .optional()
  .describe('hard cap: generation stops when spend reaches it');

export const StartRunBody = z
  .strictObject({
    project_id: Uuid,
    dataset_id: Uuid,
    dataset_version: boundedInt(1, DATASET_VERSION_MAX)
      .optional()
      .describe('pinned dataset version; the latest when omitted'),
    endpoint_id: Uuid,
    name: RunName.optional(),
    labels: RunLabels.optional(),
    judges: z
      .array(JudgeTypeName)
      .max(50)
      .optional()
      .describe('judge types ("type" or "type:name"); the project\'s enabled guardrails when omitted'),
    ...RunContextFields,
    repetitions: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(1)
      .describe('answers per sample; repeats bypass the cache'),
    cache: z.boolean().default(false).describe('reuse cached model responses for repetition 0'),
    budget_usd: BudgetUsd,
    chunk_size: z.number().int().min(1).max(1000).optional().describe('samples per chunk (default 50)'),
    max_parallel_chunks: z
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .describe(
        "chunks in flight at once; default: about 32 samples per slot of the endpoint's concurrency, 4 to 16 chunks",
      ),
  })
  .openapi('StartRun', {
    example: {
      project_id: '7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b',
      dataset_id: '1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b',
      endpoint_id: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
      trigger_type: 'manual',
      repetitions: 1,
      cache: false,
    },
  });

export const RunSchema = z
  .object({
    id: Uuid,
    project_id: Uuid,
    name: z.string().nullable(),
    labels: z.array(z.string()),
    dataset_id: Uuid,
    dataset_version_id: Uuid,
    endpoint_id: Uuid,
    baseline_run_id: Uuid.nullable(),
    status: z.enum(RUN_STATUSES),
    trigger_type: z.string().nullable(),
    git_commit_sha: z.string().nullable(),
    git_branch: z.string().nullable(),
    git_base_branch: z.string().nullable(),
    pr_number: z.number().int().nullable(),
    workflow_id: z.string().nullable(),
    repetitions: z.number().int(),
    use_cache: z.boolean(),
    budget_usd: z.number().nullable(),
    total_samples: z.number().int(),
    input_tokens: z.number(),
    output_tokens: z.number(),
    cost_usd: z.number(),
    judge_cost_usd: z.number(),
    started_at: Timestamp.nullable(),
    completed_at: Timestamp.nullable(),
    cancelled_at: Timestamp.nullable(),
    error: z.string().nullable(),
    summary: RunSummaryDocumentSchema.describe(
      'aggregates, guardrail outcomes, verdict and regressions; empty until the run is summarized',
    ),
    gate: GateDecisionSchema.describe(
      "the gate's decision for this run (pass, fail, error = not evaluated, cancelled, pending); regressions warn",
    ),
    config: z.record(z.string(), z.unknown()),
    created_at: Timestamp,
    endpoint_name: z
      .string()
      .nullable()
      .optional()
      .describe("the endpoint's name (run list and run): which model configuration ran"),
    model_name: z.string().nullable().optional().describe("the endpoint's model (run list and run)"),
    dataset_name: z.string().nullable().optional().describe("the dataset's name (run list and run)"),
    dataset_version: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe('the dataset version number the run evaluated (run list and run)'),
  })
  .openapi('EvalRun');

export const RunListQuery = PaginationQuery.extend({
  project_id: Uuid.optional(),
  status: z.enum(RUN_STATUSES).optional(),
  branch: z.string().max(255).optional(),
  sha: z.string().max(40).optional(),
  label: z.string().max(RUN_LABEL_MAX).optional().describe('only runs carrying this label'),
});

export const PatchRunBody = z
  .strictObject({
    name: RunName.nullable().optional().describe('new display name; null clears it'),
    labels: RunLabels.optional().describe('the new label set (replaces the old one)'),
  })
  .openapi('PatchRun', { example: { name: 'gpt-4o-mini, shorter prompt', labels: ['prompt-v2'] } });

export const ProgressSchema = z
  .object({
    status: z.enum(RUN_STATUSES),
    phase: z.string(),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    chunksDone: z.number().int(),
    chunkCount: z.number().int(),
    judgeErrors: z.number().int(),
    source: z
      .enum(['workflow', 'database'])
      .describe(
        '`workflow`: the live progress query; `database`: stored phase and counts (the run has finished, or its workflow did not answer in time); chunk counts are 0 there',
      ),
  })
  .openapi('RunProgress');

export const ScoreSchema = z
  .object({
    id: Uuid,
    judge_type: z.string(),
    score: z.number().nullable(),
    passed: z.boolean(),
    details: z.record(z.string(), z.unknown()),
    error: z.string().nullable(),
    model_id: z.string().nullable(),
    model_revision: z.string().nullable(),
    dtype: z.string().nullable(),
    cost_usd: z.number().nullable(),
  })
  .openapi('JudgeScore');

export const ResultSchema = z
  .object({
    id: Uuid,
    sample_id: Uuid,
    sample_key: z.string(),
    repetition: z.number().int(),
    status: z.enum(['succeeded', 'failed']),
    input_text: z.string(),
    reference_output: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    llm_output: z.string(),
    error: z.string().nullable(),
    finish_reason: z.string().nullable(),
    latency_ms: z.number().int().nullable(),
    token_count_input: z.number().int().nullable(),
    token_count_output: z.number().int().nullable(),
    cost_usd: z.number().nullable(),
    cached: z.boolean(),
    attempts: z.number().int(),
    scores: z.array(ScoreSchema),
  })
  .openapi('EvalResult');

/** The result orders `sort` accepts, as a client writes them (`<judge>` is a judge type such as similarity). */
export const RESULT_SORTS = [
  'sample',
  'latency',
  '-latency',
  'status',
  'score:<judge>',
  '-score:<judge>',
] as const;
const SCORE_SORT = /^(-?)score:(.*)$/;

/** A parsed `sort`: the key, its direction, and the judge whose score orders by `score`. */
export type ResultSort =
  | { by: 'sample' }
  | { by: 'status' }
  | { by: 'latency'; desc: boolean }
  | { by: 'score'; judge: string; desc: boolean };

const sortError = (value: string) => `unknown sort "${value}"; allowed: ${RESULT_SORTS.join(', ')}`;

export const ResultSortParam = z
  .string()
  .max(60)
  .transform((value, ctx): ResultSort => {
    if (value === 'sample') return { by: 'sample' };
    if (value === 'status') return { by: 'status' };
    if (value === 'latency' || value === '-latency') return { by: 'latency', desc: value === '-latency' };
    const score = SCORE_SORT.exec(value);
    const judge = score ? JudgeTypeName.safeParse(score[2]) : undefined;
    if (score && judge?.success) return { by: 'score', judge: judge.data, desc: score[1] === '-' };
    ctx.addIssue({
      code: 'custom',
      message: judge ? `${sortError(value)} (${judge.error?.issues[0]?.message})` : sortError(value),
    });
    return z.NEVER;
  })
  .openapi({
    type: 'string',
    example: 'score:similarity',
    description: `order of the results: ${RESULT_SORTS.join(', ')}. \`sample\` (the default) is dataset order; \`latency\` fastest first; \`status\` model errors first; \`score:<judge>\` that judge's lowest score first (results without one last). A leading \`-\` reverses. Equal keys keep dataset order, so pages never overlap.`,
  });

export const ResultListQuery = PaginationQuery.extend({
  status: z.enum(['succeeded', 'failed']).optional(),
  judge: z.string().max(50).optional().describe('only results scored by this judge'),
  passed: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('with `judge`: only results that passed (or failed) it'),
  category: z.string().max(255).optional().describe("the sample's metadata.category"),
  tag: z.string().max(255).optional().describe("one of the sample's metadata.tags"),
  min_score: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('lowest score (of `judge`, else of any judge)'),
  max_score: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('highest score (of `judge`, else of any judge)'),
  sort: ResultSortParam.optional(),
});

export const ExportQuery = z.object({ format: z.enum(['csv', 'json']).default('json') });
