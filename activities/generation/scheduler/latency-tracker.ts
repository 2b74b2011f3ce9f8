import {
  HEDGE_MIN_DELAY_MS,
  HEDGE_PERCENTILE,
  LATENCY_MIN_SAMPLES,
  LATENCY_RESET_AFTER_TIMEOUTS,
  LATENCY_TIMEOUT_FACTOR,
  LATENCY_TIMEOUT_FLOOR_MS,
  LATENCY_WINDOW,
} from './constants.js';

/**
 * Latencies of this process's recent successful calls to one endpoint (a ring of LATENCY_WINDOW), for
 * a per-attempt deadline and the hedging delay. Failures are left out: a 429 answers in a millisecond
 * and a timeout would feed its own deadline back into the next.
 */
export class LatencyTracker {
  #ring: number[] = [];
  #next = 0;
  #timeoutStreak = 0;
  /** The ring's values in order, kept in step with it (every attempt reads the percentiles several times;
   * re-sorting after each success cost more than the insert). */
  #sorted: number[] = [];

  get count() {
    return this.#ring.length;
  }

  record(latencyMs: number) {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
    this.#timeoutStreak = 0;
    if (latencyMs > this.attemptTimeoutMs(Number.POSITIVE_INFINITY)) return;
    if (this.#ring.length < LATENCY_WINDOW) {
      this.#ring.push(latencyMs);
    } else {
      this.#sorted.splice(lowerBound(this.#sorted, this.#ring[this.#next]), 1);
      this.#ring[this.#next] = latencyMs;
    }
    this.#sorted.splice(lowerBound(this.#sorted, latencyMs), 0, latencyMs);
    this.#next = (this.#next + 1) % LATENCY_WINDOW;
  }

  /** An attempt hit its deadline. */
  recordTimeout() {
    if (++this.#timeoutStreak < LATENCY_RESET_AFTER_TIMEOUTS) return;
    this.#timeoutStreak = 0;
    this.#ring = [];
    this.#next = 0;
    this.#sorted = [];
  }

  /** Nearest-rank percentile (q in (0, 1]); undefined before LATENCY_MIN_SAMPLES successes. */
  percentile(q: number): number | undefined {
    if (this.#ring.length < LATENCY_MIN_SAMPLES) return undefined;
    const sorted = this.#sorted;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  }

  /** max(floor, k × p99), never above the configured timeout; the configured timeout until enough data. */
  attemptTimeoutMs(configuredMs: number): number {
    const p99 = this.percentile(0.99);
    if (p99 === undefined) return configuredMs;
    return Math.min(
      configuredMs,
      Math.max(LATENCY_TIMEOUT_FLOOR_MS, Math.ceil(LATENCY_TIMEOUT_FACTOR * p99)),
    );
  }

  /** How long a call runs before a duplicate is worth it; undefined (never) before enough data. */
  hedgeDelayMs(): number | undefined {
    const p = this.percentile(HEDGE_PERCENTILE);
    return p === undefined ? undefined : Math.max(HEDGE_MIN_DELAY_MS, p);
  }
}

/** The first index in `sorted` whose value is not below `value`. */
function lowerBound(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
