import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { createLogger } from '../../lib/logger.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import {
  createTestDatabase,
  createTestTemporal,
  type TestDatabase,
  type TestTemporal,
} from '../../test/helpers/index.js';
import { createApp } from '../app.js';

let db: TestDatabase;
let temporal: TestTemporal;
let app: ReturnType<typeof createApp>;
let fx: ProjectFixture;

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
  app = createApp({
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-api', 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  });
  fx = await createProjectFixture(db.dataSource, { samples: 3 });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const startBody = () => ({
  project_id: fx.project.id,
  dataset_id: fx.dataset.id,
  endpoint_id: fx.endpoint.id,
});

describe('POST /api/eval/run', () => {
  it('records a pending run pinned to the latest dataset version and starts its workflow', async () => {
    const res = await post('/api/eval/run', startBody());
    expect(res.status).toBe(201);
    const run = await res.json();
    expect(run).toMatchObject({
      status: 'pending',
      dataset_version_id: fx.version.id,
      workflow_id: `eval-run-${run.id}`,
      total_samples: 3,
      trigger_type: 'api',
    });
    const description = await temporal.client.workflow.getHandle(run.workflow_id).describe();
    expect(description.type).toBe('evalRun');
    expect(description.taskQueue).toBe('orchestration');
  });

  it('returns the same run for a retried request with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'retry-me' };
    const first = await post('/api/eval/run', startBody(), headers);
    const second = await post('/api/eval/run', startBody(), headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((await second.json()).id).toBe((await first.json()).id);
    // Concurrent retries too.
    const racing = await Promise.all(
      [1, 2, 3].map(() => post('/api/eval/run', startBody(), { 'idempotency-key': 'race' })),
    );
    const ids = new Set(await Promise.all(racing.map(async (r) => (await r.json()).id)));
    expect(ids.size).toBe(1);
    const count = await db.dataSource.getRepository(EvalRun).countBy({ idempotency_key: 'race' });
    expect(count).toBe(1);
  });

  it('rejects bad input with structured 4xx errors', async () => {
    const malformed = await post('/api/eval/run', '{"project_id": ');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBeTruthy();

    const unknownField = await post('/api/eval/run', { ...startBody(), surprise: 1 });
    expect(unknownField.status).toBe(400);
    expect((await unknownField.json()).error.code).toBe('validation_error');

    const badUuid = await post('/api/eval/run', { ...startBody(), dataset_id: 'nope' });
    expect(badUuid.status).toBe(400);

    const missingDataset = await post('/api/eval/run', { ...startBody(), dataset_id: crypto.randomUUID() });
    expect(missingDataset.status).toBe(404);
    expect((await missingDataset.json()).error.code).toBe('not_found');

    const missingVersion = await post('/api/eval/run', { ...startBody(), dataset_version: 9 });
    expect(missingVersion.status).toBe(404);

    const empty = await createProjectFixture(db.dataSource, { samples: 0 });
    const emptyRun = await post('/api/eval/run', {
      project_id: empty.project.id,
      dataset_id: empty.dataset.id,
      endpoint_id: empty.endpoint.id,
    });
    expect(emptyRun.status).toBe(422);

    const otherProjectEndpoint = await post('/api/eval/run', {
      ...startBody(),
      endpoint_id: empty.endpoint.id,
    });
    expect(otherProjectEndpoint.status).toBe(404);
  });
});

describe('run queries', () => {
  it('lists runs with filters and pagination', async () => {
    await post('/api/eval/run', { ...startBody(), git_branch: 'feature/x', git_commit_sha: 'abcdef1234567' });
    const all = await (await app.request(`/api/eval/runs?project_id=${fx.project.id}&limit=2`)).json();
    expect(all.limit).toBe(2);
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(4);
    const byBranch = await (await app.request(`/api/eval/runs?branch=feature/x`)).json();
    expect(byBranch.items.map((r: { git_branch: string }) => r.git_branch)).toEqual(['feature/x']);
    const bySha = await (await app.request(`/api/eval/runs?sha=ABCDEF1`)).json();
    expect(bySha.total).toBe(1);
    expect((await app.request('/api/eval/runs?limit=100000')).status).toBe(400);
    expect((await app.request('/api/eval/runs?status=exploded')).status).toBe(400);
  });

  it('answers 404 for unknown runs and 400 for non-UUID ids', async () => {
    expect((await app.request(`/api/eval/runs/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await app.request('/api/eval/runs/123')).status).toBe(400);
    expect((await app.request(`/api/eval/runs/${crypto.randomUUID()}/results`)).status).toBe(404);
  });

  it('refuses to cancel a finished run with 409', async () => {
    const run = await (await post('/api/eval/run', startBody())).json();
    await db.dataSource.getRepository(EvalRun).update({ id: run.id }, { status: 'completed' });
    const res = await post(`/api/eval/runs/${run.id}/cancel`, {});
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('run_finished');
  });
});
