/**
 * Webhook handlers: a pull request opened, pushed to or reopened starts a run for its head commit;
 * "Re-run" on an EvalForge check starts a new run for the same commit.
 */
import type { Context } from 'probot';
import type { ApiDeps } from '../../api/deps.js';
import { splitFullName } from '../../core/links.js';
import { EvalRun, GitHubRepository } from '../../db/entities/index.js';
import type { GitHubApp } from '../client.js';
import { touchesPaths } from '../path-filter.js';
import { completeCheck } from '../reporting/checks.js';
import { pullRequestRunKey, rerunKey } from '../run-keys.js';
import {
  findCheckRunByGitHubId,
  findCheckRunByRunId,
  findRepositoryLink,
  recordInstallation,
  recordPullRequestHead,
} from '../store.js';
import { startCiRun } from './start-ci-run.js';

export const PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened'] as const;

export function registerWebhookHandlers(github: GitHubApp, deps: ApiDeps) {
  github.probot.on(
    PULL_REQUEST_ACTIONS.map((a): PullRequestEvent => `pull_request.${a}`),
    (ctx) => onPullRequest(github, deps, ctx),
  );
  github.probot.on('check_run.rerequested', (ctx) => onCheckRunRerequested(github, deps, ctx));
}

type PullRequestEvent = `pull_request.${(typeof PULL_REQUEST_ACTIONS)[number]}`;

async function onPullRequest(github: GitHubApp, deps: ApiDeps, ctx: Context<PullRequestEvent>) {
  const { pull_request: pr, repository } = ctx.payload;
  const link = await findRepositoryLink(deps.dataSource, repository.full_name);
  if (!link) {
    ctx.log.info(
      { repository: repository.full_name },
      'repository not linked to an EvalForge project; ignored',
    );
    return;
  }
  await recordInstallation(deps.dataSource, link, ctx.payload.installation?.id);
  await recordPullRequestHead(deps.dataSource, link.id, pr.number, pr.head.sha);

  if (link.path_filters.length > 0) {
    const files = await ctx.octokit.paginate(ctx.octokit.rest.pulls.listFiles, {
      ...splitFullName(repository.full_name),
      pull_number: pr.number,
      per_page: 100,
    });
    const changed = files.flatMap((f) =>
      f.previous_filename ? [f.filename, f.previous_filename] : [f.filename],
    );
    if (!touchesPaths(changed, link.path_filters)) {
      // A completed check keeps a required EvalForge check from blocking PRs that need no eval.
      await completeCheck(
        ctx.octokit,
        {
          fullName: repository.full_name,
          headSha: pr.head.sha,
          name: github.settings.checkName,
          runId: '',
          detailsUrl: null,
        },
        null,
        {
          conclusion: 'skipped',
          title: 'No evaluated files changed',
          summary: `This pull request changes none of: ${link.path_filters.map((p) => `\`${p}\``).join(', ')}.`,
        },
      );
      return;
    }
  }

  await startCiRun(deps, github, ctx.octokit, link, {
    fullName: repository.full_name,
    headSha: pr.head.sha,
    branch: pr.head.ref,
    baseBranch: pr.base.ref,
    prNumber: pr.number,
    idempotencyKey: pullRequestRunKey(repository.full_name, pr.number, pr.head.sha),
  });
}

async function onCheckRunRerequested(
  github: GitHubApp,
  deps: ApiDeps,
  ctx: Context<'check_run.rerequested'>,
) {
  const { check_run: check, repository } = ctx.payload;
  const ds = deps.dataSource;
  const previous =
    (await findCheckRunByGitHubId(ds, check.id)) ??
    (isUuid(check.external_id) ? await findCheckRunByRunId(ds, check.external_id) : null);
  const link = previous
    ? await ds.getRepository(GitHubRepository).findOneBy({ id: previous.repository_id })
    : await findRepositoryLink(ds, repository.full_name);
  if (!link?.enabled) return;
  await recordInstallation(ds, link, ctx.payload.installation?.id);

  const run = previous ? await ds.getRepository(EvalRun).findOneBy({ id: previous.run_id }) : null;
  // No earlier run (its start had failed): take the commit from the check and its pull request.
  const pr = check.pull_requests[0];
  const branch = run?.git_branch ?? pr?.head.ref;
  if (!branch) {
    ctx.log.warn({ checkRunId: check.id }, 're-run requested for a check with no known branch; ignored');
    return;
  }
  await startCiRun(deps, github, ctx.octokit, link, {
    fullName: repository.full_name,
    headSha: check.head_sha,
    branch,
    baseBranch: run?.git_base_branch ?? pr?.base.ref ?? null,
    prNumber: run?.pr_number ?? pr?.number ?? null,
    idempotencyKey: rerunKey(ctx.id),
  });
}

const isUuid = (s: string | null | undefined): s is string =>
  !!s && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
