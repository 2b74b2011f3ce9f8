import { describe, expect, it } from 'vitest';
import { type ComparedSample, judgeDeltas } from './compare-rows';

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
});
