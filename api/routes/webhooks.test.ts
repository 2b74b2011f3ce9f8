/** The plain GitHub webhook (no App) and the CI status/report routes, on a real database and Temporal. */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun, GitHubRepository } from '../../db/entities/index.js';
import { signBody } from '../../github-app/signature.js';
import { EXAMPLE_REPOSITORY, pullRequestEvent, pushEvent } from '../../github-app/test-support/payloads.js';
import { blockingFailureSummary, passingSummary } from '../../github-app/test-support/summaries.js';
import { createLogger } from '../../lib/logger.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import {
  createTestDatabase,
  createTestTemporal,
  type TestDatabase,
  type TestTemporal,
} from '../../test/helpers/index.js';
import { createApp } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { webhookRoutes } from './webhooks.js';

const SECRET = 'plain-webhook-secret';
let db: TestDatabase;
let temporal: TestTemporal;
let deps: ApiDeps;
let app: ReturnType<typeof createApp>;
let fx: ProjectFixture;

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
  process.env.GITHUB_WEBHOOK_SECRET = SECRET;
  process.env.EVALFORGE_PUBLIC_URL = 'https://evalforge.example.test';
  deps = {
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-webhooks', 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  };
  app = createApp(deps);
  fx = await createProjectFixture(db.dataSource, { samples: 2 });
  await db.dataSource.getRepository(GitHubRepository).save({
    project_id: fx.project.id,
    full_name: EXAMPLE_REPOSITORY.toLowerCase(),
    dataset_id: fx.dataset.id,
    endpoint_id: fx.endpoint.id,
    path_filters: ['prompts/**'],
  });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

function hook(
  event: string,
  payload: unknown,
  signature?: string | null,
  delivery: string = crypto.randomUUID(),
) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
  };
  if (signature !== null) headers['x-hub-signature-256'] = signature ?? signBody(SECRET, body);
  return app.request('/api/webhook/github', { method: 'POST', headers, body });
}

const runsFor = (sha: string) => db.dataSource.getRepository(EvalRun).findBy({ git_commit_sha: sha });

