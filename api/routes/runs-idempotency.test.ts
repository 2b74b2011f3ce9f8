/**
 * Idempotency-Key semantics of POST /api/eval/run (and the CI webhook that derives its keys), and the
 * status endpoint when the workflow cannot answer. Real PostgreSQL and Temporal; no worker polls in this
 * file, so a test ends a run the way its workflow would (terminating the execution, writing the row).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun, GitHubRepository } from '../../db/entities/index.js';
import { signBody } from '../../github-app/signature.js';
import { EXAMPLE_REPOSITORY, pullRequestEvent } from '../../github-app/test-support/payloads.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { requestFingerprint, storedPhase } from '../services/runs.js';
import { createTestApi, type TestApi } from '../test-support.js';

const WEBHOOK_SECRET = 'idempotency-webhook-secret';
let api: TestApi;
let fx: ProjectFixture;

beforeAll(async () => {
  process.env.GITHUB_WEBHOOK_SECRET = WEBHOOK_SECRET;
  api = await createTestApi();
  fx = await createProjectFixture(api.db.dataSource, { samples: 3 });
  await api.db.dataSource.getRepository(GitHubRepository).save({
    project_id: fx.project.id,
    full_name: EXAMPLE_REPOSITORY.toLowerCase(),
    dataset_id: fx.dataset.id,
    endpoint_id: fx.endpoint.id,
    path_filters: [],
  });
});
afterAll(async () => {
  await api?.close();
});

const runs = () => api.db.dataSource.getRepository(EvalRun);
const startBody = (extra: Record<string, unknown> = {}) => ({
  project_id: fx.project.id,
  dataset_id: fx.dataset.id,
  endpoint_id: fx.endpoint.id,
  ...extra,
});
const start = (body: unknown, key: string) =>
  api.call('POST', '/api/eval/run', body, { 'idempotency-key': key });
const describeWorkflow = (workflowId: string) =>
  api.temporal.client.workflow.getHandle(workflowId).describe();

/** What the workflow leaves behind when a run is cancelled: a closed execution and a final row. */
async function endAsCancelled(run: { id: string; workflow_id: string }) {
  await api.temporal.client.workflow.getHandle(run.workflow_id).terminate('test: the run was cancelled');
  const now = new Date();
  await runs().update({ id: run.id }, { status: 'cancelled', cancelled_at: now, completed_at: now });
}

describe('Idempotency-Key', () => {
  it('answers a repeated request with the same run (200), and refuses the key with another body (422)', async () => {
    const key = `same-${crypto.randomUUID()}`;
    const first = await start(startBody(), key);
    expect(first.status).toBe(201);
    const run = await first.json();

    // Same request: key order and explicit defaults do not make it another one.
    const again = await start({ cache: false, repetitions: 1, ...startBody() }, key);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(run.id);

    const before = await runs().findOneByOrFail({ id: run.id });
    const other = await start(startBody({ repetitions: 2 }), key);
    expect(other.status).toBe(422);
    const error = (await other.json()).error;
    expect(error.code).toBe('idempotency_key_reused');
    expect(error.message).toMatch(/different request/);
    expect(error.details).toEqual({ run_id: run.id });
    // Nothing changed: one run under the key, as first recorded.
    expect(await runs().countBy({ idempotency_key: key })).toBe(1);
    const after = await runs().findOneByOrFail({ id: run.id });
    expect(after).toMatchObject({
      repetitions: 1,
      total_samples: 3,
      request_fingerprint: before.request_fingerprint,
    });
    expect(after.request_fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never starts a cancelled run again: 200, still cancelled, still its one execution', async () => {
    const key = `cancelled-${crypto.randomUUID()}`;
    const run = await (await start(startBody(), key)).json();
    const execution = await describeWorkflow(run.workflow_id);
    await endAsCancelled(run);

    const again = await start(startBody(), key);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: run.id, status: 'cancelled' });
    expect((await runs().findOneByOrFail({ id: run.id })).status).toBe('cancelled');
    const latest = await describeWorkflow(run.workflow_id);
    expect(latest.runId).toBe(execution.runId);
    expect(latest.status.name).toBe('TERMINATED');
  });

  it("relies on Temporal too: a closed execution is never started again, even if the row still says it's open", async () => {
    // The row lags behind its workflow (terminated by an operator, or finalizeRun not written yet).
    const key = `stale-${crypto.randomUUID()}`;
    const run = await (await start(startBody(), key)).json();
    const execution = await describeWorkflow(run.workflow_id);
    await api.temporal.client.workflow.getHandle(run.workflow_id).terminate('test: closed behind the row');
    await runs().update({ id: run.id }, { status: 'running', started_at: new Date() });

    const again = await start(startBody(), key);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(run.id);
    const latest = await describeWorkflow(run.workflow_id);
    expect(latest.runId).toBe(execution.runId);
    expect(latest.status.name).toBe('TERMINATED');
  });

  it('gives concurrent requests with one key one run, and checks the body on the race path too', async () => {
    const key = `race-${crypto.randomUUID()}`;
    const racing = await Promise.all([1, 2, 3].map(() => start(startBody(), key)));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    const ids = new Set(await Promise.all(racing.map(async (r) => (await r.json()).id)));
    expect(ids.size).toBe(1);
    expect(await runs().countBy({ idempotency_key: key })).toBe(1);

    // Force the race path: another transaction holds an uncommitted row with the key, so this request's
    // look-up misses it and its insert waits on the unique index, then fails with a unique violation.
    const raceKey = `race-path-${crypto.randomUUID()}`;
    const winnerBody = startBody();
    for (const [body, expected] of [
      [startBody({ repetitions: 3 }), 422],
      [winnerBody, 200],
    ] as const) {
      const forcedKey = `${raceKey}-${expected}`;
      const winner = api.db.dataSource.createQueryRunner();
      await winner.connect();
      await winner.startTransaction();
      try {
        const [row] = await winner.query(
          `INSERT INTO eval_runs (project_id, dataset_id, dataset_version_id, endpoint_id, idempotency_key, request_fingerprint, total_samples)
           VALUES ($1, $2, $3, $4, $5, $6, 3) RETURNING id`,
          [
            fx.project.id,
            fx.dataset.id,
            fx.version.id,
            fx.endpoint.id,
            forcedKey,
            requestFingerprint({ ...winnerBody, repetitions: 1, cache: false, idempotency_key: forcedKey }),
          ],
        );
        const loser = start(body, forcedKey);
        await waitForLockWaiter();
        await winner.commitTransaction();
        const res = await loser;
        expect(res.status).toBe(expected);
        if (expected === 200) expect((await res.json()).id).toBe(row.id);
        else expect((await res.json()).error.code).toBe('idempotency_key_reused');
        expect(await runs().countBy({ idempotency_key: forcedKey })).toBe(1);
      } finally {
        if (winner.isTransactionActive) await winner.rollbackTransaction();
        await winner.release();
      }
    }
  });

  it('accepts any request for a key recorded before fingerprints existed', async () => {
    const key = `legacy-${crypto.randomUUID()}`;
    const run = await (await start(startBody(), key)).json();
    await runs().update({ id: run.id }, { request_fingerprint: null });
    const other = await start(startBody({ repetitions: 2 }), key);
    expect(other.status).toBe(200);
    expect((await other.json()).id).toBe(run.id);
  });
});

