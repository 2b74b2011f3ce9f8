import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryAfterJitterMs, retryDelayMs } from './backoff.js';
import { RETRY_AFTER_JITTER_MAX_MS } from './constants.js';

const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retryDelayMs', () => {
  it('grows exponentially with equal jitter, capped', () => {
    expect(retryDelayMs(1, policy, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(1, policy, undefined, () => 1)).toBe(100);
    expect(retryDelayMs(3, policy, undefined, () => 0)).toBe(200);
    expect(retryDelayMs(3, policy, undefined, () => 1)).toBe(400);
    expect(retryDelayMs(10, policy, undefined, () => 1)).toBe(1_000);
  });

  it('never waits less than Retry-After, and adds at most the jitter', () => {
    expect(retryDelayMs(1, policy, 5_000, () => 0)).toBe(5_000);
    expect(retryDelayMs(1, policy, 5_000, () => 0.999)).toBeLessThan(5_000 + RETRY_AFTER_JITTER_MAX_MS);
    // A short Retry-After is stretched in proportion: a 1 s one comes back within 1.1 s.
    expect(retryDelayMs(1, policy, 1_000, () => 0.999)).toBeLessThan(1_100);
    expect(retryAfterJitterMs(1_000)).toBe(100);
    expect(retryAfterJitterMs(60_000)).toBe(RETRY_AFTER_JITTER_MAX_MS);
    // Retry-After wins over the back-off cap too: the server knows its own window.
    expect(retryDelayMs(9, policy, 20_000, () => 0.5)).toBeGreaterThanOrEqual(20_000);
  });
});
