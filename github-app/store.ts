/** Database access for the GitHub integration: repository links, pull requests, check runs, deliveries. */
import type { DataSource, EntityManager } from 'typeorm';
import { normalizeFullName } from '../core/links.js';
import { FINAL_RUN_STATUSES } from '../core/run-status.js';
import {
  GitHubCheckRun,
  GitHubPullRequest,
  GitHubRepository,
  type WebhookDeliveryStatus,
} from '../db/entities/index.js';
import { rerunKeyPrefix } from './run-keys.js';

export async function findRepositoryLink(ds: DataSource, fullName: string) {
  const link = await ds.getRepository(GitHubRepository).findOneBy({ full_name: normalizeFullName(fullName) });
  return link?.enabled ? link : null;
}

/** Remembers which installation covers the repository, for reports made later by the worker. */
export async function recordInstallation(
  ds: DataSource,
  link: GitHubRepository,
  installationId: number | undefined,
) {
  if (!installationId || link.installation_id === installationId) return;
  await ds.getRepository(GitHubRepository).update({ id: link.id }, { installation_id: installationId });
  link.installation_id = installationId;
}

/** Records the pull request's latest head commit (the one its comment should describe). */
export async function recordPullRequestHead(
  ds: DataSource,
  repositoryId: string,
  prNumber: number,
  headSha: string,
) {
  await ds.query(
    `INSERT INTO github_pull_requests (repository_id, pr_number, head_sha) VALUES ($1, $2, $3)
     ON CONFLICT (repository_id, pr_number) DO UPDATE SET head_sha = EXCLUDED.head_sha, updated_at = now()`,
    [repositoryId, prNumber, headSha],
  );
}

export async function readPullRequest(ds: DataSource, repositoryId: string, prNumber: number) {
  return ds.getRepository(GitHubPullRequest).findOneBy({ repository_id: repositoryId, pr_number: prNumber });
}

/** A closed pull request gets no more comments; its head is recorded as it closed. */
export async function closePullRequest(
  ds: DataSource,
  repositoryId: string,
  prNumber: number,
  headSha: string,
) {
  await ds.query(
    `INSERT INTO github_pull_requests (repository_id, pr_number, head_sha, closed_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (repository_id, pr_number) DO UPDATE SET closed_at = now(), updated_at = now()`,
    [repositoryId, prNumber, headSha],
  );
}

export async function reopenPullRequest(
  ds: DataSource,
  repositoryId: string,
  prNumber: number,
  headSha: string,
) {
  await ds.query(
    `INSERT INTO github_pull_requests (repository_id, pr_number, head_sha) VALUES ($1, $2, $3)
     ON CONFLICT (repository_id, pr_number) DO UPDATE SET closed_at = NULL, updated_at = now()`,
    [repositoryId, prNumber, headSha],
  );
}

/** Runs of a pull request (every one with `prNumber` null) that have not finished, except `keepSha`'s. */
export async function openPullRequestRuns(
  ds: DataSource,
  repositoryId: string,
  prNumber: number | null,
  keepSha: string | null,
): Promise<{ run_id: string; check_run_id: number | null; head_sha: string }[]> {
  const rows: { run_id: string; check_run_id: string | null; head_sha: string }[] = await ds.query(
    `SELECT c.run_id, c.check_run_id, c.head_sha FROM github_check_runs c JOIN eval_runs r ON r.id = c.run_id
      WHERE c.repository_id = $1 AND ($2::int IS NULL OR c.pr_number = $2)
        AND ($3::text IS NULL OR c.head_sha <> $3) AND r.status <> ALL($4)`,
    [repositoryId, prNumber, keepSha, [...FINAL_RUN_STATUSES]],
  );
  return rows.map((r) => ({ ...r, check_run_id: r.check_run_id === null ? null : Number(r.check_run_id) }));
}

export async function setCancelReason(ds: DataSource, runId: string, reason: string) {
  await ds.getRepository(GitHubCheckRun).update({ run_id: runId }, { cancel_reason: reason.slice(0, 255) });
}

/** Marks (or clears) an installation's repositories as suspended; returns the links it covers. */
export async function setInstallationSuspended(ds: DataSource, installationId: number, suspended: boolean) {
  const links = await ds.getRepository(GitHubRepository).findBy({ installation_id: installationId });
  if (links.length > 0) {
    await ds
      .getRepository(GitHubRepository)
      .update(
        { installation_id: installationId },
        { installation_suspended_at: suspended ? new Date() : null },
      );
  }
  return links;
}

/** Locks the pull request's row for the transaction, so two reports never both create a comment. */
export async function lockPullRequest(m: EntityManager, repositoryId: string, prNumber: number) {
  const rows: GitHubPullRequest[] = await m.query(
    `SELECT * FROM github_pull_requests WHERE repository_id = $1 AND pr_number = $2 FOR UPDATE`,
    [repositoryId, prNumber],
  );
  return rows[0]
    ? { ...rows[0], comment_id: rows[0].comment_id === null ? null : Number(rows[0].comment_id) }
    : null;
}

export async function saveCommentId(m: EntityManager, pullRequestId: string, commentId: number) {
  await m.getRepository(GitHubPullRequest).update({ id: pullRequestId }, { comment_id: commentId });
}

/**
 * Claims the check run of an eval run: true for the first caller only, so a redelivered webhook
 * (or a second delivery racing the first) never creates a second check.
 */
