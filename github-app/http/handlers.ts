/**
 * What the App does for a webhook, in two steps with a clean boundary between them:
 *  - acceptEvent (in the request, no I/O): reads a verified delivery into an AcceptedEvent — small and
 *    serializable (ids and names, never the payload) — or says why it is ignored;
 *  - handleAcceptedEvent (after the 202): everything that talks to GitHub or starts runs. A pull request
 *    opened, pushed to or reopened starts a run for its head commit; "Re-run" on an EvalForge check
 *    starts a new run for the same commit.
 * The webhook route stores the AcceptedEvent with the delivery and runs handleAcceptedEvent in the
 * background (background.ts); a durable workflow can run it instead without changing either side.
 */
import { z } from 'zod';
import type { ApiDeps } from '../../api/deps.js';
import { normalizeFullName, splitFullName } from '../../core/links.js';
import { EvalRun, GitHubRepository } from '../../db/entities/index.js';
import type { Logger } from '../../lib/logger.js';
import type { GitHubApp } from '../client.js';
import { touchesPaths } from '../path-filter.js';
import { completeCheck } from '../reporting/checks.js';
import { pullRequestRunKey, rerunKey } from '../run-keys.js';
import {
  findCheckRunByGitHubId,
  findCheckRunByRunId,
  findOpenRunOfCheck,
  findRepositoryLink,
  recordInstallation,
} from '../store.js';
import { startCiRun } from './start-ci-run.js';

export const PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened'] as const;

export type AcceptedEvent =
  | {
      kind: 'pull_request';
      installationId: number | null;
      fullName: string;
      prNumber: number;
      headSha: string;
      branch: string;
      baseBranch: string;
    }
  | {
      kind: 'check_run_rerequested';
      installationId: number | null;
      fullName: string;
      checkRunId: number;
      headSha: string;
      externalId: string | null;
      pullRequest: { number: number; branch: string; baseBranch: string } | null;
      /** The new run's idempotency key: the check and the signed body, so a replayed body finds its run. */
      runKey: string;
    };

export type Acceptance =
  | {
      accepted: true;
      event: AcceptedEvent;
      /** `pull_request.synchronize`… */
      name: string;
      /** What the event is about (logs, the delivery row): its run key, or the check and action. */
      identity: string;
    }
  | { accepted: false; reason: string };

const Sha = z.string().regex(/^[0-9a-f]{40}$/i);
const Installation = z.object({ id: z.number().int().positive() }).nullish();
const Repository = z.object({ full_name: z.string().min(3).max(255) });
const PullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  installation: Installation,
  repository: Repository,
  pull_request: z.object({
    head: z.object({ ref: z.string().min(1).max(255), sha: Sha }),
    base: z.object({ ref: z.string().min(1).max(255) }),
  }),
});
const CheckRunPayload = z.object({
  action: z.string(),
  installation: Installation,
  repository: Repository,
  check_run: z.object({
    id: z.number().int().positive(),
    head_sha: Sha,
    external_id: z.string().nullish(),
    pull_requests: z
      .array(
        z.object({
          number: z.number().int().positive(),
          head: z.object({ ref: z.string().min(1).max(255) }),
          base: z.object({ ref: z.string().min(1).max(255) }),
        }),
      )
      .default([]),
  }),
});

export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
}

function parse<T extends z.ZodType>(schema: T, payload: unknown, name: string): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new WebhookPayloadError(`${name} payload is missing or has invalid fields: ${where}`);
  }
  return parsed.data;
}

/**
 * Reads a verified delivery: what it asks for, or why it is ignored. Throws WebhookPayloadError when a
 * handled event lacks the fields it needs. No I/O.
 */
export function acceptEvent(name: string, payload: unknown, bodySha256: string): Acceptance {
  const action = (payload as { action?: unknown } | null)?.action;
  const full = typeof action === 'string' ? `${name}.${action}` : name;
  if (name === 'pull_request' && (PULL_REQUEST_ACTIONS as readonly unknown[]).includes(action)) {
    const e = parse(PullRequestPayload, payload, full);
    const event: AcceptedEvent = {
      kind: 'pull_request',
      installationId: e.installation?.id ?? null,
      fullName: e.repository.full_name,
      prNumber: e.number,
      headSha: e.pull_request.head.sha.toLowerCase(),
      branch: e.pull_request.head.ref,
      baseBranch: e.pull_request.base.ref,
    };
    // opened, synchronize and reopened ask for the same thing: an evaluation of this head commit.
    return {
      accepted: true,
      event,
      name: full,
      identity: pullRequestRunKey(event.fullName, event.prNumber, event.headSha),
    };
  }
  if (name === 'check_run' && action === 'rerequested') {
    const e = parse(CheckRunPayload, payload, full);
    const pr = e.check_run.pull_requests[0];
    const event: AcceptedEvent = {
      kind: 'check_run_rerequested',
      installationId: e.installation?.id ?? null,
      fullName: e.repository.full_name,
      checkRunId: e.check_run.id,
      headSha: e.check_run.head_sha.toLowerCase(),
      externalId: e.check_run.external_id ?? null,
      pullRequest: pr ? { number: pr.number, branch: pr.head.ref, baseBranch: pr.base.ref } : null,
      runKey: rerunKey(e.check_run.id, bodySha256),
    };
    return {
      accepted: true,
      event,
      name: full,
      identity: `github:check_run:${normalizeFullName(event.fullName)}:${event.checkRunId}:rerequested`,
    };
  }
  return { accepted: false, reason: `${full} is not handled` };
}