describe('POST /api/webhook/github', () => {
  it('rejects a missing, malformed or wrong signature with 401 and starts nothing', async () => {
    const payload = pushEvent({ after: '1'.repeat(40), files: ['prompts/a.txt'] });
    const body = JSON.stringify(payload);
    for (const signature of [
      null,
      'sha256=zz',
      'sha1=abc',
      signBody('wrong-secret', body),
      `${signBody(SECRET, body)}00`,
    ]) {
      const res = await hook('push', body, signature);
      expect(res.status, String(signature)).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    // Signed over different bytes than were sent.
    expect((await hook('push', `${body} `, signBody(SECRET, body))).status).toBe(401);
    expect(await runsFor('1'.repeat(40))).toHaveLength(0);
  });

  it('answers ping, and ignores tag pushes and unhandled events', async () => {
    expect((await hook('ping', { zen: 'Keep it logically awesome.' })).status).toBe(202);
    const tag = await hook(
      'push',
      pushEvent({ ref: 'refs/tags/v1', after: '2'.repeat(40), files: ['prompts/a.txt'] }),
    );
    expect(await tag.json()).toMatchObject({ ignored: true, reason: 'not a branch push' });
    expect(await (await hook('issues', { action: 'opened' })).json()).toMatchObject({ ignored: true });
    expect(await runsFor('2'.repeat(40))).toHaveLength(0);
  });

  it('starts one CI run for a branch push that touches the filtered paths, even when redelivered', async () => {
    const sha = '3'.repeat(40);
    const payload = pushEvent({ after: sha, files: ['prompts/support/system.md'] });
    const first = await hook('push', payload, undefined, 'push-delivery');
    expect(first.status).toBe(202);
    const body = await first.json();
    expect(body).toMatchObject({ created: true });
    const again = await hook('push', payload, undefined, 'push-delivery');
    expect(await again.json()).toMatchObject({ run_id: body.run_id, created: false });
    // Replayed with new X-GitHub-Delivery values (not signed): still the same run.
    for (const delivery of ['replay-1', 'replay-2']) {
      expect(await (await hook('push', payload, undefined, delivery)).json()).toMatchObject({
        run_id: body.run_id,
        created: false,
      });
    }

    const runs = await runsFor(sha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger_type: 'ci', git_branch: 'master', project_id: fx.project.id });
    expect(runs[0].workflow_id).toBe(`eval-run-${runs[0].id}`);
  });

  it('skips pushes that change no filtered path', async () => {
    const res = await hook('push', pushEvent({ after: '4'.repeat(40), files: ['README.md'] }));
    expect(await res.json()).toMatchObject({ ignored: true });
    expect(await runsFor('4'.repeat(40))).toHaveLength(0);
  });

  it('starts a run for pull request events with branch, base branch and number', async () => {
    const sha = '5'.repeat(40);
    const res = await hook('pull_request', pullRequestEvent('synchronize', { headSha: sha }));
    expect(res.status).toBe(202);
    const [run] = await runsFor(sha);
    expect(run).toMatchObject({
      trigger_type: 'ci',
      git_branch: 'changes',
      git_base_branch: 'master',
      pr_number: 2,
    });
    const closed = await hook('pull_request', pullRequestEvent('closed', { headSha: '6'.repeat(40) }));
    expect(await closed.json()).toMatchObject({ ignored: true });
  });

  it('says which repository is not linked, and rejects payloads that are not JSON or lack fields', async () => {
    const unlinked = await hook('pull_request', pullRequestEvent('opened', { fullName: 'someone/else' }));
    expect(unlinked.status).toBe(404);
    expect((await unlinked.json()).error.code).toBe('repository_not_linked');
    expect((await hook('push', 'not json')).status).toBe(400);
    expect((await hook('push', { ref: 'refs/heads/main' })).status).toBe(400);
  });

  it("applies the webhook's own body limit (25 MB) before the signature, not the API's JSON limit", async () => {
    const huge = 'x'.repeat(30 * 1024 * 1024);
    const res = await app.request('/api/webhook/github', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(huge.length),
        'x-github-event': 'push',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body: huge,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
    // 12 MB is over the JSON limit (10 MB) but within GitHub's: read, verified and handled.
    const padded = {
      ...pushEvent({ ref: 'refs/tags/big', after: '8'.repeat(40) }),
      padding: 'y'.repeat(12 * 1024 * 1024),
    };
    const big = await hook('push', padded);
    expect(big.status).toBe(202);
    expect(await big.json()).toMatchObject({ ignored: true, reason: 'not a branch push' });
  });

  it('answers 503 when no secret is configured', async () => {
    const bare = webhookRoutes(deps, {});
    const res = await bare.request('/api/webhook/github', { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
  });
});

describe('CI status and report', () => {
  const sha = '7abcdef'.padEnd(40, '7');

  it("gives a commit's runs with their verdicts and a combined state", async () => {
    const res = await hook('push', pushEvent({ after: sha, files: ['prompts/x.txt'] }));
    const { run_id } = await res.json();
    const pending = await (await app.request(`/api/ci/status/${sha}`)).json();
    expect(pending).toMatchObject({
      commit_sha: sha,
      state: 'pending',
      runs: [{ id: run_id, status: 'pending', verdict: null }],
    });

    await db.dataSource
      .getRepository(EvalRun)
      .update(
        { id: run_id },
        { status: 'completed', summary: blockingFailureSummary() as never, completed_at: new Date() },
      );
    const failed = await (await app.request(`/api/ci/status/${sha.slice(0, 7).toUpperCase()}`)).json();
    expect(failed).toMatchObject({
      state: 'failure',
      runs: [{ id: run_id, verdict: 'fail', blocking_failures: ['pii'] }],
    });

    await db.dataSource.getRepository(EvalRun).update({ id: run_id }, { summary: passingSummary() as never });
    expect((await (await app.request(`/api/ci/status/${sha}`)).json()).state).toBe('success');
  });

  it('answers 404 for a commit without runs and 400 for something that is not a SHA', async () => {
    expect((await app.request(`/api/ci/status/${'9'.repeat(40)}`)).status).toBe(404);
    expect((await app.request('/api/ci/status/not-a-sha')).status).toBe(400);
  });

  it("renders a run's report as the PR-comment markdown with the gate's lists", async () => {
    const { runs } = await (await app.request(`/api/ci/status/${sha}`)).json();
    const res = await app.request(`/api/ci/report/${runs[0].id}`);
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report).toMatchObject({
      run: { id: runs[0].id, status: 'completed' },
      url: `https://evalforge.example.test/runs/${runs[0].id}`,
      verdict: 'pass',
      blocking_failures: [],
      regressions: [],
    });
    expect(report.markdown).toContain(`EvalForge — Eval Results for commit ${sha.slice(0, 7)}`);
    expect(report.markdown).toContain('| Judge | Score |');
    expect((await app.request(`/api/ci/report/${crypto.randomUUID()}`)).status).toBe(404);
  });
});
