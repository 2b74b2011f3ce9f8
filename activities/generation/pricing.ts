import type { EndpointConfig } from '../../core/endpoint-config.js';

export interface ModelPrice {
  /** USD per 1,000 tokens */
  inputPer1k: number;
  outputPer1k: number;
}

/**
 * List prices (USD per 1k tokens) of common models when this table was written; endpoints override
 * them with `price_per_1k_input` / `price_per_1k_output` (also how local models get a price, usually 0).
 * Matched by longest prefix, so dated snapshots (gpt-4o-2024-08-06) find their family.
 */
export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { inputPer1k: 0.0025, outputPer1k: 0.01 },
  'gpt-4o-mini': { inputPer1k: 0.00015, outputPer1k: 0.0006 },
  'gpt-4.1': { inputPer1k: 0.002, outputPer1k: 0.008 },
  'gpt-4.1-mini': { inputPer1k: 0.0004, outputPer1k: 0.0016 },
  'gpt-4.1-nano': { inputPer1k: 0.0001, outputPer1k: 0.0004 },
  'gpt-4-turbo': { inputPer1k: 0.01, outputPer1k: 0.03 },
  'gpt-3.5-turbo': { inputPer1k: 0.0005, outputPer1k: 0.0015 },
  o1: { inputPer1k: 0.015, outputPer1k: 0.06 },
  o3: { inputPer1k: 0.002, outputPer1k: 0.008 },
  'o3-mini': { inputPer1k: 0.0011, outputPer1k: 0.0044 },
  'o4-mini': { inputPer1k: 0.0011, outputPer1k: 0.0044 },
  'claude-3-haiku': { inputPer1k: 0.00025, outputPer1k: 0.00125 },
  'claude-3-5-haiku': { inputPer1k: 0.0008, outputPer1k: 0.004 },
  'claude-3-5-sonnet': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'claude-3-7-sonnet': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'claude-sonnet-4': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'claude-3-opus': { inputPer1k: 0.015, outputPer1k: 0.075 },
  'claude-opus-4': { inputPer1k: 0.015, outputPer1k: 0.075 },
};

/** Cost columns are numeric(14,6). */
const COST_DECIMALS = 6;

export function defaultPriceFor(modelName: string): ModelPrice | null {
  let best: string | null = null;
  for (const prefix of Object.keys(DEFAULT_MODEL_PRICES)) {
    if (modelName.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
  }
  return best ? DEFAULT_MODEL_PRICES[best] : null;
}

/** The endpoint's price: config overrides (each side on its own) over the table; null when unknown. */
export function resolvePrice(
  modelName: string,
  config: Pick<EndpointConfig, 'price_per_1k_input' | 'price_per_1k_output'>,
): ModelPrice | null {
  const listed = defaultPriceFor(modelName);
  const input = config.price_per_1k_input ?? listed?.inputPer1k;
  const output = config.price_per_1k_output ?? listed?.outputPer1k;
  if (input === undefined && output === undefined) return null;
  return { inputPer1k: input ?? 0, outputPer1k: output ?? 0 };
}

export function costUsd(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  const raw = (inputTokens / 1_000) * price.inputPer1k + (outputTokens / 1_000) * price.outputPer1k;
  return Number(raw.toFixed(COST_DECIMALS));
}
