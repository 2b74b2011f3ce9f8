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
  /** The ring sorted, kept until the ring changes: every attempt reads the percentiles several times. */
  #sorted: number[] | null = null;

  get count() {
    return this.#ring.length;
  }

  record(latencyMs: number) {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
    this.#timeoutStreak = 0;
    if (latencyMs > this.attemptTimeoutMs(Number.POSITIVE_INFINITY)) return;
    if (this.#ring.length < LATENCY_WINDOW) this.#ring.push(latencyMs);
    else this.#ring[this.#next] = latencyMs;
    this.#next = (this.#next + 1) % LATENCY_WINDOW;
    this.#sorted = null;
  }

  /** An attempt hit its deadline. */
  recordTimeout() {
    if (++this.#timeoutStreak < LATENCY_RESET_AFTER_TIMEOUTS) return;
    this.#timeoutStreak = 0;
    this.#ring = [];
    this.#next = 0;
    this.#sorted = null;
  }

  /** Nearest-rank percentile (q in (0, 1]); undefined before LATENCY_MIN_SAMPLES successes. */
  percentile(q: number): number | undefined {
    if (this.#ring.length < LATENCY_MIN_SAMPLES) return undefined;
    this.#sorted ??= [...this.#ring].sort((a, b) => a - b);
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
