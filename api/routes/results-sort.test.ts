/** GET /api/eval/runs/{id}/results?sort=…: ordered in SQL over the whole run, composed with filters and pages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun } from '../../db/entities/index.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { createRunRow, type FixtureResult, insertResults } from '../../test/fixtures/runs.js';
import { listResults } from '../services/run-results.js';
import { createTestApi, type TestApi } from '../test-support.js';

const SAMPLES = 12;
/** The worst similarity score sits on the second page of 5 in dataset order. */
const WORST = 7;
/** Model errors: no output, so no similarity score either. */
const FAILED = new Set([3, 10]);
/** Similarity per position: pairs of equal scores, so the tiebreaker (dataset order) is exercised. */
const similarity = (i: number) => (i === WORST ? 0.05 : 0.2 + 0.1 * Math.floor(((i * 5) % SAMPLES) / 2));
const latency = (i: number) => 100 + ((i * 7) % SAMPLES) * 10;

let api: TestApi;
let run: EvalRun;

beforeAll(async () => {
  api = await createTestApi();
  const fx = await createProjectFixture(api.db.dataSource, { samples: SAMPLES });
  run = await createRunRow(api.db.dataSource, fx, { status: 'completed' });
  await insertResults(
    api.db.dataSource,
    run,
    Array.from({ length: SAMPLES }, (_, i) => i),
    (i): FixtureResult =>
      FAILED.has(i)
        ? { llm_output: '', status: 'failed', error: 'timeout', latency_ms: latency(i), scores: {} }
        : {
            llm_output: `answer ${i}`,
            latency_ms: latency(i),
            scores: {
              similarity: { score: similarity(i), passed: similarity(i) >= 0.5 },
              pii: { score: 1, passed: true },
            },
          },
  );
});
afterAll(() => api?.close());

const positions = Array.from({ length: SAMPLES }, (_, i) => i);
const keys = (ps: number[]) => ps.map((i) => `s${i}`);
/** Ascending by `key`, nulls last, ties in dataset order (what the API promises). */
const expected = (key: (i: number) => number | null, desc = false) =>
  keys(
    [...positions].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
      return (desc ? y - x : x - y) || a - b;
    }),
  );
const score = (i: number) => (FAILED.has(i) ? null : similarity(i));

async function page(query: string) {
  const res = await api.call('GET', `/api/eval/runs/${run.id}/results?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { items: { sample_key: string }[]; total: number };
}

/** Every page of `limit` under `query`, concatenated. */
async function allPages(query: string, limit: number) {
  const out: string[] = [];
  let total = 0;
  for (let offset = 0; offset === 0 || offset < total; offset += limit) {
    const p = await page(`${query}&offset=${offset}&limit=${limit}`);
    total = p.total;
    out.push(...p.items.map((r) => r.sample_key));
  }
  return { keys: out, total };
}

describe('results sort', () => {
  it('puts the worst score first on page 1 where dataset order has it on page 2', async () => {
    const unsorted = await page('offset=5&limit=5');
    expect(unsorted.items.map((r) => r.sample_key)).toContain(`s${WORST}`);
    const sorted = await page('sort=score:similarity&limit=5');
    expect(sorted.items[0].sample_key).toBe(`s${WORST}`);
    expect(sorted.total).toBe(SAMPLES);
  });

  it('orders the whole run across pages, ties in dataset order, results without a score last', async () => {
    expect((await allPages('sort=score:similarity', 5)).keys).toEqual(expected(score));
    expect((await allPages('sort=-score:similarity', 5)).keys).toEqual(expected(score, true));
    expect((await allPages('sort=latency', 4)).keys).toEqual(expected(latency));
    expect((await allPages('sort=-latency', 5)).keys).toEqual(expected(latency, true));
    expect((await allPages('sort=status', 5)).keys).toEqual(expected((i) => (FAILED.has(i) ? 0 : 1)));
    expect((await allPages('sort=sample', 5)).keys).toEqual(keys(positions));
  });

  it('composes with the filters over the whole run', async () => {
    const succeeded = positions.filter((i) => !FAILED.has(i));
    const slow = await allPages('status=succeeded&sort=-latency', 3);
    expect(slow.total).toBe(succeeded.length);
    expect(slow.keys).toEqual(keys([...succeeded].sort((a, b) => latency(b) - latency(a))));
    // Failing similarity, lowest first: the filter and the order both read judge_scores.
    const failing = await allPages('judge=similarity&passed=false&sort=score:similarity', 2);
    const below = positions.filter((i) => score(i) !== null && (score(i) as number) < 0.5);
    expect(failing.total).toBe(below.length);
    expect(failing.keys).toEqual(expected(score).filter((k) => below.includes(Number(k.slice(1)))));
  });

  it('reads pages past the middle from the other end in the reversed order, with the same result', async () => {
    for (const sort of [
      { by: 'score', judge: 'similarity', desc: false },
      { by: 'latency', desc: true },
      { by: 'status' },
    ] as const) {
      const near: string[] = [];
      const far: string[] = [];
      for (let offset = 0; offset < SAMPLES; offset += 5) {
        const args = [api.db.dataSource, run.id, {}, { offset, limit: 5 }] as const;
        const keysOf = (p: { items: { sample_key: string }[] }) => p.items.map((r) => r.sample_key);
        near.push(...keysOf(await listResults(...args, { sort })));
        far.push(...keysOf(await listResults(...args, { sort, farPageOffset: 0 })));
      }
      expect(far, JSON.stringify(sort)).toEqual(near);
      expect(new Set(near).size).toBe(SAMPLES);
    }
  });

  it('answers 400 with the allowed values for an unknown sort or judge', async () => {
    for (const bad of ['bogus', 'score', 'latency:asc', '--latency', 'score:', 'score:no_such_judge']) {
      const res = await api.call('GET', `/api/eval/runs/${run.id}/results?sort=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('validation_error');
      expect(body.error.details[0]).toMatchObject({ path: 'sort' });
      expect(body.error.details[0].message).toContain(
        'allowed: sample, latency, -latency, status, score:<judge>, -score:<judge>',
      );
    }
  });
});
