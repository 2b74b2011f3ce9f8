import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import {
  ADAPTIVE_DECREASE_COOLDOWN_MS,
  ADAPTIVE_INCREASE_AFTER_SUCCESSES,
  ADAPTIVE_MIN_FRACTION,
} from './constants.js';

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
  it('halves on 429, never below its floor, and climbs back one slot per run of successes', () => {
    const adaptive = new AdaptiveConcurrency(16);
    const step = ADAPTIVE_DECREASE_COOLDOWN_MS;
    expect(adaptive.floor).toBe(Math.ceil(16 * ADAPTIVE_MIN_FRACTION));
    expect(adaptive.onRateLimited(0)).toBe(8);
    // A burst of 429s within the cooldown (one wave of calls) counts once.
    expect(adaptive.onRateLimited(1)).toBe(8);
    expect(adaptive.onRateLimited(step)).toBe(4);
    // Bounded: a long run of 429s stops at the floor instead of collapsing to 1.
    expect(adaptive.onRateLimited(2 * step)).toBe(adaptive.floor);
    expect(adaptive.onRateLimited(3 * step)).toBe(adaptive.floor);
    for (let i = 0; i < ADAPTIVE_INCREASE_AFTER_SUCCESSES - 1; i++) {
      expect(adaptive.onSuccess()).toBe(adaptive.floor);
    }
    expect(adaptive.onSuccess()).toBe(adaptive.floor + 1);
    for (let i = 0; i < 100 * ADAPTIVE_INCREASE_AFTER_SUCCESSES; i++) adaptive.onSuccess();
    expect(adaptive.current).toBe(16);
  });

  it('recovers additively: exactly +1 per ADAPTIVE_INCREASE_AFTER_SUCCESSES successes', () => {
    const adaptive = new AdaptiveConcurrency(16);
    adaptive.onRateLimited(0);
    const after429 = adaptive.current;
    const trace: number[] = [];
    for (let i = 0; i < 4 * ADAPTIVE_INCREASE_AFTER_SUCCESSES; i++) trace.push(adaptive.onSuccess());
    expect(adaptive.current).toBe(after429 + 4);
    // Never a jump: each step up is one slot.
    for (let i = 1; i < trace.length; i++) expect(trace[i] - trace[i - 1]).toBeLessThanOrEqual(1);
    // A 429 after the cooldown cuts again, and the climb restarts from there.
    expect(adaptive.onRateLimited(ADAPTIVE_DECREASE_COOLDOWN_MS)).toBe(Math.floor((after429 + 4) / 2));
  });

  it('a limit of 1 stays 1', () => {
    const adaptive = new AdaptiveConcurrency(1);
    expect(adaptive.onRateLimited(0)).toBe(1);
    expect(adaptive.onSuccess()).toBe(1);
  });
});
