import type { DataSource } from 'typeorm';
import { readRunGuardrails } from '../../core/config-run.js';

export interface PendingResult {
  id: string;
  output: string;
  input: string;
  reference: string | null;
  metadata: Record<string, unknown>;
}

export interface GuardrailRow {
  threshold: number;
  is_blocking: boolean;
  config: Record<string, unknown>;
}

export interface JudgeContext {
  projectId: string;
  guardrail: GuardrailRow | null;
  /** Results of the run among the requested ids that succeeded and have no score from this judge yet
   * (an earlier error score is retried). Failed results have no output to judge and are skipped. */
  pending: PendingResult[];
}

export async function loadJudgeContext(
  dataSource: DataSource,
  runId: string,
  judgeType: string,
  resultIds: string[],
): Promise<JudgeContext | null> {
  const [run]: { project_id: string; config: unknown }[] = await dataSource.query(
    'SELECT project_id, config FROM eval_runs WHERE id = $1',
    [runId],
  );
  if (!run) return null;
  // A run from an evalforge.yaml with guardrails of its own judges by those; otherwise the project's row.
  const own = readRunGuardrails(run.config);
  const [guardrail]: GuardrailRow[] = own
    ? own.filter((g) => g.judge_type === judgeType)
    : await dataSource.query(
        `SELECT threshold, is_blocking, config FROM guardrail_configs WHERE project_id = $1 AND judge_type = $2`,
        [run.project_id, judgeType],
      );
  const pending: PendingResult[] = await dataSource.query(
    `SELECT r.id, r.llm_output AS output, s.input_text AS input, s.reference_output AS reference, s.metadata
       FROM eval_results r
       JOIN eval_samples s ON s.id = r.sample_id
      WHERE r.run_id = $1 AND r.id = ANY($2::uuid[]) AND r.status = 'succeeded'
        AND NOT EXISTS (
          SELECT 1 FROM judge_scores j WHERE j.result_id = r.id AND j.judge_type = $3 AND j.error IS NULL)
      ORDER BY r.id`,
    [runId, resultIds, judgeType],
  );
  return { projectId: run.project_id, guardrail: guardrail ?? null, pending };
}

export interface ScoreRow {
  resultId: string;
  score: number | null;
  passed: boolean;
  details: Record<string, unknown>;
  error: string | null;
  modelId: string | null;
  modelRevision: string | null;
  dtype: string | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

/** One statement per batch. A real score is never overwritten; an earlier error score is (a retry that worked). */
export async function upsertScores(
  dataSource: DataSource,
  runId: string,
  judgeType: string,
  rows: ScoreRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await dataSource.query(
    `INSERT INTO judge_scores (result_id, run_id, judge_type, score, passed, details, error, model_id, model_revision,
                               dtype, latency_ms, token_count_input, token_count_output, cost_usd)
     SELECT u.result_id, $1, $2, u.score, u.passed, u.details, u.error, u.model_id, u.model_revision,
            u.dtype, u.latency_ms, u.token_count_input, u.token_count_output, u.cost_usd
       FROM unnest($3::uuid[], $4::float8[], $5::bool[], $6::jsonb[], $7::text[], $8::text[], $9::text[], $10::text[],
                   $11::int[], $12::int[], $13::int[], $14::numeric[])
         AS u(result_id, score, passed, details, error, model_id, model_revision, dtype, latency_ms,
              token_count_input, token_count_output, cost_usd)
     ON CONFLICT (result_id, judge_type) DO UPDATE SET
       score = EXCLUDED.score, passed = EXCLUDED.passed, details = EXCLUDED.details, error = EXCLUDED.error,
       model_id = EXCLUDED.model_id, model_revision = EXCLUDED.model_revision, dtype = EXCLUDED.dtype,
       latency_ms = EXCLUDED.latency_ms, token_count_input = EXCLUDED.token_count_input,
       token_count_output = EXCLUDED.token_count_output, cost_usd = EXCLUDED.cost_usd
     WHERE judge_scores.error IS NOT NULL`,
    [
      runId,
      judgeType,
      rows.map((r) => r.resultId),
      rows.map((r) => r.score),
      rows.map((r) => r.passed),
      rows.map((r) => JSON.stringify(r.details)),
      rows.map((r) => r.error),
      rows.map((r) => r.modelId),
      rows.map((r) => r.modelRevision),
      rows.map((r) => r.dtype),
      rows.map((r) => r.latencyMs),
      rows.map((r) => r.inputTokens),
      rows.map((r) => r.outputTokens),
      rows.map((r) => r.costUsd),
    ],
  );
}
