/**
 * The encryption key of provider secrets, for the processes: generated once into the data folder in
 * dev mode (`npm start`), required in production as soon as a secret is stored, and the start-up
 * checks and re-encryption that key rotation needs (README "Provider secrets").
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  ENCRYPTION_KEY_VARIABLE,
  PREVIOUS_ENCRYPTION_KEY_VARIABLE,
  type ProviderKeySettings,
  providerKeySettingsFromEnv,
} from '../core/provider-keys.js';
import {
  missingEncryptionKeyProblem,
  providerSecretKeyStatus,
  reencryptProviderSecrets,
} from '../core/provider-secrets.js';
import type { Logger } from '../lib/logger.js';
import { generateEncryptionKey, parseEncryptionKey } from '../lib/secret-box.js';

export const DEV_ENCRYPTION_KEY_FILE = 'encryption.key';

export class EncryptionKeyRequiredError extends Error {
  override name = 'EncryptionKeyRequiredError';
}

/**
 * Dev mode's key: `<dataDir>/encryption.key` (mode 0600), created on the first start and reused after,
 * so secrets stored by one `npm start` decrypt in the next. Throws when the file holds no valid key.
 */
export async function loadOrCreateDevEncryptionKey(
  dataDir: string,
): Promise<{ key: string; file: string; created: boolean }> {
  const file = path.join(dataDir, DEV_ENCRYPTION_KEY_FILE);
  await fs.mkdir(dataDir, { recursive: true });
  try {
    await fs.writeFile(file, `${generateEncryptionKey()}\n`, { mode: 0o600, flag: 'wx' });
    return { key: (await fs.readFile(file, 'utf8')).trim(), file, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = (await fs.readFile(file, 'utf8')).trim();
  try {
    parseEncryptionKey(key);
  } catch (err) {
    throw new EncryptionKeyRequiredError(
      `${file} does not hold a valid encryption key (${(err as Error).message}); restore it, or delete it to start ` +
        'over (provider secrets stored under it will then have to be set again)',
    );
  }
  if (((await fs.stat(file)).mode & 0o077) !== 0) await fs.chmod(file, 0o600);
  return { key, file, created: false };
}

/**
 * What the stack's processes get: EVALFORGE_ENCRYPTION_KEY from the environment, or in dev mode the
 * data folder's key file. Returns the variables to pass to the worker and API (empty when none).
 */
export async function encryptionKeyEnv(
  config: { EVALFORGE_MODE: 'dev' | 'production'; dataDir: string; EVALFORGE_ENCRYPTION_KEY?: string },
  logger: Logger,
): Promise<Record<string, string>> {
  if (config.EVALFORGE_ENCRYPTION_KEY) return { [ENCRYPTION_KEY_VARIABLE]: config.EVALFORGE_ENCRYPTION_KEY };
  if (config.EVALFORGE_MODE !== 'dev') return {};
  const { key, file, created } = await loadOrCreateDevEncryptionKey(config.dataDir);
  logger.info(
    { file },
    created
      ? 'generated the encryption key of provider secrets'
      : 'encryption key of provider secrets loaded',
  );
  return { [ENCRYPTION_KEY_VARIABLE]: key };
}

/**
 * At start: refuses (EncryptionKeyRequiredError) when secrets are stored and there is no key; warns about
 * secrets under a key this process does not hold; with `reencrypt`, moves secrets under previous keys to
 * the current one. Returns the settings it checked.
 */
export async function checkProviderSecretKeys(
  dataSource: DataSource,
  logger: Logger,
  opts: { env?: (name: string) => string | undefined; reencrypt?: boolean } = {},
): Promise<ProviderKeySettings> {
  const settings = providerKeySettingsFromEnv(opts.env ?? ((name) => process.env[name]));
  const problem = await missingEncryptionKeyProblem(dataSource, settings.keyring);
  if (problem) throw new EncryptionKeyRequiredError(problem);
  if (!settings.keyring) return settings;
  if (opts.reencrypt) {
    const outcome = await reencryptProviderSecrets(dataSource, settings.keyring);
    if (outcome.reencrypted)
      logger.info(
        { reencrypted: outcome.reencrypted },
        'provider secrets re-encrypted under the current key',
      );
  }
  const status = await providerSecretKeyStatus(dataSource, settings.keyring);
  if (status.unknownKeyIds.length) {
    logger.error(
      { key_ids: status.unknownKeyIds, by_key_id: status.byKeyId },
      `some provider secrets are encrypted under a key that is neither ${ENCRYPTION_KEY_VARIABLE} nor ${PREVIOUS_ENCRYPTION_KEY_VARIABLE}: runs using them fail until the key is restored or the secrets are set again`,
    );
  }
  if (status.underPreviousKeys) {
    logger.warn(
      { secrets: status.underPreviousKeys },
      `provider secrets still under ${PREVIOUS_ENCRYPTION_KEY_VARIABLE}: re-encrypt them (README "Provider secrets") before removing it`,
    );
  }
  return settings;
}
