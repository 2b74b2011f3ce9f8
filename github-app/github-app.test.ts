/**
 * The GitHub App end to end: real webhook payloads signed with the App's secret go through the API's
 * /api/github/webhooks route (202 at once), and the accepted event's work runs after the response through
 * Probot's Octokit, which talks real HTTP to a local fake GitHub (App JWT → installation token → checks,
 * comments, PR files). Runs land in a real PostgreSQL and Temporal. The fake GitHub also hangs, drops
 * connections and refuses calls, to show the webhook answers in well under a second whatever GitHub does.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import type { ApiDeps } from '../api/deps.js';
import { EvalDataset, EvalRun, GitHubPullRequest, WebhookDelivery } from '../db/entities/index.js';
import { createLogger } from '../lib/logger.js';
import { TASK_QUEUES } from '../temporal.config.js';
import { createProjectFixture, type ProjectFixture } from '../test/fixtures/projects.js';
import {
  createTestDatabase,
  createTestTemporal,
  type InProcessWorker,
  startInProcessWorker,
  type TestDatabase,
  type TestTemporal,
  testActivityDeps,
} from '../test/helpers/index.js';
import { gitHubClientFromEnv } from './client.js';
import { createCiEventHandler } from './events/ci-event-handler.js';
import { gitHubRoutes } from './http/routes.js';
import { COMMENT_MARKER } from './reporting/comment.js';
import { reportRunToGitHub } from './reporting/report.js';
import { signBody } from './signature.js';
import { claimDelivery, recordDeliveryAttempt } from './store.js';
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
let worker: InProcessWorker;

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
  // The durable side: the orchestration queue's worker runs each event's workflow with the App's handler.
  worker = await startInProcessWorker({
    temporal,
    deps: {
      ...testActivityDeps(db.dataSource),
      ciEvents: createCiEventHandler(deps, gitHubClientFromEnv(deps.logger)!),
    },
    queues: [TASK_QUEUES.orchestration],
  });
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
  await worker?.stop();
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

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The accepted delivery once its background work has finished (done, or failed for good). */
const settled = (delivery: string) =>
  waitFor(`delivery ${delivery}`, async () => {
    const row = await db.dataSource.getRepository(WebhookDelivery).findOneBy({ delivery_id: delivery });
    return row && row.status !== 'accepted' ? row : null;
  });

