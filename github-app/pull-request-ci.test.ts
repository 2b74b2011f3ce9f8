/**
 * CI on the pull request's own evalforge.yaml, end to end: signed webhooks → the API's route (202) → the
 * durable GitHub event workflow → runs on a real worker (orchestration, model and judge queues) against a
 * local OpenAI-protocol model server → the check and comment on a local fake GitHub. Shows the base
 * commit's prompt is run for the baseline and the head's for the candidate (seen at the model server),
 * that a second push cancels the first run, a closed pull request gets no new comment, and that a webhook
 * arriving while GitHub's API is down is answered at once and its check appears once GitHub is back.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import type { ApiDeps } from '../api/deps.js';
import { EvalRun, GitHubRepository } from '../db/entities/index.js';
import { createLogger } from '../lib/logger.js';
import { TASK_QUEUES } from '../temporal.config.js';
import { type FakeLlmServer, startFakeLlmServer } from '../test/fakes/llm-server.js';
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
import { COMMENT_MARKER } from './reporting/comment.js';
import { signBody } from './signature.js';
import { type FakeGitHub, startFakeGitHub } from './test-support/fake-github.js';
import { EXAMPLE_REPOSITORY, INSTALLATION_ID, pullRequestEvent } from './test-support/payloads.js';

const SECRET = 'pr-ci-secret';
const MODEL = 'pr-ci-model';
const BASE_SHA = 'b'.repeat(40);
const sha = (c: string) => c.repeat(40);

const DATASET = Array.from({ length: 6 }, (_, i) =>
  JSON.stringify({ input_text: `Question ${i}: how do I reset my password?`, reference_output: 'answer' }),
).join('\n');

/** The repository's evalforge.yaml with a given system prompt; the judge wants the word "answer". */
const config = (system: string) => `
prompts:
  system: "${system}"
  user: "Customer asks: {{input}}"
endpoint: pr endpoint
dataset:
  path: data/support.jsonl
guardrails:
  - judge: assertions
    blocking: true
    threshold: 0.5
    config:
      assertions:
        - { type: contains, value: answer }
`;
const POLITE = 'You are POLITE and always give the answer.';
const TERSE = 'You are TERSE.';

let db: TestDatabase;
let temporal: TestTemporal;
let github: FakeGitHub;
let llm: FakeLlmServer;
let worker: InProcessWorker;
let deps: ApiDeps;
let app: ReturnType<typeof createApp>;
let fx: ProjectFixture;
/** While set, the model holds its answers until released: runs stay in flight as long as a test needs. */
let held: { promise: Promise<void>; release: () => void } | null = null;
function holdModel() {
  let release = () => {};
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  held = { promise, release };
}
function releaseModel() {
  held?.release();
  held = null;
}

