/**
 * Provider secrets in the database: stored encrypted (the API), decrypted for a model call (the
 * workers), re-encrypted under a new key (rotation), and checked at start. The plaintext exists only
 * in memory of the process that needs it; nothing here logs a value or passes it to SQL.
 */
import type { DataSource } from 'typeorm';
import { ProviderSecret } from '../db/entities/index.js';
import { envelopeKeyId, SecretDecryptionError, type SecretKeyring } from '../lib/secret-box.js';
import {
  ENCRYPTION_KEY_VARIABLE,
  PREVIOUS_ENCRYPTION_KEY_VARIABLE,
  providerSecretContext,
  providerSecretHint,
} from './provider-keys.js';

/**
 * Creates the project's secret of that name, or replaces its value. One statement, so two concurrent
 * writes of the same name cannot both insert. Returns the row and whether it is new.
 */
export async function upsertProviderSecret(
  dataSource: DataSource,
  keyring: SecretKeyring,
  input: { projectId: string; name: string; value: string },
): Promise<{ secret: ProviderSecret; created: boolean }> {
  const ciphertext = keyring.encrypt(input.value, providerSecretContext(input.projectId, input.name));
  const [row]: (ProviderSecret & { inserted: boolean })[] = await dataSource.query(
    `INSERT INTO provider_secrets (project_id, name, ciphertext, hint) VALUES ($1, $2, $3, $4)
     ON CONFLICT (project_id, name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, hint = EXCLUDED.hint,
       updated_at = now()
     RETURNING *, (xmax = 0) AS inserted`,
    [input.projectId, input.name, ciphertext, providerSecretHint(input.value)],
  );
  const { inserted, ...secret } = row;
  return { secret: secret as ProviderSecret, created: inserted };
}

/** Replaces the value of an existing secret (same name, same id). */
export async function replaceProviderSecretValue(
  dataSource: DataSource,
  keyring: SecretKeyring,
  secret: ProviderSecret,
  value: string,
): Promise<ProviderSecret> {
  const [rows]: [ProviderSecret[], number] = await dataSource.query(
    `UPDATE provider_secrets SET ciphertext = $2, hint = $3, updated_at = now() WHERE id = $1 RETURNING *`,
    [
      secret.id,
      keyring.encrypt(value, providerSecretContext(secret.project_id, secret.name)),
      providerSecretHint(value),
    ],
  );
  return rows[0];
}

export type ProviderSecretRead =
  | { ok: true; name: string; value: string }
  | { ok: false; name: string | null; error: string };

/**
 * The decrypted value of a project's secret, for a model call; marks it used. A secret that is gone,
 * or that this process cannot decrypt, is an outcome with a message (no value, no key) — database
 * errors throw.
 */
export async function readProviderSecret(
  dataSource: DataSource,
  keyring: SecretKeyring | null,
  ref: { projectId: string; secretId: string },
): Promise<ProviderSecretRead> {
  const secret = await dataSource
    .getRepository(ProviderSecret)
    .findOneBy({ id: ref.secretId, project_id: ref.projectId });
  if (!secret) {
    return {
      ok: false,
      name: null,
      error: `provider secret ${ref.secretId} is not a secret of this project`,
    };
  }
  const label = `provider secret "${secret.name}"`;
  if (!keyring) {
    return {
      ok: false,
      name: secret.name,
      error: `${label} cannot be decrypted: ${ENCRYPTION_KEY_VARIABLE} is not set on the worker`,
    };
  }
  let value: string;
  try {
    value = keyring.decrypt(secret.ciphertext, providerSecretContext(secret.project_id, secret.name));
  } catch (err) {
    if (!(err instanceof SecretDecryptionError)) throw err;
    const why =
      err.reason === 'unknown_key'
        ? `it was encrypted under key ${err.keyId}, which is neither ${ENCRYPTION_KEY_VARIABLE} nor ${PREVIOUS_ENCRYPTION_KEY_VARIABLE} of the worker`
        : 'the stored value does not authenticate (altered or copied from another secret)';
    return { ok: false, name: secret.name, error: `${label} cannot be decrypted: ${why}; set it again` };
  }
  await dataSource.query(`UPDATE provider_secrets SET last_used_at = now() WHERE id = $1`, [secret.id]);
  return { ok: true, name: secret.name, value };
}

