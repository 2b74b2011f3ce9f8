/**
 * Tunables of the generation scheduler. Endpoint config (concurrency, rpm, tpm, max_attempts,
 * timeout_ms) overrides the per-endpoint ones; the rest are fixed here on purpose.
 */

/** Per-endpoint concurrency and attempt defaults and limits belong to the endpoint config. */
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  MAX_ATTEMPTS_LIMIT,
  MAX_CONCURRENCY,
} from '../../../core/endpoint-config.js';

/** Exponential back-off between attempts when the server gives no Retry-After. */
export const RETRY_BASE_DELAY_MS = 1_000;
export const RETRY_MAX_DELAY_MS = 30_000;

/** Added on top of a Retry-After (never subtracted), so workers told the same instant spread out. */
export const RETRY_AFTER_JITTER_MS = 250;

/** A server asking for a longer pause (a daily quota, say) fails the sample instead of parking the chunk
 * past its heartbeat and start-to-close timeouts. */
export const MAX_RETRY_AFTER_MS = 120_000;

/** Token buckets hold this many seconds of rpm/tpm: bursts stay as small as the providers' own
 * per-second enforcement (OpenAI quantises 60k rpm into 1k per second). */
export const RATE_LIMIT_BURST_SECONDS = 1;

/** A concurrency lease lives this long unless its holder renews it (every LEASE_RENEW_INTERVAL_MS while
 * the call runs): a killed worker's slots come back within this time, without anyone cleaning up. */
export const LEASE_TTL_MS = 15_000;
export const LEASE_RENEW_INTERVAL_MS = 5_000;

/** A finished call passes its concurrency lease to the next call waiting in the same process (no database
 * round trip) for this long after the lease was taken from the shared store; then the lease goes back, so
 * the slots keep circulating between workers. Only for endpoints limited by concurrency alone. */
export const LEASE_HANDOFF_WINDOW_MS = 2_000;

/** Waiting for a free concurrency slot held by another worker: poll, doubling up to the max. */
export const SLOT_POLL_MIN_MS = 10;
export const SLOT_POLL_MAX_MS = 200;

/** Shared slots asked for in one database round trip by a worker's pump. */
export const SLOT_BATCH_MAX = 64;

/** Adaptive concurrency (AIMD, as promptfoo's scheduler): a 429 multiplies this process's limit by
 * the factor; this many successes in a row give one slot back, up to the configured concurrency. */
export const ADAPTIVE_DECREASE_FACTOR = 0.5;
export const ADAPTIVE_INCREASE_AFTER_SUCCESSES = 5;
/** At most one decrease per this long: a burst of 429s answering one wave of calls is one signal,
 * not sixteen (as TCP backs off once per round trip). */
export const ADAPTIVE_DECREASE_COOLDOWN_MS = 1_000;
