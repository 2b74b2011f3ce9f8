/**
 * The API's view of provider keys: the encryption keyring (to store secrets) and the api_key_env
 * allowlist (to refuse names the workers would never read), from ApiDeps or else the process
 * environment. The rule itself lives in core/provider-keys.ts, shared with the workers.
 */

import { type KeyDestination, keyMayGoToUrl } from '../../core/key-pairing.js';
import {
  describeKeyEnvAllowlist,
  ENCRYPTION_KEY_VARIABLE,
  isAllowedKeyEnv,
  type ProviderKeySettings,
  providerKeySettingsFromEnv,
} from '../../core/provider-keys.js';
import { ProviderSecret } from '../../db/entities/index.js';
import type { SecretKeyring } from '../../lib/secret-box.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';

export function providerKeySettings(deps: Pick<ApiDeps, 'providerKeys'>): ProviderKeySettings {
  return deps.providerKeys ?? providerKeySettingsFromEnv((name) => process.env[name]);
}

/** 503 when this server has no encryption key: secrets cannot be stored (nor read) without one. */
export function requireKeyring(deps: Pick<ApiDeps, 'providerKeys'>): SecretKeyring {
  const { keyring } = providerKeySettings(deps);
  if (!keyring) {
    throw new ApiError(
      503,
      'encryption_key_missing',
      `provider secrets are unavailable: the server has no ${ENCRYPTION_KEY_VARIABLE} (an operator must set it on the API and the workers)`,
    );
  }
  return keyring;
}

/** 422 naming the allowlist when api_key_env names a variable the workers would refuse to read. */
export function assertAllowedKeyEnv(deps: Pick<ApiDeps, 'providerKeys'>, name: string | null | undefined) {
  if (!name) return;
  const { allowlist } = providerKeySettings(deps);
  if (isAllowedKeyEnv(name, allowlist)) return;
  throw new ApiError(
    422,
    'api_key_env_not_allowed',
    `api_key_env ${name} is not an allowed provider key variable; allowed: ${describeKeyEnvAllowlist(allowlist)}. ` +
      'Store the key as a provider secret of the project (POST /api/projects/{id}/secrets) and set secret_id instead.',
    { allowed: allowlist.names, allowed_prefix: allowlist.prefix },
  );
}

/**
 * 422 unless secretId is a provider secret of this project. Another project's secret answers exactly
 * like a missing one: no way to learn other tenants' ids.
 */
export async function assertProjectSecret(
  deps: Pick<ApiDeps, 'dataSource'>,
  projectId: string,
  secretId: string | null | undefined,
) {
  if (!secretId) return;
  const exists = await deps.dataSource
    .getRepository(ProviderSecret)
    .existsBy({ id: secretId, project_id: projectId });
  if (!exists) {
    throw new ApiError(
      422,
      'unknown_secret',
      `secret_id ${secretId} is not a provider secret of this project`,
    );
  }
}

/**
 * 422 key_url_not_paired unless the key may go to that URL (core/key-pairing.ts): `path` names the field and
 * `message` says, for the caller's case, how to proceed.
 */
export async function assertKeyPairedWithUrl(
  deps: Pick<ApiDeps, 'dataSource'>,
  destination: KeyDestination,
  refusal: { path: string; message: string },
) {
  if (await keyMayGoToUrl(deps.dataSource, destination)) return;
  throw new ApiError(422, 'key_url_not_paired', refusal.message, { path: refusal.path });
}
