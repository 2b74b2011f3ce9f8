/** Database access for the GitHub integration: repository links, pull requests, check runs. */
import type { DataSource, EntityManager } from 'typeorm';
import { normalizeFullName } from '../core/links.js';
import { GitHubCheckRun, GitHubPullRequest, GitHubRepository } from '../db/entities/index.js';

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
