import type OpenAI from 'openai';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatCallOptions {
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface ChatCallResult {
  text: string;
  /** As the provider reported them; null when it did not. */
  inputTokens: number | null;
  outputTokens: number | null;
  finishReason?: string | null;
  /** What the call cost, when the runner knows the endpoint's price. */
  costUsd?: number | null;
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

/** A ChatCaller over any OpenAI-compatible server. SDK retries stay off: the judge's retry is the only one. */
export function createOpenAIChatCaller(opts: { client: OpenAI; model: string }): ChatCaller {
  return {
    model: opts.model,
    async call(messages, options = {}) {
      const completion = await opts.client.chat.completions.create(
        {
          model: opts.model,
          messages,
          temperature: options.temperature,
          max_tokens: options.maxTokens,
        },
        { signal: options.signal, maxRetries: 0 },
      );
      const choice = completion.choices[0];
      return {
        text: choice?.message?.content ?? '',
        inputTokens: completion.usage?.prompt_tokens ?? null,
        outputTokens: completion.usage?.completion_tokens ?? null,
        finishReason: choice?.finish_reason ?? null,
      };
    },
  };
}
