import { CHARS_PER_TOKEN_ESTIMATE } from './constants.js';

/** Tokens a text will probably take, before the provider has counted them (tpm reservations, budget). */
export function estimateTokens(...texts: Array<string | null | undefined>): number {
  const chars = texts.reduce((sum, t) => sum + (t?.length ?? 0), 0);
  return Math.ceil(chars / CHARS_PER_TOKEN_ESTIMATE);
}
