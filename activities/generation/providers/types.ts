import type { GenerationParams } from '../../../core/endpoint-config.js';
import type { TokenLogprob } from '../../../judges/llm/chat-caller.js';

export type { TokenLogprob };

/** Structured output: reply with JSON matching `schema`. */
export interface ResponseFormat {
  name: string;
  schema: Record<string, unknown>;
}

export interface ChatRequest {
  model: string;
  system: string | null;
  input: string;
  params: GenerationParams;
  /** Sent as `response_format` (json_schema, strict) over the OpenAI protocol; the Anthropic client
   * ignores it (the prompt alone asks for the shape there). */
  responseFormat?: ResponseFormat;
  /** Ask for per-token log-probabilities with the `top` likeliest alternatives (OpenAI protocol only; a
   * server that refuses the field is asked again without it, and not asked again). */
  logprobs?: { top: number };
  /** The client's own timeout (until headers); the caller's signal also enforces a whole-call deadline. */
  timeoutMs: number;
  signal: AbortSignal;
}

export interface ChatResponse {
  output: string;
  finishReason: string | null;
  /** As the provider reported them; null when it did not. */
  inputTokens: number | null;
  outputTokens: number | null;
  /** Per-token log-probabilities, when asked for and returned. */
  logprobs?: TokenLogprob[] | null;
}

/** The fetch the Anthropic SDK sends with: the guarded one (../guarded-fetch.ts) applies the outbound policy. */
export type ChatFetch = typeof globalThis.fetch;

/** One provider's wire protocol. No client retries: the generation retry loop is the only one. */
export interface ChatClient {
  readonly protocol: 'openai' | 'anthropic';
  complete(request: ChatRequest): Promise<ChatResponse>;
}
