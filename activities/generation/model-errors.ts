import { findOutboundRefusal } from '../../core/outbound-policy.js';
import { MAX_UPSTREAM_ERROR_CHARS } from './constants.js';
import { ResponseBodyError, ResponseTooLargeError } from './guarded-fetch.js';
import { type HeaderLookup, parseRetryAfterMs } from './scheduler/retry-after.js';

export type ModelErrorKind =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection'
  | 'malformed_response'
  | 'invalid_request'
  | 'auth'
  | 'not_found'
  | 'client_error'
  | 'missing_api_key'
  | 'outbound_refused'
  | 'cancelled'
  | 'unknown';

const RETRYABLE_KINDS: ReadonlySet<ModelErrorKind> = new Set([
  'rate_limited',
  'server_error',
  'timeout',
  'connection',
  'malformed_response',
]);

/** A failed model call, classified once so the retry loop, the stored error and the logs agree. */
export class ModelCallError extends Error {
  override name = 'ModelCallError';
  readonly retryable: boolean;

  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    retryable?: boolean,
  ) {
    super(message);
    this.retryable = retryable ?? RETRYABLE_KINDS.has(kind);
  }
}

/** A 200 whose body is not the provider's schema (a proxy's error page, a half-implemented server). */
export class InvalidResponseError extends Error {
  override name = 'InvalidResponseError';
}

/** A non-2xx answer: its status, headers (Retry-After, x-should-retry) and what the body said, in the shape
 * the SDKs' API errors have (`status`, `headers.get`, the body in the message). */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly headers: HeaderLookup,
    body: string,
  ) {
    super(`${status} ${errorDetail(body)}`);
  }
}

/** `error.message` of a JSON error body (OpenAI, Anthropic and most compatible servers), else the text. */
function errorDetail(body: string): string {
  if (!body.trim()) return 'status code (no body)';
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const error = parsed?.error;
    if (typeof error === 'string') return error;
    if (typeof error?.message === 'string') return error.message;
    if (typeof parsed?.message === 'string') return parsed.message;
  } catch {
    // not JSON: the text itself
  }
  return body;
}

/** The SDKs put the reply body in their error messages: only its start is kept (and stored). */
function upstreamText(text: string): string {
  return text.length > MAX_UPSTREAM_ERROR_CHARS
    ? `${text.slice(0, MAX_UPSTREAM_ERROR_CHARS)}… (truncated)`
    : text;
}

/** Node socket errors that mean "try again", whichever SDK or fetch layer surfaces them. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface ErrorLike {
  name?: string;
  message?: string;
  status?: unknown;
  headers?: unknown;
  code?: unknown;
  cause?: unknown;
}

function networkCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as ErrorLike;
  if (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return e.code;
  return networkCode(e.cause, depth + 1);
}

function statusKind(status: number): ModelErrorKind {
  if (status === 429) return 'rate_limited';
  if (status >= 500 || status === 408 || status === 409) return 'server_error';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 422 || status === 413) return 'invalid_request';
  return 'client_error';
}

/**
 * Maps whatever a provider client (our OpenAI-protocol client, the anthropic SDK, undici underneath) threw
 * to a ModelCallError. `deadlineHit` / `cancelled` say which of our own signals aborted the call, since the
 * clients report either as a plain abort.
 */
export function classifyModelError(
  err: unknown,
  ctx: { deadlineHit: boolean; cancelled: boolean; timeoutMs: number },
  nowMs = Date.now(),
): ModelCallError {
  if (err instanceof ModelCallError) return err;
  // The outbound policy refused the URL or the address it resolved to (core/outbound-policy.ts): nothing was
  // sent and a retry gets the same answer. The message is the reason, never a reply body.
  const refusal = findOutboundRefusal(err);
  if (refusal) return new ModelCallError('outbound_refused', `outbound request refused: ${refusal.message}`);
  if (ctx.cancelled) return new ModelCallError('cancelled', 'cancelled: the activity was cancelled');
  if (ctx.deadlineHit)
    return new ModelCallError('timeout', `timeout: no complete response within ${ctx.timeoutMs} ms`);
  const e = (err ?? {}) as ErrorLike;
  const message = upstreamText(String(e.message ?? err));
  if (err instanceof InvalidResponseError)
    return new ModelCallError('malformed_response', `malformed response: ${message}`);
  // A body past what a worker holds in memory will be as large next time: not retried.
  if (err instanceof ResponseTooLargeError)
    return new ModelCallError(
      'malformed_response',
      `malformed response: ${message}`,
      undefined,
      undefined,
      false,
    );
  if (typeof e.status === 'number') {
    const headers = e.headers as HeaderLookup | undefined;
    const kind = statusKind(e.status);
    // Both providers may say explicitly whether a retry can help; they know better than the status code.
    const shouldRetry = headers?.get?.('x-should-retry');
    const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : undefined;
    const retryAfterMs = headers?.get ? parseRetryAfterMs(headers, nowMs) : undefined;
    return new ModelCallError(
      kind,
      `${kind} (HTTP ${e.status}): ${message}`,
      e.status,
      retryAfterMs,
      retryable,
    );
  }
  const code = networkCode(err);
  if (e.name === 'APIConnectionTimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new ModelCallError('timeout', `timeout: no response within ${ctx.timeoutMs} ms`);
  }
  if (err instanceof SyntaxError)
    return new ModelCallError('malformed_response', `malformed response: ${message}`);
  // undici's fetch reports a body cut short as TypeError('terminated') with the socket error as its cause;
  // the guarded request as ResponseBodyError.
  if (err instanceof ResponseBodyError || message === 'terminated' || (err instanceof TypeError && code)) {
    return new ModelCallError(
      'connection',
      `truncated response: connection closed mid-body (${code ?? message})`,
    );
  }
  if (e.name === 'APIConnectionError' || code) {
    return new ModelCallError('connection', `connection error: ${message}${code ? ` (${code})` : ''}`);
  }
  return new ModelCallError('unknown', `${e.name ?? 'Error'}: ${message}`);
}
