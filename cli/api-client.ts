/** A small HTTP client for the EvalForge API: bearer auth, JSON, errors mapped to exit codes. */
import { CliError, EXIT } from './exit-codes.js';

export interface ApiClientOptions {
  baseUrl: string;
  apiKey?: string;
  /** Attempts for requests that are safe to repeat (GETs, POSTs with an Idempotency-Key). */
  retries?: number;
  retryDelayMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  /**
   * Repeat on network errors, 5xx and 429, waiting as Retry-After says when the server sends it. Only for
   * idempotent requests: a POST repeats with the same headers, so its Idempotency-Key finds the first attempt's run.
   */
  retry?: boolean;
  /** Give up on one attempt after this long. */
  timeoutMs?: number;
}

export const DEFAULT_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_MS = 1_000;
/** A Retry-After longer than this is not waited for: the CLI gives up and says why. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Answers worth repeating as they are: the server could not take the request now. */
const isRetryableStatus = (status: number) => status >= 500 || status === 429;

/** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export class ApiClient {
  readonly baseUrl: string;

  constructor(private readonly opts: ApiClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  }

  async get<T>(path: string, opts: RequestOptions = {}) {
    return this.request<T>('GET', path, { retry: true, ...opts });
  }

  async post<T>(path: string, opts: RequestOptions = {}) {
    return this.request<T>('POST', path, opts);
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const attempts = opts.retry ? (this.opts.retries ?? DEFAULT_RETRIES) : 1;
    let lastError: CliError | undefined;
    let serverDelayMs: number | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1)
        await sleep(serverDelayMs ?? (this.opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * (attempt - 1));
      serverDelayMs = null;
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers,
          body,
          ...(isStream(body) ? { duplex: 'half' } : {}),
          ...(opts.timeoutMs ? { signal: AbortSignal.timeout(opts.timeoutMs) } : {}),
        } as RequestInit);
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const reason =
          (err as Error).name === 'TimeoutError'
            ? `no answer within ${opts.timeoutMs} ms`
            : (cause?.code ?? cause?.message ?? (err as Error).message);
        lastError = new CliError(`cannot reach EvalForge at ${this.baseUrl}: ${reason}`, EXIT.UNAVAILABLE);
        continue;
      }
      if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
      const error = await errorFrom(method, url, res);
      if (!isRetryableStatus(res.status)) throw error;
      serverDelayMs = retryAfterMs(res.headers.get('retry-after'));
      // Not worth waiting for (or not retrying at all): fail now with the server's answer.
      if (serverDelayMs !== null && serverDelayMs > MAX_RETRY_AFTER_MS) throw error;
      lastError = error;
    }
    throw lastError!;
  }
}

async function errorFrom(method: string, url: URL, res: Response): Promise<CliError> {
  const text = await res.text();
  let parsed: ErrorBody = {};
  try {
    parsed = JSON.parse(text);
  } catch {}
  const message = parsed.error?.message ?? (text.slice(0, 200) || res.statusText);
  const what = `${method} ${url.pathname}`;
  if (res.status >= 500)
    return new CliError(`${what}: server error ${res.status}: ${message}`, EXIT.UNAVAILABLE);
  if (res.status === 401) {
    return new CliError(`${what}: ${message} (set EVALFORGE_API_KEY or --api-key)`, EXIT.API_ERROR);
  }
  const details = parsed.error?.details ? `\n${JSON.stringify(parsed.error.details, null, 2)}` : '';
  const error = new CliError(
    `${what}: ${res.status} ${parsed.error?.code ?? ''} ${message}${details}`.replace(/\s+$/, ''),
    EXIT.API_ERROR,
  );
  return Object.assign(error, {
    status: res.status,
    code: parsed.error?.code,
    serverMessage: message,
    details: parsed.error?.details,
  });
}

/** True when the server answered 404 because it has no such route (an older server), not no such record. */
export const isMissingRoute = (err: unknown) =>
  err instanceof CliError &&
  (err as { status?: number }).status === 404 &&
  /^no route for /.test((err as { serverMessage?: string }).serverMessage ?? '');

const isStream = (body: unknown) => typeof body === 'object' && body !== null && 'getReader' in body;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
