import { z } from '@hono/zod-openapi';
import { Timestamp, Uuid } from './common.js';
import { storableString } from './text.js';

export const ApiKeyCreate = z
  .strictObject({ name: storableString().min(1).max(255).describe('what the key is for') })
  .openapi('ApiKeyCreate', { example: { name: 'GitHub Actions' } });

export const ApiKeySchema = z
  .object({
    id: Uuid,
    project_id: Uuid,
    name: z.string(),
    key_prefix: z.string().describe('first characters of the key, to tell keys apart'),
    last_used_at: Timestamp.nullable(),
    revoked_at: Timestamp.nullable(),
    created_at: Timestamp,
  })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().describe('the key itself: shown only in this response, store it now').openapi({
    example: 'ef_3q2-7wEXAMPLEk9yP1m0bQd8Zx4vT6nL2sR5uH7jK0c',
  }),
}).openapi('CreatedApiKey');
