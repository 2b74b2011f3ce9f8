/**
 * Opt-in response cache (eval_runs.use_cache). Only repetition 0 reads or writes it: repetitions exist to
 * measure variance, so serving them from the cache would make them identical by construction.
 */
import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { GenerationParams } from '../../core/endpoint-config.js';

/** Bump when the key's shape changes, so old entries are never misread. */
export const CACHE_KEY_VERSION = 2;

export interface CacheKeyParts {
  /** Tenants never share entries: another project's identical prompt must not read this one's output. */
  projectId: string;
  provider: string;
  /** Two servers may serve different weights under the same model name. */
  endpointUrl: string | null;
  model: string;
  params: GenerationParams;
  messages: Array<{ role: 'system' | 'user'; content: string }>;
}

/** JSON with sorted keys and no undefined values, so equal inputs always hash equally. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function responseCacheKey(parts: CacheKeyParts): string {
  const payload = JSON.stringify(canonical({ v: CACHE_KEY_VERSION, ...parts }));
  return crypto.createHash('sha256').update(payload).digest('hex');
}

export interface CachedResponse {
  output: string;
  finishReason: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

/** A hit also counts itself, in the same statement. */
export async function readCachedResponse(
  dataSource: DataSource,
  key: string,
): Promise<CachedResponse | null> {
  // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
  const rows: Array<Record<string, unknown>> = await dataSource.query(
    `WITH hit AS (UPDATE response_cache SET hit_count = hit_count + 1 WHERE cache_key = $1
                  RETURNING llm_output, finish_reason, token_count_input, token_count_output)
     SELECT * FROM hit`,
    [key],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    output: String(row.llm_output),
    finishReason: (row.finish_reason as string | null) ?? null,
    inputTokens: (row.token_count_input as number | null) ?? null,
    outputTokens: (row.token_count_output as number | null) ?? null,
  };
}

export async function storeCachedResponse(
  dataSource: DataSource,
  key: string,
  entry: CachedResponse & { provider: string; model: string },
): Promise<void> {
  await dataSource.query(
    `INSERT INTO response_cache (cache_key, provider, model_name, llm_output, finish_reason, token_count_input, token_count_output)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (cache_key) DO NOTHING`,
    [
      key,
      entry.provider,
      entry.model,
      entry.output,
      entry.finishReason,
      entry.inputTokens,
      entry.outputTokens,
    ],
  );
}
