/**
 * What the App does for each GitHub event (the CiEventHandler the durable workflow's activities call):
 *  - a pull request opened, pushed to or reopened: the repository's evalforge.yaml at the head commit is
 *    evaluated against the same file at the base commit, on the same samples (the base commit's run is
 *    reused when one of that exact config finished, else it runs first); without the file, the link's
 *    dataset and endpoint run as before. A push cancels the pull request's older runs ("superseded by").
 *  - a pull request closed: its runs are cancelled and nothing more is posted on it;
 *  - "Re-run" on an EvalForge check: a new run for the same commit;
 *  - an installation deleted or suspended: its repositories' runs are cancelled and no work is done for
 *    them until it is back.
 * Every step is idempotent (run keys, check claims, reads at fixed SHAs), so the workflow can retry it.
 */
import type { ApiDeps } from '../../api/deps.js';
import { ApiError } from '../../api/errors.js';
import { type ConfigRunInput, resolveConfigRun, startConfigRun } from '../../api/services/config-runs.js';
import { cancelRun } from '../../api/services/runs.js';
import type { CiEvent, CiEventHandler, CiResume, CiStep } from '../../core/ci-events.js';
import { DomainError } from '../../core/errors.js';
import {
  type EvalConfig,
  MAX_CONFIG_DATASET_BYTES,
  MAX_EVAL_CONFIG_BYTES,
  parseEvalConfig,
} from '../../core/eval-config.js';
import { splitFullName } from '../../core/links.js';
import { FINAL_RUN_STATUSES } from '../../core/run-status.js';
import { EvalRun, GitHubRepository } from '../../db/entities/index.js';
import type { GitHubApp, InstallationOctokit } from '../client.js';
import { touchesPaths } from '../path-filter.js';
import { completeCheck, createWaitingCheck } from '../reporting/checks.js';
import { boundedKey, pullRequestRunKey } from '../run-keys.js';
import {
  closePullRequest,
  findCheckRunByGitHubId,
  findCheckRunByRunId,
  findOpenRunOfCheck,
  findRepositoryLink,
  openPullRequestRuns,
  readPullRequest,
  recordInstallation,
  reopenPullRequest,
  setCancelReason,
  setInstallationSuspended,
} from '../store.js';
import { RepositoryFileTooLargeError, readRepositoryFile } from './repository-files.js';
import { type CiCommit, startCiRun } from './start-ci-run.js';

const done = (note: string): CiStep => ({ kind: 'done', note });
const short = (sha: string) => sha.slice(0, 7);

type PullRequestEvent = Extract<CiEvent, { kind: 'pull_request' }>;

/** The config of one commit, read and checked, with the files it names. */
type CommitConfig =
  | { kind: 'absent' }
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'valid'; config: EvalConfig; files: Record<string, string> };

