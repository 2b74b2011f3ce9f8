import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createRunRow, insertResults } from '../../test/fixtures/runs.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/index.js';
import { compareRunPair } from './run-comparison.js';

let db: TestDatabase;
let fx: ProjectFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await createProjectFixture(db.dataSource, { samples: 6 });
});
afterAll(() => db?.drop());

/** A run over all 6 samples; `fails` are the positions whose similarity check fails. */
async function runWith(fails: number[], status: EvalRun['status'] = 'completed') {
  const run = await createRunRow(db.dataSource, fx, { status });
  await insertResults(db.dataSource, run, [0, 1, 2, 3, 4, 5], (i) => ({
    llm_output: `answer ${i}${fails.includes(i) ? ' (worse)' : ''}`,
    scores: { similarity: { score: fails.includes(i) ? 0.2 : 0.9, passed: !fails.includes(i) } },
  }));
  return run;
}
const page = { offset: 0, limit: 3 };

describe('compareRunPair', () => {
  it('lists changed outcomes first, with both outputs and scores, paged', async () => {
    const baseline = await runWith([]);
    const candidate = await runWith([2, 4]);
    const first = await compareRunPair(db.dataSource, baseline, candidate, page);
    expect(first.samples.total).toBe(6);
    expect(first.samples.items.map((s) => [s.sample_key, s.changed])).toEqual([
      ['s2', true],
      ['s4', true],
      ['s0', false],
    ]);
    expect(first.samples.items[0]).toMatchObject({
      input_text: 'Question 2: what is 2 + 2?',
      baseline: { llm_output: 'answer 2', scores: { similarity: { score: 0.9, passed: true } } },
      candidate: { llm_output: 'answer 2 (worse)', scores: { similarity: { score: 0.2, passed: false } } },
    });
    expect(first.judges.map((j) => [j.judge_type, j.n])).toEqual([['similarity', 6]]);
    const second = await compareRunPair(db.dataSource, baseline, candidate, { offset: 3, limit: 3 });
    expect(second.samples.items.map((s) => s.sample_key)).toEqual(['s1', 's3', 's5']);
  });

  it('keeps a pair of finished runs, but recomputes while a run is still going', async () => {
    const baseline = await runWith([]);
    const running = await runWith([], 'running');
    expect((await compareRunPair(db.dataSource, baseline, running, page)).samples.items[0].changed).toBe(
      false,
    );
    await db.dataSource.query(
      `UPDATE judge_scores SET passed = false, score = 0.1 WHERE run_id = $1 AND result_id IN
         (SELECT id FROM eval_results WHERE run_id = $1 AND sample_position = 5)`,
      [running.id],
    );
    const live = await compareRunPair(db.dataSource, baseline, running, page);
    expect(live.samples.items[0]).toMatchObject({ sample_key: 's5', changed: true });

    const finished = await runWith([1]);
    expect((await compareRunPair(db.dataSource, baseline, finished, page)).samples.items[0].sample_key).toBe(
      's1',
    );
    // Scores of finished runs do not change; the kept pair answers without reading them again.
    await db.dataSource.query('DELETE FROM judge_scores WHERE run_id = $1', [finished.id]);
    const kept = await compareRunPair(db.dataSource, baseline, finished, page);
    expect(kept.samples.items[0]).toMatchObject({ sample_key: 's1', changed: true });
    expect(kept.judges[0].n).toBe(6);
  });

  it("reuses the comparison the workflow stored with the candidate's verdict", async () => {
    const baseline = await runWith([]);
    const candidate = await runWith([0]);
    const stored = {
      run_id: candidate.id,
      baseline_run_id: baseline.id,
      paired: true,
      correction: 'holm' as const,
      alpha: 0.05,
      judges: [{ judge_type: 'similarity', verdict: 'regression', n: 6 }],
    };
    candidate.summary = { regressions: stored };
    const result = await compareRunPair(db.dataSource, baseline, candidate, page);
    expect(result.judges).toEqual(stored.judges);
    // Another baseline than the stored one is computed afresh.
    const other = await runWith([3]);
    const fresh = await compareRunPair(db.dataSource, other, candidate, page);
    expect(fresh.baseline_run_id).toBe(other.id);
    expect(fresh.judges[0]).toMatchObject({ judge_type: 'similarity', n: 6 });
  });
});
