/**
 * Idempotency keys for runs started from GitHub. A pull request's key depends only on what is being
 * evaluated (repository, PR, head commit), so a redelivered or repeated event finds the run it
 * already started; a re-run request is keyed by its delivery, so each click starts exactly one run.
 * Pure (no database imports): the CLI uses boundedKey too.
 */
import crypto from 'node:crypto';
import { normalizeFullName } from '../core/links.js';

/** eval_runs.idempotency_key is varchar(255): longer keys (long branch names) are hashed. */
const MAX_KEY_LENGTH = 255;
export const boundedKey = (key: string) =>
  key.length <= MAX_KEY_LENGTH
    ? key
    : `github:sha256:${crypto.createHash('sha256').update(key).digest('hex')}`;

export const pullRequestRunKey = (fullName: string, prNumber: number, headSha: string) =>
  boundedKey(`github:pr:${normalizeFullName(fullName)}#${prNumber}@${headSha.toLowerCase()}`);

export const pushRunKey = (fullName: string, branch: string, sha: string) =>
  boundedKey(`github:push:${normalizeFullName(fullName)}:${branch}@${sha.toLowerCase()}`);

export const rerunKey = (deliveryId: string) => boundedKey(`github:rerun:${deliveryId}`);
