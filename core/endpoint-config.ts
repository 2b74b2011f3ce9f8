import { z } from 'zod';
import { atMost, PRICE_PER_1K_TOKENS_MAX, RATE_LIMIT_MAX, TOKEN_COUNT_MAX } from '../db/column-bounds.js';

/** Per-attempt deadline when the endpoint config sets no timeout_ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
export const MAX_TIMEOUT_MS = 600_000;
/** Concurrent calls per endpoint, across all workers, when the endpoint config sets none. */
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 512;
/** Attempts per sample (first call included) before it is recorded as failed. */
export const DEFAULT_MAX_ATTEMPTS = 5;
export const MAX_ATTEMPTS_LIMIT = 10;

/** `llm_endpoints.config`: generation parameters, limits and price overrides. Never secrets. Unknown keys
 * are ignored here (the endpoint API decides how strict to be when storing). */
export const endpointConfigSchema = z.object({
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  // Output tokens are stored in an integer column; a provider honouring max_tokens stays within it.
  max_tokens: z.number().int().positive().max(TOKEN_COUNT_MAX, atMost(TOKEN_COUNT_MAX)).optional(),
  /** Used when a sample has no system prompt of its own. */
  system_prompt: z.string().optional(),
  timeout_ms: z.number().int().positive().max(MAX_TIMEOUT_MS).default(DEFAULT_TIMEOUT_MS),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(DEFAULT_CONCURRENCY),
  rpm: z.number().positive().max(RATE_LIMIT_MAX, atMost(RATE_LIMIT_MAX)).optional(),
  tpm: z.number().positive().max(RATE_LIMIT_MAX, atMost(RATE_LIMIT_MAX)).optional(),
  max_attempts: z.number().int().min(1).max(MAX_ATTEMPTS_LIMIT).default(DEFAULT_MAX_ATTEMPTS),
  // Checked here, before any call: a cost the result row cannot hold would otherwise surface after the
  // (paid) call, when the row is written.
  price_per_1k_input: z
    .number()
    .min(0)
    .max(PRICE_PER_1K_TOKENS_MAX, atMost(PRICE_PER_1K_TOKENS_MAX))
    .optional(),
  price_per_1k_output: z
    .number()
    .min(0)
    .max(PRICE_PER_1K_TOKENS_MAX, atMost(PRICE_PER_1K_TOKENS_MAX))
    .optional(),
});

export type EndpointConfig = z.infer<typeof endpointConfigSchema>;

/** The parameters that change what the model answers: sent to the provider and part of the cache key. */
export function generationParams(config: EndpointConfig) {
  return { temperature: config.temperature, top_p: config.top_p, max_tokens: config.max_tokens };
}

export type GenerationParams = ReturnType<typeof generationParams>;

export class EndpointConfigError extends Error {
  override name = 'EndpointConfigError';
}

export function parseEndpointConfig(raw: unknown): EndpointConfig {
  const parsed = endpointConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new EndpointConfigError(`invalid endpoint config: ${issues.join('; ')}`);
  }
  return parsed.data;
}
