/** GET /api/eval/compare's per-sample view: sort and filters applied in SQL over the whole pair, then paged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun } from '../../db/entities/index.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { createRunRow, type FixtureResult, insertResults } from '../../test/fixtures/runs.js';
import { createTestApi, type TestApi } from '../test-support.js';

const POSITIONS = [0, 1, 2, 3, 4, 5, 6, 7];
const sim = (score: number) => ({ score, passed: score >= 0.5 });
const pii = (score: number) => ({ score, passed: score >= 0.8 });

/** Baseline: every sample succeeds; similarity fails only on s2. */
const baselineResult = (i: number): FixtureResult => ({
  llm_output: `old ${i}`,
  scores: { similarity: sim(i === 2 ? 0.3 : 0.9), pii: pii(1) },
});
/**
 * Candidate: s1 fails PII (−0.4), s2 passes similarity now (+0.6), s3 drops a little (−0.05, still passing),
 * s4 fails similarity (−0.5), s5 is a model error, s6 drops most (−0.8, on page 2 of 3 in the default order).
 */
const candidateResult = (i: number): FixtureResult => {
  if (i === 5) return { llm_output: '', status: 'failed', error: 'timeout', scores: {} };
  const similarity = { 2: 0.9, 3: 0.85, 4: 0.4, 6: 0.1 }[i] ?? 0.9;
  return { llm_output: `new ${i}`, scores: { similarity: sim(similarity), pii: pii(i === 1 ? 0.6 : 1) } };
};

let api: TestApi;
let baseline: EvalRun;
let candidate: EvalRun;

beforeAll(async () => {
  api = await createTestApi();
  const fx = await createProjectFixture(api.db.dataSource, { samples: POSITIONS.length });
  baseline = await createRunRow(api.db.dataSource, fx, { status: 'completed' });
  candidate = await createRunRow(api.db.dataSource, fx, { status: 'completed' });
  await insertResults(api.db.dataSource, baseline, POSITIONS, baselineResult);
  await insertResults(api.db.dataSource, candidate, POSITIONS, candidateResult);
});
afterAll(() => api?.close());

interface Page {
  items: { sample_key: string; changed: boolean }[];
  total: number;
}

async function compare(query: string): Promise<Page> {
  const res = await api.call('GET', `/api/eval/compare?run_ids=${baseline.id},${candidate.id}&${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()).samples;
}

/** Every page of `limit` under `query`: the sample keys in order and the total. */
async function allPages(query: string, limit = 3) {
  const keys: string[] = [];
  let total = 0;
  for (let offset = 0; offset === 0 || offset < total; offset += limit) {
    const page = await compare(`${query}&offset=${offset}&limit=${limit}`);
    total = page.total;
    keys.push(...page.items.map((s) => s.sample_key));
  }
  return { keys, total };
}

describe('GET /api/eval/compare sample view', () => {
  it('sorts by the largest regression over the whole pair: page 2 by default, first when sorted', async () => {
    const byDefault = await compare('limit=3');
    expect(byDefault.items.map((s) => s.sample_key)).toEqual(['s1', 's2', 's4']);
    expect((await compare('limit=3&offset=3')).items.map((s) => s.sample_key)).toContain('s6');
    const sorted = await compare('sort=regression&limit=3');
    expect(sorted.items.map((s) => s.sample_key)).toEqual(['s6', 's4', 's1']);
    expect(sorted.total).toBe(8);
    // No drop counts as 0; among equal drops the smaller net change first, improvements last.
    expect(await allPages('sort=regression')).toEqual({
      keys: ['s6', 's4', 's1', 's3', 's0', 's5', 's7', 's2'],
      total: 8,
    });
    expect((await allPages('sort=sample')).keys).toEqual(POSITIONS.map((i) => `s${i}`));
    expect((await allPages('sort=changed')).keys).toEqual(['s1', 's2', 's4', 's5', 's6', 's0', 's3', 's7']);
  });

  it('filters changed, unchanged, regressed and improved over the whole pair, with their totals', async () => {
    expect(await allPages('change=changed')).toEqual({ keys: ['s1', 's2', 's4', 's5', 's6'], total: 5 });
    expect(await allPages('change=unchanged')).toEqual({ keys: ['s0', 's3', 's7'], total: 3 });
    // A model error where the baseline succeeded is a regression too.
    expect(await allPages('change=regressed&sort=sample')).toEqual({
      keys: ['s1', 's4', 's5', 's6'],
      total: 4,
    });
    expect(await allPages('change=improved')).toEqual({ keys: ['s2'], total: 1 });
  });

  it('looks at one judge alone with `judge`, and keeps each row’s `changed` over every judge', async () => {
    expect(await allPages('judge=similarity&change=changed')).toEqual({
      keys: ['s2', 's4', 's5', 's6'],
      total: 4,
    });
    expect(await allPages('judge=pii&change=changed')).toEqual({ keys: ['s1', 's5'], total: 2 });
    expect((await allPages('judge=pii&sort=regression', 8)).keys[0]).toBe('s1');
    expect(await allPages('judge=similarity&change=regressed&sort=regression')).toEqual({
      keys: ['s6', 's4', 's5'],
      total: 3,
    });
    const unchangedOnPii = await compare('judge=pii&change=unchanged&sort=sample&limit=10');
    expect(unchangedOnPii.items.find((s) => s.sample_key === 's4')).toMatchObject({ changed: true });
    // A judge neither run has: no samples.
    expect((await compare('judge=toxicity')).total).toBe(0);
  });

  it('answers 400 for an unknown sort, change or judge', async () => {
    for (const bad of ['sort=worst', 'change=maybe', 'judge=Not%20a%20judge', 'judge=nosuchjudge']) {
      const res = await api.call('GET', `/api/eval/compare?run_ids=${baseline.id},${candidate.id}&${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).error.code).toBe('validation_error');
    }
  });
});
