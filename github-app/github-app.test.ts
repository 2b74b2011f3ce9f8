/**
 * The GitHub App end to end: real webhook payloads signed with the App's secret go through the API's
 * /api/github/webhooks route into Probot, which talks real HTTP to a local fake GitHub (App JWT →
 * installation token → checks, comments, PR files). Runs land in a real PostgreSQL and Temporal.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import type { ApiDeps } from '../api/deps.js';
import { EvalDataset, EvalRun, GitHubPullRequest } from '../db/entities/index.js';
import { createLogger } from '../lib/logger.js';
import { createProjectFixture, type ProjectFixture } from '../test/fixtures/projects.js';
import {
  createTestDatabase,
  createTestTemporal,
  type TestDatabase,
  type TestTemporal,
} from '../test/helpers/index.js';
import { gitHubRoutes } from './http/routes.js';
import { COMMENT_MARKER } from './reporting/comment.js';
import { reportRunToGitHub } from './reporting/report.js';
import { signBody } from './signature.js';
import { type FakeGitHub, startFakeGitHub } from './test-support/fake-github.js';
import {
  checkRunRerequestedEvent,
  EXAMPLE_PR_NUMBER,
  EXAMPLE_REPOSITORY,
  INSTALLATION_ID,
  pullRequestEvent,
} from './test-support/payloads.js';
import { blockingFailureSummary, passingSummary } from './test-support/summaries.js';

const SECRET = 'test-webhook-secret';
const PUBLIC_URL = 'https://evalforge.example.test';
const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const SHA3 = 'c'.repeat(40);

let db: TestDatabase;
let temporal: TestTemporal;
let github: FakeGitHub;
let deps: ApiDeps;
let app: ReturnType<typeof createApp>;
let fx: ProjectFixture;

beforeAll(async () => {
  [db, temporal, github] = await Promise.all([createTestDatabase(), createTestTemporal(), startFakeGitHub()]);
  // The App is configured the production way, from the environment (this test file's own process).
  Object.assign(process.env, {
    GITHUB_APP_ID: String(github.appId),
    GITHUB_PRIVATE_KEY: github.privateKey.replace(/\n/g, '\\n'),
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_API_URL: github.url,
    GITHUB_CLIENT_THROTTLE: 'false',
    EVALFORGE_PUBLIC_URL: PUBLIC_URL,
  });
  deps = {
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-github', process.env.LOG_LEVEL ?? 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  };
  app = createApp(deps);
  fx = await createProjectFixture(db.dataSource, {
    samples: 3,
    guardrails: [{ judge_type: 'pii', threshold: 0.5, is_blocking: true }],
  });
  const link = await app.request(`/api/github/repositories/${EXAMPLE_REPOSITORY}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
      path_filters: ['prompts/**', 'config/*.yml'],
    }),
  });
  expect(link.status).toBe(200);
  github.setPullRequestFiles(EXAMPLE_REPOSITORY, EXAMPLE_PR_NUMBER, [
    'README.md',
    'prompts/support/system.md',
  ]);
});

afterAll(async () => {
  await github?.close();
  await temporal?.close();
  await db?.drop();
});

function deliver(
  event: string,
  payload: unknown,
  opts: { delivery?: string; signature?: string | null } = {},
) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': opts.delivery ?? crypto.randomUUID(),
  };
  if (opts.signature !== null) headers['x-hub-signature-256'] = opts.signature ?? signBody(SECRET, body);
  return app.request('/api/github/webhooks', { method: 'POST', headers, body });
}

const runsFor = (sha: string) =>
  db.dataSource.getRepository(EvalRun).find({ where: { git_commit_sha: sha }, order: { created_at: 'ASC' } });

async function finishRun(runId: string, summary: object, status: EvalRun['status'] = 'completed') {
  await db.dataSource
    .getRepository(EvalRun)
    .update({ id: runId }, { status, summary: summary as never, completed_at: new Date() });
}

/** Reports the way the workflow's activity will: deps from the worker, the App from the environment. */
const report = (runId: string) =>
  reportRunToGitHub({ dataSource: db.dataSource, logger: deps.logger }, runId);

const checkFor = (runId: string) => [...github.checkRuns.values()].find((c) => c.external_id === runId);
const prComments = (prNumber = EXAMPLE_PR_NUMBER) =>
  [...github.comments.values()].filter((c) => c.issue === `${EXAMPLE_REPOSITORY}#${prNumber}`.toLowerCase());

