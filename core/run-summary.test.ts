import { describe, expect, it } from 'vitest';
import { readRunSummary } from './run-summary.js';

describe('readRunSummary', () => {
  it('reads an empty or missing summary as "not summarized"', () => {
    for (const stored of [{}, null, undefined, 'nonsense']) {
      const s = readRunSummary(stored);
      expect(s).toMatchObject({
        verdict: null,
        samples: null,
        judges: {},
        guardrails: [],
        regressions: null,
      });
    }
  });

  it('reads guardrails written before outcomes existed: pass, fail, or error when nothing was counted', () => {
    const s = readRunSummary({
      verdict: 'pass',
      guardrails: [
        { judge_type: 'pii', is_blocking: true, passed: true, pass_rate: 1, reason: 'ok' },
        { judge_type: 'format', is_blocking: false, passed: false, pass_rate: 0.5, reason: 'low' },
        { judge_type: 'toxicity', is_blocking: true, passed: false, pass_rate: null, reason: 'none' },
        { is_blocking: true },
      ],
    });
    expect(s.guardrails.map((g) => [g.judge_type, g.outcome, g.on_error])).toEqual([
      ['pii', 'pass', 'fail'],
      ['format', 'fail', 'fail'],
      ['toxicity', 'error', 'fail'],
    ]);
  });

  it('drops malformed parts one by one instead of failing the whole summary', () => {
    const s = readRunSummary({
      verdict: 'maybe',
      samples: { total: 'x' },
      judges: { pii: { n: 'x' }, format: { n: 2, errors: 0, mean_score: 1, pass_rate: 1 } },
      regressions: {
        judges: [{ judge_type: 'a', verdict: 'regression', delta: -0.1 }, { verdict: 'regression' }],
      },
    });
    expect(s.verdict).toBeNull();
    expect(s.samples).toBeNull();
    expect(s.judges.pii).toEqual({ n: 0, errors: 0, mean_score: null, pass_rate: null, cost_usd: 0 });
    expect(s.judges.format.cost_usd).toBe(0);
    // A summary without error counts still reads its scores.
    expect(readRunSummary({ judges: { a: { n: 2, mean_score: 0.5, pass_rate: 1 } } }).judges.a).toEqual({
      n: 2,
      errors: 0,
      mean_score: 0.5,
      pass_rate: 1,
      cost_usd: 0,
    });
    expect(s.regressions?.judges.map((j) => [j.judge_type, j.verdict, j.delta])).toEqual([
      ['a', 'regression', -0.1],
    ]);
  });
});