/** Until some session of the test database waits on a lock (the racing insert). */
async function waitForLockWaiter() {
  for (let i = 0; i < 100; i++) {
    const [{ n }] = await api.db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (n > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the racing request never waited on the unique index');
}

describe('CI webhook redelivery', () => {
  const deliver = (payload: unknown, delivery: string = crypto.randomUUID()) => {
    const body = JSON.stringify(payload);
    return api.call('POST', '/api/webhook/github', body, {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': delivery,
      'x-hub-signature-256': signBody(WEBHOOK_SECRET, body),
    });
  };

  it('does not revive a cancelled run when the pull request event comes again', async () => {
    const headSha = crypto.randomBytes(20).toString('hex');
    const first = await deliver(pullRequestEvent('opened', { headSha }), 'delivery-1');
    expect(first.status).toBe(202);
    const { run_id, created } = await first.json();
    expect(created).toBe(true);
    const run = await runs().findOneByOrFail({ id: run_id });
    const execution = await describeWorkflow(run.workflow_id!);
    await endAsCancelled({ id: run.id, workflow_id: run.workflow_id! });

    // GitHub's redelivery of the same delivery, and the PR reopened at the same head.
    for (const [payload, delivery] of [
      [pullRequestEvent('opened', { headSha }), 'delivery-1'],
      [pullRequestEvent('reopened', { headSha }), 'delivery-2'],
    ] as const) {
      const res = await deliver(payload, delivery);
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ run_id, created: false, status: 'cancelled' });
    }
    expect(await runs().countBy({ git_commit_sha: headSha })).toBe(1);
    expect((await runs().findOneByOrFail({ id: run_id })).status).toBe('cancelled');
    const latest = await describeWorkflow(run.workflow_id!);
    expect(latest.runId).toBe(execution.runId);
    expect(latest.status.name).toBe('TERMINATED');
  });
});

describe('GET /api/eval/runs/{id}/status', () => {
  it('falls back to the stored phase and counts when the progress query gets no answer', async () => {
    // The run's workflow exists and is open, but no worker polls: the query times out.
    const run = await (await start(startBody(), `progress-${crypto.randomUUID()}`)).json();
    await runs().update({ id: run.id }, { status: 'running', started_at: new Date() });
    const samples: { id: string; position: number }[] = await api.db.dataSource.query(
      `SELECT id, position FROM eval_samples WHERE dataset_version_id = $1 ORDER BY position`,
      [fx.version.id],
    );
    for (const [i, s] of samples.slice(0, 2).entries()) {
      await api.db.dataSource.query(
        `INSERT INTO eval_results (run_id, sample_id, sample_position, llm_output, status) VALUES ($1, $2, $3, 'out', $4)`,
        [run.id, s.id, s.position, i === 0 ? 'succeeded' : 'failed'],
      );
    }

    const res = await api.call('GET', `/api/eval/runs/${run.id}/status`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'running',
      phase: 'generating',
      source: 'database',
      total: 3,
      done: 2,
      failed: 1,
      judgeErrors: 0,
    });
  });

  it('derives the phase from what the stored run proves, never an earlier one', () => {
    const at = new Date();
    expect(storedPhase({ status: 'pending', started_at: null, summary: {} })).toBe('planning');
    expect(storedPhase({ status: 'running', started_at: at, summary: {} })).toBe('generating');
    expect(storedPhase({ status: 'running', started_at: at, summary: { verdict: 'pass' } })).toBe(
      'summarizing',
    );
    for (const status of ['completed', 'failed', 'cancelled', 'budget_exceeded'] as const) {
      expect(storedPhase({ status, started_at: at, summary: {} })).toBe(status);
    }
  });
});