export function createCiEventHandler(deps: ApiDeps, github: GitHubApp): CiEventHandler {
  const log = deps.logger.child({ component: 'github-events' });
  const ds = deps.dataSource;

  async function octokitFor(link: GitHubRepository, installationId: number | null) {
    const id = installationId ?? link.installation_id;
    return id ? github.installationOctokit(id) : null;
  }

  async function readCommitConfig(
    octokit: InstallationOctokit,
    fullName: string,
    path: string,
    sha: string,
  ): Promise<CommitConfig> {
    /** The file's text, null when absent, or a problem to show (too large). */
    const read = async (
      file: string,
      maxBytes: number,
    ): Promise<{ text: string | null } | { problem: string }> => {
      try {
        return { text: await readRepositoryFile(octokit, fullName, file, sha, maxBytes) };
      } catch (err) {
        if (err instanceof RepositoryFileTooLargeError) return { problem: err.message };
        throw err;
      }
    };
    const configFile = await read(path, MAX_EVAL_CONFIG_BYTES);
    if ('problem' in configFile) return { kind: 'invalid', problems: [configFile.problem] };
    if (configFile.text === null) return { kind: 'absent' };
    const parsed = parseEvalConfig(configFile.text);
    if (!parsed.ok) {
      return { kind: 'invalid', problems: parsed.issues.map((i) => `${i.path || '(file)'}: ${i.message}`) };
    }
    const files: Record<string, string> = {};
    if ('path' in parsed.config.dataset) {
      const datasetPath = parsed.config.dataset.path;
      const data = await read(datasetPath, MAX_CONFIG_DATASET_BYTES);
      if ('problem' in data) return { kind: 'invalid', problems: [data.problem] };
      if (data.text === null) {
        return { kind: 'invalid', problems: [`dataset.path: ${datasetPath} is not in the commit`] };
      }
      files[datasetPath] = data.text;
    }
    return { kind: 'valid', config: parsed.config, files };
  }

  /** A run key under which no cancelled run sits: a pull request reopened after its run was cancelled
   * evaluates again, while a finished run is reused. */
  async function liveRunKey(projectId: string, key: string): Promise<string> {
    let current = key;
    for (let i = 0; i < 20; i++) {
      const run = await ds.getRepository(EvalRun).findOne({
        where: { project_id: projectId, idempotency_key: current },
        select: { id: true, status: true },
      });
      if (run?.status !== 'cancelled') return current;
      current = boundedKey(`${key}:after:${run.id}`);
    }
    return current;
  }

  /** Cancels the pull request's open runs (except those of `keepSha`) and concludes their checks. */
  async function cancelPullRequestRuns(
    octokit: InstallationOctokit | null,
    link: GitHubRepository,
    prNumber: number,
    reason: string,
    keepSha: string | null,
  ) {
    for (const open of await openPullRequestRuns(ds, link.id, prNumber, keepSha)) {
      await setCancelReason(ds, open.run_id, reason);
      try {
        await cancelRun(deps, open.run_id);
      } catch (err) {
        // Finished meanwhile: its own report shows how it ended.
        if (!(err instanceof ApiError && err.code === 'run_finished')) throw err;
      }
      if (octokit && open.check_run_id !== null) {
        await completeCheck(
          octokit,
          {
            fullName: link.full_name,
            headSha: open.head_sha,
            name: github.settings.checkName,
            runId: open.run_id,
            detailsUrl: null,
          },
          open.check_run_id,
          {
            conclusion: 'cancelled',
            title: `Cancelled: ${reason}`,
            summary: `EvalForge run \`${open.run_id}\` was cancelled: ${reason}.`,
          },
        );
      }
      log.info({ runId: open.run_id, prNumber, reason }, 'pull request run cancelled');
    }
  }

  /** The pull request moved on (a newer head) or closed since the event: why, or null when still current. */
  async function staleReason(link: GitHubRepository, e: PullRequestEvent): Promise<string | null> {
    const pr = await readPullRequest(ds, link.id, e.prNumber);
    if (pr?.closed_at) return 'pull request closed';
    if (pr && pr.head_sha !== e.headSha) return `superseded by ${short(pr.head_sha)}`;
    return null;
  }

  function configRunInput(
    link: GitHubRepository,
    config: Extract<CommitConfig, { kind: 'valid' }>,
    commit: { sha: string; branch: string; baseBranch?: string; prNumber?: number },
  ): ConfigRunInput {
    return {
      project_id: link.project_id,
      config: config.config,
      config_path: link.config_path,
      files: config.files,
      trigger_type: 'ci',
      git_commit_sha: commit.sha,
      git_branch: commit.branch,
      ...(commit.baseBranch ? { git_base_branch: commit.baseBranch } : {}),
      ...(commit.prNumber ? { pr_number: commit.prNumber } : {}),
    };
  }

  /** The check a config that cannot run concludes with (invalid file, unknown endpoint…). */
  async function failCheck(
    octokit: InstallationOctokit,
    link: GitHubRepository,
    sha: string,
    title: string,
    lines: string[],
    checkRunId: number | null = null,
  ) {
    await completeCheck(
      octokit,
      {
        fullName: link.full_name,
        headSha: sha,
        name: github.settings.checkName,
        runId: '',
        detailsUrl: null,
      },
      checkRunId,
      {
        conclusion: 'failure',
        title,
        summary: `${lines.map((l) => `- ${l.replace(/[\r\n]+/g, ' ').slice(0, 500)}`).join('\n')}\n\nFix \`${link.config_path}\` and push, or re-run this check.`,
      },
    );
  }

  /** Starts the head commit's run of its config, compared with `baselineRunId`, and shows it on the check. */
  async function startCandidate(
    octokit: InstallationOctokit,
    link: GitHubRepository,
    e: PullRequestEvent,
    head: Extract<CommitConfig, { kind: 'valid' }>,
    baselineRunId: string | null,
    checkRunId: number | null,
  ): Promise<CiStep> {
    const key = await liveRunKey(link.project_id, pullRequestRunKey(e.fullName, e.prNumber, e.headSha));
    const commit: CiCommit = {
      fullName: e.fullName,
      headSha: e.headSha,
      branch: e.branch,
      baseBranch: e.baseBranch,
      prNumber: e.prNumber,
      idempotencyKey: key,
    };
    const input = configRunInput(link, head, {
      sha: e.headSha,
      branch: e.branch,
      baseBranch: e.baseBranch,
      prNumber: e.prNumber,
    });
    const outcome = await startCiRun(deps, github, octokit, link, commit, {
      checkRunId,
      start: async (idempotencyKey) => {
        const { run, created } = await startConfigRun(deps, {
          ...input,
          idempotency_key: idempotencyKey,
          ...(baselineRunId ? { baseline_run_id: baselineRunId } : {}),
        });
        return { run, created };
      },
    });
    return done(
      outcome.started ? `run ${outcome.runId} for ${short(e.headSha)}` : `not started: ${outcome.reason}`,
    );
  }

  async function onPullRequest(e: PullRequestEvent): Promise<CiStep> {
    const link = await findRepositoryLink(ds, e.fullName);
    if (!link) return done('repository not linked');
    if (link.installation_suspended_at) {
      // GitHub only sends events of active installations: one from another installation means it is back.
      if (e.installationId === null || e.installationId === link.installation_id)
        return done('installation suspended');
      await setInstallationSuspended(ds, link.installation_id ?? e.installationId, false);
      link.installation_suspended_at = null;
    }
    await recordInstallation(ds, link, e.installationId ?? undefined);
    if (e.action === 'reopened') await reopenPullRequest(ds, link.id, e.prNumber, e.headSha);
    const stale = await staleReason(link, e);
    if (stale) return done(`not evaluated: ${stale}`);
    const octokit = await octokitFor(link, e.installationId);
    if (!octokit) return done('no installation known for the repository');

    // A push: the pull request's runs of older commits are of no use any more.
    await cancelPullRequestRuns(octokit, link, e.prNumber, `superseded by ${short(e.headSha)}`, e.headSha);

    const head = await readCommitConfig(octokit, e.fullName, link.config_path, e.headSha);
    if (head.kind === 'invalid') {
      await failCheck(octokit, link, e.headSha, `${link.config_path} is invalid`, head.problems);
      return done('invalid config');
    }
    const patterns = head.kind === 'valid' ? (head.config.paths ?? link.path_filters) : link.path_filters;
    if (patterns.length > 0) {
      // The config and its dataset file always count: changing them changes the evaluation.
      const filters =
        head.kind === 'valid' ? [...patterns, link.config_path, ...Object.keys(head.files)] : patterns;
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        ...splitFullName(e.fullName),
        pull_number: e.prNumber,
        per_page: 100,
      });
      const changed = files.flatMap((f) =>
        f.previous_filename ? [f.filename, f.previous_filename] : [f.filename],
      );
      if (!touchesPaths(changed, filters)) {
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
            summary: `This pull request changes none of: ${filters.map((p) => `\`${p}\``).join(', ')}.`,
          },
        );
        return done('no evaluated files changed');
      }
    }

    if (head.kind === 'absent') {
      // No config in the repository: the link's dataset and endpoint, as before evalforge.yaml.
      const key = await liveRunKey(link.project_id, pullRequestRunKey(e.fullName, e.prNumber, e.headSha));
      const outcome = await startCiRun(deps, github, octokit, link, {
        fullName: e.fullName,
        headSha: e.headSha,
        branch: e.branch,
        baseBranch: e.baseBranch,
        prNumber: e.prNumber,
        idempotencyKey: key,
      });
      return done(
        outcome.started ? `run ${outcome.runId} (link settings)` : `not started: ${outcome.reason}`,
      );
    }

    // The baseline: the same file at the base commit, on its own dataset version, run once per config.
    const base = e.baseSha ? await readCommitConfig(octokit, e.fullName, link.config_path, e.baseSha) : null;
    if (!e.baseSha || !base || base.kind !== 'valid') {
      return startCandidate(octokit, link, e, head, null, null);
    }
    let baseRun: EvalRun;
    try {
      const baseInput = configRunInput(link, base, { sha: e.baseSha, branch: e.baseBranch });
      const { configSha256 } = await resolveConfigRun(deps, baseInput);
      const reusable = await newestRunOfConfig(link.project_id, configSha256);
      baseRun =
        reusable ??
        (
          await startConfigRun(deps, {
            ...baseInput,
            idempotency_key: boundedKey(`github:base:${link.full_name}@${e.baseSha}:${configSha256}`),
          })
        ).run;
    } catch (err) {
      // The base commit's config cannot run (removed endpoint…): the candidate runs without it.
      if (!(err instanceof DomainError || (err instanceof ApiError && err.status < 500))) throw err;
      log.warn({ err, baseSha: e.baseSha }, "the base commit's config cannot run; no paired baseline");
      return startCandidate(octokit, link, e, head, null, null);
    }
    if (baseRun.status === 'completed') return startCandidate(octokit, link, e, head, baseRun.id, null);
    if (FINAL_RUN_STATUSES.has(baseRun.status)) return startCandidate(octokit, link, e, head, null, null);
    const checkRunId = await createWaitingCheck(
      octokit,
      { fullName: e.fullName, headSha: e.headSha, name: github.settings.checkName, detailsUrl: null },
      e.baseSha,
    );
    return {
      kind: 'wait_for_run',
      runId: baseRun.id,
      resume: { baseRunId: baseRun.id, checkRunId, configPath: link.config_path },
    };
  }

  /** A completed run of the config, else one still going (shared by pull requests on the same base). */
  async function newestRunOfConfig(projectId: string, configSha256: string): Promise<EvalRun | null> {
    const rows = await ds
      .getRepository(EvalRun)
      .createQueryBuilder('r')
      .where('r.project_id = :projectId AND r.config_sha256 = :sha', { projectId, sha: configSha256 })
      .andWhere("r.status IN ('completed', 'pending', 'running')")
      .orderBy("CASE WHEN r.status = 'completed' THEN 0 ELSE 1 END")
      .addOrderBy('r.created_at', 'DESC')
      .limit(1)
      .getMany();
    return rows[0] ?? null;
  }

  async function resumePullRequest(e: PullRequestEvent, r: CiResume): Promise<CiStep> {
    const link = await findRepositoryLink(ds, e.fullName);
    if (!link || link.installation_suspended_at)
      return done('repository not linked or installation suspended');
    const octokit = await octokitFor(link, e.installationId);
    if (!octokit) return done('no installation known for the repository');
    const target = {
      fullName: e.fullName,
      headSha: e.headSha,
      name: github.settings.checkName,
      runId: '',
      detailsUrl: null,
    };
    const stale = await staleReason(link, e);
    if (stale) {
      await completeCheck(octokit, target, r.checkRunId, {
        conclusion: 'cancelled',
        title: `Cancelled: ${stale}`,
        summary: `The evaluation of ${short(e.headSha)} was cancelled: ${stale}.`,
      });
      return done(`not evaluated: ${stale}`);
    }
    const head = await readCommitConfig(octokit, e.fullName, r.configPath, e.headSha);
    if (head.kind !== 'valid') {
      await failCheck(
        octokit,
        link,
        e.headSha,
        `${r.configPath} cannot be read`,
        head.kind === 'invalid' ? head.problems : ['the file is gone'],
        r.checkRunId,
      );
      return done('config gone');
    }
    const base = await ds
      .getRepository(EvalRun)
      .findOne({ where: { id: r.baseRunId }, select: { id: true, status: true } });
    return startCandidate(
      octokit,
      link,
      e,
      head,
      base?.status === 'completed' ? base.id : null,
      r.checkRunId,
    );
  }

  async function onClosed(e: Extract<CiEvent, { kind: 'pull_request_closed' }>): Promise<CiStep> {
    const link = await findRepositoryLink(ds, e.fullName);
    if (!link) return done('repository not linked');
    await closePullRequest(ds, link.id, e.prNumber, e.headSha);
    const octokit = link.installation_suspended_at ? null : await octokitFor(link, e.installationId);
    await cancelPullRequestRuns(octokit, link, e.prNumber, 'pull request closed', null);
    return done('pull request closed');
  }

  async function onInstallation(e: Extract<CiEvent, { kind: 'installation' }>): Promise<CiStep> {
    const stop = e.action === 'deleted' || e.action === 'suspend';
    const links = await setInstallationSuspended(ds, e.installationId, stop);
    if (!stop) return done(`installation ${e.action}: ${links.length} repositories resumed`);
    // The installation's token no longer works: runs are cancelled without touching GitHub.
    for (const link of links) {
      for (const open of await openPullRequestRuns(ds, link.id, null, null)) {
        await setCancelReason(
          ds,
          open.run_id,
          `installation ${e.action === 'deleted' ? 'removed' : 'suspended'}`,
        );
        await cancelRun(deps, open.run_id).catch(() => undefined);
      }
    }
    return done(`installation ${e.action}: ${links.length} repositories stopped`);
  }

  async function onCheckRunRerequested(
    e: Extract<CiEvent, { kind: 'check_run_rerequested' }>,
  ): Promise<CiStep> {
    const previous =
      (await findCheckRunByGitHubId(ds, e.checkRunId)) ??
      (isUuid(e.externalId) ? await findCheckRunByRunId(ds, e.externalId) : null);
    const link = previous
      ? await ds.getRepository(GitHubRepository).findOneBy({ id: previous.repository_id })
      : await findRepositoryLink(ds, e.fullName);
    if (!link?.enabled || link.installation_suspended_at) return done('repository not linked or suspended');
    await recordInstallation(ds, link, e.installationId ?? undefined);
    // The check's run, or a run an earlier re-run of this check started, is still going: nothing to re-run.
    const open = await findOpenRunOfCheck(ds, link.project_id, e.checkRunId, previous?.run_id ?? null);
    if (open) return done(`re-run ignored: run ${open} is still going`);
    const run = previous ? await ds.getRepository(EvalRun).findOneBy({ id: previous.run_id }) : null;
    // No earlier run (its start had failed): take the commit from the check and its pull request.
    const branch = run?.git_branch ?? e.pullRequest?.branch;
    if (!branch) return done('re-run ignored: no known branch');
    const octokit = await octokitFor(link, e.installationId);
    if (!octokit) return done('no installation known for the repository');
    const commit: CiCommit = {
      fullName: e.fullName,
      headSha: e.headSha,
      branch,
      baseBranch: run?.git_base_branch ?? e.pullRequest?.baseBranch ?? null,
      prNumber: run?.pr_number ?? e.pullRequest?.number ?? null,
      idempotencyKey: e.runKey,
    };
    // A run of the repository's config is re-run from the same file at the same commit, against the same baseline.
    const head = run?.config_sha256
      ? await readCommitConfig(octokit, e.fullName, link.config_path, e.headSha)
      : null;
    const outcome = await startCiRun(deps, github, octokit, link, commit, {
      ...(head?.kind === 'valid' && {
        start: async (key: string) => {
          const { run: started, created } = await startConfigRun(deps, {
            ...configRunInput(link, head, {
              sha: e.headSha,
              branch,
              ...(commit.baseBranch ? { baseBranch: commit.baseBranch } : {}),
              ...(commit.prNumber ? { prNumber: commit.prNumber } : {}),
            }),
            idempotency_key: key,
            ...(run?.baseline_run_id ? { baseline_run_id: run.baseline_run_id } : {}),
          });
          return { run: started, created };
        },
      }),
    });
    return done(outcome.started ? `re-run ${outcome.runId}` : `not started: ${outcome.reason}`);
  }

  return {
    async handle(event) {
      switch (event.kind) {
        case 'pull_request':
          return onPullRequest(event);
        case 'pull_request_closed':
          return onClosed(event);
        case 'check_run_rerequested':
          return onCheckRunRerequested(event);
        case 'installation':
          return onInstallation(event);
      }
    },
    async resume(event, r) {
      if (event.kind !== 'pull_request') return done('nothing to resume');
      return resumePullRequest(event, r);
    },
  };
}

const isUuid = (s: string | null | undefined): s is string =>
  !!s && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
