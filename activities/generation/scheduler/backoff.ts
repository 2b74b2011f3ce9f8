import {
  DEFAULT_MAX_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  RETRY_AFTER_JITTER_MAX_MS,
  RETRY_AFTER_JITTER_SHARE,
  RETRY_BASE_DELAY_MS,
  RETRY_MAX_DELAY_MS,
} from './constants.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longer Retry-After values end the sample's attempts instead of waiting. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: DEFAULT_MAX_ATTEMPTS,
  baseDelayMs: RETRY_BASE_DELAY_MS,
  maxDelayMs: RETRY_MAX_DELAY_MS,
  maxRetryAfterMs: MAX_RETRY_AFTER_MS,
};

/** The most a Retry-After is stretched by jitter. */
export function retryAfterJitterMs(retryAfterMs: number): number {
  return Math.min(RETRY_AFTER_JITTER_MAX_MS, retryAfterMs * RETRY_AFTER_JITTER_SHARE);
}

/**
 * Delay before attempt `failedAttempt + 1`. A Retry-After is honoured as a floor (plus a little jitter so
 * the workers told the same instant do not all come back at once); otherwise exponential back-off with
 * "equal jitter" (half fixed, half random) so it never collapses to zero.
 */
export function retryDelayMs(
  failedAttempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs + random() * retryAfterJitterMs(retryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
