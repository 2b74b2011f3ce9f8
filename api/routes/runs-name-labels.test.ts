/** A run's optional name and labels: set when starting (plain and config runs), changed with PATCH, listed by label. */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createRunRow } from '../../test/fixtures/runs.js';
import { requestFingerprint } from '../services/runs.js';
import { createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;
let fx: ProjectFixture;

beforeAll(async () => {
  api = await createTestApi();
  fx = await createProjectFixture(api.db.dataSource, { samples: 2 });
}, 60_000);
afterAll(async () => {
  await api?.close();
});

const startBody = (extra: Record<string, unknown> = {}) => ({
  project_id: fx.project.id,
  dataset_id: fx.dataset.id,
  endpoint_id: fx.endpoint.id,
  ...extra,
});

describe('run name and labels', () => {
  it('are stored from POST /api/eval/run and returned, duplicates dropped', async () => {
    const res = await api.call(
      'POST',
      '/api/eval/run',
      startBody({ name: 'baseline 4o', labels: ['a', 'b', 'a'] }),
    );
    expect(res.status).toBe(201);
    const run = await res.json();
    expect(run).toMatchObject({ name: 'baseline 4o', labels: ['a', 'b'] });
    const row = await api.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id });
    expect(row).toMatchObject({ name: 'baseline 4o', labels: ['a', 'b'] });
    const got = await (await api.call('GET', `/api/eval/runs/${run.id}`)).json();
    expect(got).toMatchObject({ name: 'baseline 4o', labels: ['a', 'b'] });
  });

  it('default to no name and no labels', async () => {
    const run = await (await api.call('POST', '/api/eval/run', startBody())).json();
    expect(run).toMatchObject({ name: null, labels: [] });
  });

  it('are part of the Idempotency-Key fingerprint (no labels and [] are the same request)', async () => {
    const base = { project_id: 'p', dataset_id: 'd', endpoint_id: 'e' };
    expect(requestFingerprint({ ...base, labels: [] })).toBe(requestFingerprint(base));
    expect(requestFingerprint({ ...base, name: 'x' })).not.toBe(requestFingerprint(base));
    expect(requestFingerprint({ ...base, labels: ['x'] })).not.toBe(requestFingerprint(base));

    const key = `labels-${crypto.randomUUID()}`;
    const call = (b: unknown) => api.call('POST', '/api/eval/run', b, { 'idempotency-key': key });
    const first = await call(startBody({ name: 'n', labels: ['x'] }));
    expect(first.status).toBe(201);
    expect((await call(startBody({ name: 'n', labels: ['x'] }))).status).toBe(200);
    const renamed = await call(startBody({ name: 'other', labels: ['x'] }));
    expect(renamed.status).toBe(422);
    expect((await renamed.json()).error.code).toBe('idempotency_key_reused');
    expect((await call(startBody({ name: 'n', labels: ['y'] }))).status).toBe(422);
  });

  it('are bounded: 400 past 200 characters, 20 labels or 50 characters a label; 422 for unstorable text', async () => {
    for (const extra of [
      { name: 'x'.repeat(201) },
      { name: '' },
      { labels: Array.from({ length: 21 }, (_, i) => `l${i}`) },
      { labels: ['x'.repeat(51)] },
      { labels: [''] },
    ]) {
      const res = await api.call('POST', '/api/eval/run', startBody(extra));
      expect(res.status, JSON.stringify(extra)).toBe(400);
    }
    const nul = await api.call('POST', '/api/eval/run', startBody({ name: 'a\u0000b' }));
    expect(nul.status).toBe(422);
  });

  it('are changed with PATCH /api/eval/runs/{id}, whatever the status', async () => {
    const run = await createRunRow(api.db.dataSource, fx, { status: 'completed' });
    const patch = (body: unknown) => api.call('PATCH', `/api/eval/runs/${run.id}`, body);
    let res = await patch({ name: 'renamed', labels: ['keep', 'keep', 'new'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: run.id, name: 'renamed', labels: ['keep', 'new'] });
    // Only what is sent changes.
    res = await patch({ labels: [] });
    expect(await res.json()).toMatchObject({ name: 'renamed', labels: [] });
    res = await patch({ name: null });
    expect(await res.json()).toMatchObject({ name: null, labels: [] });
    expect((await patch({ colour: 'red' })).status).toBe(400);
    expect((await patch({ name: 'x'.repeat(201) })).status).toBe(400);
    expect((await api.call('PATCH', `/api/eval/runs/${crypto.randomUUID()}`, { name: 'x' })).status).toBe(
      404,
    );
  });

  it('filter the run list by label', async () => {
    const tagged = await createRunRow(api.db.dataSource, fx, { labels: ['nightly', 'gpt-4o'] });
    await createRunRow(api.db.dataSource, fx, { labels: ['weekly'] });
    const res = await api.call('GET', `/api/eval/runs?project_id=${fx.project.id}&label=nightly`);
    expect(res.status).toBe(200);
    const page = await res.json();
    expect(page.items.map((r: { id: string }) => r.id)).toEqual([tagged.id]);
    expect(page.total).toBe(1);
    expect(page.items[0].labels).toEqual(['nightly', 'gpt-4o']);
  });

  it('are accepted by POST /api/eval/config-runs', async () => {
    const res = await api.call('POST', '/api/eval/config-runs', {
      project_id: fx.project.id,
      name: 'from yaml',
      labels: ['ci'],
      config: {
        prompts: { system: 'Be brief.', user: 'Q: {{input}}' },
        endpoint: 'fixture endpoint',
        dataset: { path: 'evals/qa.csv' },
      },
      files: { 'evals/qa.csv': 'input_text\nhello\n' },
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ name: 'from yaml', labels: ['ci'] });
  });
});