export interface ReencryptOutcome {
  total: number;
  /** Now under the current key. */
  reencrypted: number;
  /** Already under the current key. */
  current: number;
  /** Under a key this keyring does not hold, or altered: left as they are (names, never values). */
  failed: { id: string; project_id: string; name: string; error: string }[];
}

/**
 * Key rotation: every secret not yet under the current key is decrypted (with a previous key) and
 * encrypted again under the current one. A secret replaced meanwhile is left to its new value.
 */
export async function reencryptProviderSecrets(
  dataSource: DataSource,
  keyring: SecretKeyring,
): Promise<ReencryptOutcome> {
  const rows: Pick<ProviderSecret, 'id' | 'project_id' | 'name' | 'ciphertext'>[] = await dataSource.query(
    `SELECT id, project_id, name, ciphertext FROM provider_secrets ORDER BY created_at, id`,
  );
  const outcome: ReencryptOutcome = { total: rows.length, reencrypted: 0, current: 0, failed: [] };
  for (const row of rows) {
    if (keyring.isCurrent(row.ciphertext)) {
      outcome.current++;
      continue;
    }
    let ciphertext: string;
    try {
      ciphertext = keyring.reencrypt(row.ciphertext, providerSecretContext(row.project_id, row.name));
    } catch (err) {
      if (!(err instanceof SecretDecryptionError)) throw err;
      outcome.failed.push({ id: row.id, project_id: row.project_id, name: row.name, error: err.message });
      continue;
    }
    // updated_at stays: the value did not change. A concurrent replace (new ciphertext) wins.
    await dataSource.query(`UPDATE provider_secrets SET ciphertext = $2 WHERE id = $1 AND ciphertext = $3`, [
      row.id,
      ciphertext,
      row.ciphertext,
    ]);
    outcome.reencrypted++;
  }
  return outcome;
}

export interface ProviderSecretKeyStatus {
  secrets: number;
  /** Secrets by the key id they are encrypted under. */
  byKeyId: Record<string, number>;
  /** Key ids in use that the keyring does not hold (those secrets cannot be decrypted). */
  unknownKeyIds: string[];
  /** Secrets under a previous key: re-encrypt them before dropping it. */
  underPreviousKeys: number;
}

export async function providerSecretKeyStatus(
  dataSource: DataSource,
  keyring: SecretKeyring | null,
): Promise<ProviderSecretKeyStatus> {
  const rows: { ciphertext: string }[] = await dataSource.query(`SELECT ciphertext FROM provider_secrets`);
  const byKeyId: Record<string, number> = {};
  for (const { ciphertext } of rows) {
    const id = envelopeKeyId(ciphertext) ?? 'malformed';
    byKeyId[id] = (byKeyId[id] ?? 0) + 1;
  }
  const ids = Object.keys(byKeyId);
  return {
    secrets: rows.length,
    byKeyId,
    unknownKeyIds: ids.filter((id) => !keyring?.hasKey(id)),
    underPreviousKeys: keyring
      ? ids
          .filter((id) => id !== keyring.currentKeyId && keyring.hasKey(id))
          .reduce((n, id) => n + byKeyId[id], 0)
      : 0,
  };
}

/**
 * For process start: an error message when secrets are stored but this process has no key to read
 * them (production without EVALFORGE_ENCRYPTION_KEY), else null.
 */
export async function missingEncryptionKeyProblem(
  dataSource: DataSource,
  keyring: SecretKeyring | null,
): Promise<string | null> {
  if (keyring) return null;
  const [{ n }]: { n: number }[] = await dataSource.query(`SELECT count(*)::int AS n FROM provider_secrets`);
  if (n === 0) return null;
  return `${ENCRYPTION_KEY_VARIABLE} is required: ${n} provider secret(s) are stored encrypted and cannot be read without it (set the key they were stored under; see README "Provider secrets")`;
}
