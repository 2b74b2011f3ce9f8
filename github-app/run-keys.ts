/**
 * Idempotency keys for runs started from GitHub, derived only from what GitHub signed (never from the
 * X-GitHub-Delivery header, which anyone replaying a body can change). A pull request's or push's key
 * depends only on what is being evaluated (repository, PR or branch, head commit), so a redelivered,
 * replayed or repeated event finds the run it already started. A re-run request is keyed by the check
 * it re-runs and the SHA-256 of its signed body: a replayed body finds its run again, while a genuinely
 * new request (GitHub signs a new body) starts one run. Pure (no database imports): the CLI uses boundedKey too.
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

/** Every re-run key of one check starts with this (how the runs a check's re-runs started are found). */
export const rerunKeyPrefix = (checkRunId: number) => `github:rerun:${checkRunId}:`;

export const rerunKey = (checkRunId: number, bodySha256: string) =>
  boundedKey(`${rerunKeyPrefix(checkRunId)}${bodySha256.toLowerCase()}`);
