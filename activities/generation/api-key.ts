import type { DataSource } from 'typeorm';
import {
  describeKeyEnvAllowlist,
  type EnvReader,
  isAllowedKeyEnv,
  type KeyEnvAllowlist,
  providerKeySettingsFromEnv,
} from '../../core/provider-keys.js';
import { readProviderSecret } from '../../core/provider-secrets.js';
import type { LlmEndpoint, LlmProvider } from '../../db/entities/index.js';

export type { EnvReader } from '../../core/provider-keys.js';

/** Where the key is read from when an endpoint on the official API names no variable. */
export const DEFAULT_API_KEY_ENV: Partial<Record<LlmProvider, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/** Keyless OpenAI-compatible servers (local vLLM, Ollama, llama.cpp) still get a non-empty bearer token (some proxies reject an empty one). */
export const KEYLESS_PLACEHOLDER = 'no-key-configured';

export type ApiKeyResolution = { ok: true; apiKey: string } | { ok: false; error: string };

export const processEnv: EnvReader = (name) => process.env[name];

type KeySource = Pick<LlmEndpoint, 'provider' | 'endpoint_url' | 'api_key_env'>;

/**
 * The provider key from the environment: the variable the endpoint names — only when the allowlist
 * (core/provider-keys.ts) allows that name — else, for the official APIs, the provider's default one.
 * Read at call time, in the worker, never stored or logged. Messages name the variable, never a value.
 */
export function resolveApiKey(
  endpoint: KeySource,
  env: EnvReader = processEnv,
  allowlist: KeyEnvAllowlist = providerKeySettingsFromEnv(env).allowlist,
): ApiKeyResolution {
  if (endpoint.api_key_env && !isAllowedKeyEnv(endpoint.api_key_env, allowlist)) {
    // A row saved before the allowlist (or edited in the database) is never read: not even to test it.
    return {
      ok: false,
      error: `API key refused: llm_endpoints.api_key_env names ${endpoint.api_key_env}, which is not an allowed provider key variable (allowed: ${describeKeyEnvAllowlist(allowlist)}); store the key as a provider secret of the project instead`,
    };
  }
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

/**
 * The key for a model call, in order: the endpoint's provider secret (decrypted here, its last use
 * recorded), else resolveApiKey. A failure is an outcome with a message (the sample fails without a
 * request); only database errors throw.
 */
export async function resolveEndpointApiKey(
  dataSource: DataSource,
  endpoint: KeySource & Pick<LlmEndpoint, 'project_id' | 'secret_id'>,
  env: EnvReader = processEnv,
): Promise<ApiKeyResolution> {
  let settings: ReturnType<typeof providerKeySettingsFromEnv>;
  try {
    settings = providerKeySettingsFromEnv(env);
  } catch (err) {
    // The worker validates these at start; a bad value here is still a clear, non-retryable failure.
    return { ok: false, error: `provider key settings of the worker are invalid: ${(err as Error).message}` };
  }
  if (endpoint.secret_id) {
    const secret = await readProviderSecret(dataSource, settings.keyring, {
      projectId: endpoint.project_id,
      secretId: endpoint.secret_id,
    });
    if (!secret.ok) return { ok: false, error: `missing API key: ${secret.error}` };
    if (!secret.value.trim())
      return { ok: false, error: `missing API key: provider secret "${secret.name}" is empty` };
    return { ok: true, apiKey: secret.value };
  }
  return resolveApiKey(endpoint, env, settings.allowlist);
}

/** Replaces every occurrence of the key (servers echo it in 401 messages) before text is stored or logged. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret === KEYLESS_PLACEHOLDER || secret.length < 4) return text;
  return text.split(secret).join('[redacted]');
}
