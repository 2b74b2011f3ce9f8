import type { LlmEndpoint, LlmProvider } from '../../db/entities/index.js';

/** Where the key is read from when an endpoint on the official API names no variable. */
export const DEFAULT_API_KEY_ENV: Partial<Record<LlmProvider, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/** Keyless OpenAI-compatible servers (local vLLM, Ollama, llama.cpp) still need a non-empty key for the SDK. */
export const KEYLESS_PLACEHOLDER = 'no-key-configured';

export type ApiKeyResolution = { ok: true; apiKey: string } | { ok: false; error: string };

export type EnvReader = (name: string) => string | undefined;

export const processEnv: EnvReader = (name) => process.env[name];

/**
 * The provider key, read from the environment variable the endpoint names — at call time, in the
 * worker, never stored or logged. Messages name the variable, never a value.
 */
export function resolveApiKey(
  endpoint: Pick<LlmEndpoint, 'provider' | 'endpoint_url' | 'api_key_env'>,
  env: EnvReader = processEnv,
): ApiKeyResolution {
  const variable =
    endpoint.api_key_env ?? (endpoint.endpoint_url ? null : DEFAULT_API_KEY_ENV[endpoint.provider]);
  if (!variable) return { ok: true, apiKey: KEYLESS_PLACEHOLDER };
  const value = env(variable)?.trim();
  if (!value) {
    return {
      ok: false,
      error: `missing API key: environment variable ${variable} is not set on the worker (llm_endpoints.api_key_env)`,
    };
  }
  return { ok: true, apiKey: value };
}

/** Replaces every occurrence of the key (servers echo it in 401 messages) before text is stored or logged. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret === KEYLESS_PLACEHOLDER || secret.length < 4) return text;
  return text.split(secret).join('[redacted]');
}
