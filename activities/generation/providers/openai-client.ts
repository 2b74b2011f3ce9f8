import { z } from 'zod';
import { MAX_TOP_LOGPROBS, refusesLogprobs } from '../../../judges/llm/chat-caller.js';
import { MAX_ERROR_BODY_BYTES, MAX_RESPONSE_BYTES } from '../constants.js';
import { type GuardedFetch, ResponseTooLargeError } from '../guarded-fetch.js';
import { HttpStatusError, InvalidResponseError } from '../model-errors.js';
import type { ChatClient, ChatRequest, ChatResponse } from './types.js';

const tokenLogprob = z.object({ token: z.string(), logprob: z.number() });

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
        // Malformed log-probabilities only cost the weighting, never the reply: read leniently.
        logprobs: z
          .object({
            content: z
              .array(tokenLogprob.extend({ top_logprobs: z.array(tokenLogprob).nullish() }))
              .nullish(),
          })
          .nullish()
          .catch(null),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

/** OpenAI's own API, when an endpoint names no URL. */
export const OPENAI_API_BASE_URL = 'https://api.openai.com/v1';

interface ChatCompletionBody {
  model: string;
  messages: Array<{ role: 'system' | 'user'; content: string }>;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: { type: 'json_schema'; json_schema: { name: string; schema: unknown; strict: true } };
  logprobs?: boolean;
  top_logprobs?: number;
}

/**
 * Chat completions on api.openai.com, or on any OpenAI-compatible server when `baseURL` is set
 * (vLLM, Ollama, llama.cpp, LiteLLM: their URL usually ends in /v1).
 *
 * One POST and one JSON body per call, sent with the guarded `request` rather than the openai SDK over
 * fetch: the SDK's per-call work (WHATWG Request, Headers and streams, its retry and header builders) was
 * the largest CPU share of a run's worker, and none of it is used (retries are ours, no streaming). Errors
 * keep the SDK's shape (`status`, `headers.get`, the body's message), which model-errors.ts classifies.
 */
export function createOpenAiClient(opts: {
  apiKey: string;
  baseURL: string | null;
  timeoutMs: number;
  http: Pick<GuardedFetch, 'request'>;
}): ChatClient {
  const url = `${(opts.baseURL ?? OPENAI_API_BASE_URL).replace(/\/+$/, '')}/chat/completions`;
  const headers = {
    authorization: `Bearer ${opts.apiKey}`,
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': 'evalforge',
  };
  // OpenAI's reasoning models reject max_tokens; most compatible servers only know max_tokens.
  const maxTokensField = opts.baseURL ? 'max_tokens' : 'max_completion_tokens';
  // Servers that refuse `logprobs` (reasoning models, some proxies) answer 400 naming it: asked again
  // without, and never again through this client.
  let logprobsRefused = false;

  async function send(body: ChatCompletionBody, req: ChatRequest): Promise<unknown> {
    const response = await opts.http.request(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: req.signal,
      headersTimeoutMs: req.timeoutMs,
    });
    if (response.status < 200 || response.status >= 300) {
      const text = await response.text(MAX_ERROR_BODY_BYTES).catch((err: unknown) => {
        if (err instanceof ResponseTooLargeError) return `(an error body over ${MAX_ERROR_BODY_BYTES} bytes)`;
        throw err;
      });
      throw new HttpStatusError(response.status, response.headers, text);
    }
    const text = await response.text(MAX_RESPONSE_BYTES);
    try {
      return JSON.parse(text);
    } catch {
      throw new InvalidResponseError('not a chat completion (the body is not JSON)');
    }
  }

  return {
    protocol: 'openai',
    async complete(req: ChatRequest): Promise<ChatResponse> {
      const messages: ChatCompletionBody['messages'] = [];
      if (req.system) messages.push({ role: 'system', content: req.system });
      messages.push({ role: 'user', content: req.input });
      const body: ChatCompletionBody = { model: req.model, messages };
      if (req.params.temperature !== undefined) body.temperature = req.params.temperature;
      if (req.params.top_p !== undefined) body.top_p = req.params.top_p;
      if (req.params.max_tokens !== undefined) body[maxTokensField] = req.params.max_tokens;
      if (req.responseFormat) {
        const { name, schema } = req.responseFormat;
        body.response_format = { type: 'json_schema', json_schema: { name, schema, strict: true } };
      }
      const withLogprobs = Boolean(req.logprobs) && !logprobsRefused;
      if (req.logprobs && withLogprobs) {
        body.logprobs = true;
        body.top_logprobs = Math.min(MAX_TOP_LOGPROBS, Math.max(0, req.logprobs.top));
      }

      let raw: unknown;
      try {
        raw = await send(body, req);
      } catch (err) {
        if (!withLogprobs || !refusesLogprobs(err)) throw err;
        logprobsRefused = true;
        delete body.logprobs;
        delete body.top_logprobs;
        raw = await send(body, req);
      }
      const parsed = completionSchema.safeParse(raw);
      if (!parsed.success) {
        throw new InvalidResponseError(
          `not a chat completion (${parsed.error.issues[0]?.path.join('.') || 'body'})`,
        );
      }
      const [choice] = parsed.data.choices;
      return {
        output: choice.message.content ?? '',
        finishReason: choice.finish_reason ?? null,
        inputTokens: parsed.data.usage?.prompt_tokens ?? null,
        outputTokens: parsed.data.usage?.completion_tokens ?? null,
        ...(withLogprobs && {
          logprobs:
            choice.logprobs?.content?.map((t) => ({
              token: t.token,
              logprob: t.logprob,
              top: (t.top_logprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })),
            })) ?? null,
        }),
      };
    },
  };
}
