import { z } from '@hono/zod-openapi';
import { Timestamp, Uuid } from './common.js';

/** Letters, digits, space, dot, dash, underscore; starts with a letter or digit. */
const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;
/** Visible ASCII only: a provider key goes into an HTTP header, where spaces and line breaks do not belong. */
const SECRET_VALUE = /^[\x21-\x7E]+$/;

export const SecretName = z
  .string()
  .min(1)
  .max(100)
  .regex(SECRET_NAME, 'letters, digits, space, dot, dash and underscore; starting with a letter or digit')
  .describe("unique within the project; a secret's name cannot change (it is bound to the ciphertext)")
  .openapi({ example: 'openai-prod' });

export const SecretValue = z
  .string()
  .min(1)
  .max(4096)
  .regex(SECRET_VALUE, 'visible ASCII characters only (no spaces or line breaks)')
  .describe('the provider key; write-only: stored encrypted and never returned')
  .openapi({ writeOnly: true, format: 'password', example: 'sk-example-0123456789abcdef' });

export const SecretCreate = z
  .strictObject({ name: SecretName, value: SecretValue })
  .openapi('ProviderSecretCreate', {
    example: { name: 'openai-prod', value: 'sk-example-0123456789abcdef' },
  });

export const SecretUpdate = z
  .strictObject({ value: SecretValue })
  .openapi('ProviderSecretUpdate', { example: { value: 'sk-example-0123456789abcdef' } });

export const SecretSchema = z
  .object({
    id: Uuid,
    project_id: Uuid,
    name: z.string(),
    hint: z
      .string()
      .describe('the last 4 characters of the value ("…wxyz"), or "…" for values under 16 characters'),
    endpoint_count: z.number().int().describe('endpoints whose secret_id is this secret'),
    last_used_at: Timestamp.nullable().describe('when a worker last decrypted it for a model call'),
    created_at: Timestamp,
    updated_at: Timestamp.describe('when the value was last set'),
  })
  .openapi('ProviderSecret');