/** Delivers an event the App accepts and waits for its work: the response body and the delivery row. */
async function deliverAndSettle(event: string, payload: unknown, delivery: string = crypto.randomUUID()) {
  const res = await deliver(event, payload, { delivery });
  expect(res.status).toBe(202);
  const body = await res.json();
  expect(body).toMatchObject({ accepted: true, delivery });
  const row = await settled(delivery);
  expect(row.status, row.last_error ?? '').toBe('done');
  return row;
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
    const row = await deliverAndSettle(
      'pull_request',
      pullRequestEvent('opened', { headSha: SHA1 }),
      'delivery-opened',
    );
    expect(row).toMatchObject({ event: 'pull_request.opened', attempts: 1 });
    expect(row.task).toMatchObject({ kind: 'pull_request', prNumber: EXAMPLE_PR_NUMBER, headSha: SHA1 });

    const runs = await runsFor(SHA1);
    expect(runs).toHaveLength(1);
    firstRun = runs[0];
    expect(firstRun).toMatchObject({
      project_id: fx.project.id,
      trigger_type: 'ci',
      git_branch: 'changes',
      git_base_branch: 'master',
      pr_number: EXAMPLE_PR_NUMBER,
    });
    // The orchestration worker plans it at once; no model worker runs here, so it goes no further.
    expect(['pending', 'running']).toContain(firstRun.status);
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

  it('starts nothing more when the same signed body comes again, whatever its delivery id', async () => {
    const checksBefore = github.checkRuns.size;
    const checkPostsBefore = github.callsTo('POST', /\/check-runs$/).length;
    for (const delivery of ['delivery-opened', 'forged-1', 'forged-2']) {
      const res = await deliver('pull_request', pullRequestEvent('opened', { headSha: SHA1 }), { delivery });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ duplicate: true });
    }
    // Another action of the same pull request and head commit asks for the same evaluation.
    await deliverAndSettle('pull_request', pullRequestEvent('reopened', { headSha: SHA1 }));
    expect(await runsFor(SHA1)).toHaveLength(1);
    expect(github.checkRuns.size).toBe(checksBefore);
    expect(github.callsTo('POST', /\/check-runs$/)).toHaveLength(checkPostsBefore);
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
    await deliverAndSettle('pull_request', pullRequestEvent('synchronize', { headSha: SHA2 }));
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

  it('re-runs a check on request: one run per signed request, none for a replayed body', async () => {
    const check = checkFor(secondRun.id)!;
    const event = checkRunRerequestedEvent({ checkRunId: check.id, headSha: SHA2, externalId: secondRun.id });
    await deliverAndSettle('check_run', event, 'delivery-rerun');
    // The same signed body replayed with new X-GitHub-Delivery values (not signed): no new paid run.
    for (const delivery of ['delivery-rerun', 'replay-1', 'replay-2', 'replay-3']) {
      const res = await deliver('check_run', event, { delivery });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ duplicate: true });
    }
    let runs = await runsFor(SHA2);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({
      trigger_type: 'ci',
      git_branch: 'changes',
      git_base_branch: 'master',
      pr_number: EXAMPLE_PR_NUMBER,
    });
    expect(checkFor(runs[1].id)).toMatchObject({ status: 'in_progress', head_sha: SHA2 });

    // A genuinely new request (GitHub signs a new body) while the re-run is still open: nothing to do.
    const again = { ...event, sender: { ...event.sender, login: 'someone-else' } };
    await deliverAndSettle('check_run', again);
    expect(await runsFor(SHA2)).toHaveLength(2);

    // Once that run has finished, a new request starts one new run.
    await finishRun(runs[1].id, passingSummary());
    const later = { ...event, sender: { ...event.sender, login: 'a-third-person' } };
    await deliverAndSettle('check_run', later);
    runs = await runsFor(SHA2);
    expect(runs).toHaveLength(3);
    expect(runs[2].idempotency_key).toMatch(new RegExp(`^github:rerun:${check.id}:[0-9a-f]{64}$`));
  });

  it('skips pull requests that change no evaluated path, with a skipped check', async () => {
    github.setPullRequestFiles(EXAMPLE_REPOSITORY, 7, ['README.md', 'docs/prompts/intro.md']);
    await deliverAndSettle('pull_request', pullRequestEvent('opened', { headSha: SHA3, prNumber: 7 }));
    expect(await runsFor(SHA3)).toHaveLength(0);
    const skipped = [...github.checkRuns.values()].find((c) => c.head_sha === SHA3);
    expect(skipped).toMatchObject({ status: 'completed', conclusion: 'skipped' });
  });

  it('shows a run that cannot start (archived dataset) as a failed check', async () => {
    await db.dataSource.getRepository(EvalDataset).update({ id: fx.dataset.id }, { archived_at: new Date() });
    try {
      const sha = 'd'.repeat(40);
      await deliverAndSettle('pull_request', pullRequestEvent('synchronize', { headSha: sha }));
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
    const res = await deliver('pull_request', payload);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ ignored: true });
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

  it('takes a delivery over again only when its work failed for good or was abandoned', async () => {
    const claim = (delivery: string) =>
      claimDelivery(db.dataSource, {
        source: 'github_app',
        body_sha256: 'f'.repeat(64),
        delivery_id: delivery,
        event: 'check_run.rerequested',
        identity: 'test',
        task: {},
      });
    const id = await claim('first');
    expect(id).not.toBeNull();
    expect(await claim('replay')).toBeNull();
    await recordDeliveryAttempt(db.dataSource, id!, { status: 'done', attempts: 1 });
    expect(await claim('replay')).toBeNull();
    // GitHub's "Redeliver" of a delivery whose work failed for good is taken.
    await recordDeliveryAttempt(db.dataSource, id!, { status: 'failed', attempts: 6, error: 'GitHub down' });
    expect(await claim('redelivered')).toBe(id);
    // A process that stopped mid-way leaves it accepted: taken over once stale, not before.
    expect(await claim('too-soon')).toBeNull();
    await db.dataSource.query(
      `UPDATE webhook_deliveries SET updated_at = now() - interval '1 hour' WHERE id = $1`,
      [id],
    );
    expect(await claim('after-a-crash')).toBe(id);
  });

  it('deletes deliveries past their retention once in a while, after accepting one', async () => {
    const old = await claimDelivery(db.dataSource, {
      source: 'github_app',
      body_sha256: 'e'.repeat(64),
      delivery_id: 'long-ago',
      event: 'pull_request.opened',
      identity: 'old',
      task: {},
    });
    await db.dataSource.query(
      `UPDATE webhook_deliveries SET received_at = now() - interval '40 days' WHERE id = $1`,
      [old],
    );
    // A fresh API process: its first accepted delivery prunes.
    const fresh = createApp(deps);
    const body = JSON.stringify(pullRequestEvent('opened', { headSha: 'f'.repeat(40), prNumber: 99 }));
    const res = await fresh.request('/api/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': signBody(SECRET, body),
      },
      body,
    });
    expect(res.status).toBe(202);
    await waitFor('the old delivery pruned', async () =>
      (await db.dataSource.getRepository(WebhookDelivery).findOneBy({ id: old! })) === null ? true : null,
    );
  });

  it('answers 503 when the App is not configured', async () => {
    const bare = gitHubRoutes(deps, {});
    const res = await bare.request('/api/github/webhooks', { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('github_app_not_configured');
  });
});