describe('GitHub App', () => {
  let firstRun: EvalRun;
  let secondRun: EvalRun;

  it('starts a CI run and an in-progress check when a pull request is opened', async () => {
    const res = await deliver('pull_request', pullRequestEvent('opened', { headSha: SHA1 }), {
      delivery: 'delivery-opened',
    });
    expect(res.status).toBe(200);

    const runs = await runsFor(SHA1);
    expect(runs).toHaveLength(1);
    firstRun = runs[0];
    expect(firstRun).toMatchObject({
      project_id: fx.project.id,
      trigger_type: 'ci',
      git_branch: 'changes',
      git_base_branch: 'master',
      pr_number: EXAMPLE_PR_NUMBER,
      status: 'pending',
    });
    const workflow = await temporal.client.workflow.getHandle(firstRun.workflow_id!).describe();
    expect(workflow.type).toBe('evalRun');

    // The App authenticated as itself (JWT checked by the fake) for the PR's installation…
    expect(
      github.callsTo('POST', new RegExp(`^/app/installations/${INSTALLATION_ID}/access_tokens$`)),
    ).toHaveLength(1);
    // …read the changed files for its path filter, and opened the check.
    expect(github.callsTo('GET', /\/pulls\/2\/files$/)).toHaveLength(1);
    expect(checkFor(firstRun.id)).toMatchObject({
      name: 'EvalForge',
      head_sha: SHA1,
      status: 'in_progress',
      details_url: `${PUBLIC_URL}/runs/${firstRun.id}`,
    });
  });

  it('starts nothing more when the same delivery is redelivered', async () => {
    const checksBefore = github.checkRuns.size;
    const res = await deliver('pull_request', pullRequestEvent('opened', { headSha: SHA1 }), {
      delivery: 'delivery-opened',
    });
    expect(res.status).toBe(200);
    expect(await runsFor(SHA1)).toHaveLength(1);
    expect(github.checkRuns.size).toBe(checksBefore);
  });

  it('completes the check with the results table and posts one PR comment when the run finishes', async () => {
    await finishRun(firstRun.id, passingSummary());
    const outcome = await report(firstRun.id);
    expect(outcome).toMatchObject({ reported: true, conclusion: 'success' });

    const check = checkFor(firstRun.id)!;
    expect(check.status).toBe('completed');
    expect(check.conclusion).toBe('success');
    expect(check.output?.summary).toContain('| Judge | Score |');
    expect(check.output?.summary).toContain(`commit ${SHA1.slice(0, 7)}`);
    expect(check.output?.summary).toMatch(/\| pii \| 100% \|/);

    const comments = prComments();
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comments[0].body).toContain('**Blocking guardrails:** All passed ✅');
    const pr = await db.dataSource
      .getRepository(GitHubPullRequest)
      .findOneByOrFail({ pr_number: EXAMPLE_PR_NUMBER });
    expect(pr.comment_id).toBe(comments[0].id);
  });

  it('updates the same comment after a push, and a blocking guardrail failure fails the check', async () => {
    const res = await deliver('pull_request', pullRequestEvent('synchronize', { headSha: SHA2 }));
    expect(res.status).toBe(200);
    [secondRun] = await runsFor(SHA2);
    expect(secondRun).toMatchObject({
      trigger_type: 'ci',
      pr_number: EXAMPLE_PR_NUMBER,
      git_base_branch: 'master',
    });
    expect(checkFor(secondRun.id)?.status).toBe('in_progress');

    const commentPostsBefore = github.callsTo('POST', /\/issues\/2\/comments$/).length;
    await finishRun(secondRun.id, blockingFailureSummary());
    expect(await report(secondRun.id)).toMatchObject({ reported: true, conclusion: 'failure' });

    const check = checkFor(secondRun.id)!;
    expect(check.conclusion).toBe('failure');
    expect(check.output?.title).toBe('Blocking guardrail failed: pii');
    const comments = prComments();
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain(`commit ${SHA2.slice(0, 7)}`);
    expect(comments[0].body).toContain('Do not merge');
    expect(github.callsTo('POST', /\/issues\/2\/comments$/)).toHaveLength(commentPostsBefore);
    expect(
      github.callsTo('PATCH', new RegExp(`/issues/comments/${comments[0].id}$`)).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('leaves the comment to the newest commit when an older run reports late', async () => {
    const before = prComments()[0].body;
    expect(await report(firstRun.id)).toMatchObject({
      reported: true,
      conclusion: 'success',
      commentId: null,
    });
    expect(prComments()[0].body).toBe(before);
  });

  it('finds its comment by the hidden marker when the stored id is lost, ignoring people quoting it', async () => {
    const ours = prComments()[0];
    const quote = github.addComment(
      EXAMPLE_REPOSITORY,
      EXAMPLE_PR_NUMBER,
      `> ${COMMENT_MARKER}\n> as the bot said…`,
    );
    await db.dataSource
      .getRepository(GitHubPullRequest)
      .update({ pr_number: EXAMPLE_PR_NUMBER }, { comment_id: null });
    const posts = github.callsTo('POST', /\/issues\/2\/comments$/).length;

    expect(await report(secondRun.id)).toMatchObject({ reported: true, commentId: ours.id });
    expect(github.callsTo('POST', /\/issues\/2\/comments$/)).toHaveLength(posts);
    expect(github.comments.get(quote.id)?.body).toContain('as the bot said');
  });

  it('re-runs a check on request: a new run for the same commit, once per delivery', async () => {
    const check = checkFor(secondRun.id)!;
    const event = checkRunRerequestedEvent({ checkRunId: check.id, headSha: SHA2, externalId: secondRun.id });
    for (let i = 0; i < 2; i++) {
      const res = await deliver('check_run', event, { delivery: 'delivery-rerun' });
      expect(res.status).toBe(200);
    }
    const runs = await runsFor(SHA2);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({
      trigger_type: 'ci',
      git_branch: 'changes',
      git_base_branch: 'master',
      pr_number: EXAMPLE_PR_NUMBER,
    });
    expect(checkFor(runs[1].id)).toMatchObject({ status: 'in_progress', head_sha: SHA2 });
  });

  it('skips pull requests that change no evaluated path, with a skipped check', async () => {
    github.setPullRequestFiles(EXAMPLE_REPOSITORY, 7, ['README.md', 'docs/prompts/intro.md']);
    const res = await deliver('pull_request', pullRequestEvent('opened', { headSha: SHA3, prNumber: 7 }));
    expect(res.status).toBe(200);
    expect(await runsFor(SHA3)).toHaveLength(0);
    const skipped = [...github.checkRuns.values()].find((c) => c.head_sha === SHA3);
    expect(skipped).toMatchObject({ status: 'completed', conclusion: 'skipped' });
  });

  it('shows a run that cannot start (archived dataset) as a failed check', async () => {
    await db.dataSource.getRepository(EvalDataset).update({ id: fx.dataset.id }, { archived_at: new Date() });
    try {
      const sha = 'd'.repeat(40);
      const res = await deliver('pull_request', pullRequestEvent('synchronize', { headSha: sha }));
      expect(res.status).toBe(200);
      expect(await runsFor(sha)).toHaveLength(0);
      const check = [...github.checkRuns.values()].find((c) => c.head_sha === sha);
      expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
      expect(check?.output?.summary).toContain('archived');
    } finally {
      await db.dataSource.getRepository(EvalDataset).update({ id: fx.dataset.id }, { archived_at: null });
    }
  });

  it('refuses deliveries with a bad or missing signature and starts nothing', async () => {
    const payload = pullRequestEvent('synchronize', { headSha: 'e'.repeat(40) });
    const calls = github.calls.length;
    const forged = await deliver('pull_request', payload, {
      signature: signBody('not-the-secret', JSON.stringify(payload)),
    });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe('unauthorized');
    expect((await deliver('pull_request', payload, { signature: null })).status).toBe(401);
    expect(await runsFor('e'.repeat(40))).toHaveLength(0);
    expect(github.calls.length).toBe(calls);
  });

  it('ignores repositories that are not linked to a project', async () => {
    const calls = github.calls.length;
    const payload = pullRequestEvent('opened', { headSha: 'f'.repeat(40), fullName: 'someone/else' });
    expect((await deliver('pull_request', payload)).status).toBe(200);
    expect(await runsFor('f'.repeat(40))).toHaveLength(0);
    expect(github.calls.length).toBe(calls);
  });

  it('reports nothing for runs that GitHub did not start', async () => {
    const other = await db.dataSource.getRepository(EvalRun).save({
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      dataset_version_id: fx.version.id,
      endpoint_id: fx.endpoint.id,
      status: 'completed',
    });
    expect(await report(other.id)).toEqual({ reported: false, reason: 'not_from_github' });
  });

  it('answers 503 when the App is not configured', async () => {
    const bare = gitHubRoutes(deps, {});
    const res = await bare.request('/api/github/webhooks', { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('github_app_not_configured');
  });
});
