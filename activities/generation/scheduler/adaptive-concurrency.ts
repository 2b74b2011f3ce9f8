import {
  ADAPTIVE_DECREASE_COOLDOWN_MS,
  ADAPTIVE_DECREASE_FACTOR,
  ADAPTIVE_INCREASE_AFTER_SUCCESSES,
  ADAPTIVE_MIN_FRACTION,
} from './constants.js';

/**
 * Additive-increase / multiplicative-decrease of this process's concurrency for one endpoint:
 * a 429 cuts it (at most once per cooldown, never below ADAPTIVE_MIN_FRACTION of the max), each run of
 * ADAPTIVE_INCREASE_AFTER_SUCCESSES successes gives one slot back, never above the configured max.
 * Providers' limits are often per key and shared with other tools, so configured limits can be wrong.
 */
export class AdaptiveConcurrency {
  #max: number;
  #current: number;
  #successes = 0;
  #lastDecreaseAt = Number.NEGATIVE_INFINITY;

  constructor(max: number) {
    this.#max = Math.max(1, Math.floor(max));
    this.#current = this.#max;
  }

  get current() {
    return this.#current;
  }

  get max() {
    return this.#max;
  }

  /** The bound on multiplicative decrease. */
  get floor() {
    return Math.max(1, Math.ceil(this.#max * ADAPTIVE_MIN_FRACTION));
  }

  setMax(max: number) {
    this.#max = Math.max(1, Math.floor(max));
    this.#current = Math.min(this.#current, this.#max);
  }

  onRateLimited(nowMs = Date.now()): number {
    this.#successes = 0;
    if (nowMs - this.#lastDecreaseAt < ADAPTIVE_DECREASE_COOLDOWN_MS) return this.#current;
    this.#lastDecreaseAt = nowMs;
    this.#current = Math.max(this.floor, Math.floor(this.#current * ADAPTIVE_DECREASE_FACTOR));
    return this.#current;
  }

  onSuccess(): number {
    if (this.#current >= this.#max) return this.#current;
    this.#successes++;
    if (this.#successes >= ADAPTIVE_INCREASE_AFTER_SUCCESSES) {
      this.#successes = 0;
      this.#current++;
    }
    return this.#current;
  }
}
