/** OpenAPI response entries shared by route definitions: the JSON body and the error statuses. */
import type { z } from '@hono/zod-openapi';
import { ErrorBodySchema } from '../errors.js';

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const ERROR_DESCRIPTIONS = {
  400: 'invalid input: malformed JSON, unknown fields, wrong types, non-UUID ids',
  401: 'no API key, or an invalid or revoked one',
  403: 'the API key belongs to another project, or the action needs the admin key',
  404: 'not found',
  409: 'conflicts with the current state',
  413: 'request body or upload too large',
  415: 'unsupported Content-Type',
  422: 'well-formed but not acceptable (for example text PostgreSQL cannot store)',
  429: 'rate limit reached; see Retry-After',
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** Error responses every authenticated route can give, plus the ones named. */
export function errorResponses<S extends ErrorStatus>(...extra: S[]) {
  const statuses = [...new Set<ErrorStatus>([400, 401, 403, 429, ...extra])];
  return Object.fromEntries(
    statuses.map((s) => [s, jsonContent(ErrorBodySchema, ERROR_DESCRIPTIONS[s])]),
  ) as Record<400 | 401 | 403 | 429 | S, ReturnType<typeof jsonContent<typeof ErrorBodySchema>>>;
}
