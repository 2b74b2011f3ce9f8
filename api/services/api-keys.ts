/**
 * Project API keys: `ef_` + 32 random bytes (base64url). Only the SHA-256 hash is stored; the key
 * itself is returned once, at creation. SHA-256 (not a slow password hash) is right here: the key
 * has 256 bits of entropy, so it cannot be brute-forced, and every request must verify it cheaply.
 */
import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKey } from '../../db/entities/index.js';

export const API_KEY_PREFIX = 'ef_';
const KEY_BYTES = 32;
/** How much of the key a list shows so keys can be told apart (prefix + 8 characters). */
export const KEY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** last_used_at is written at most this often per key: one UPDATE per request would be wasteful. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export const hashApiKey = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

export function generateApiKey() {
  const key = API_KEY_PREFIX + crypto.randomBytes(KEY_BYTES).toString('base64url');
  return { key, keyHash: hashApiKey(key), keyPrefix: key.slice(0, KEY_PREFIX_LENGTH) };
}

/** Constant-time comparison of a presented token with a configured secret (both hashed to equal length). */
export function secretsEqual(presented: string, expected: string) {
  return crypto.timingSafeEqual(
    crypto.createHash('sha256').update(presented).digest(),
    crypto.createHash('sha256').update(expected).digest(),
  );
}

export async function createApiKey(dataSource: DataSource, projectId: string, name: string) {
  const { key, keyHash, keyPrefix } = generateApiKey();
  const row = await dataSource
    .getRepository(ApiKey)
    .save({ project_id: projectId, name, key_hash: keyHash, key_prefix: keyPrefix });
  return { row, key };
}

/** The active (not revoked) key with this value, or null. */
export async function findActiveKey(dataSource: DataSource, key: string) {
  const row = await dataSource.getRepository(ApiKey).findOneBy({ key_hash: hashApiKey(key) });
  return row && !row.revoked_at ? row : null;
}

export async function touchKey(dataSource: DataSource, row: ApiKey) {
  const last = row.last_used_at ? new Date(row.last_used_at).getTime() : 0;
  if (Date.now() - last < LAST_USED_WRITE_INTERVAL_MS) return;
  await dataSource.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.id]);
}
