/**
 * Calls one endpoint's model for a prompt: limits (per-endpoint concurrency, rpm, tpm shared by all
 * workers), a deadline per attempt, error classification, and attempts with back-off that honours
 * Retry-After. SDK retries are off, so the attempts counted here are the requests the provider sees.
 * A failure after the last attempt is an outcome, not an exception: the caller records it and goes on.
 * Exceptions are only for our own infrastructure (the database behind the limiter).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { RunPrompts } from '../../core/config-run.js';
import { type EndpointConfig, generationParams, parseEndpointConfig } from '../../core/endpoint-config.js';
import { renderTemplate } from '../../core/eval-config.js';
import {
  type OutboundPolicy,
  OutboundRefusedError,
  type OutboundVerdict,
} from '../../core/outbound-policy.js';
import type { LlmEndpoint } from '../../db/entities/index.js';
import type { Logger } from '../../lib/logger.js';
import {
  type ApiKeyResolution,
  type EnvReader,
  processEnv,
  redactSecret,
  resolveEndpointApiKey,
} from './api-key.js';
import { CLIENT_TIMEOUT_SLACK_MS, DEFAULT_MAX_OUTPUT_TOKENS, MAX_ERROR_LENGTH } from './constants.js';
import { guardedFetchFor } from './guarded-fetch.js';
import { classifyModelError, type ModelCallError, type ModelErrorKind } from './model-errors.js';
import { costUsd, type ModelPrice, resolvePrice } from './pricing.js';
import { assertSupportedEndpoint, createChatClient } from './providers/create-chat-client.js';
import type { ChatClient, ResponseFormat, TokenLogprob } from './providers/types.js';
import { type CacheKeyParts, responseCacheKey } from './response-cache.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './scheduler/backoff.js';
import { DEADLINE_RECHECK_MS, LEASE_TTL_MS } from './scheduler/constants.js';
import type { EndpointLimiter, Permit } from './scheduler/endpoint-limiter.js';
import { limiterRegistryFor } from './scheduler/limiter-registry.js';
import { estimateTokens } from './token-estimate.js';

export interface Prompt {
  system: string | null;
  input: string;
}

/** What a prompt is made from: the sample, and for templates its reference and metadata too. */
export interface PromptSample {
  system_prompt: string | null;
  input_text: string;
  reference_output?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface ModelCallOutcome {
  /** `cancelled`: our activity was cancelled mid-call; nothing to record, a resume redoes it. */
  status: 'succeeded' | 'failed' | 'cancelled';
  output: string;
  finishReason: string | null;
  /** Of the successful attempt only (waits and failed attempts excluded). */
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Redacted; null on success. */
  error: string | null;
  errorKind: ModelErrorKind | null;
  /** Requests actually sent (hedged duplicates included). */
  attempts: number;
  /** Of those, duplicates sent by hedging: each is paid for like the answer kept (see costOf). */
  hedgedRequests?: number;
  /** Per-token log-probabilities of the output, when asked for and the server returned them. */
  logprobs?: TokenLogprob[] | null;
}

export interface ModelCallOptions {
  /** JSON-schema structured output, sent over the OpenAI protocol only (judges ask for their verdict). */
  responseFormat?: ResponseFormat;
  /** Per-token log-probabilities with the `top` likeliest alternatives (OpenAI protocol only). */
  logprobs?: { top: number };
  /** Asked when a request runs past ~p95 of recent latencies: true sends one duplicate (first answer
   * wins). A chunk says true once no sample is left to start, so duplicates only fill slots that would
   * otherwise idle behind its stragglers. */
  hedge?: () => boolean;
  /** Lower is served first when calls wait for this worker's slots for the endpoint (default: after
   * every prioritised call, in arrival order). A chunk gives its samples their order, so a retry goes
   * before samples not yet tried and older chunks finish first. */
  priority?: number;
}

type ChatResponse = Awaited<ReturnType<ChatClient['complete']>>;
interface AttemptResult {
  response?: ChatResponse;
  error?: ModelCallError;
  latencyMs: number;
}
interface Attempt {
  done: Promise<AttemptResult>;
  /** performance.now() when it was sent. */
  started: number;
  abort(): void;
}

/** Why a hedging wait's signal was aborted: the request it watched ended. */
const FIRST_REQUEST_ENDED = new Error('the first request ended');

/** True when `ended` settles within `ms`; no error is made either way (cheap enough for every call). */
function endsWithin(ended: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    ended.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface ModelRunnerDeps {
  dataSource: DataSource;
  logger: Logger;
  /** Which URLs and addresses the calls may reach (checked before each call and again on connect). */
  outboundPolicy: OutboundPolicy;
}

export interface ModelRunnerOptions {
  /** Where api_key_env, the encryption key and the key allowlist are looked up (default: process.env of
   * the worker). */
  env?: EnvReader;
  /** Overrides of the back-off (tests shorten it); max_attempts comes from the endpoint config. */
  retryPolicy?: Partial<Omit<RetryPolicy, 'maxAttempts'>>;
  random?: () => number;
  /** The run's prompt templates (an evalforge.yaml's `prompts`): each sample's prompt is rendered from them
   * instead of its own text, and the sample's and the endpoint's system prompts are not used. */
  prompts?: RunPrompts | null;
}

export interface ModelRunner {
  readonly endpoint: LlmEndpoint;
  readonly config: EndpointConfig;
  /** null when neither the price table nor the endpoint config knows the model. */
  readonly price: ModelPrice | null;
  /** The prompt sent for a sample (rendered from the run's templates when it has them). */
  promptFor(sample: PromptSample): Prompt;
  /** Keyed on the prompt as sent, so a rendered template caches under its rendered text. */
  cacheKey(prompt: Prompt): string;
  /** Worst-case cost of one call (estimated input, max_tokens output) for the budget check. */
  worstCaseCostUsd(prompt: Prompt): number | null;
  /** Cost of a finished call; estimates tokens the provider did not report. */
  costOf(outcome: ModelCallOutcome, prompt: Prompt): number | null;
  call(prompt: Prompt, signal?: AbortSignal, options?: ModelCallOptions): Promise<ModelCallOutcome>;
}

/** Throws EndpointConfigError (or UnsupportedEndpointError) for a config that can never work. */
export function createModelRunner(
  deps: ModelRunnerDeps,
  endpoint: LlmEndpoint,
  options: ModelRunnerOptions = {},
): ModelRunner {
  const config = parseEndpointConfig(endpoint.config);
  const price = resolvePrice(endpoint.model_name, config);
  const params = generationParams(config);
  const maxOutputTokens = config.max_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retryPolicy,
    maxAttempts: config.max_attempts,
  };
  assertSupportedEndpoint(endpoint);
  // Every request goes through the outbound policy (guarded-fetch.ts: again on connect, for the address the
  // name resolves to). A URL it refuses outright fails each call before the key is read or a slot taken.
  const guardedHttp = guardedFetchFor(deps.outboundPolicy);
  const urlVerdict: OutboundVerdict = endpoint.endpoint_url?.trim()
    ? deps.outboundPolicy.checkUrl(endpoint.endpoint_url.trim())
    : { allowed: true };
  // The key is resolved on the first call (a provider secret is read and decrypted then), once per runner.
  let keyResolution: Promise<{ key: ApiKeyResolution; client: ChatClient | null }> | undefined;
  let secret: string | undefined;
  const resolveKey = () => {
    keyResolution ??= resolveEndpointApiKey(deps.dataSource, endpoint, options.env ?? processEnv).then(
      (key) => {
        secret = key.ok ? key.apiKey : undefined;
        return {
          key,
          client: key.ok ? createChatClient(endpoint, key.apiKey, config.timeout_ms, guardedHttp) : null,
        };
      },
      (err) => {
        keyResolution = undefined; // a database error: the next call tries again
        throw err;
      },
    );
    return keyResolution;
  };
  const limiter: EndpointLimiter = limiterRegistryFor(deps.dataSource).forEndpoint(endpoint.id, {
    concurrency: config.concurrency,
    rpm: config.rpm,
    tpm: config.tpm,
    leaseTtlMs: LEASE_TTL_MS,
  });
  const log = deps.logger.child({
    endpointId: endpoint.id,
    provider: endpoint.provider,
    model: endpoint.model_name,
  });

  const messages = (prompt: Prompt): CacheKeyParts['messages'] => [
    ...(prompt.system ? [{ role: 'system' as const, content: prompt.system }] : []),
    { role: 'user' as const, content: prompt.input },
  ];

  const outcome = (
    fields: Partial<ModelCallOutcome> & Pick<ModelCallOutcome, 'status' | 'attempts'>,
  ): ModelCallOutcome => ({
    output: '',
    finishReason: null,
    latencyMs: null,
    inputTokens: null,
    outputTokens: null,
    error: null,
    errorKind: null,
    ...fields,
  });

  const withHedged = (result: ModelCallOutcome, hedged: number): ModelCallOutcome =>
    hedged > 0 ? { ...result, hedgedRequests: hedged } : result;

  const failed = (error: ModelCallError, attempts: number, note = ''): ModelCallOutcome =>
    outcome({
      status: 'failed',
      attempts,
      errorKind: error.kind,
      error: redactSecret(`${error.message}${note}`, secret).slice(0, MAX_ERROR_LENGTH),
    });

  async function call(
    prompt: Prompt,
    signal: AbortSignal = new AbortController().signal,
    callOptions: ModelCallOptions = {},
  ): Promise<ModelCallOutcome> {
    if (!urlVerdict.allowed) {
      const refusal = OutboundRefusedError.from(urlVerdict);
      return failed(classifyModelError(refusal, { cancelled: false, deadlineHit: false, timeoutMs: 0 }), 0);
    }
    const { key, client } = await resolveKey();
    if (!key.ok || !client) {
      return outcome({
        status: 'failed',
        attempts: 0,
        errorKind: 'missing_api_key',
        error: key.ok ? null : key.error,
      });
    }
    const estimatedInput = estimateTokens(prompt.system, prompt.input);
    const estimatedTotal = estimatedInput + maxOutputTokens;
    let attempts = 0;
    /** Duplicate requests sent by hedging (counted in attempts too). */
    let hedged = 0;

    /**
     * One request on a permit it releases when the request ends (at once, a timed-out one too). Its
     * deadline follows the endpoint's latency as it is learnt: a call sent before there was any data (under
     * the configured timeout) is cut as soon as it outlives the latency-based one.
     */
    function startAttempt(permit: Permit): Attempt {
      const local = new AbortController();
      const deadline = new AbortController();
      const started = performance.now();
      let timeoutMs = config.timeout_ms;
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        timeoutMs = limiter.latency.attemptTimeoutMs(config.timeout_ms);
        const left = timeoutMs - (performance.now() - started);
        if (left <= 0) deadline.abort(new DOMException('attempt deadline', 'TimeoutError'));
        else timer = setTimeout(check, Math.min(left, DEADLINE_RECHECK_MS));
      };
      check();
      const done = (async (): Promise<AttemptResult> => {
        let error: ModelCallError | undefined;
        let response: ChatResponse | undefined;
        try {
          response = await client!.complete({
            model: endpoint.model_name,
            system: prompt.system,
            input: prompt.input,
            params,
            timeoutMs: config.timeout_ms + CLIENT_TIMEOUT_SLACK_MS,
            signal: AbortSignal.any([signal, deadline.signal, local.signal]),
            ...(callOptions.responseFormat && { responseFormat: callOptions.responseFormat }),
            ...(callOptions.logprobs && { logprobs: callOptions.logprobs }),
          });
        } catch (err) {
          error = classifyModelError(err, {
            cancelled: signal.aborted || local.signal.aborted,
            deadlineHit: deadline.signal.aborted,
            timeoutMs,
          });
        } finally {
          clearTimeout(timer);
        }
        const latencyMs = Math.round(performance.now() - started);
        if (response) {
          limiter.latency.record(latencyMs);
          await permit.release({
            tokensUsed:
              (response.inputTokens ?? estimatedInput) +
              (response.outputTokens ?? estimateTokens(response.output)),
          });
          return { response, latencyMs };
        }
        const failure = error!;
        if (failure.kind === 'timeout') limiter.latency.recordTimeout();
        await permit.release({
          // A hedge's loser was sent in full: its input counts against tpm.
          tokensUsed: local.signal.aborted ? estimatedInput : 0,
          rateLimited: failure.kind === 'rate_limited',
          // Delays this request only (below); the limiter shrinks concurrency on the 429 and sizes a burst
          // pause with it. An hour-long Retry-After (a spent quota) fails the sample with the reason instead.
          retryAfterMs:
            failure.retryAfterMs === undefined
              ? undefined
              : Math.min(failure.retryAfterMs, policy.maxRetryAfterMs),
        });
        return { error: failure, latencyMs };
      })();
      return { done, started, abort: () => local.abort() };
    }

    /**
     * Hedging, while `shouldHedge` says so (the end of a chunk): once the first request has run past the
     * hedging delay (~p95 of recent latencies; re-checked every DEADLINE_RECHECK_MS, as both the delay and
     * the chunk's answer change), one duplicate goes out on a slot of its own. The first answer wins and
     * the other request is aborted; if both fail, the later failure decides the retry (it carries the
     * freshest Retry-After).
     */
    async function withHedge(
      first: Attempt,
      shouldHedge: (() => boolean) | undefined,
    ): Promise<{ result: AttemptResult; hedges: number }> {
      if (!shouldHedge) return { result: await first.done, hedges: 0 };
      const firstEnded = new AbortController();
      // Either way it ends (a failed lease release rejects): a rejection left unhandled would kill the worker.
      // A shared reason: every call passes here, and a fresh DOMException per call is CPU for nothing.
      const ended = first.done.then(
        () => firstEnded.abort(FIRST_REQUEST_ENDED),
        () => firstEnded.abort(FIRST_REQUEST_ENDED),
      );
      for (;;) {
        const hedgeDelayMs = limiter.latency.hedgeDelayMs();
        const elapsed = performance.now() - first.started;
        const due = hedgeDelayMs !== undefined && elapsed >= hedgeDelayMs;
        if (due && shouldHedge() && !signal.aborted) break;
        const waitMs = due || hedgeDelayMs === undefined ? DEADLINE_RECHECK_MS : hedgeDelayMs - elapsed;
        if (await endsWithin(ended, Math.min(waitMs, DEADLINE_RECHECK_MS))) {
          return { result: await first.done, hedges: 0 };
        }
      }
      let permit: Permit;
      try {
        permit = await limiter.acquire(
          estimatedTotal,
          AbortSignal.any([signal, firstEnded.signal]),
          callOptions.priority,
        );
      } catch (err) {
        if (signal.aborted || firstEnded.signal.aborted) return { result: await first.done, hedges: 0 };
        throw err;
      }
      if (firstEnded.signal.aborted) {
        // The first request ended while the duplicate waited for its slot.
        await permit.release({ tokensUsed: 0 });
        return { result: await first.done, hedges: 0 };
      }
      const second = startAttempt(permit);
      // The first answer wins; two failures: the later decides; a rejection (e.g. the lease store down)
      // is thrown only when the other request cannot answer either.
      const winner = await new Promise<{ result: AttemptResult; loser: Attempt }>((resolve, reject) => {
        let ended = 0;
        for (const [mine, other] of [
          [first, second],
          [second, first],
        ] as const) {
          mine.done.then(
            (result) => {
              ended++;
              if (result.response || ended === 2) resolve({ result, loser: other });
            },
            (err) => {
              if (++ended === 2) reject(err);
            },
          );
        }
      });
      winner.loser.abort();
      return { result: winner.result, hedges: 1 };
    }

    for (;;) {
      if (signal.aborted) return outcome({ status: 'cancelled', attempts });
      let permit: Awaited<ReturnType<EndpointLimiter['acquire']>>;
      try {
        permit = await limiter.acquire(estimatedTotal, signal, callOptions.priority);
      } catch (err) {
        if (signal.aborted) return outcome({ status: 'cancelled', attempts });
        throw err;
      }
      attempts++;
      const { result, hedges } = await withHedge(startAttempt(permit), callOptions.hedge);
      attempts += hedges;
      hedged += hedges;

      if (result.response) {
        return outcome({
          status: 'succeeded',
          attempts,
          latencyMs: result.latencyMs,
          ...result.response,
          ...(hedged > 0 && { hedgedRequests: hedged }),
        });
      }
      const failure = result.error!;
      if (failure.kind === 'cancelled') return outcome({ status: 'cancelled', attempts });

      const context = {
        attempt: attempts,
        kind: failure.kind,
        status: failure.status,
        retryAfterMs: failure.retryAfterMs,
      };
      if (!failure.retryable || attempts >= policy.maxAttempts) {
        log.warn({ ...context, error: redactSecret(failure.message, secret) }, 'model call failed for good');
        return withHedged(
          failed(failure, attempts, failure.retryable ? ` (gave up after ${attempts} attempts)` : ''),
          hedged,
        );
      }
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
        log.warn(context, 'Retry-After beyond what a chunk waits; sample fails');
        return withHedged(
          failed(
            failure,
            attempts,
            ` (Retry-After ${Math.ceil(failure.retryAfterMs / 1_000)} s exceeds the ${policy.maxRetryAfterMs / 1_000} s a chunk waits)`,
          ),
          hedged,
        );
      }
      // A timed-out attempt spaced itself (its deadline is several normal latencies): retry at once.
      const waitMs =
        failure.kind === 'timeout' ? 0 : retryDelayMs(attempts, policy, failure.retryAfterMs, options.random);
      log.debug({ ...context, waitMs: Math.round(waitMs) }, 'model call failed; retrying');
      try {
        await delay(waitMs, undefined, { signal });
      } catch {
        return outcome({ status: 'cancelled', attempts });
      }
    }
  }

  return {
    endpoint,
    config,
    price,
    promptFor: (sample) => {
      const templates = options.prompts;
      if (!templates) {
        return { system: sample.system_prompt ?? config.system_prompt ?? null, input: sample.input_text };
      }
      const view = {
        input_text: sample.input_text,
        expected_output: sample.reference_output ?? null,
        metadata: sample.metadata ?? null,
      };
      return {
        system: templates.system === undefined ? null : renderTemplate(templates.system, view),
        input: renderTemplate(templates.user, view),
      };
    },
    cacheKey: (prompt) =>
      responseCacheKey({
        projectId: endpoint.project_id,
        provider: endpoint.provider,
        endpointUrl: endpoint.endpoint_url,
        model: endpoint.model_name,
        params,
        messages: messages(prompt),
      }),
    worstCaseCostUsd: (prompt) =>
      price ? costUsd(price, estimateTokens(prompt.system, prompt.input), maxOutputTokens) : null,
    costOf: (result, prompt) => {
      if (!price) return null;
      if (result.status !== 'succeeded') return 0;
      // A hedged duplicate asked the same prompt and was billed too: counted at the kept answer's cost.
      return (
        costUsd(
          price,
          result.inputTokens ?? estimateTokens(prompt.system, prompt.input),
          result.outputTokens ?? estimateTokens(result.output),
        ) *
        (1 + (result.hedgedRequests ?? 0))
      );
    },
    call,
  };
}
