/** Run lists and runs name what ran on what: endpoint, model, dataset and its version; compare rows name their results. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun, LlmEndpoint } from '../../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { completeRun, insertResults } from '../../test/fixtures/runs.js';
import { createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;
let fx: ProjectFixture;
let a: EvalRun;
let b: EvalRun;

async function run() {
  const saved = await api.db.dataSource.getRepository(EvalRun).save({
    project_id: fx.project.id,
    dataset_id: fx.dataset.id,
    dataset_version_id: fx.version.id,
    endpoint_id: fx.endpoint.id,
    status: 'running',
  });
  await insertResults(api.db.dataSource, saved, [0, 1], (i) => ({
    llm_output: `answer ${i}`,
    scores: { similarity: { score: 0.9, passed: true } },
  }));
  await completeRun(api.db.dataSource, saved);
  return saved;
}

beforeAll(async () => {
  api = await createTestApi({ mode: 'dev' });
  fx = await createProjectFixture(api.db.dataSource, { samples: 2 });
  await api.db.dataSource.getRepository(LlmEndpoint).update({ id: fx.endpoint.id }, { name: 'Main model' });
  a = await run();
  b = await run();
});
afterAll(async () => {
  await api?.close();
});

describe('run identity', () => {
  it('lists runs with their endpoint, model, dataset and dataset version', async () => {
    const list = await (await api.call('GET', `/api/eval/runs?project_id=${fx.project.id}`)).json();
    expect(list.items).toHaveLength(2);
    for (const item of list.items) {
      expect(item).toMatchObject({
        endpoint_name: 'Main model',
        model_name: fx.endpoint.model_name,
        dataset_name: fx.dataset.name,
        dataset_version: fx.version.version,
      });
    }
    const one = await (await api.call('GET', `/api/eval/runs/${a.id}`)).json();
    expect(one.dataset_version).toBe(fx.version.version);
    expect(one.endpoint_name).toBe('Main model');
  });

  it("names each side's result in the comparison rows", async () => {
    const res = await api.call('GET', `/api/eval/compare?run_ids=${a.id},${b.id}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.samples.items).toHaveLength(2);
    for (const s of body.samples.items) {
      expect(s.baseline.result_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.candidate.result_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.candidate.result_id).not.toBe(s.baseline.result_id);
    }
  });
});
