import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun } from '../../db/entities/index.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { createRunRow, insertResults } from '../../test/fixtures/runs.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/index.js';
import { listResults, type ResultFilter } from './run-results.js';

let db: TestDatabase;
let run: EvalRun;

// 8 samples: category alternates, every third is tagged "refund"; similarity score = position / 10.
beforeAll(async () => {
  db = await createTestDatabase();
  const fx = await createProjectFixture(db.dataSource, {
    samples: 8,
    sample: (i) => ({
      metadata: { category: i % 2 ? 'billing' : 'shipping', tags: i % 3 === 0 ? ['refund', 'vip'] : [] },
    }),
  });
  run = await createRunRow(db.dataSource, fx);
  await insertResults(db.dataSource, run, [0, 1, 2, 3, 4, 5, 6, 7], (i) => ({
    llm_output: `answer ${i}`,
    scores: {
      similarity: { score: i / 10, passed: i >= 4 },
      toxicity: { score: 0.9, passed: true },
    },
  }));
});
afterAll(() => db?.drop());

const positions = async (filter: ResultFilter) => {
  const page = await listResults(db.dataSource, run.id, filter, { offset: 0, limit: 50 });
  return { keys: page.items.map((r: { sample_key: string }) => r.sample_key), total: page.total };
};

describe('listResults filters', () => {
  it('filters by metadata category and tag, counting the filtered total', async () => {
    expect(await positions({ category: 'billing' })).toEqual({ keys: ['s1', 's3', 's5', 's7'], total: 4 });
    expect(await positions({ tag: 'refund' })).toEqual({ keys: ['s0', 's3', 's6'], total: 3 });
    expect(await positions({ tag: 'refund', category: 'billing' })).toEqual({ keys: ['s3'], total: 1 });
    expect((await positions({ tag: 'nope' })).total).toBe(0);
  });

  it("bounds the judge's score range inclusively, together with pass/fail", async () => {
    expect((await positions({ judge: 'similarity', min_score: 0.2, max_score: 0.4 })).keys).toEqual([
      's2',
      's3',
      's4',
    ]);
    expect((await positions({ judge: 'similarity', passed: false, min_score: 0.25 })).keys).toEqual(['s3']);
    // Without a judge the range matches any judge's score: toxicity's 0.9 is in every result.
    expect((await positions({ min_score: 0.85 })).total).toBe(8);
    expect((await positions({ judge: 'similarity', min_score: 0.85 })).total).toBe(0);
  });
});

describe('listResults pages', () => {
  const keysOf = (page: { items: Array<{ sample_key: string }> }) => page.items.map((r) => r.sample_key);

  it('returns the same pages whichever end of the index it walks from', async () => {
    const all = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'];
    for (const limit of [1, 3, 5]) {
      for (let offset = 0; offset <= 9; offset++) {
        const expected = all.slice(offset, offset + limit);
        const near = await listResults(db.dataSource, run.id, {}, { offset, limit });
        // farPageOffset 0: every page counts first and pages past the middle are read from the end.
        const far = await listResults(db.dataSource, run.id, {}, { offset, limit }, { farPageOffset: 0 });
        expect(keysOf(near), `offset ${offset} limit ${limit}`).toEqual(expected);
        expect(keysOf(far), `offset ${offset} limit ${limit} from the end`).toEqual(expected);
        expect(far.total).toBe(8);
      }
    }
    const filtered = await listResults(
      db.dataSource,
      run.id,
      { category: 'billing' },
      { offset: 3, limit: 2 },
      { farPageOffset: 0 },
    );
    expect(keysOf(filtered)).toEqual(['s7']);

    // A run with a gap (a cancelled run, say) cannot seek by position: it walks, from the nearer end.
    const fx = await createProjectFixture(db.dataSource, { samples: 6 });
    const gappy = await createRunRow(db.dataSource, fx);
    await insertResults(db.dataSource, gappy, [0, 1, 3, 4, 5], (i) => ({ llm_output: `a${i}`, scores: {} }));
    const present = ['s0', 's1', 's3', 's4', 's5'];
    for (let offset = 0; offset <= 5; offset++) {
      const far = await listResults(db.dataSource, gappy.id, {}, { offset, limit: 2 }, { farPageOffset: 0 });
      expect(keysOf(far), `gappy offset ${offset}`).toEqual(present.slice(offset, offset + 2));
    }
  });

  it("keeps a finished run's count, and counts a running run afresh", async () => {
    const fx = await createProjectFixture(db.dataSource, { samples: 3 });
    const growing = await createRunRow(db.dataSource, fx);
    await insertResults(db.dataSource, growing, [0], () => ({ llm_output: 'a', scores: {} }));
    const page = (runFinished: boolean) =>
      listResults(db.dataSource, growing.id, {}, { offset: 0, limit: 10 }, { runFinished });
    expect((await page(true)).total).toBe(1);
    await insertResults(db.dataSource, growing, [1], () => ({ llm_output: 'b', scores: {} }));
    expect((await page(false)).total).toBe(2);
    // A finished run's results no longer change, so its first count stands.
    expect((await page(true)).total).toBe(1);
    expect((await page(true)).items).toHaveLength(2);
  });
});
