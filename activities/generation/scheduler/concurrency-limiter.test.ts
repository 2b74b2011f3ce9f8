import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { ADAPTIVE_DECREASE_COOLDOWN_MS, ADAPTIVE_INCREASE_AFTER_SUCCESSES } from './constants.js';

describe('ConcurrencyLimiter', () => {
  it('admits up to its limit, FIFO, and follows limit changes', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const order: string[] = [];
    const c = limiter.acquire().then((r) => {
      order.push('c');
      return r;
    });
    const d = limiter.acquire().then((r) => {
      order.push('d');
      return r;
    });
    await Promise.resolve();
    expect(limiter.active).toBe(2);
    expect(limiter.waiting).toBe(2);
    a();
    a(); // releasing twice frees one slot only
    const releaseC = await c;
    expect(order).toEqual(['c']);
    expect(limiter.waiting).toBe(1);
    limiter.setLimit(1);
    b();
    releaseC();
    const releaseD = await d;
    expect(order).toEqual(['c', 'd']);
    expect(limiter.active).toBe(1);
    releaseD();
    expect(limiter.active).toBe(0);
  });

  it('stops waiting when aborted', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await limiter.acquire();
    const abort = new AbortController();
    const waiting = limiter.acquire(abort.signal);
    abort.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(limiter.waiting).toBe(0);
  });
});

describe('AdaptiveConcurrency', () => {
  it('halves on 429 and climbs back one slot per run of successes', () => {
    const adaptive = new AdaptiveConcurrency(8);
    const step = ADAPTIVE_DECREASE_COOLDOWN_MS;
    expect(adaptive.onRateLimited(0)).toBe(4);
    // A burst of 429s within the cooldown (one wave of calls) counts once.
    expect(adaptive.onRateLimited(1)).toBe(4);
    expect(adaptive.onRateLimited(step)).toBe(2);
    expect(adaptive.onRateLimited(2 * step)).toBe(1);
    expect(adaptive.onRateLimited(3 * step)).toBe(1);
    for (let i = 0; i < ADAPTIVE_INCREASE_AFTER_SUCCESSES - 1; i++) expect(adaptive.onSuccess()).toBe(1);
    expect(adaptive.onSuccess()).toBe(2);
    for (let i = 0; i < 100 * ADAPTIVE_INCREASE_AFTER_SUCCESSES; i++) adaptive.onSuccess();
    expect(adaptive.current).toBe(8);
  });
});
