import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { DEFAULT_MAX_OUTPUT_TOKENS } from '../constants.js';
import { InvalidResponseError } from '../model-errors.js';
import type { ChatClient, ChatFetch, ChatRequest, ChatResponse } from './types.js';

const messageSchema = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullish(),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullish(),
});

/** Anthropic's messages API (or a compatible proxy when `baseURL` is set; no /v1 suffix). */
export function createAnthropicClient(opts: {
  apiKey: string;
  baseURL: string | null;
  timeoutMs: number;
  fetch: ChatFetch;
}): ChatClient {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL ?? undefined,
    fetch: opts.fetch,
    maxRetries: 0,
    // Explicit, or the SDK refuses large max_tokens without streaming.
    timeout: opts.timeoutMs,
    logLevel: 'off',
  });

  return {
    protocol: 'anthropic',
    async complete(req: ChatRequest): Promise<ChatResponse> {
      // req.responseFormat is not sent: structured output is left to the prompt on this protocol.
      // The SDK's types no longer list sampling parameters (deprecated for new models); older models and
      // compatible proxies still take them, so they are sent only when the endpoint config sets them.
      const body: Anthropic.MessageCreateParamsNonStreaming & { temperature?: number; top_p?: number } = {
        model: req.model,
        max_tokens: req.params.max_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
        messages: [{ role: 'user', content: req.input }],
      };
      if (req.system) body.system = req.system;
      if (req.params.temperature !== undefined) body.temperature = req.params.temperature;
      if (req.params.top_p !== undefined) body.top_p = req.params.top_p;

      const raw: unknown = await client.messages.create(body, {
        timeout: req.timeoutMs,
        signal: req.signal,
        maxRetries: 0,
      });
      const parsed = messageSchema.safeParse(raw);
      if (!parsed.success) {
        throw new InvalidResponseError(`not a message (${parsed.error.issues[0]?.path.join('.') || 'body'})`);
      }
      return {
        output: parsed.data.content
          .filter((block) => block.type === 'text')
          .map((block) => block.text ?? '')
          .join(''),
        finishReason: parsed.data.stop_reason ?? null,
        inputTokens: parsed.data.usage?.input_tokens ?? null,
        outputTokens: parsed.data.usage?.output_tokens ?? null,
      };
    },
  };
}
