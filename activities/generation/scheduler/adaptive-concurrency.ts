import {
  ADAPTIVE_DECREASE_COOLDOWN_MS,
  ADAPTIVE_DECREASE_FACTOR,
  ADAPTIVE_INCREASE_AFTER_SUCCESSES,
  ADAPTIVE_MIN_FRACTION,
  ADAPTIVE_OVERLOAD_MIN_429S,
  ADAPTIVE_OVERLOAD_SHARE,
  ADAPTIVE_WINDOW_CALLS,
} from './constants.js';

/**
 * Additive-increase / multiplicative-decrease of this process's concurrency for one endpoint:
 * a 429 that shows overload (see #overloaded) cuts it (at most once per cooldown, never below
 * ADAPTIVE_MIN_FRACTION of the max), each run of ADAPTIVE_INCREASE_AFTER_SUCCESSES successes gives one
 * slot back, never above the configured max. Providers' limits are often per key and shared with other
 * tools, so configured limits can be wrong.
 */
export class AdaptiveConcurrency {
  #max: number;
  #current: number;
  #successes = 0;
  #lastDecreaseAt = Number.NEGATIVE_INFINITY;
  /** How this process's last ADAPTIVE_WINDOW_CALLS calls ended: true for a 429. */
  #window: boolean[] = [];

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
    this.#remember(true);
    if (!this.#overloaded()) return this.#current;
    if (nowMs - this.#lastDecreaseAt < ADAPTIVE_DECREASE_COOLDOWN_MS) return this.#current;
    this.#lastDecreaseAt = nowMs;
    this.#current = Math.max(this.floor, Math.floor(this.#current * ADAPTIVE_DECREASE_FACTOR));
    return this.#current;
  }

  /** Any call that did not draw a 429 (its other failures are not the endpoint's limit). */
  onSuccess(): number {
    this.#remember(false);
    if (this.#current >= this.#max) return this.#current;
    this.#successes++;
    if (this.#successes >= ADAPTIVE_INCREASE_AFTER_SUCCESSES) {
      this.#successes = 0;
      this.#current++;
    }
    return this.#current;
  }

  #remember(rateLimited: boolean) {
    this.#window.push(rateLimited);
    if (this.#window.length > ADAPTIVE_WINDOW_CALLS) this.#window.shift();
  }

  /**
   * Over the limit: at least ADAPTIVE_OVERLOAD_SHARE of the recent calls (and ADAPTIVE_OVERLOAD_MIN_429S)
   * drew a 429. An endpoint we overload refuses the excess, a share that grows with it; scattered 429s
   * (a provider shedding load at random, another tool's bursts) stay well below, and each already waits
   * its own Retry-After — halving for them would only leave slots empty.
   */
  #overloaded(): boolean {
    const limited = this.#window.filter(Boolean).length;
    return limited >= ADAPTIVE_OVERLOAD_MIN_429S && limited >= this.#window.length * ADAPTIVE_OVERLOAD_SHARE;
  }
}