beforeAll(async () => {
  [db, temporal, github] = await Promise.all([createTestDatabase(), createTestTemporal(), startFakeGitHub()]);
  // The model answers from the system prompt it was sent: polite prompts give "the answer", terse ones not.
  llm = await startFakeLlmServer({
    respond: async ({ system }) => {
      await held?.promise;
      return { content: system?.includes('POLITE') ? 'Here is the answer, friend.' : 'No.' };
    },
  });
  Object.assign(process.env, {
    GITHUB_APP_ID: String(github.appId),
    GITHUB_PRIVATE_KEY: github.privateKey.replace(/\n/g, '\\n'),
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_API_URL: github.url,
    GITHUB_CLIENT_THROTTLE: 'false',
    EVALFORGE_PUBLIC_URL: 'https://evalforge.example.test',
  });
  deps = {
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-pr-ci', process.env.LOG_LEVEL ?? 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  };
  app = createApp(deps);
  const activityDeps = testActivityDeps(db.dataSource);
  worker = await startInProcessWorker({
    temporal,
    deps: { ...activityDeps, ciEvents: createCiEventHandler(deps, gitHubClientFromEnv(deps.logger)!) },
    queues: [TASK_QUEUES.orchestration, TASK_QUEUES.llm, TASK_QUEUES.judgesCpu],
  });
  fx = await createProjectFixture(db.dataSource, {
    samples: 2,
    modelName: MODEL,
    endpointUrl: llm.openaiBaseUrl,
  });
  await db.dataSource.query(`UPDATE llm_endpoints SET name = 'pr endpoint' WHERE id = $1`, [fx.endpoint.id]);
  const link = await app.request(`/api/github/repositories/${EXAMPLE_REPOSITORY}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
    }),
  });
  expect(link.status).toBe(200);
  // The base branch's commit and the pull requests' heads: the same dataset, different system prompts.
  github.setFile(EXAMPLE_REPOSITORY, BASE_SHA, 'evalforge.yaml', config(POLITE));
  github.setFile(EXAMPLE_REPOSITORY, BASE_SHA, 'data/support.jsonl', DATASET);
  for (const c of ['1', '2', '3', '4', '5', '6']) {
    // Commits after the first two get prompts of their own: an unchanged prompt is answered from the
    // response cache without calling the model, and the cancel tests need runs the held model keeps going.
    const prompt = c === '1' || c === '2' ? TERSE : `${TERSE} (commit ${c})`;
    github.setFile(EXAMPLE_REPOSITORY, sha(c), 'evalforge.yaml', config(prompt));
    github.setFile(EXAMPLE_REPOSITORY, sha(c), 'data/support.jsonl', DATASET);
  }
}, 120_000);

afterAll(async () => {
  releaseModel();
  await worker?.stop();
  await llm?.close();
  await github?.close();
  await temporal?.close();
  await db?.drop();
});

function deliver(event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return app.request('/api/github/webhooks', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': signBody(SECRET, body),
    },
    body,
  });
}

function prEvent(
  action: 'opened' | 'synchronize' | 'reopened' | 'closed',
  prNumber: number,
  headSha: string,
) {
  const e = pullRequestEvent(action, { headSha, prNumber });
  e.pull_request.base.sha = BASE_SHA;
  return e;
}

async function deliverOk(event: string, payload: unknown) {
  const res = await deliver(event, payload);
  expect(res.status).toBe(202);
  expect(await res.json()).toMatchObject({ accepted: true });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined> | T | null | undefined,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const checksOn = (headSha: string) => [...github.checkRuns.values()].filter((c) => c.head_sha === headSha);
const completedCheck = (headSha: string) =>
  waitFor(`a completed check on ${headSha.slice(0, 7)}`, () =>
    checksOn(headSha).find((c) => c.status === 'completed'),
  );
const runOf = (headSha: string) =>
  db.dataSource
    .getRepository(EvalRun)
    .find({ where: { git_commit_sha: headSha }, order: { created_at: 'ASC' } });
const commentsOn = (prNumber: number) =>
  [...github.comments.values()].filter((c) => c.issue === `${EXAMPLE_REPOSITORY}#${prNumber}`.toLowerCase());
const systemPromptsSent = () => new Set(llm.requestsFor(MODEL).map((r) => r.system));
const modelCalledWith = (system: string) => llm.requestsFor(MODEL).some((r) => r.system === system);

describe('a pull request is evaluated with its own evalforge.yaml, against its base commit', () => {
  it('sends the base prompt for the baseline and the head prompt for the candidate, and concludes from the pair', async () => {
    await deliverOk('pull_request', prEvent('opened', 10, sha('1')));
    const check = await completedCheck(sha('1'));

    const [base] = await runOf(BASE_SHA);
    const [candidate] = await runOf(sha('1'));
    expect(base).toMatchObject({ status: 'completed', trigger_type: 'ci', git_branch: 'master' });
    expect(candidate).toMatchObject({ status: 'completed', baseline_run_id: base.id, pr_number: 10 });
    expect(candidate.config_sha256).not.toBe(base.config_sha256);
    // Seen at the model server: the base commit's prompt and the pull request's, each rendered per sample.
    expect(systemPromptsSent()).toEqual(new Set([POLITE, TERSE]));
    expect(llm.requestsFor(MODEL).every((r) => r.input.startsWith('Customer asks: Question'))).toBe(true);
    // The terse prompt loses "the answer": the blocking guardrail fails and the pair shows a regression.
    expect(check.conclusion).toBe('failure');
    expect(check.output?.summary).toContain('Regression');
    // The base commit's run is a baseline, not a check of its own.
    expect(checksOn(BASE_SHA)).toHaveLength(0);
    await waitFor('the comment', () => commentsOn(10)[0]);
    expect(commentsOn(10)).toHaveLength(1);
    expect(commentsOn(10)[0].body.startsWith(COMMENT_MARKER)).toBe(true);
  }, 150_000);

  it('reuses the finished baseline for the next pull request on the same base', async () => {
    const before = (await runOf(BASE_SHA)).length;
    await deliverOk('pull_request', prEvent('opened', 11, sha('2')));
    await completedCheck(sha('2'));
    expect(await runOf(BASE_SHA)).toHaveLength(before);
    const [candidate] = await runOf(sha('2'));
    expect(candidate.baseline_run_id).toBe((await runOf(BASE_SHA))[0].id);
  }, 150_000);

  it('two quick pushes leave one finished run and one cancelled ("superseded by")', async () => {
    holdModel();
    try {
      await deliverOk('pull_request', prEvent('opened', 12, sha('3')));
      await waitFor('the first push running', async () => (await runOf(sha('3')))[0]?.status === 'running');
      await waitFor('its model calls held', () => modelCalledWith(`${TERSE} (commit 3)`));
      await deliverOk('pull_request', prEvent('synchronize', 12, sha('4')));
      const superseded = await completedCheck(sha('3'));
      expect(superseded.conclusion).toBe('cancelled');
      expect(superseded.output?.title).toBe(`Cancelled: superseded by ${sha('4').slice(0, 7)}`);
      await waitFor('the first run to end', async () => (await runOf(sha('3')))[0]?.status === 'cancelled');
    } finally {
      releaseModel();
    }
    const newest = await completedCheck(sha('4'));
    expect(newest.conclusion).toBe('failure');
    expect((await runOf(sha('4')))[0].status).toBe('completed');
    // The comment (posted right after the check) describes the newest commit only.
    await waitFor('the comment', () => commentsOn(12)[0]);
    const comments = commentsOn(12);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain(sha('4').slice(0, 7));
  }, 150_000);

  it('a pull request closed while its run is going is cancelled and gets no comment; reopened, it runs again', async () => {
    holdModel();
    try {
      await deliverOk('pull_request', prEvent('opened', 13, sha('5')));
      await waitFor('the run going', async () => (await runOf(sha('5')))[0]?.status === 'running');
      await waitFor('its model calls held', () => modelCalledWith(`${TERSE} (commit 5)`));
      await deliverOk('pull_request', prEvent('closed', 13, sha('5')));
      const check = await completedCheck(sha('5'));
      expect(check).toMatchObject({
        conclusion: 'cancelled',
        output: { title: 'Cancelled: pull request closed' },
      });
      await waitFor('the run to end', async () => (await runOf(sha('5')))[0]?.status === 'cancelled');
    } finally {
      releaseModel();
    }
    // The cancelled run reports when its workflow ends: give it the time, then nothing was posted.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(commentsOn(13)).toHaveLength(0);

    // Reopened with the same commit: the cancelled run is not a result, so it is evaluated again.
    await deliverOk('pull_request', prEvent('reopened', 13, sha('5')));
    await waitFor('a second run', async () => (await runOf(sha('5'))).find((r) => r.status === 'completed'));
    expect(await runOf(sha('5'))).toHaveLength(2);
    await waitFor('the comment', () => commentsOn(13)[0]);
  }, 150_000);

  it('reopening with a finished run reuses its result: no new run, no new check', async () => {
    const checks = checksOn(sha('2')).length;
    await deliverOk('pull_request', prEvent('closed', 11, sha('2')));
    await deliverOk('pull_request', prEvent('reopened', 11, sha('2')));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await runOf(sha('2'))).toHaveLength(1);
    expect(checksOn(sha('2'))).toHaveLength(checks);
  }, 60_000);

  it('with GitHub down the webhook answers within a second, and the check appears once it is back', async () => {
    github.setReachable(false);
    let ms: number;
    try {
      const started = performance.now();
      const res = await deliver('pull_request', prEvent('opened', 14, sha('6')));
      ms = performance.now() - started;
      expect(res.status).toBe(202);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(checksOn(sha('6'))).toHaveLength(0);
    } finally {
      github.setReachable(true);
    }
    expect(ms).toBeLessThan(1_000);
    const check = await completedCheck(sha('6'));
    expect(check.conclusion).toBe('failure');
  }, 150_000);

  it('an installation suspended stops work for it until it is unsuspended', async () => {
    const installation = (action: string) => ({
      action,
      installation: { id: INSTALLATION_ID },
      sender: { login: 'octocat' },
    });
    await deliverOk('installation', installation('suspend'));
    await waitFor(
      'the link suspended',
      async () =>
        (await db.dataSource.getRepository(GitHubRepository).findOneByOrFail({ project_id: fx.project.id }))
          .installation_suspended_at,
    );
    const res = await deliver('pull_request', prEvent('opened', 15, sha('7')));
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await runOf(sha('7'))).toHaveLength(0);
    expect(checksOn(sha('7'))).toHaveLength(0);
    await deliverOk('installation', installation('unsuspend'));
    await waitFor(
      'the link resumed',
      async () =>
        !(await db.dataSource.getRepository(GitHubRepository).findOneByOrFail({ project_id: fx.project.id }))
          .installation_suspended_at,
    );
  }, 60_000);
});