export async function claimCheckRun(
  ds: DataSource,
  row: { run_id: string; repository_id: string; pr_number: number | null; head_sha: string },
): Promise<boolean> {
  const inserted: unknown[] = await ds.query(
    `INSERT INTO github_check_runs (run_id, repository_id, pr_number, head_sha) VALUES ($1, $2, $3, $4)
     ON CONFLICT (run_id) DO NOTHING RETURNING run_id`,
    [row.run_id, row.repository_id, row.pr_number, row.head_sha],
  );
  return inserted.length === 1;
}

/**
 * Gives a claim back when its check could not be created (GitHub down): the next attempt (a retry, or a
 * redelivery) claims it again. A claim whose check exists is kept.
 */
export async function releaseCheckRunClaim(ds: DataSource, runId: string) {
  await ds.query(`DELETE FROM github_check_runs WHERE run_id = $1 AND check_run_id IS NULL`, [runId]);
}

export async function updateCheckRun(
  ds: DataSource,
  runId: string,
  values: Partial<Pick<GitHubCheckRun, 'check_run_id' | 'conclusion'>>,
) {
  await ds.getRepository(GitHubCheckRun).update({ run_id: runId }, values);
}

export const findCheckRunByRunId = (ds: DataSource, runId: string) =>
  ds.getRepository(GitHubCheckRun).findOneBy({ run_id: runId });

export const findCheckRunByGitHubId = (ds: DataSource, checkRunId: number) =>
  ds.getRepository(GitHubCheckRun).findOneBy({ check_run_id: checkRunId });

/**
 * A run of this check that has not finished: the run the check shows, or one that an earlier re-run of
 * the same check started. A re-run request while one is open starts nothing.
 */
export async function findOpenRunOfCheck(
  ds: DataSource,
  projectId: string,
  checkRunId: number,
  shownRunId: string | null,
): Promise<string | null> {
  const rows: { id: string }[] = await ds.query(
    `SELECT id FROM eval_runs
      WHERE project_id = $1 AND (id = $2 OR idempotency_key LIKE $3) AND status <> ALL($4)
      ORDER BY created_at DESC LIMIT 1`,
    [projectId, shownRunId, `${rerunKeyPrefix(checkRunId)}%`, [...FINAL_RUN_STATUSES]],
  );
  return rows[0]?.id ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Webhook deliveries: dedupe on the signed body, and what was accepted

/** Accepted deliveries are kept this long; a body replayed later is still caught by its run's key. */
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 30;
/** An accepted delivery untouched this long lost its worker (the process stopped): a redelivery takes it over. */
export const STALE_ACCEPTED_DELIVERY_S = 15 * 60;

export interface DeliveryClaim {
  source: 'github_app';
  body_sha256: string;
  delivery_id: string;
  event: string;
  identity: string;
  task: Record<string, unknown>;
}

/**
 * Records an accepted delivery, keyed by the SHA-256 of its signed body. Returns its id, or null when the
 * same body was accepted before (whatever its X-GitHub-Delivery) — unless that one failed for good or
 * was abandoned, so GitHub's "Redeliver" of a failed delivery still works.
 */
export async function claimDelivery(ds: DataSource, row: DeliveryClaim): Promise<string | null> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO webhook_deliveries (source, body_sha256, delivery_id, event, identity, task)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (source, body_sha256) DO UPDATE
       SET status = 'accepted', attempts = 0, last_error = NULL, delivery_id = EXCLUDED.delivery_id,
           updated_at = now()
       WHERE webhook_deliveries.status = 'failed'
          OR (webhook_deliveries.status = 'accepted'
              AND webhook_deliveries.updated_at < now() - make_interval(secs => $7))
     RETURNING id`,
    [
      row.source,
      row.body_sha256,
      row.delivery_id.slice(0, 100),
      row.event.slice(0, 100),
      row.identity.slice(0, 255),
      JSON.stringify(row.task),
      STALE_ACCEPTED_DELIVERY_S,
    ],
  );
  return rows[0]?.id ?? null;
}

const MAX_ERROR_CHARS = 2_000;

export async function recordDeliveryAttempt(
  ds: DataSource,
  id: string,
  values: { status: WebhookDeliveryStatus; attempts: number; error?: string | null },
) {
  await ds.query(
    `UPDATE webhook_deliveries SET status = $2, attempts = $3, last_error = $4, updated_at = now() WHERE id = $1`,
    [id, values.status, values.attempts, values.error?.slice(0, MAX_ERROR_CHARS) ?? null],
  );
}

export async function findDeliveryByBody(ds: DataSource, source: string, bodySha256: string) {
  const rows: { id: string; status: WebhookDeliveryStatus }[] = await ds.query(
    `SELECT id, status FROM webhook_deliveries WHERE source = $1 AND body_sha256 = $2`,
    [source, bodySha256],
  );
  return rows[0] ?? null;
}

/** Deletes deliveries past the retention window; returns how many. */
export async function pruneDeliveries(ds: DataSource): Promise<number> {
  const [, count] = (await ds.query(
    `DELETE FROM webhook_deliveries WHERE received_at < now() - make_interval(days => $1)`,
    [WEBHOOK_DELIVERY_RETENTION_DAYS],
  )) as [unknown, number];
  return count ?? 0;
}
