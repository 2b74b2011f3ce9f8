/**
 * Where a provider key may come from — one rule for the API (when an endpoint is saved) and the workers
 * (when a model is called):
 *   1. the endpoint's provider secret (`secret_id`): encrypted at rest, decrypted in the worker;
 *   2. else `api_key_env`, only when that name is on the allowlist: OPENAI_API_KEY, ANTHROPIC_API_KEY
 *      (or the names EVALFORGE_ALLOWED_KEY_ENVS lists instead) and any name starting with
 *      EVALFORGE_PROVIDER_. Any other variable of the worker (EVALFORGE_ADMIN_KEY, DATABASE_URL…) is
 *      never read for an endpoint, whatever a row says;
 *   3. else, for the official APIs (no endpoint_url), OPENAI_API_KEY / ANTHROPIC_API_KEY.
 */
import { SecretKeyring } from '../lib/secret-box.js';

export type EnvReader = (name: string) => string | undefined;

export const PROVIDER_KEY_ENV_PREFIX = 'EVALFORGE_PROVIDER_';
export const DEFAULT_ALLOWED_KEY_ENVS: readonly string[] = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'];
export const ALLOWED_KEY_ENVS_VARIABLE = 'EVALFORGE_ALLOWED_KEY_ENVS';
export const ENCRYPTION_KEY_VARIABLE = 'EVALFORGE_ENCRYPTION_KEY';
export const PREVIOUS_ENCRYPTION_KEY_VARIABLE = 'EVALFORGE_ENCRYPTION_KEY_PREVIOUS';
/** The value of EVALFORGE_ALLOWED_KEY_ENVS that allows only the EVALFORGE_PROVIDER_ prefix. */
export const NO_EXACT_KEY_ENVS = 'none';

/** An environment variable name, as POSIX shells accept them. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names an operator cannot put on the allowlist either: the platform's own secrets and connection
 * settings (EVALFORGE_*, DATABASE_URL, PG*, GITHUB_*, TEMPORAL_*).
 */
export function isReservedEnvName(name: string): boolean {
  if (name.startsWith(PROVIDER_KEY_ENV_PREFIX)) return false;
  return (
    name === 'DATABASE_URL' || name === 'TEST_PG_ADMIN_URL' || /^(EVALFORGE_|GITHUB_|TEMPORAL_|PG)/.test(name)
  );
}

export interface KeyEnvAllowlist {
  /** Exact names. */
  names: readonly string[];
  /** Any longer name starting with it is allowed too. */
  prefix: string;
}

export const DEFAULT_KEY_ENV_ALLOWLIST: KeyEnvAllowlist = {
  names: DEFAULT_ALLOWED_KEY_ENVS,
  prefix: PROVIDER_KEY_ENV_PREFIX,
};

export class ProviderKeyConfigError extends Error {
  override name = 'ProviderKeyConfigError';
}

/**
 * EVALFORGE_ALLOWED_KEY_ENVS: comma-separated exact names replacing the two defaults (`none`: only the
 * prefix). Unset or empty: the defaults. Throws ProviderKeyConfigError for a malformed or reserved name.
 */
export function parseKeyEnvAllowlist(value: string | undefined): KeyEnvAllowlist {
  const text = value?.trim();
  if (!text) return DEFAULT_KEY_ENV_ALLOWLIST;
  if (text === NO_EXACT_KEY_ENVS) return { names: [], prefix: PROVIDER_KEY_ENV_PREFIX };
  const names = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const malformed = names.filter((n) => !ENV_VAR_NAME.test(n));
  if (malformed.length) {
    throw new ProviderKeyConfigError(
      `must be comma-separated environment variable names (or "${NO_EXACT_KEY_ENVS}"); not names: ${malformed.join(', ')}`,
    );
  }
  const reserved = names.filter(isReservedEnvName);
  if (reserved.length) {
    throw new ProviderKeyConfigError(
      `names EvalForge's own settings, which are never provider keys: ${reserved.join(', ')}`,
    );
  }
  return { names, prefix: PROVIDER_KEY_ENV_PREFIX };
}

export function isAllowedKeyEnv(name: string, allowlist: KeyEnvAllowlist): boolean {
  if (!ENV_VAR_NAME.test(name) || isReservedEnvName(name)) return false;
  if (allowlist.names.includes(name)) return true;
  return name.length > allowlist.prefix.length && name.startsWith(allowlist.prefix);
}

/** "OPENAI_API_KEY, ANTHROPIC_API_KEY or a name starting with EVALFORGE_PROVIDER_". */
export function describeKeyEnvAllowlist(allowlist: KeyEnvAllowlist): string {
  const prefix = `a name starting with ${allowlist.prefix}`;
  return allowlist.names.length ? `${allowlist.names.join(', ')} or ${prefix}` : prefix;
}

/** What both the API and the workers need to handle provider keys: read from their environment. */
export interface ProviderKeySettings {
  /** Null when no EVALFORGE_ENCRYPTION_KEY is configured: provider secrets can be neither stored nor read. */
  keyring: SecretKeyring | null;
  allowlist: KeyEnvAllowlist;
}

const settingsCache = new Map<string, ProviderKeySettings>();

/**
 * From EVALFORGE_ENCRYPTION_KEY, EVALFORGE_ENCRYPTION_KEY_PREVIOUS and EVALFORGE_ALLOWED_KEY_ENVS (the
 * processes validate them at start; see runtime/config.ts). Throws EncryptionKeyError or
 * ProviderKeyConfigError for a bad value. Parsed once per distinct value.
 */
export function providerKeySettingsFromEnv(env: EnvReader): ProviderKeySettings {
  const current = env(ENCRYPTION_KEY_VARIABLE)?.trim() || '';
  const previous = env(PREVIOUS_ENCRYPTION_KEY_VARIABLE)?.trim() || '';
  const allowed = env(ALLOWED_KEY_ENVS_VARIABLE) ?? '';
  const cacheKey = JSON.stringify([current, previous, allowed]);
  let settings = settingsCache.get(cacheKey);
  if (!settings) {
    if (!current && previous) {
      throw new ProviderKeyConfigError(
        `${PREVIOUS_ENCRYPTION_KEY_VARIABLE} is set without ${ENCRYPTION_KEY_VARIABLE}`,
      );
    }
    settings = {
      keyring: current ? SecretKeyring.fromText(current, previous) : null,
      allowlist: parseKeyEnvAllowlist(allowed),
    };
    if (settingsCache.size > 16) settingsCache.clear();
    settingsCache.set(cacheKey, settings);
  }
  return settings;
}

/** Additional authenticated data of a provider secret: its ciphertext decrypts only as that project's secret of that name. */
export const providerSecretContext = (projectId: string, name: string) =>
  `evalforge/provider-secret\0${projectId}\0${name}`;

/** What a list may show of a value: its last 4 characters, and only when the value is long enough to spare them. */
export function providerSecretHint(value: string): string {
  return value.length >= 16 ? `…${value.slice(-4)}` : '…';
}
