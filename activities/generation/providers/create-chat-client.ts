import type { LlmEndpoint } from '../../../db/entities/index.js';
import { createAnthropicClient } from './anthropic-client.js';
import { createOpenAiClient } from './openai-client.js';
import type { ChatClient } from './types.js';

export class UnsupportedEndpointError extends Error {
  override name = 'UnsupportedEndpointError';
}

/**
 * `anthropic` speaks the messages API; everything else speaks OpenAI chat completions: `openai` itself,
 * and `custom` / `huggingface` endpoints (TGI, vLLM, Ollama… all serve /v1/chat/completions), which
 * need an endpoint_url.
 */
export function createChatClient(
  endpoint: Pick<LlmEndpoint, 'provider' | 'endpoint_url'>,
  apiKey: string,
  timeoutMs: number,
): ChatClient {
  const baseURL = endpoint.endpoint_url?.trim() || null;
  if (endpoint.provider === 'anthropic') return createAnthropicClient({ apiKey, baseURL, timeoutMs });
  if (endpoint.provider !== 'openai' && !baseURL) {
    throw new UnsupportedEndpointError(
      `provider ${endpoint.provider} needs an endpoint_url (an OpenAI-compatible server)`,
    );
  }
  return createOpenAiClient({ apiKey, baseURL, timeoutMs });
}
