import type { LlmEndpoint } from '../../../db/entities/index.js';
import type { GuardedFetch } from '../guarded-fetch.js';
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
  http: GuardedFetch,
): ChatClient {
  const baseURL = endpoint.endpoint_url?.trim() || null;
  if (endpoint.provider === 'anthropic')
    return createAnthropicClient({ apiKey, baseURL, timeoutMs, fetch: http.fetch });
  assertSupportedEndpoint(endpoint);
  return createOpenAiClient({ apiKey, baseURL, timeoutMs, http });
}

/** Throws UnsupportedEndpointError for an endpoint no client can call (checked before its key is read). */
export function assertSupportedEndpoint(endpoint: Pick<LlmEndpoint, 'provider' | 'endpoint_url'>): void {
  if (endpoint.provider !== 'anthropic' && endpoint.provider !== 'openai' && !endpoint.endpoint_url?.trim()) {
    throw new UnsupportedEndpointError(
      `provider ${endpoint.provider} needs an endpoint_url (an OpenAI-compatible server)`,
    );
  }
}
