/**
 * Starts (or finds) the eval run for a commit and shows it on GitHub as an in-progress check: the run of
 * the repository's evalforge.yaml (ci-event-handler.ts passes its start), or of the link's dataset and
 * endpoint when the repository has no config file.
 */
import type { ApiDeps } from '../../api/deps.js';
import { ApiError } from '../../api/errors.js';
import { startRun } from '../../api/services/runs.js';
import { DomainError } from '../../core/errors.js';
import { runPageUrl } from '../../core/links.js';
import { FINAL_RUN_STATUSES } from '../../core/run-status.js';
import type { EvalRun, GitHubRepository } from '../../db/entities/index.js';
import type { GitHubApp, InstallationOctokit } from '../client.js';
import { completeCheck, createInProgressCheck, markCheckInProgress } from '../reporting/checks.js';
import { reportRunToGitHub } from '../reporting/report.js';
import { claimCheckRun, releaseCheckRunClaim, updateCheckRun } from '../store.js';

export interface CiCommit {
  /** As GitHub spells it (for API paths); the link stores it lower-case. */
  fullName: string;
  headSha: string;
  branch: string;
  baseBranch: string | null;
  prNumber: number | null;
  idempotencyKey: string;
}

/** Starts the run under a key; the link's dataset and endpoint when not given. */
export type StartCiRunFn = (key: string) => Promise<{ run: EvalRun; created: boolean }>;

export interface StartCiRunOptions {
  /** How the run is started (default: startRun on the link's dataset and endpoint). */
  start?: StartCiRunFn;
  /** A check already opened for this commit (while its base commit was evaluated): reused. */
  checkRunId?: number | null;
}

export type CiRunOutcome =
  | { started: true; runId: string; created: boolean; checkRunId: number | null }
  | { started: false; reason: string };

export async function startCiRun(
  deps: ApiDeps,
  github: GitHubApp,
  octokit: InstallationOctokit,
  link: GitHubRepository,
  commit: CiCommit,
  options: StartCiRunOptions = {},
): Promise<CiRunOutcome> {
  const target = {
    fullName: commit.fullName,
    headSha: commit.headSha,
    name: github.settings.checkName,
    detailsUrl: null,
  };
  const start: StartCiRunFn =
    options.start ??
    ((key) =>
      startRun(deps, {
        project_id: link.project_id,
        dataset_id: link.dataset_id,
        endpoint_id: link.endpoint_id,
        trigger_type: 'ci',
        git_commit_sha: commit.headSha,
        git_branch: commit.branch,
        ...(commit.baseBranch ? { git_base_branch: commit.baseBranch } : {}),
        ...(commit.prNumber ? { pr_number: commit.prNumber } : {}),
        // CI runs reuse answers for an unchanged endpoint, prompt and input: an unchanged prompt costs nothing.
        cache: true,
        idempotency_key: key,
      }));
  let started: { run: EvalRun; created: boolean };
  try {
    started = await start(commit.idempotencyKey);
  } catch (err) {
    // This commit was already evaluated under this key with other settings (the link or the PR's base changed
    // since): its run keeps its check; a "Re-run" on that check starts a run with the current settings.
    if (err instanceof ApiError && err.code === 'idempotency_key_reused') {
      deps.logger.warn(
        { repository: commit.fullName, sha: commit.headSha, key: commit.idempotencyKey },
        'CI event for an already evaluated commit with different settings; not started again',
      );
      return { started: false, reason: err.code };
    }
    // A configuration problem (archived dataset, empty dataset…) shows on the PR instead of vanishing
    // into a log; anything else (Temporal down) fails the delivery so it can be redelivered.
    const configurationProblem = err instanceof DomainError || (err instanceof ApiError && err.status < 500);
    if (!configurationProblem) throw err;
    await completeCheck(octokit, { ...target, runId: '' }, options.checkRunId ?? null, {
      conclusion: 'failure',
      title: 'EvalForge could not start an eval run',
      summary: `${err.message}\n\nFix the repository's EvalForge link (project, dataset, endpoint) and re-run this check.`,
    });
    return { started: false, reason: err.code };
  }
  const { run, created } = started;
  const claimed = await claimCheckRun(deps.dataSource, {
    run_id: run.id,
    repository_id: link.id,
    pr_number: commit.prNumber,
    head_sha: commit.headSha,
  });
  if (!claimed) return { started: true, runId: run.id, created, checkRunId: null };
  if (FINAL_RUN_STATUSES.has(run.status)) {
    // A redelivery found a run that finished (or was cancelled) before its check was ever opened: show how
    // it ended rather than an in-progress check that nothing would complete. The run is not started again.
    const reported = await reportRunToGitHub(
      { dataSource: deps.dataSource, logger: deps.logger, github },
      run.id,
    );
    return {
      started: true,
      runId: run.id,
      created,
      checkRunId: reported.reported ? reported.checkRunId : null,
    };
  }
  let checkRunId: number;
  try {
    const check = { ...target, runId: run.id, detailsUrl: runPageUrl(github.settings.publicUrl, run.id) };
    checkRunId =
      options.checkRunId != null
        ? await markCheckInProgress(octokit, check, options.checkRunId)
        : await createInProgressCheck(octokit, check);
  } catch (err) {
    // GitHub did not take the check: the next attempt (a retry, a redelivery) must be able to claim it again.
    await releaseCheckRunClaim(deps.dataSource, run.id);
    throw err;
  }
  await updateCheckRun(deps.dataSource, run.id, { check_run_id: checkRunId });
  deps.logger.info(
    { runId: run.id, repository: commit.fullName, sha: commit.headSha, checkRunId },
    'CI run started',
  );
  return { started: true, runId: run.id, created, checkRunId };
}
