/** Human review of results and the per-judge agreement summary, through the API on a real database. */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalResult, type EvalRun } from '../../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { completeRun, createRunRow, insertResults } from '../../test/fixtures/runs.js';
import { reviewerOf } from '../services/reviews.js';
import { bearer, createTestApi, type TestApi } from '../test-support.js';

const ADMIN_KEY = 'reviews-test-admin-key-0123456789abcdef';
const admin = bearer(ADMIN_KEY);

let api: TestApi;
let fx: ProjectFixture;
let other: ProjectFixture;
let alice: Record<string, string>;
let bob: Record<string, string>;
let otherKey: Record<string, string>;
let run: EvalRun;
/** Result ids in sample order. */
let results: string[];

async function keyFor(projectId: string, name: string) {
  const res = await api.call('POST', `/api/projects/${projectId}/api-keys`, { name }, admin);
  expect(res.status).toBe(201);
  return bearer((await res.json()).key as string);
}

// Judge verdicts of the 4 results: pii passes 0,1 and fails 2,3; toxicity passes all.
const PII = [true, true, false, false];

beforeAll(async () => {
  api = await createTestApi({ mode: 'production', settings: { adminKey: ADMIN_KEY, rateLimitPerMinute: 0 } });
  fx = await createProjectFixture(api.db.dataSource, { samples: 4 });
  other = await createProjectFixture(api.db.dataSource, { samples: 1 });
  alice = await keyFor(fx.project.id, 'alice');
  bob = await keyFor(fx.project.id, 'bob');
  otherKey = await keyFor(other.project.id, 'mallory');
  run = await createRunRow(api.db.dataSource, fx);
  await insertResults(api.db.dataSource, run, [0, 1, 2, 3], (i) => ({
    llm_output: `answer ${i}`,
    scores: {
      pii: { score: PII[i] ? 1 : 0, passed: PII[i] },
      toxicity: { score: 0.9, passed: true },
    },
  }));
  run = await completeRun(api.db.dataSource, run);
  const rows = await api.db.dataSource
    .getRepository(EvalResult)
    .find({ where: { run_id: run.id }, order: { sample_position: 'ASC' } });
  results = rows.map((r) => r.id);
}, 60_000);
afterAll(async () => {
  await api?.close();
});

const reviewUrl = (resultId: string, runId = run.id) => `/api/eval/runs/${runId}/results/${resultId}/review`;
const put = (resultId: string, body: unknown, headers = alice) =>
  api.call('PUT', reviewUrl(resultId), body, headers);

describe('PUT /api/eval/runs/{id}/results/{result_id}/review', () => {
  it('records a review under the key name (201), then updates it in place (200)', async () => {
    const first = await put(results[0], { passed: false, score: 0.25, comment: 'wrong tone' });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created).toMatchObject({
      result_id: results[0],
      run_id: run.id,
      judge_type: null,
      passed: false,
      score: 0.25,
      comment: 'wrong tone',
      reviewer: 'alice',
    });
    const again = await put(results[0], { passed: true });
    expect(again.status).toBe(200);
    const updated = await again.json();
    expect(updated).toMatchObject({ id: created.id, passed: true, score: null, comment: null });
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at));

    // Another reviewer, and a review of one judge, are separate reviews.
    expect((await put(results[0], { passed: true }, bob)).status).toBe(201);
    const judge = await put(results[0], { passed: true, judge_type: 'pii' });
    expect(judge.status).toBe(201);
    expect((await judge.json()).judge_type).toBe('pii');
    // The admin key reviews as "admin"; dev mode without a key as "dev".
    const byAdmin = await put(results[3], { passed: true }, admin);
    expect((await byAdmin.json()).reviewer).toBe('admin');
    expect(await reviewerOf(api.db.dataSource, { kind: 'anonymous' })).toBe('dev');
  });

  it('refuses bad input: 400 (shape, bounds), 422 (unstorable text, a judge that did not score)', async () => {
    for (const body of [
      {},
      { passed: 'yes' },
      { passed: true, score: 1.5 },
      { passed: true, score: -0.1 },
      { passed: true, comment: 'x'.repeat(2001) },
      { passed: true, extra: 1 },
    ]) {
      const res = await put(results[1], body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toBeTypeOf('string');
    }
    expect((await put(results[1], { passed: true, comment: 'x'.repeat(2000) })).status).toBe(201);
    const nul = await put(results[1], { passed: true, comment: 'a\u0000b' });
    expect(nul.status).toBe(422);
    const judge = await put(results[1], { passed: true, judge_type: 'faithfulness' });
    expect(judge.status).toBe(422);
    expect((await judge.json()).error.code).toBe('unknown_judge');
  });

  it('answers 404 for a result of another run or an unknown run, 403 for another project', async () => {
    const otherRun = await createRunRow(api.db.dataSource, fx);
    expect((await api.call('PUT', reviewUrl(results[0], otherRun.id), { passed: true }, alice)).status).toBe(
      404,
    );
    expect((await put(crypto.randomUUID(), { passed: true })).status).toBe(404);
    expect(
      (await api.call('PUT', reviewUrl(results[0], crypto.randomUUID()), { passed: true }, alice)).status,
    ).toBe(404);
    expect((await put(results[0], { passed: true }, otherKey)).status).toBe(403);
    expect((await api.call('GET', `/api/eval/runs/${run.id}/reviews`, undefined, otherKey)).status).toBe(403);
    expect(
      (await api.call('GET', `/api/eval/runs/${run.id}/reviews/summary`, undefined, otherKey)).status,
    ).toBe(403);
  });
});

