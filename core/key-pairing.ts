/**
 * Where a provider key may be sent when the URL comes from someone who is not (yet) pairing it on record:
 * an inline endpoint of an `evalforge.yaml` (written by whoever opens a pull request) or an unsaved endpoint
 * under "Test connection". A key reference (api_key_env or secret_id) goes either to the provider's own API
 * (no URL) or to a URL that a saved, unarchived endpoint of the project already pairs with that same key.
 * One rule for the API (which refuses with 422 key_url_not_paired) and the workers (which check again).
 */
import { type DataSource, IsNull } from 'typeorm';
import { LlmEndpoint } from '../db/entities/index.js';

export interface KeyDestination {
  projectId: string;
  url: string | null;
  apiKeyEnv: string | null;
  secretId: string | null;
}

export async function keyMayGoToUrl(dataSource: DataSource, d: KeyDestination): Promise<boolean> {
  if (!d.url || (!d.apiKeyEnv && !d.secretId)) return true;
  return dataSource.getRepository(LlmEndpoint).exists({
    where: {
      project_id: d.projectId,
      endpoint_url: d.url,
      archived_at: IsNull(),
      // With a secret the variable is never read (core/provider-keys.ts): the secret is what is paired.
      ...(d.secretId ? { secret_id: d.secretId } : { api_key_env: d.apiKeyEnv as string }),
    },
  });
}
