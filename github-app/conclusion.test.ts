import { describe, expect, it } from 'vitest';
import { decideCheckConclusion } from './conclusion.js';
import { readRunSummary } from './run-summary.js';
import { blockingFailureSummary, passingSummary, regressionSummary } from './test-support/summaries.js';

const completed = { status: 'completed' as const, error: null };
const strict = { failOnRegression: true };
const lenient = { failOnRegression: false };

describe('decideCheckConclusion', () => {
  it('passes a completed run whose blocking guardrails passed', () => {
    expect(decideCheckConclusion(completed, readRunSummary(passingSummary()), strict).conclusion).toBe(
      'success',
    );
  });

  it('fails on a blocking guardrail, naming it', () => {
    expect(decideCheckConclusion(completed, readRunSummary(blockingFailureSummary()), lenient)).toEqual({
      conclusion: 'failure',
      title: 'Blocking guardrail failed: pii',
    });
  });

  it('fails on a regression when configured to, else reports it as neutral', () => {
    const summary = readRunSummary(regressionSummary());
    expect(decideCheckConclusion(completed, summary, strict)).toEqual({
      conclusion: 'failure',
      title: 'Regression vs baseline: similarity',
    });
    expect(decideCheckConclusion(completed, summary, lenient).conclusion).toBe('neutral');
  });

  it('fails runs that failed or ran out of budget, and marks cancelled ones', () => {
    const summary = readRunSummary(passingSummary());
    const failed = decideCheckConclusion(
      { status: 'failed', error: 'endpoint unreachable' },
      summary,
      strict,
    );
    expect(failed).toEqual({ conclusion: 'failure', title: 'Eval run failed: endpoint unreachable' });
    expect(
      decideCheckConclusion({ status: 'budget_exceeded', error: null }, summary, strict).conclusion,
    ).toBe('failure');
    expect(decideCheckConclusion({ status: 'cancelled', error: null }, summary, strict).conclusion).toBe(
      'cancelled',
    );
  });

  it('is neutral for a completed run without a verdict, and refuses open runs', () => {
    expect(decideCheckConclusion(completed, readRunSummary({}), strict).conclusion).toBe('neutral');
    expect(() =>
      decideCheckConclusion({ status: 'running', error: null }, readRunSummary({}), strict),
    ).toThrow(/running/);
  });
});

describe('readRunSummary', () => {
  it('reads regressions in snake_case or camelCase and tolerates malformed parts', () => {
    const s = readRunSummary({
      verdict: 'nonsense',
      judges: { pii: { n: 'x' } },
      regressions: {
        judges: [
          { judge_type: 'a', verdict: 'regression', mean_difference: -0.1, adjusted_p_value: 0.01 },
          { judge: 'b', verdict: 'improvement', meanDifference: 0.2, adjustedPValue: 0.03, mde: 0.05 },
          { verdict: 'regression' },
        ],
      },
    });
    expect(s.verdict).toBeNull();
    expect(s.judges.pii).toEqual({ n: 0, errors: 0, mean_score: null, pass_rate: null });
    expect(s.regressions.judges).toEqual([
      { judge_type: 'a', verdict: 'regression', delta: -0.1, p_value: 0.01, mde: null },
      { judge_type: 'b', verdict: 'improvement', delta: 0.2, p_value: 0.03, mde: 0.05 },
    ]);
  });
});
