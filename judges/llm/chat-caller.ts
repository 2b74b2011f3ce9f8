import type OpenAI from 'openai';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * Structured output: the reply must be JSON matching `schema` (OpenAI `response_format` json_schema, strict).
 * Keep schemas inside OpenAI's strict subset (every property required, additionalProperties false, no
 * numeric or length constraints), which vLLM, llama.cpp, Ollama and the local server also accept.
 */
export interface JsonSchemaResponseFormat {
  /** [a-zA-Z0-9_-], at most 64 characters. */
  name: string;
  schema: Record<string, unknown>;
}

export interface ChatCallOptions {
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  /** Ask for JSON matching a schema; callers whose protocol has no such option may ignore it. */
  responseFormat?: JsonSchemaResponseFormat;
  /** Ask for each generated token's log-probability and its `top` most likely alternatives (OpenAI
   * `logprobs` / `top_logprobs`, at most 20); callers whose protocol has none may ignore it. */
  logprobs?: { top: number };
}

/** One generated token with its log-probability and the most likely alternatives at its position. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

/** The OpenAI chat-completions `response_format` for a JSON schema. */
export function openAiResponseFormat(format: JsonSchemaResponseFormat) {
  return {
    type: 'json_schema' as const,
    json_schema: { name: format.name, schema: format.schema, strict: true },
  };
}

export interface ChatCallResult {
  text: string;
  /** As the provider reported them; null when it did not. */
  inputTokens: number | null;
  outputTokens: number | null;
  finishReason?: string | null;
  /** What the call cost, when the runner knows the endpoint's price. */
  costUsd?: number | null;
  /** Per-token log-probabilities of the reply, when asked for and the server returned them. */
  logprobs?: TokenLogprob[] | null;
}

/**
 * What LLM-as-judge needs from a model runner: messages in, text and token counts out. It throws when the
 * call failed for good (after the runner's own retries); the judge then retries once and records an error.
 * Prompts are always one system message and one user message, so single-turn runners fit too.
 */
export interface ChatCaller {
  /** The judge model's id, recorded with every score. */
  readonly model: string;
  call(messages: ChatMessage[], options?: ChatCallOptions): Promise<ChatCallResult>;
}

/** OpenAI's limit on `top_logprobs`. */
export const MAX_TOP_LOGPROBS = 20;

/** A 400 naming `logprobs`: the server (a reasoning model, some proxies) does not take the field. */
export const refusesLogprobs = (err: unknown) =>
  err instanceof Error && (err as { status?: number }).status === 400 && /logprob/i.test(err.message);

/**
 * A ChatCaller over any OpenAI-compatible server. SDK retries stay off: the judge's retry is the only one.
 * A server that refuses `logprobs` (a 400 naming it: reasoning models, some proxies) is asked again without
 * them, and this caller stops asking that server.
 */
export function createOpenAIChatCaller(opts: { client: OpenAI; model: string }): ChatCaller {
  let logprobsRefused = false;
  const create = (messages: ChatMessage[], options: ChatCallOptions, withLogprobs: boolean) =>
    opts.client.chat.completions.create(
      {
        model: opts.model,
        messages,
        temperature: options.temperature,
        max_tokens: options.maxTokens,
        ...(options.responseFormat && { response_format: openAiResponseFormat(options.responseFormat) }),
        ...(withLogprobs &&
          options.logprobs && {
            logprobs: true,
            top_logprobs: Math.min(MAX_TOP_LOGPROBS, Math.max(0, options.logprobs.top)),
          }),
      },
      { signal: options.signal, maxRetries: 0 },
    );
  return {
    model: opts.model,
    async call(messages, options = {}) {
      let completion: Awaited<ReturnType<typeof create>>;
      try {
        completion = await create(messages, options, !logprobsRefused);
      } catch (err) {
        if (!refusesLogprobs(err) || !options.logprobs || logprobsRefused) throw err;
        logprobsRefused = true;
        completion = await create(messages, options, false);
      }
      const choice = completion.choices[0];
      return {
        text: choice?.message?.content ?? '',
        inputTokens: completion.usage?.prompt_tokens ?? null,
        outputTokens: completion.usage?.completion_tokens ?? null,
        finishReason: choice?.finish_reason ?? null,
        logprobs:
          choice?.logprobs?.content?.map((t) => ({
            token: t.token,
            logprob: t.logprob,
            top: (t.top_logprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })),
          })) ?? null,
      };
    },
  };
}
