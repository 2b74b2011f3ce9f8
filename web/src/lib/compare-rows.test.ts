import { describe, expect, it } from 'vitest';
import { type ComparedSample, judgeDeltas, sampleChanged, viewRows, worstDelta } from './compare-rows';

const side = (scores: Record<string, [number | null, boolean]>) => ({
  status: 'succeeded',
  llm_output: 'x',
  scores: Object.fromEntries(Object.entries(scores).map(([j, [score, passed]]) => [j, { score, passed }])),
});
const row = (
  key: string,
  b: Record<string, [number | null, boolean]>,
  c: Record<string, [number | null, boolean]>,
  changed = false,
): ComparedSample => ({ sample_key: key, repetition: 0, changed, baseline: side(b), candidate: side(c) });

const rows = [
  row('s1', { pii: [1, true], sim: [0.9, true] }, { pii: [1, true], sim: [0.9, true] }),
  row('s10', { pii: [1, true], sim: [0.9, true] }, { pii: [0, false], sim: [0.85, true] }, true),
  row('s2', { pii: [1, true], sim: [0.9, true] }, { pii: [1, true], sim: [0.4, false] }, true),
  row('s3', { pii: [1, true], sim: [0.4, false] }, { pii: [1, true], sim: [0.9, true] }, true),
];

describe('compare rows', () => {
  it('computes per-judge deltas and pass/fail flips', () => {
    expect(judgeDeltas(rows[1])).toEqual([
      { judge: 'pii', baseline: 1, candidate: 0, delta: -1, flip: 'regressed' },
      { judge: 'sim', baseline: 0.9, candidate: 0.85, delta: expect.closeTo(-0.05), flip: null },
    ]);
    expect(judgeDeltas(rows[3])[1].flip).toBe('improved');
    expect(judgeDeltas(row('x', { a: [null, false] }, { a: [0.5, true] }))[0].delta).toBeNull();
  });

  it('sorts by the largest regression first', () => {
    expect(viewRows(rows, { sort: 'regression', change: 'all' }).map((r) => r.sample_key)).toEqual([
      's10',
      's2',
      's1',
      's3',
    ]);
    expect(worstDelta(rows[2], 'sim')).toBeCloseTo(-0.5);
    expect(
      viewRows(rows, { sort: 'regression', change: 'all', judge: 'sim' }).map((r) => r.sample_key),
    ).toEqual(['s2', 's10', 's1', 's3']);
  });

  it('filters by judge and by changed or unchanged', () => {
    expect(viewRows(rows, { sort: 'changed', change: 'changed' }).map((r) => r.sample_key)).toEqual([
      's10',
      's2',
      's3',
    ]);
    expect(viewRows(rows, { sort: 'changed', change: 'unchanged' }).map((r) => r.sample_key)).toEqual(['s1']);
    expect(
      viewRows(rows, { sort: 'sample', change: 'changed', judge: 'pii' }).map((r) => r.sample_key),
    ).toEqual(['s10']);
    expect(sampleChanged(rows[1], 'sim')).toBe(true);
    expect(viewRows(rows, { sort: 'sample', change: 'all', judge: 'toxicity' })).toEqual([]);
  });
});
