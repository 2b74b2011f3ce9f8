import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { createLogger } from '../../runtime/logger.js';
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

async function completedRun(minutesAgo: number, summary: Record<string, unknown>, branch = 'main') {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  return db.dataSource.getRepository(EvalRun).save({
    project_id: fx.project.id,
    dataset_id: fx.dataset.id,
    dataset_version_id: fx.version.id,
    endpoint_id: fx.endpoint.id,
    status: 'completed',
    git_branch: branch,
    created_at: at,
    completed_at: at,
    summary,
  });
}

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
  app = createApp({
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-api', 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  });
  fx = await createProjectFixture(db.dataSource, { samples: 2 });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

describe('GET /api/eval/trends/{project_id}', () => {
  it('returns per-judge series oldest first, with regressions marked', async () => {
    const first = await completedRun(30, {
      verdict: 'pass',
      judges: {
        similarity: { n: 2, mean_score: 0.9, pass_rate: 1 },
        pii: { n: 2, mean_score: 1, pass_rate: 1 },
      },
    });
    const second = await completedRun(10, {
      verdict: 'fail',
      judges: {
        similarity: { n: 2, mean_score: 0.7, pass_rate: 0.5 },
        pii: { n: 2, mean_score: 1, pass_rate: 1 },
      },
      regressions: { judges: [{ judge_type: 'similarity', verdict: 'regression' }] },
    });
    await completedRun(
      5,
      { verdict: 'pass', judges: { similarity: { n: 2, mean_score: 0.95, pass_rate: 1 } } },
      'feature',
    );

    const res = await app.request(`/api/eval/trends/${fx.project.id}?branch=main`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const similarity = body.series.find((s: { judge_type: string }) => s.judge_type === 'similarity');
    expect(similarity.points.map((p: { run_id: string }) => p.run_id)).toEqual([first.id, second.id]);
    expect(similarity.points.map((p: { mean_score: number }) => p.mean_score)).toEqual([0.9, 0.7]);
    expect(similarity.points.map((p: { regression: boolean }) => p.regression)).toEqual([false, true]);
    const pii = body.series.find((s: { judge_type: string }) => s.judge_type === 'pii');
    expect(pii.points.every((p: { regression: boolean }) => !p.regression)).toBe(true);

    const all = await (await app.request(`/api/eval/trends/${fx.project.id}`)).json();
    expect(all.series.find((s: { judge_type: string }) => s.judge_type === 'similarity').points).toHaveLength(
      3,
    );
  });

  it('answers 404 for an unknown project and 400 for a bad id', async () => {
    expect((await app.request(`/api/eval/trends/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await app.request('/api/eval/trends/xyz')).status).toBe(400);
  });
});

describe('GET /api/ci/badge/{project_id}', () => {
  it("shows the latest completed run's verdict as a cacheable SVG", async () => {
    const res = await app.request(`/api/ci/badge/${fx.project.id}?branch=main`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const svg = await res.text();
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('failing 75%');
    const feature = await (await app.request(`/api/ci/badge/${fx.project.id}?branch=feature`)).text();
    expect(feature).toContain('passing 100%');
    const none = await (await app.request(`/api/ci/badge/${fx.project.id}?branch=nothing-here`)).text();
    expect(none).toContain('no runs');
  });
});