describe('the webhook answers at once, whatever GitHub does', () => {
  const checkOn = (sha: string) => [...github.checkRuns.values()].filter((c) => c.head_sha === sha);
  const timed = async (delivery: Response | Promise<Response>) => {
    const started = performance.now();
    const res = await delivery;
    return { res, ms: performance.now() - started };
  };

  beforeAll(() => {
    for (const pr of [11, 12, 13]) github.setPullRequestFiles(EXAMPLE_REPOSITORY, pr, ['prompts/a.md']);
  });

  it('answers 202 within a second while GitHub hangs, and opens the check once GitHub answers', async () => {
    const sha = '1'.repeat(40);
    const release = github.hold();
    try {
      const { res, ms } = await timed(
        deliver('pull_request', pullRequestEvent('opened', { headSha: sha, prNumber: 11 }), {
          delivery: 'while-hanging',
        }),
      );
      expect(res.status).toBe(202);
      expect(ms).toBeLessThan(1_000);
      // GitHub still has not answered: the work waits for it, the delivery is still being handled.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(checkOn(sha)).toHaveLength(0);
      const row = await db.dataSource
        .getRepository(WebhookDelivery)
        .findOneByOrFail({ delivery_id: 'while-hanging' });
      expect(row.status).toBe('accepted');
    } finally {
      release();
    }
    const row = await settled('while-hanging');
    expect(row.status).toBe('done');
    const [run] = await runsFor(sha);
    expect(checkOn(sha)).toMatchObject([{ status: 'in_progress', external_id: run.id }]);
  });

  it('answers 202 within a second while GitHub is unreachable, and the check appears when it is back', async () => {
    const sha = '2'.repeat(40);
    github.setReachable(false);
    try {
      const { res, ms } = await timed(
        deliver('pull_request', pullRequestEvent('opened', { headSha: sha, prNumber: 12 }), {
          delivery: 'while-unreachable',
        }),
      );
      expect(res.status).toBe(202);
      expect(ms).toBeLessThan(1_000);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(checkOn(sha)).toHaveLength(0);
    } finally {
      github.setReachable(true);
    }
    await waitFor('the check once GitHub is back', async () => checkOn(sha)[0]);
    expect((await settled('while-unreachable')).status).toBe('done');
    expect(checkOn(sha)).toHaveLength(1);
  });

  it('retries the work when a GitHub call fails, opening exactly one check', async () => {
    const sha = '3'.repeat(40);
    // A 403 (a secondary rate limit) is not retried by Octokit itself: the workflow's activity retry takes over.
    github.failNext('POST', /\/check-runs$/, 403, 1);
    const delivery = crypto.randomUUID();
    await deliverAndSettle(
      'pull_request',
      pullRequestEvent('opened', { headSha: sha, prNumber: 13 }),
      delivery,
    );
    const row = await db.dataSource.getRepository(WebhookDelivery).findOneByOrFail({ delivery_id: delivery });
    const history = await temporal.client.workflow.getHandle(`github-event-${row.id}`).fetchHistory();
    const attempts = history.events?.find((e) => e.activityTaskStartedEventAttributes)
      ?.activityTaskStartedEventAttributes?.attempt;
    expect(attempts).toBe(2);
    const [run] = await runsFor(sha);
    expect(checkOn(sha)).toMatchObject([{ status: 'in_progress', external_id: run.id }]);
  });

  it("applies the webhook's own body limit (25 MB), before the signature is checked", async () => {
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    };
    const huge = 'x'.repeat(30 * 1024 * 1024);
    const declared = await app.request('/api/github/webhooks', {
      method: 'POST',
      headers: { ...headers, 'content-length': String(huge.length) },
      body: huge,
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe('payload_too_large');
    // Chunked, without a length: refused as soon as it runs over.
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 30) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await app.request('/api/github/webhooks', {
      method: 'POST',
      headers,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);

    // A signed 12 MB event is over the API's JSON limit (10 MB) but within GitHub's: it is read and handled.
    const padded = {
      ...pullRequestEvent('opened', { fullName: 'someone/big' }),
      padding: 'y'.repeat(12 * 1024 * 1024),
    };
    const res = await deliver('pull_request', padded);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ ignored: true });
  });
});
