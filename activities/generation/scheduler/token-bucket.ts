/**
 * Token-bucket arithmetic for requests-per-minute and tokens-per-minute, kept pure so the shared
 * (PostgreSQL) store and the tests use the very same rules. Buckets start full, refill continuously
 * and hold RATE_LIMIT_BURST_SECONDS worth of budget.
 */
import { RATE_LIMIT_BURST_SECONDS } from './constants.js';

export interface RateLimits {
  /** Calls in flight at once, across all workers. */
  concurrency: number;
  rpm?: number;
  tpm?: number;
}

export interface BucketState {
  requests: number;
  tokens: number;
  refilledAtMs: number;
  pausedUntilMs: number | null;
}

export type BucketDecision =
  | { granted: true; state: BucketState }
  | { granted: false; waitMs: number; reason: 'paused' | 'concurrency' | 'rpm' | 'tpm' };

export function bucketCapacity(perMinute: number | undefined): number {
  if (!perMinute) return 0;
  return Math.max(1, (perMinute * RATE_LIMIT_BURST_SECONDS) / 60);
}

export function fullBucket(limits: RateLimits, nowMs: number): BucketState {
  return {
    requests: bucketCapacity(limits.rpm),
    tokens: bucketCapacity(limits.tpm),
    refilledAtMs: nowMs,
    pausedUntilMs: null,
  };
}

export function refill(state: BucketState, nowMs: number, limits: RateLimits): BucketState {
  const elapsedMinutes = Math.max(0, nowMs - state.refilledAtMs) / 60_000;
  const grow = (value: number, perMinute?: number) =>
    perMinute ? Math.min(bucketCapacity(perMinute), value + elapsedMinutes * perMinute) : value;
  return {
    requests: grow(state.requests, limits.rpm),
    tokens: grow(state.tokens, limits.tpm),
    refilledAtMs: Math.max(state.refilledAtMs, nowMs),
    pausedUntilMs: state.pausedUntilMs,
  };
}

/** ms until `value` reaches `needed` at `perMinute` refill. */
function msUntil(value: number, needed: number, perMinute: number) {
  return Math.ceil(((needed - value) / perMinute) * 60_000);
}

/**
 * Whether a call costing `tokens` (an estimate) may start now, given `inFlight` calls already running.
 * A call bigger than the whole token bucket waits for a full bucket and then drives it negative, so it
 * is paced at the tpm rate instead of waiting forever.
 */
export function decide(
  state: BucketState,
  nowMs: number,
  limits: RateLimits,
  tokens: number,
  inFlight: number,
): BucketDecision {
  if (state.pausedUntilMs !== null && state.pausedUntilMs > nowMs) {
    return { granted: false, waitMs: Math.ceil(state.pausedUntilMs - nowMs), reason: 'paused' };
  }
  if (inFlight >= limits.concurrency) return { granted: false, waitMs: 0, reason: 'concurrency' };
  const current = refill(state, nowMs, limits);
  if (limits.rpm && current.requests < 1) {
    return { granted: false, waitMs: msUntil(current.requests, 1, limits.rpm), reason: 'rpm' };
  }
  if (limits.tpm) {
    const needed = Math.min(tokens, bucketCapacity(limits.tpm));
    if (current.tokens < needed) {
      return { granted: false, waitMs: msUntil(current.tokens, needed, limits.tpm), reason: 'tpm' };
    }
  }
  return {
    granted: true,
    state: {
      ...current,
      requests: limits.rpm ? current.requests - 1 : current.requests,
      tokens: limits.tpm ? current.tokens - tokens : current.tokens,
    },
  };
}
