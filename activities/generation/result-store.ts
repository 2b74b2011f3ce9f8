import type { DataSource } from 'typeorm';
import { RESULT_COST_USD_MAX, TOKEN_COUNT_MAX } from '../../db/column-bounds.js';
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

/** A token count as its column can hold it, else null (the failed row of a sample keeps what fits). */
export const storableTokenCount = (tokens: number | null) =>
  tokens !== null && tokens <= TOKEN_COUNT_MAX ? tokens : null;

/** SQLSTATE of a database error (TypeORM's QueryFailedError or a plain pg error). */
function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Classes 22 (data exception: a number out of range, a NUL in text…) and 23 (integrity constraint
 * violation): the row as given can never be written, so retrying the chunk — and its paid model calls —
 * cannot help.
 */
export function isUnstorableRowError(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && /^2[23]/.test(state);
}

/** Why a row's numbers do not fit its columns (a huge price or token count), or null; checked before the
 * write so the sample fails with a reason a person can act on. */
export function unstorableNumbers(row: ResultRow): string | null {
  for (const [name, tokens] of [
    ['input', row.inputTokens],
    ['output', row.outputTokens],
  ] as const) {
    if (tokens !== null && !(tokens <= TOKEN_COUNT_MAX))
      return `the provider reported ${tokens} ${name} tokens, more than the ${TOKEN_COUNT_MAX} a result can record`;
  }
  if (row.costUsd !== null && !(Math.abs(row.costUsd) <= RESULT_COST_USD_MAX))
    return `cost ${row.costUsd} USD exceeds the ${RESULT_COST_USD_MAX} USD a result can record: check the endpoint's price_per_1k_input / price_per_1k_output`;
  return null;
}
