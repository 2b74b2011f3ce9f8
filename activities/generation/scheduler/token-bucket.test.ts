import { describe, expect, it } from 'vitest';
import { bucketCapacity, decide, fullBucket, type RateLimits } from './token-bucket.js';

describe('token buckets', () => {
  const limits: RateLimits = { concurrency: 10, rpm: 120, tpm: 6_000 };

  it('hold one second of budget', () => {
    expect(bucketCapacity(120)).toBe(2);
    expect(bucketCapacity(6_000)).toBe(100);
    expect(bucketCapacity(10)).toBe(1); // at least one request
    expect(bucketCapacity(undefined)).toBe(0);
  });

  it('grant a burst, then pace at the rpm rate', () => {
    let state = fullBucket(limits, 0);
    for (let i = 0; i < 2; i++) {
      const d = decide(state, 0, limits, 10, 0);
      if (!d.granted) throw new Error('expected a grant');
      state = d.state;
    }
    const refused = decide(state, 0, limits, 10, 0);
    expect(refused).toEqual({ granted: false, waitMs: 500, reason: 'rpm' });
    expect(decide(state, 500, limits, 10, 0).granted).toBe(true);
  });

  it('pace tokens, and let a call bigger than the bucket through once it is full', () => {
    const state = fullBucket(limits, 0);
    const big = decide(state, 0, limits, 250, 0);
    expect(big.granted).toBe(true);
    if (!big.granted) return;
    expect(big.state.tokens).toBe(-150);
    const next = decide(big.state, 0, limits, 50, 0);
    expect(next).toEqual({ granted: false, waitMs: 2_000, reason: 'tpm' });
  });

  it('refuse while paused or at the concurrency limit', () => {
    const state = { ...fullBucket(limits, 0), pausedUntilMs: 1_500 };
    expect(decide(state, 1_000, limits, 1, 0)).toEqual({ granted: false, waitMs: 500, reason: 'paused' });
    expect(decide(fullBucket(limits, 0), 0, limits, 1, 10)).toMatchObject({
      granted: false,
      reason: 'concurrency',
    });
  });

  it('ignore rpm and tpm when the endpoint sets none', () => {
    const open: RateLimits = { concurrency: 1 };
    const d = decide(fullBucket(open, 0), 0, open, 1_000_000, 0);
    expect(d.granted).toBe(true);
  });
});
