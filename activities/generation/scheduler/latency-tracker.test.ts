import { describe, expect, it } from 'vitest';
import {
  HEDGE_MIN_DELAY_MS,
  LATENCY_MIN_SAMPLES,
  LATENCY_RESET_AFTER_TIMEOUTS,
  LATENCY_TIMEOUT_FACTOR,
  LATENCY_TIMEOUT_FLOOR_MS,
  LATENCY_WINDOW,
} from './constants.js';
import { LatencyTracker } from './latency-tracker.js';

const CONFIGURED_MS = 60_000;
const fill = (tracker: LatencyTracker, ms: (i: number) => number, n = LATENCY_MIN_SAMPLES) => {
  for (let i = 0; i < n; i++) tracker.record(ms(i));
};

describe('LatencyTracker', () => {
  it('keeps the configured timeout and never hedges until it has enough successes', () => {
    const tracker = new LatencyTracker();
    fill(tracker, () => 1_000, LATENCY_MIN_SAMPLES - 1);
    expect(tracker.attemptTimeoutMs(CONFIGURED_MS)).toBe(CONFIGURED_MS);
    expect(tracker.hedgeDelayMs()).toBeUndefined();
    tracker.record(1_000);
    expect(tracker.attemptTimeoutMs(CONFIGURED_MS)).toBe(LATENCY_TIMEOUT_FACTOR * 1_000);
    expect(tracker.hedgeDelayMs()).toBe(1_000);
  });

  it('derives the deadline from p99: k × p99, at least the floor, at most the configured timeout', () => {
    const tracker = new LatencyTracker();
    // 100 successes 1..100 × 100 ms: p99 is 9,900 ms, p95 9,500 ms.
    fill(tracker, (i) => (i + 1) * 100, 100);
    expect(tracker.percentile(0.99)).toBe(9_900);
    expect(tracker.attemptTimeoutMs(CONFIGURED_MS)).toBe(LATENCY_TIMEOUT_FACTOR * 9_900);
    expect(tracker.attemptTimeoutMs(20_000)).toBe(20_000);
    expect(tracker.hedgeDelayMs()).toBe(9_500);

    const fast = new LatencyTracker();
    fill(fast, () => 5);
    expect(fast.attemptTimeoutMs(CONFIGURED_MS)).toBe(LATENCY_TIMEOUT_FLOOR_MS);
    expect(fast.hedgeDelayMs()).toBe(HEDGE_MIN_DELAY_MS);
  });

  it('forgets old latencies beyond its window', () => {
    const tracker = new LatencyTracker();
    fill(tracker, () => 10_000, LATENCY_WINDOW);
    fill(tracker, () => 100, LATENCY_WINDOW - 1);
    // One slow one left in the window: p99 of 200 is the 198th, already fast.
    expect(tracker.attemptTimeoutMs(CONFIGURED_MS)).toBe(LATENCY_TIMEOUT_FLOOR_MS);
  });

  it('its percentiles are those of the last LATENCY_WINDOW successes, sorted afresh', () => {
    const tracker = new LatencyTracker();
    const recorded: number[] = [];
    let x = 7;
    for (let i = 0; i < 3 * LATENCY_WINDOW + 17; i++) {
      x = (x * 48_271) % 2_147_483_647; // a fixed pseudo-random walk, repeated values included
      const ms = 100 + (x % 400);
      tracker.record(ms);
      recorded.push(ms);
    }
    const window = recorded.slice(-LATENCY_WINDOW).sort((a, b) => a - b);
    for (const q of [0.01, 0.5, 0.95, 0.99, 1]) {
      expect(tracker.percentile(q)).toBe(window[Math.ceil(q * window.length) - 1]);
    }
  });

  it('leaves out a straggler slower than the deadline now in force', () => {
    const tracker = new LatencyTracker();
    fill(tracker, () => 100);
    tracker.record(40_000);
    expect(tracker.count).toBe(LATENCY_MIN_SAMPLES);
    expect(tracker.attemptTimeoutMs(CONFIGURED_MS)).toBe(LATENCY_TIMEOUT_FLOOR_MS);
  });

  it('falls back to the configured timeout after timeouts in a row (the endpoint got slower)', () => {
    const tracker = new LatencyTracker();
    fill(tracker, () => 100);
    for (let i = 0; i < LATENCY_RESET_AFTER_TIMEOUTS - 1; i++) tracker.recordTimeout();
    tracker.record(150); // a success between: not a streak
    for (let i = 0; i < LATENCY_RESET_AFTER_TIMEOUTS - 1; i++) tracker.recordTimeout();
    expect(tracker.attemptTimeoutMs(CONFIGURED_MS)).toBe(LATENCY_TIMEOUT_FLOOR_MS);
    tracker.recordTimeout();
    expect(tracker.count).toBe(0);
    expect(tracker.attemptTimeoutMs(CONFIGURED_MS)).toBe(CONFIGURED_MS);
  });
});
