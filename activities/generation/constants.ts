/** Tunables of model generation (the scheduler's own live in scheduler/constants.ts). */

/** Per-attempt deadline defaults and limits belong to the endpoint config (core/endpoint-config.ts). */
export { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../../core/endpoint-config.js';

/** A client's own timeout (until headers) is set this much beyond our per-attempt deadline, so ours always
 * fires first and the error says which deadline it was. */
export const CLIENT_TIMEOUT_SLACK_MS = 1_000;

/** Anthropic requires max_tokens; also the output size assumed for budget and tpm estimates when unset. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1_024;

/** Conservative characters-per-token for estimates made before a call (English averages ~4): tpm
 * reservations and the budget check should over- rather than under-estimate. */
export const CHARS_PER_TOKEN_ESTIMATE = 3;

/** Samples a chunk works on at once, per concurrency slot: while one writes its result row, another is
 * already waiting for the slot, so database writes never leave a slot idle. The limiter still bounds
 * the actual calls. */
export const SAMPLES_IN_PROGRESS_PER_SLOT = 2;

/** Heartbeat at least this often, even while a call or a Retry-After wait is in progress. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** …and at most this often, however fast samples finish. Cancellation arrives with a heartbeat's reply,
 * so this stays well under the worker's 2 s heartbeat throttle. */
export const HEARTBEAT_MIN_GAP_MS = 500;

/** Error text kept on a result row. */
export const MAX_ERROR_LENGTH = 2_000;

/** What an error keeps of the text a model server sent (an error body, a non-JSON page): enough to
 * diagnose, too little to turn the results API into a reader of whatever the endpoint URL points at. */
export const MAX_UPSTREAM_ERROR_CHARS = 500;

/** Largest successful response body a worker reads (a chat completion is a few KB; logprobs add ~100 bytes
 * per token): beyond it the call fails instead of the worker buffering whatever a server streams. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Largest error body read to find its message (only MAX_UPSTREAM_ERROR_CHARS of it are kept). */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
