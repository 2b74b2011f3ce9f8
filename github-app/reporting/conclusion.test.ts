import { describe, expect, it } from 'vitest';
import { readRunSummary } from '../../core/run-summary.js';
import {
  blockingFailureSummary,
  nothingMeasuredSummary,
  passingSummary,
  regressionSummary,
} from '../test-support/summaries.js';
import { decideCheckConclusion } from './conclusion.js';

const completed = { status: 'completed' as const, error: null };
const strict = { failOnRegression: true };
const lenient = { failOnRegression: false };
const conclude = (
  run:
    | typeof completed
    | { status: 'failed' | 'cancelled' | 'budget_exceeded' | 'running'; error: string | null },
  summary: unknown,
  policy = strict,
) => {
  const { conclusion, title } = decideCheckConclusion(run, readRunSummary(summary), policy);
  return { conclusion, title };
};

describe('decideCheckConclusion', () => {
  it('passes a completed run whose blocking guardrails passed', () => {
    expect(conclude(completed, passingSummary()).conclusion).toBe('success');
  });

  it('fails on a blocking guardrail, naming it', () => {
    expect(conclude(completed, blockingFailureSummary(), lenient)).toEqual({
      conclusion: 'failure',
      title: 'Blocking guardrail failed: pii',
    });
  });

  it('fails a run that measured nothing: never success', () => {
    expect(conclude(completed, nothingMeasuredSummary(), lenient)).toEqual({
      conclusion: 'failure',
      title: 'Not evaluated: blocking guardrail not evaluated: pii',
    });
  });

  it('fails on a regression when configured to, else reports it as neutral', () => {
    expect(conclude(completed, regressionSummary(), strict)).toEqual({
      conclusion: 'failure',
      title: 'Regression vs baseline: similarity',
    });
    expect(conclude(completed, regressionSummary(), lenient).conclusion).toBe('neutral');
  });

  it('fails runs that failed or ran out of budget, and marks cancelled ones', () => {
    expect(conclude({ status: 'failed', error: 'endpoint unreachable' }, passingSummary())).toEqual({
      conclusion: 'failure',
      title: 'Eval run failed: endpoint unreachable',
    });
    expect(conclude({ status: 'budget_exceeded', error: null }, passingSummary()).conclusion).toBe('failure');
    expect(conclude({ status: 'cancelled', error: null }, passingSummary()).conclusion).toBe('cancelled');
  });

  it('fails a completed run without a verdict, and refuses open runs', () => {
    expect(conclude(completed, {}).conclusion).toBe('failure');
    expect(() => conclude({ status: 'running', error: null }, {})).toThrow(/not finished/);
  });
});
