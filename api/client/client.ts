/**
 * A typed EvalForge API client: openapi-fetch over the types generated from /openapi.json
 * (schema.d.ts, `npm run gen:api-client`). Scripts, the CLI and tests call the API through it.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

export function createApiClient(baseUrl: string, opts: { apiKey?: string; fetch?: typeof fetch } = {}) {
  return createClient<paths>({
    baseUrl,
    headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;
