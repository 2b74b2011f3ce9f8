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

/** Exponential back-off between attempts when the server gives no Retry-After: 0.5, 1, 2, 4 s… (the
 * OpenAI and Anthropic SDKs start at 0.5 s too), with equal jitter. A timed-out attempt retries at once:
 * it already waited several times the endpoint's normal latency (see LATENCY_TIMEOUT_FACTOR). */
export const RETRY_BASE_DELAY_MS = 500;
export const RETRY_MAX_DELAY_MS = 30_000;

/** Added on top of a Retry-After (never subtracted), so workers told the same instant spread out: up
 * to this share of it, at most RETRY_AFTER_JITTER_MAX_MS (a 1 s Retry-After comes back within 1.1 s). */
export const RETRY_AFTER_JITTER_SHARE = 0.1;
export const RETRY_AFTER_JITTER_MAX_MS = 250;

/** A 429's Retry-After binds the request that got it (it retries after the Retry-After plus jitter, see
 * backoff.ts); the endpoint as a whole answers 429s through adaptive concurrency only — as the OpenAI and
 * Anthropic SDKs and promptfoo do. One exception: a burst, when at least RATE_LIMIT_BURST_MIN_429S of this
 * worker's last RATE_LIMIT_BURST_CALLS calls were 429s ending within RATE_LIMIT_BURST_WINDOW_MS. Then the
 * key is refused outright (a spent shared quota, another tool draining it), every freed slot would go straight
 * to a fresh sample that draws another instant 429 — hammering the provider and burning each sample's
 * attempts — so the endpoint pauses for every worker, for the Retry-After (or RETRY_BASE_DELAY_MS when
 * there is none), at most RATE_LIMIT_BURST_PAUSE_MAX_MS. Scattered 429s (even one call in five) almost
 * never reach 8 of 10: they only shrink concurrency and delay their own request. */
export const RATE_LIMIT_BURST_CALLS = 10;
export const RATE_LIMIT_BURST_MIN_429S = 8;
export const RATE_LIMIT_BURST_WINDOW_MS = 2_000;
export const RATE_LIMIT_BURST_PAUSE_MAX_MS = 5_000;

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

/** Multiplicative decrease is bounded: a run of bare 429s never takes this process below this share of
 * the configured concurrency (at least 1), so recovery (+1 per ADAPTIVE_INCREASE_AFTER_SUCCESSES) is a
 * few dozen calls rather than hundreds. */
export const ADAPTIVE_MIN_FRACTION = 0.25;

/** A 429 decreases concurrency only when it shows overload: at least this share of the last
 * ADAPTIVE_WINDOW_CALLS calls (and at least ADAPTIVE_OVERLOAD_MIN_429S of them) were 429s. With one call
 * in five refused at random, 10 of 20 happens about once in 400 windows; sixteen calls against a limit of
 * eight refuse half at once. */
export const ADAPTIVE_WINDOW_CALLS = 20;
export const ADAPTIVE_OVERLOAD_SHARE = 0.5;
export const ADAPTIVE_OVERLOAD_MIN_429S = 4;

/** Per-attempt deadline from observed latency: max(floor, k × p99 of the last successes), capped at the
 * endpoint's timeout_ms. A stuck call then costs a few normal call times, not a full timeout_ms, while
 * slow-but-normal answers stay well inside it. The configured timeout applies until enough samples. */
export const LATENCY_WINDOW = 200;
export const LATENCY_MIN_SAMPLES = 20;
export const LATENCY_TIMEOUT_FACTOR = 4;
/** Below this no deadline is cut: connection setup and GC pauses are not a slow model. */
export const LATENCY_TIMEOUT_FLOOR_MS = 2_000;
/** This many timeouts in a row (no success between) mean the endpoint got slower, not a few stuck calls:
 * the observed latencies are dropped and the configured timeout applies until new ones come in. */
export const LATENCY_RESET_AFTER_TIMEOUTS = 3;
/** A running call's deadline and hedging are re-judged this often against the latest latencies: a call
 * sent before there was any data must not sit out the whole configured timeout. */
export const DEADLINE_RECHECK_MS = 1_000;

/** Hedging: at the end of a chunk (no sample left to start), a call running longer than this percentile
 * of recent latencies gets one duplicate request; the first answer wins and the other is aborted. */
export const HEDGE_PERCENTILE = 0.95;
/** Never hedge sooner than this: on a very fast endpoint a duplicate would mostly duplicate cost. */
export const HEDGE_MIN_DELAY_MS = 50;
