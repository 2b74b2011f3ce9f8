/**
 * Key rotation of provider secrets: `node --import tsx scripts/reencrypt-secrets.ts` with
 * EVALFORGE_ENCRYPTION_KEY (the new key), EVALFORGE_ENCRYPTION_KEY_PREVIOUS (the old one) and DATABASE_URL
 * set. Re-encrypts every secret under the new key; exits 1 when some cannot be decrypted (names listed,
 * never values). Safe to run again, and while the API and workers run.
 */
import { ENCRYPTION_KEY_VARIABLE, providerKeySettingsFromEnv } from '../core/provider-keys.js';
import { reencryptProviderSecrets } from '../core/provider-secrets.js';
import { createDataSource } from '../db/data-source.js';
import { loadConfigOrExit } from '../runtime/config.js';
import { requireDatabaseUrl } from './require-database-url.js';

const config = loadConfigOrExit();
const { keyring } = providerKeySettingsFromEnv((name) => process.env[name]);
if (!keyring) {
  console.error(`${ENCRYPTION_KEY_VARIABLE} is not set: it is the key the secrets are re-encrypted under.`);
  process.exit(2);
}
const dataSource = createDataSource({
  url: requireDatabaseUrl(config),
  poolSize: 1,
  applicationName: 'evalforge-reencrypt',
});
await dataSource.initialize();
try {
  const outcome = await reencryptProviderSecrets(dataSource, keyring);
  console.log(
    `provider secrets: ${outcome.total}; re-encrypted: ${outcome.reencrypted}; already under the current key: ${outcome.current}; failed: ${outcome.failed.length}`,
  );
  for (const f of outcome.failed) console.error(`  ${f.project_id} "${f.name}" (${f.id}): ${f.error}`);
  process.exitCode = outcome.failed.length ? 1 : 0;
} finally {
  await dataSource.destroy();
}
