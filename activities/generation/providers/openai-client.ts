import OpenAI from 'openai';
import { z } from 'zod';
import { MAX_TOP_LOGPROBS, refusesLogprobs } from '../../../judges/llm/chat-caller.js';
import { InvalidResponseError } from '../model-errors.js';
import type { ChatClient, ChatFetch, ChatRequest, ChatResponse } from './types.js';

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

/**
 * Chat completions on api.openai.com, or on any OpenAI-compatible server when `baseURL` is set
 * (vLLM, Ollama, llama.cpp, LiteLLM: their URL usually ends in /v1).
 */
export function createOpenAiClient(opts: {
  apiKey: string;
  baseURL: string | null;
  timeoutMs: number;
  fetch: ChatFetch;
}): ChatClient {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL ?? undefined,
    fetch: opts.fetch,
    maxRetries: 0,
    timeout: opts.timeoutMs,
    logLevel: 'off',
  });
  // OpenAI's reasoning models reject max_tokens; most compatible servers only know max_tokens.
  const maxTokensField = opts.baseURL ? 'max_tokens' : 'max_completion_tokens';
  // Servers that refuse `logprobs` (reasoning models, some proxies) answer 400 naming it: asked again
  // without, and never again through this client.
  let logprobsRefused = false;

  return {
    protocol: 'openai',
    async complete(req: ChatRequest): Promise<ChatResponse> {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
      if (req.system) messages.push({ role: 'system', content: req.system });
      messages.push({ role: 'user', content: req.input });
      const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = { model: req.model, messages };
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

      const send = () =>
        client.chat.completions.create(body, { timeout: req.timeoutMs, signal: req.signal, maxRetries: 0 });
      let raw: unknown;
      try {
        raw = await send();
      } catch (err) {
        if (!withLogprobs || !refusesLogprobs(err)) throw err;
        logprobsRefused = true;
        delete body.logprobs;
        delete body.top_logprobs;
        raw = await send();
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
