/**
 * Numbers beyond what their column holds are a 400 naming the bound, never a PostgreSQL 22003 (500);
 * the bound itself is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUDGET_USD_MAX,
  DATASET_VERSION_MAX,
  PAGE_OFFSET_MAX,
  PRICE_PER_1K_TOKENS_MAX,
} from '../../db/column-bounds.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;
let fx: ProjectFixture;

beforeAll(async () => {
  api = await createTestApi();
  fx = await createProjectFixture(api.db.dataSource, { samples: 2 });
});
afterAll(async () => {
  await api?.close();
});

type Issue = { path: string; message: string };

async function expectBoundError(res: Response, path: string, bound: number) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.error.code).toBe('validation_error');
  expect(body.error.details as Issue[]).toContainEqual(
    expect.objectContaining({ path, message: `at most ${bound}` }),
  );
}

const startRun = (fields: Record<string, unknown>) =>
  api.call('POST', '/api/eval/run', {
    project_id: fx.project.id,
    dataset_id: fx.dataset.id,
    endpoint_id: fx.endpoint.id,
    ...fields,
  });

describe('input bounds', () => {
  it('dataset_version 3000000000 is a 400 naming 2147483647; the bound itself is looked up (404)', async () => {
    expect(DATASET_VERSION_MAX).toBe(2_147_483_647);
    await expectBoundError(
      await startRun({ dataset_version: 3_000_000_000 }),
      'dataset_version',
      2_147_483_647,
    );
    const atBound = await startRun({ dataset_version: DATASET_VERSION_MAX });
    expect(atBound.status).toBe(404);
  });

  it('price_per_1k_input 1e12 is a 400 naming the price bound, on create and update', async () => {
    const created = await api.call('POST', `/api/projects/${fx.project.id}/endpoints`, {
      provider: 'openai',
      model_name: 'gpt-4o-mini',
      config: { price_per_1k_input: 1e12 },
    });
    await expectBoundError(created, 'config.price_per_1k_input', PRICE_PER_1K_TOKENS_MAX);
    const updated = await api.call('PUT', `/api/endpoints/${fx.endpoint.id}`, {
      config: { price_per_1k_output: 1e12 },
    });
    await expectBoundError(updated, 'config.price_per_1k_output', PRICE_PER_1K_TOKENS_MAX);
    const atBound = await api.call('PUT', `/api/endpoints/${fx.endpoint.id}`, {
      config: { price_per_1k_input: PRICE_PER_1K_TOKENS_MAX, price_per_1k_output: 0 },
    });
    expect(atBound.status).toBe(200);
  });

  it('offset=9007199254740991 is a 400 naming 2147483647; offset at the bound is an empty page', async () => {
    await expectBoundError(
      await api.call('GET', '/api/projects?offset=9007199254740991'),
      'offset',
      2_147_483_647,
    );
    await expectBoundError(
      await api.call('GET', `/api/eval/runs?offset=${PAGE_OFFSET_MAX + 1}`),
      'offset',
      PAGE_OFFSET_MAX,
    );
    const page = await api.call('GET', `/api/projects?offset=${PAGE_OFFSET_MAX}`);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ items: [], offset: PAGE_OFFSET_MAX });
  });

  it('budget_usd and pr_number past their numeric(14,6) and integer columns are 400s', async () => {
    expect(BUDGET_USD_MAX).toBe(99_999_999.999999);
    await expectBoundError(await startRun({ budget_usd: 1e12 }), 'budget_usd', BUDGET_USD_MAX);
    await expectBoundError(await startRun({ pr_number: 3_000_000_000 }), 'pr_number', 2_147_483_647);
  });

  it('dataset version numbers in queries and bodies are bounded too', async () => {
    const tooBig = DATASET_VERSION_MAX + 1;
    await expectBoundError(
      await api.call('GET', `/api/datasets/${fx.dataset.id}/samples?version=${tooBig}`),
      'version',
      DATASET_VERSION_MAX,
    );
    await expectBoundError(
      await api.call('POST', `/api/datasets/${fx.dataset.id}/samples`, {
        samples: [{ input_text: 'q' }],
        base_version: tooBig,
      }),
      'base_version',
      DATASET_VERSION_MAX,
    );
    const atBound = await api.call(
      'GET',
      `/api/datasets/${fx.dataset.id}/samples?version=${DATASET_VERSION_MAX}`,
    );
    expect(atBound.status).toBe(404);
  });
});