/**
 * Does what an accepted event asks for: reads the pull request's files, starts (or finds) the run and
 * opens its check. Idempotent: run keys and check claims make a second call for the same event start
 * nothing new, so a failed call can simply be retried.
 */
export async function handleAcceptedEvent(
  deps: ApiDeps,
  github: GitHubApp,
  event: AcceptedEvent,
  log: Logger = deps.logger,
): Promise<void> {
  if (event.kind === 'pull_request') return onPullRequest(deps, github, event, log);
  return onCheckRunRerequested(deps, github, event, log);
}

async function installationOctokit(
  github: GitHubApp,
  link: GitHubRepository,
  installationId: number | null,
  log: Logger,
) {
  const id = installationId ?? link.installation_id;
  if (!id) {
    log.warn({ repository: link.full_name }, 'no GitHub App installation known for the repository; ignored');
    return null;
  }
  return github.installationOctokit(id);
}

async function onPullRequest(
  deps: ApiDeps,
  github: GitHubApp,
  e: Extract<AcceptedEvent, { kind: 'pull_request' }>,
  log: Logger,
) {
  const link = await findRepositoryLink(deps.dataSource, e.fullName);
  if (!link) {
    log.info({ repository: e.fullName }, 'repository not linked to an EvalForge project; ignored');
    return;
  }
  await recordInstallation(deps.dataSource, link, e.installationId ?? undefined);
  const octokit = await installationOctokit(github, link, e.installationId, log);
  if (!octokit) return;

  if (link.path_filters.length > 0) {
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      ...splitFullName(e.fullName),
      pull_number: e.prNumber,
      per_page: 100,
    });
    const changed = files.flatMap((f) =>
      f.previous_filename ? [f.filename, f.previous_filename] : [f.filename],
    );
    if (!touchesPaths(changed, link.path_filters)) {
      // A completed check keeps a required EvalForge check from blocking PRs that need no eval.
      await completeCheck(
        octokit,
        {
          fullName: e.fullName,
          headSha: e.headSha,
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

  await startCiRun(deps, github, octokit, link, {
    fullName: e.fullName,
    headSha: e.headSha,
    branch: e.branch,
    baseBranch: e.baseBranch,
    prNumber: e.prNumber,
    idempotencyKey: pullRequestRunKey(e.fullName, e.prNumber, e.headSha),
  });
}

async function onCheckRunRerequested(
  deps: ApiDeps,
  github: GitHubApp,
  e: Extract<AcceptedEvent, { kind: 'check_run_rerequested' }>,
  log: Logger,
) {
  const ds = deps.dataSource;
  const previous =
    (await findCheckRunByGitHubId(ds, e.checkRunId)) ??
    (isUuid(e.externalId) ? await findCheckRunByRunId(ds, e.externalId) : null);
  const link = previous
    ? await ds.getRepository(GitHubRepository).findOneBy({ id: previous.repository_id })
    : await findRepositoryLink(ds, e.fullName);
  if (!link?.enabled) return;
  await recordInstallation(ds, link, e.installationId ?? undefined);

  // The check's run, or a run an earlier re-run of this check started, is still going: nothing to re-run.
  const open = await findOpenRunOfCheck(ds, link.project_id, e.checkRunId, previous?.run_id ?? null);
  if (open) {
    log.info(
      { checkRunId: e.checkRunId, runId: open },
      're-run requested while the check has an open run; ignored',
    );
    return;
  }

  const run = previous ? await ds.getRepository(EvalRun).findOneBy({ id: previous.run_id }) : null;
  // No earlier run (its start had failed): take the commit from the check and its pull request.
  const branch = run?.git_branch ?? e.pullRequest?.branch;
  if (!branch) {
    log.warn({ checkRunId: e.checkRunId }, 're-run requested for a check with no known branch; ignored');
    return;
  }
  const octokit = await installationOctokit(github, link, e.installationId, log);
  if (!octokit) return;
  await startCiRun(deps, github, octokit, link, {
    fullName: e.fullName,
    headSha: e.headSha,
    branch,
    baseBranch: run?.git_base_branch ?? e.pullRequest?.baseBranch ?? null,
    prNumber: run?.pr_number ?? e.pullRequest?.number ?? null,
    idempotencyKey: e.runKey,
  });
}

const isUuid = (s: string | null | undefined): s is string =>
  !!s && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
