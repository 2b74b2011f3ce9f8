import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import {
  ADAPTIVE_DECREASE_COOLDOWN_MS,
  ADAPTIVE_INCREASE_AFTER_SUCCESSES,
  ADAPTIVE_MIN_FRACTION,
  ADAPTIVE_WINDOW_CALLS,
} from './constants.js';

/** A deterministic stand-in for Math.random (mulberry32). */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills the window with 429s, as an endpoint refusing everything beyond its real limit does. */
function overload(adaptive: AdaptiveConcurrency, atMs: number) {
  let current = adaptive.current;
  for (let i = 0; i < ADAPTIVE_WINDOW_CALLS; i++) current = adaptive.onRateLimited(atMs);
  return current;
}

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

  it('serves waiters by priority, first come first served among equals and after every prioritised one', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const first = await limiter.acquire();
    const order: string[] = [];
    const waiters = (
      [
        ['plain 1', undefined],
        ['chunk 1, sample 9', 1.9],
        ['chunk 0, sample 5 (a retry)', 0.5],
        ['chunk 1, sample 2', 1.2],
        ['plain 2', undefined],
        ['chunk 0, sample 5 again', 0.5],
      ] as const
    ).map(([name, priority]) =>
      limiter.acquire(undefined, priority).then((release) => {
        order.push(name);
        release();
      }),
    );
    first();
    await Promise.all(waiters);
    expect(order).toEqual([
      'chunk 0, sample 5 (a retry)',
      'chunk 0, sample 5 again',
      'chunk 1, sample 2',
      'chunk 1, sample 9',
      'plain 1',
      'plain 2',
    ]);
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
  it('halves under overload, never below its floor, and climbs back one slot per run of successes', () => {
    const adaptive = new AdaptiveConcurrency(16);
    const step = ADAPTIVE_DECREASE_COOLDOWN_MS;
    expect(adaptive.floor).toBe(Math.ceil(16 * ADAPTIVE_MIN_FRACTION));
    // A whole window of 429s within the cooldown (one wave of calls) counts once.
    expect(overload(adaptive, 0)).toBe(8);
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

  it('keeps its concurrency through scattered 429s (one call in five, at random)', () => {
    const adaptive = new AdaptiveConcurrency(16);
    const random = seeded(20);
    let rateLimited = 0;
    let lowest = adaptive.current;
    // 2,000 calls, each a full cooldown after the one before: every 429 is free to decrease.
    for (let i = 0; i < 2_000; i++) {
      if (random() < 0.2) {
        rateLimited++;
        lowest = Math.min(lowest, adaptive.onRateLimited(i * ADAPTIVE_DECREASE_COOLDOWN_MS));
      } else {
        adaptive.onSuccess();
      }
    }
    expect(rateLimited).toBeGreaterThan(300);
    expect(lowest).toBe(16);
  });

  it('a few 429s in a row are not overload; half of the recent calls are', () => {
    const adaptive = new AdaptiveConcurrency(16);
    for (let i = 0; i < 3; i++) expect(adaptive.onRateLimited(i * ADAPTIVE_DECREASE_COOLDOWN_MS)).toBe(16);
    for (let i = 0; i < ADAPTIVE_WINDOW_CALLS; i++) adaptive.onSuccess();
    // 9 of the last 20 calls: below half.
    for (let i = 0; i < 9; i++)
      expect(adaptive.onRateLimited((10 + i) * ADAPTIVE_DECREASE_COOLDOWN_MS)).toBe(16);
    // The 10th makes half.
    expect(adaptive.onRateLimited(20 * ADAPTIVE_DECREASE_COOLDOWN_MS)).toBe(8);
  });

  it('recovers additively: exactly +1 per ADAPTIVE_INCREASE_AFTER_SUCCESSES successes', () => {
    const adaptive = new AdaptiveConcurrency(16);
    const after429 = overload(adaptive, 0);
    const trace: number[] = [];
    for (let i = 0; i < 4 * ADAPTIVE_INCREASE_AFTER_SUCCESSES; i++) trace.push(adaptive.onSuccess());
    expect(adaptive.current).toBe(after429 + 4);
    // Never a jump: each step up is one slot.
    for (let i = 1; i < trace.length; i++) expect(trace[i] - trace[i - 1]).toBeLessThanOrEqual(1);
    // Overload after the cooldown cuts again, and the climb restarts from there.
    expect(overload(adaptive, ADAPTIVE_DECREASE_COOLDOWN_MS)).toBe(Math.floor((after429 + 4) / 2));
  });

  it('a limit of 1 stays 1', () => {
    const adaptive = new AdaptiveConcurrency(1);
    expect(overload(adaptive, 0)).toBe(1);
    expect(adaptive.onSuccess()).toBe(1);
  });
});