describe('GET /api/eval/runs/{id}/reviews and DELETE …/review', () => {
  it("lists a run's reviews (paged, by result), and deletes only the caller's own", async () => {
    const all = await (
      await api.call('GET', `/api/eval/runs/${run.id}/reviews?limit=2`, undefined, alice)
    ).json();
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(5);
    const mine = await (
      await api.call('GET', `/api/eval/runs/${run.id}/reviews?result_id=${results[0]}`, undefined, alice)
    ).json();
    expect(
      mine.items
        .map((r: { reviewer: string; judge_type: string | null }) => `${r.reviewer}/${r.judge_type}`)
        .sort(),
    ).toEqual(['alice/null', 'alice/pii', 'bob/null']);

    expect(
      (await api.call('DELETE', `${reviewUrl(results[0])}?judge_type=pii`, undefined, alice)).status,
    ).toBe(204);
    expect(
      (await api.call('DELETE', `${reviewUrl(results[0])}?judge_type=pii`, undefined, alice)).status,
    ).toBe(404);
    expect((await api.call('DELETE', reviewUrl(results[3]), undefined, alice)).status).toBe(404); // admin's, not alice's
    const left = await (
      await api.call('GET', `/api/eval/runs/${run.id}/reviews?result_id=${results[0]}`, undefined, alice)
    ).json();
    expect(left.total).toBe(2);
  });
});

describe('GET /api/eval/runs/{id}/reviews/summary', () => {
  it('compares the newest human verdict with each judge (hand-computed)', async () => {
    const ds = api.db.dataSource;
    await ds.query('DELETE FROM human_reviews WHERE run_id = $1', [run.id]);
    // Overall verdicts: 0 pass, 1 fail, 2 fail, 3 pass; a pii-specific review of result 3 says fail
    // (it wins over the overall one for pii). Result 1's newest overall review (bob's) says fail.
    expect((await put(results[0], { passed: true })).status).toBe(201);
    expect((await put(results[1], { passed: true })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 5));
    expect((await put(results[1], { passed: false }, bob)).status).toBe(201);
    expect((await put(results[2], { passed: false })).status).toBe(201);
    expect((await put(results[3], { passed: true })).status).toBe(201);
    expect((await put(results[3], { passed: false, judge_type: 'pii' })).status).toBe(201);

    const res = await api.call('GET', `/api/eval/runs/${run.id}/reviews/summary`, undefined, alice);
    expect(res.status).toBe(200);
    const summary = await res.json();
    expect(summary).toMatchObject({ run_id: run.id, reviews: 6, reviewed_results: 4 });
    const pii = summary.judges.find((j: { judge_type: string }) => j.judge_type === 'pii');
    const tox = summary.judges.find((j: { judge_type: string }) => j.judge_type === 'toxicity');
    // pii judge: T T F F; human: T F F F → agree on 0, 2, 3: 3/4.
    // p_o = 0.75; human passes 1/4, judge 2/4: p_e = 0.25·0.5 + 0.75·0.5 = 0.5; kappa = 0.25/0.5 = 0.5.
    expect(pii).toMatchObject({
      n: 4,
      both_passed: 1,
      human_only_passed: 0,
      judge_only_passed: 1,
      both_failed: 2,
    });
    expect(pii.agreement).toBeCloseTo(0.75, 12);
    expect(pii.kappa).toBeCloseTo(0.5, 12);
    // toxicity: judge T T T T; human (overall) T F F T → 2/4 agree; judge one class only: p_e = 0.5,
    // p_o = 0.5 → kappa 0.
    expect(tox).toMatchObject({ n: 4, both_passed: 2, judge_only_passed: 2 });
    expect(tox.agreement).toBeCloseTo(0.5, 12);
    expect(tox.kappa).toBeCloseTo(0, 12);
  });

  it('is empty for a run nobody reviewed', async () => {
    const fresh = await createRunRow(api.db.dataSource, fx);
    const summary = await (
      await api.call('GET', `/api/eval/runs/${fresh.id}/reviews/summary`, undefined, alice)
    ).json();
    expect(summary).toEqual({ run_id: fresh.id, reviews: 0, reviewed_results: 0, judges: [] });
  });
});
