import { z } from '@hono/zod-openapi';
import { endpointConfigSchema } from '../../core/endpoint-config.js';
import { LLM_PROVIDERS } from '../../db/entities/index.js';
import { Timestamp, Uuid } from './common.js';
import { storableJsonObject, storableString } from './text.js';

/** An environment variable name, as POSIX shells accept them. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const EndpointFields = {
  name: storableString().min(1).max(255).nullable().describe('display name'),
  provider: z
    .enum(LLM_PROVIDERS)
    .describe('openai also covers OpenAI-compatible servers (vLLM, Ollama, LiteLLM…)'),
  model_name: storableString().min(1).max(255).openapi({ example: 'gpt-4o-mini' }),
  endpoint_url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .describe(
      'base URL for self-hosted or OpenAI-compatible servers; no credentials in it. Link-local and cloud metadata ' +
        'addresses are refused, and so are private and (outside dev mode) loopback ones unless the operator allows ' +
        'them (422 endpoint_url_not_allowed)',
    ),
  config: storableJsonObject()
    .check((ctx) => {
      // The fields the workers read are checked now, not when a run fails on them; others are kept as given.
      const parsed = endpointConfigSchema.safeParse(ctx.value);
      if (!parsed.success)
        for (const issue of parsed.error.issues) ctx.issues.push({ ...issue, input: ctx.value } as never);
    })
    .describe(
      'generation parameters and limits: temperature, top_p, max_tokens, system_prompt, timeout_ms, concurrency, rpm, tpm, ' +
        'max_attempts, price_per_1k_input, price_per_1k_output. Never secrets: fields like api_key, secret, password ' +
        'or token are rejected with 422.',
    ),
  api_key_env: z
    .string()
    .regex(ENV_VAR_NAME, 'must be an environment variable name')
    .max(255)
    .nullable()
    .describe(
      'name of the environment variable that holds the provider key on the workers (the key itself is never sent or ' +
        'stored). Only allowed names: OPENAI_API_KEY, ANTHROPIC_API_KEY (or the names the operator lists in ' +
        'EVALFORGE_ALLOWED_KEY_ENVS) and names starting with EVALFORGE_PROVIDER_; others are 422 api_key_env_not_allowed',
    )
    .openapi({ example: 'OPENAI_API_KEY' }),
  secret_id: Uuid.nullable().describe(
    'a provider secret of the same project (POST /api/projects/{id}/secrets) holding the key; used before api_key_env. ' +
      'A secret of another project, or none, is 422 unknown_secret',
  ),
};

export const EndpointCreate = z
  .strictObject({
    name: EndpointFields.name.optional(),
    provider: EndpointFields.provider,
    model_name: EndpointFields.model_name,
    endpoint_url: EndpointFields.endpoint_url.optional(),
    config: EndpointFields.config.default({}),
    api_key_env: EndpointFields.api_key_env.optional(),
    secret_id: EndpointFields.secret_id.optional(),
  })
  .openapi('EndpointCreate', {
    example: {
      name: 'GPT-4o mini',
      provider: 'openai',
      model_name: 'gpt-4o-mini',
      config: { temperature: 0, max_tokens: 512, rpm: 500 },
      api_key_env: 'OPENAI_API_KEY',
    },
  });

export const EndpointUpdate = z
  .strictObject({
    name: EndpointFields.name.optional(),
    provider: EndpointFields.provider.optional(),
    model_name: EndpointFields.model_name.optional(),
    endpoint_url: EndpointFields.endpoint_url.optional(),
    config: EndpointFields.config.optional().describe('replaces the whole config object'),
    api_key_env: EndpointFields.api_key_env.optional(),
    secret_id: EndpointFields.secret_id.optional(),
    archived: z.boolean().optional().describe('archived endpoints cannot start new runs; their runs stay'),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' })
  .openapi('EndpointUpdate', { example: { config: { temperature: 0.2, max_tokens: 1024 } } });

export const EndpointSchema = z
  .object({
    id: Uuid,
    project_id: Uuid,
    name: z.string().nullable(),
    provider: z.enum(LLM_PROVIDERS),
    model_name: z.string(),
    endpoint_url: z.string().nullable(),
    config: z.record(z.string(), z.unknown()),
    api_key_env: z.string().nullable(),
    secret_id: Uuid.nullable(),
    archived_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Endpoint');
