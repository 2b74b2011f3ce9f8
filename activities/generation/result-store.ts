import type { DataSource } from 'typeorm';
import type { ResultStatus } from '../../db/entities/index.js';

export interface ResultRow {
  runId: string;
  sampleId: string;
  repetition: number;
  status: ResultStatus;
  output: string;
  error: string | null;
  finishReason: string | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  cached: boolean;
  attempts: number;
}

export const resultKey = (sampleId: string, repetition: number) => `${sampleId}#${repetition}`;

/** (sample, repetition) pairs of these samples that already have a result: a resumed chunk skips them. */
export async function existingResultKeys(
  dataSource: DataSource,
  runId: string,
  sampleIds: string[],
): Promise<Set<string>> {
  const rows: Array<{ sample_id: string; repetition: number }> = await dataSource.query(
    `SELECT sample_id, repetition FROM eval_results WHERE run_id = $1 AND sample_id = ANY($2::uuid[])`,
    [runId, sampleIds],
  );
  return new Set(rows.map((r) => resultKey(r.sample_id, r.repetition)));
}

/**
 * Idempotent write. When two attempts of a chunk race (a heartbeat timeout retried it while the first
 * still ran), the first success wins and is never overwritten — judge scores may already point at it;
 * a success does replace an earlier failure.
 */
export async function upsertResult(dataSource: DataSource, row: ResultRow): Promise<void> {
  await dataSource.query(
    `INSERT INTO eval_results (run_id, sample_id, sample_position, repetition, status, llm_output, error,
                               finish_reason, latency_ms, token_count_input, token_count_output, cost_usd,
                               cached, attempts)
     VALUES ($1, $2, (SELECT position FROM eval_samples WHERE id = $2), $3, $4, $5, $6, $7, $8, $9, $10,
             $11, $12, $13)
     ON CONFLICT (run_id, sample_id, repetition) DO UPDATE SET
       status = EXCLUDED.status, llm_output = EXCLUDED.llm_output, error = EXCLUDED.error,
       finish_reason = EXCLUDED.finish_reason, latency_ms = EXCLUDED.latency_ms,
       token_count_input = EXCLUDED.token_count_input, token_count_output = EXCLUDED.token_count_output,
       cost_usd = EXCLUDED.cost_usd, cached = EXCLUDED.cached, attempts = EXCLUDED.attempts
     WHERE eval_results.status = 'failed' AND EXCLUDED.status = 'succeeded'`,
    [
      row.runId,
      row.sampleId,
      row.repetition,
      row.status,
      row.output,
      row.error,
      row.finishReason?.slice(0, 50) ?? null,
      row.latencyMs,
      row.inputTokens,
      row.outputTokens,
      row.costUsd,
      row.cached,
      row.attempts,
    ],
  );
}
