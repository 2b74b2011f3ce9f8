/**
 * reportRunToGitHub: at the end of an eval run started from GitHub, completes its check run
 * (success / failure / neutral / cancelled, with the results table) and creates or updates the one
 * EvalForge comment on the pull request. Safe to retry: every step updates what it finds.
 */
import type { DataSource } from 'typeorm';
import { runPageUrl } from '../../core/links.js';
import { buildRunReport } from '../../core/run-report.js';
import type { RunReporter } from '../../core/run-reporter.js';
import type { FinalRunStatus } from '../../core/run-status.js';
import { GitHubRepository } from '../../db/entities/index.js';
import type { Logger } from '../../lib/logger.js';
import { type GitHubApp, gitHubClientFromEnv } from '../client.js';
import { findCheckRunByRunId, lockPullRequest, saveCommentId, updateCheckRun } from '../store.js';
import { completeCheck } from './checks.js';
import { upsertPullRequestComment } from './comment.js';
import { type CheckConclusion, checkConclusion } from './conclusion.js';

export interface GitHubReportDeps {
  dataSource: DataSource;
  logger: Logger;
  /** The App client. Left out: built once from the environment (GITHUB_APP_ID…); null: no App. */
  github?: GitHubApp | null;
}

export interface GitHubReportOptions {
  /** The run's final status when the row is not finalized yet (reporting before finalizeRun). */
  status?: FinalRunStatus;
}

export type GitHubReportOutcome =
  | {
      reported: false;
      reason:
        | 'not_from_github'
        | 'app_not_configured'
        | 'no_installation'
        | 'installation_suspended'
        | 'run_not_finished';
    }
  | { reported: true; conclusion: CheckConclusion; checkRunId: number; commentId: number | null };

export async function reportRunToGitHub(
  deps: GitHubReportDeps,
  runId: string,
  opts: GitHubReportOptions = {},
): Promise<GitHubReportOutcome> {
  const ds = deps.dataSource;
  const check = await findCheckRunByRunId(ds, runId);
  if (!check) return { reported: false, reason: 'not_from_github' };
  const github = deps.github === undefined ? gitHubClientFromEnv(deps.logger) : deps.github;
  if (!github) {
    deps.logger.warn(
      { runId },
      'run started from GitHub but the GitHub App is not configured here; not reported',
    );
    return { reported: false, reason: 'app_not_configured' };
  }
  const link = await ds.getRepository(GitHubRepository).findOneBy({ id: check.repository_id });
  if (!link?.installation_id) return { reported: false, reason: 'no_installation' };
  // GitHub suspended or removed the installation: its token no longer works, and nothing is posted.
  if (link.installation_suspended_at) return { reported: false, reason: 'installation_suspended' };
  const policy = { failOnRegression: link.fail_on_regression };
  const report = await buildRunReport(ds, runId, github.settings.publicUrl, policy, opts.status, {
    github: { fullName: link.full_name, commitSha: check.head_sha },
  });
  if (!report) return { reported: false, reason: 'not_from_github' };
  if (report.gate.state === 'pending') return { reported: false, reason: 'run_not_finished' };

  const conclusion = checkConclusion(report.gate);
  // A run the App cancelled says why (superseded by a newer push, the pull request closed).
  const title =
    conclusion === 'cancelled' && check.cancel_reason
      ? `Cancelled: ${check.cancel_reason}`
      : report.gate.title;
  const verdict = { conclusion, title };
  const octokit = await github.installationOctokit(link.installation_id);
  const target = {
    fullName: link.full_name,
    headSha: check.head_sha,
    name: github.settings.checkName,
    runId,
    detailsUrl: runPageUrl(github.settings.publicUrl, runId),
  };
  const checkRunId = await completeCheck(octokit, target, check.check_run_id, {
    conclusion: verdict.conclusion,
    title: verdict.title,
    summary: report.markdown,
  });
  await updateCheckRun(ds, runId, { check_run_id: checkRunId, conclusion: verdict.conclusion });

  let commentId: number | null = null;
  const prNumber = check.pr_number;
  if (prNumber !== null) {
    // Locked per pull request: two runs finishing together never both create a comment.
    commentId = await ds.transaction(async (m) => {
      const pr = await lockPullRequest(m, link.id, prNumber);
      // A run for an older commit completes its own check but leaves the comment to the newest one.
      if (pr && pr.head_sha !== check.head_sha) return null;
      // A closed pull request gets nothing more.
      if (pr?.closed_at) return null;
      const id = await upsertPullRequestComment(
        octokit,
        { fullName: link.full_name, prNumber },
        pr?.comment_id ?? null,
        report.markdown,
      );
      if (pr && pr.comment_id !== id) await saveCommentId(m, pr.id, id);
      return id;
    });
  }
  deps.logger.info(
    { runId, conclusion: verdict.conclusion, checkRunId, commentId },
    'run reported to GitHub',
  );
  return { reported: true, conclusion: verdict.conclusion, checkRunId, commentId };
}

/** reportRunToGitHub as the RunReporter the worker's activities are given. */
export function createGitHubReporter(deps: GitHubReportDeps): RunReporter {
  return {
    async report(runId, status) {
      const outcome = await reportRunToGitHub(deps, runId, { status });
      return outcome.reported
        ? { reported: true, conclusion: outcome.conclusion }
        : { reported: false, reason: outcome.reason };
    },
  };
}
