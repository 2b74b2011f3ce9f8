import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { createLogger } from '../../lib/logger.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createRunRow, insertResults } from '../../test/fixtures/runs.js';
import {
  createTestDatabase,
  createTestTemporal,
  type TestDatabase,
  type TestTemporal,
} from '../../test/helpers/index.js';
import { createApp } from '../app.js';
import { binLayout, niceWidth } from '../services/latency-histogram.js';

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

  it('never shows "passing" for a run that measured nothing or failed', async () => {
    await completedRun(3, { verdict: 'error', blocking_errors: ['pii'], judges: {} }, 'empty');
    const empty = await (await app.request(`/api/ci/badge/${fx.project.id}?branch=empty`)).text();
    expect(empty).toContain('not evaluated');
    // A summary from before verdicts were written reads as not evaluated, too.
    await completedRun(2, { judges: { pii: { n: 2, mean_score: 1, pass_rate: 1 } } }, 'old');
    expect(await (await app.request(`/api/ci/badge/${fx.project.id}?branch=old`)).text()).toContain(
      'not evaluated',
    );
  });
});

describe('GET /api/eval/runs/{id}/latency-histogram', () => {
  it('bins every succeeded result of the run in the database, beyond the largest results page', async () => {
    const big = await createProjectFixture(db.dataSource, { samples: 600 });
    const run = await createRunRow(db.dataSource, big);
    const positions = Array.from({ length: 600 }, (_, i) => i);
    // 560 succeeded results with latencies 100…659 ms, 40 failures with huge latencies that must not count.
    await insertResults(db.dataSource, run, positions, (i) =>
      i < 560
        ? { llm_output: 'ok', latency_ms: 100 + i }
        : { llm_output: '', status: 'failed', error: 'timeout', latency_ms: 60_000 },
    );
    const res = await app.request(`/api/eval/runs/${run.id}/latency-histogram?bins=12`);
    expect(res.status).toBe(200);
    const h = await res.json();
    expect(h).toMatchObject({ run_id: run.id, count: 560, excluded: 40, min_ms: 100, max_ms: 659 });
    expect(h.p50_ms).toBeCloseTo(379.5, 5);
    // (659 − 100) / 12 ≈ 47 → 50 ms bins from 100: 100–149 … 650–699, 12 bins.
    expect(h.bin_width_ms).toBe(50);
    expect(h.bins).toHaveLength(12);
    expect(h.bins[0]).toEqual({ lower_ms: 100, upper_ms: 150, count: 50 });
    expect(h.bins[11]).toEqual({ lower_ms: 650, upper_ms: 700, count: 10 });
    expect(h.bins.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(560);
    // The default asks for at most 30 bins: 20 ms wide here (559 / 30 ≈ 19 → 20).
    const byDefault = await (await app.request(`/api/eval/runs/${run.id}/latency-histogram`)).json();
    expect(byDefault.bin_width_ms).toBe(20);
    expect(byDefault.bins.length).toBeLessThanOrEqual(30);
    expect(byDefault.bins.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(560);
  });

  it('keeps empty bins, answers an empty histogram without results, and validates its input', async () => {
    const run = await createRunRow(db.dataSource, fx);
    const empty = await (await app.request(`/api/eval/runs/${run.id}/latency-histogram`)).json();
    expect(empty).toMatchObject({ count: 0, excluded: 0, bin_width_ms: null, bins: [] });
    await insertResults(db.dataSource, run, [0, 1], (i) => ({ llm_output: 'ok', latency_ms: i ? 900 : 100 }));
    const gap = await (await app.request(`/api/eval/runs/${run.id}/latency-histogram?bins=8`)).json();
    // 100 ms bins would need 9 from 100, so they widen to 200 from 0: 5 bins, the middle ones empty.
    expect(gap.bin_width_ms).toBe(200);
    expect(gap.bins.map((b: { count: number }) => b.count)).toEqual([1, 0, 0, 0, 1]);
    const one = await (await app.request(`/api/eval/runs/${run.id}/latency-histogram?bins=1`)).json();
    expect(one.bins).toEqual([{ lower_ms: 0, upper_ms: 1_000, count: 2 }]);
    const bad = await app.request(`/api/eval/runs/${run.id}/latency-histogram?bins=0`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('validation_error');
    expect((await app.request(`/api/eval/runs/${run.id}/latency-histogram?bins=201`)).status).toBe(400);
    expect((await app.request(`/api/eval/runs/${crypto.randomUUID()}/latency-histogram`)).status).toBe(404);
  });
});

describe('latency bin layout', () => {
  it('picks 1/2/5 × 10ⁿ widths that hold the range in the bins asked for', () => {
    expect(niceWidth(0)).toBe(1);
    expect(niceWidth(3)).toBe(5);
    expect(niceWidth(38.3)).toBe(50);
    expect(niceWidth(120)).toBe(200);
    expect(binLayout(100, 1_249, 12)).toEqual({ start: 100, width: 100, count: 12 });
    expect(binLayout(7, 7, 30)).toEqual({ start: 7, width: 1, count: 1 });
    // 95…205 in 2 bins: width 100 from 0 needs 3, so the width grows to 200.
    expect(binLayout(95, 205, 2)).toEqual({ start: 0, width: 200, count: 2 });
  });
});
