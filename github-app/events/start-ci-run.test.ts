/**
 * startCiRun against runs that already exist under the event's key: a finished (cancelled) run is shown
 * as it ended and never started again; a key reused with other settings starts nothing and opens no check.
 * Real PostgreSQL and Temporal (no worker), a local fake GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../api/deps.js';
import { startRun } from '../../api/services/runs.js';
import { EvalRun, GitHubRepository, LlmEndpoint } from '../../db/entities/index.js';
import { createLogger } from '../../lib/logger.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import {
  createTestDatabase,
  createTestTemporal,
  type TestDatabase,
  type TestTemporal,
} from '../../test/helpers/index.js';
import { type GitHubApp, gitHubClientFromEnv, type InstallationOctokit } from '../client.js';
import { pullRequestRunKey } from '../run-keys.js';
import { type FakeGitHub, startFakeGitHub } from '../test-support/fake-github.js';
import { EXAMPLE_PR_NUMBER, EXAMPLE_REPOSITORY, INSTALLATION_ID } from '../test-support/payloads.js';
import { type CiCommit, startCiRun } from './start-ci-run.js';

let db: TestDatabase;
let temporal: TestTemporal;
let fakeGitHub: FakeGitHub;
let deps: ApiDeps;
let fx: ProjectFixture;
let link: GitHubRepository;
let github: GitHubApp;
let octokit: InstallationOctokit;

beforeAll(async () => {
  [db, temporal, fakeGitHub] = await Promise.all([
    createTestDatabase(),
    createTestTemporal(),
    startFakeGitHub(),
  ]);
  Object.assign(process.env, {
    GITHUB_APP_ID: String(fakeGitHub.appId),
    GITHUB_PRIVATE_KEY: fakeGitHub.privateKey.replace(/\n/g, '\\n'),
    GITHUB_WEBHOOK_SECRET: 'start-ci-run-secret',
    GITHUB_API_URL: fakeGitHub.url,
    GITHUB_CLIENT_THROTTLE: 'false',
    EVALFORGE_PUBLIC_URL: 'https://evalforge.example.test',
  });
  deps = {
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-start-ci-run', process.env.LOG_LEVEL ?? 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  };
  fx = await createProjectFixture(db.dataSource, { samples: 2 });
  link = await db.dataSource.getRepository(GitHubRepository).save({
    project_id: fx.project.id,
    full_name: EXAMPLE_REPOSITORY.toLowerCase(),
    dataset_id: fx.dataset.id,
    endpoint_id: fx.endpoint.id,
    path_filters: [],
    installation_id: INSTALLATION_ID,
  });
  github = gitHubClientFromEnv(deps.logger)!;
  octokit = await github.installationOctokit(INSTALLATION_ID);
});
afterAll(async () => {
  await fakeGitHub?.close();
  await temporal?.close();
  await db?.drop();
});

const commitAt = (headSha: string): CiCommit => ({
  fullName: EXAMPLE_REPOSITORY,
  headSha,
  branch: 'changes',
  baseBranch: 'master',
  prNumber: EXAMPLE_PR_NUMBER,
  idempotencyKey: pullRequestRunKey(EXAMPLE_REPOSITORY, EXAMPLE_PR_NUMBER, headSha),
});
const checksOf = (runId: string) => [...fakeGitHub.checkRuns.values()].filter((c) => c.external_id === runId);

describe('startCiRun for a commit that already has a run', () => {
  it('shows a cancelled run as cancelled (no in-progress check) and never starts it again', async () => {
    const commit = commitAt('d'.repeat(40));
    // The first delivery recorded the run, then died before opening its check; the run was cancelled since.
    const { run } = await startRun(deps, {
      project_id: link.project_id,
      dataset_id: link.dataset_id,
      endpoint_id: link.endpoint_id,
      trigger_type: 'ci',
      git_commit_sha: commit.headSha,
      git_branch: commit.branch,
      git_base_branch: commit.baseBranch!,
      pr_number: commit.prNumber!,
      cache: true,
      idempotency_key: commit.idempotencyKey,
    });
    const handle = temporal.client.workflow.getHandle(run.workflow_id!);
    const execution = await handle.describe();
    await handle.terminate('test: the run was cancelled');
    const now = new Date();
    await db.dataSource
      .getRepository(EvalRun)
      .update({ id: run.id }, { status: 'cancelled', cancelled_at: now, completed_at: now });

    const redelivered = await startCiRun(deps, github, octokit, link, commit);
    expect(redelivered).toMatchObject({ started: true, runId: run.id, created: false });
    const checks = checksOf(run.id);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' });

    // Once more: the check is claimed, nothing new on GitHub, and still the run's one execution.
    await startCiRun(deps, github, octokit, link, commit);
    expect(checksOf(run.id)).toHaveLength(1);
    expect((await db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id })).status).toBe(
      'cancelled',
    );
    const latest = await handle.describe();
    expect(latest.runId).toBe(execution.runId);
    expect(latest.status.name).toBe('TERMINATED');
  });

  it('starts nothing and opens no check when the link changed since the commit was evaluated', async () => {
    const commit = commitAt('e'.repeat(40));
    const first = await startCiRun(deps, github, octokit, link, commit);
    expect(first).toMatchObject({ started: true, created: true });
    const checksBefore = fakeGitHub.checkRuns.size;

    const otherEndpoint = await db.dataSource.getRepository(LlmEndpoint).save({
      project_id: fx.project.id,
      name: 'another endpoint',
      provider: 'openai',
      model_name: 'other-model',
      endpoint_url: null,
      config: {},
      api_key_env: null,
    });
    const again = await startCiRun(deps, github, octokit, { ...link, endpoint_id: otherEndpoint.id }, commit);
    expect(again).toEqual({ started: false, reason: 'idempotency_key_reused' });
    expect(fakeGitHub.checkRuns.size).toBe(checksBefore);
    expect(await db.dataSource.getRepository(EvalRun).countBy({ git_commit_sha: commit.headSha })).toBe(1);
  });
});
