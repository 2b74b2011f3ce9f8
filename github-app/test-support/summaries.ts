/** eval_runs.summary values as the summarize step writes them, for runs a test finishes by hand. */
const judge = (mean: number, passRate: number) => ({
  n: 3,
  errors: 0,
  passed: Math.round(passRate * 3),
  mean_score: mean,
  pass_rate: passRate,
  cost_usd: 0,
});
const samples = { expected: 3, total: 3, succeeded: 3, failed: 0, cached: 0 };

export function passingSummary() {
  return {
    judges: { pii: judge(1, 1), similarity: judge(0.84, 1) },
    guardrails: [
      {
        judge_type: 'pii',
        is_blocking: true,
        threshold: 0.5,
        min_pass_rate: 1,
        on_error: 'fail',
        pass_rate: 1,
        outcome: 'pass',
        passed: true,
        reason: 'pii: 100.0% passed',
      },
    ],
    samples,
    verdict: 'pass',
    blocking_failures: [],
    blocking_errors: [],
    unmeasured: [],
  };
}

export function blockingFailureSummary() {
  return {
    judges: { pii: judge(0.67, 0.667), similarity: judge(0.8, 1) },
    guardrails: [
      {
        judge_type: 'pii',
        is_blocking: true,
        threshold: 0.5,
        min_pass_rate: 1,
        on_error: 'fail',
        pass_rate: 0.667,
        outcome: 'fail',
        passed: false,
        reason: 'pii: only 66.7% passed, needs 100.0%',
      },
    ],
    samples,
    verdict: 'fail',
    blocking_failures: ['pii'],
    blocking_errors: [],
    unmeasured: [],
  };
}

/** Every model call failed: nothing was measured. */
export function nothingMeasuredSummary() {
  return {
    judges: {},
    guardrails: [
      {
        judge_type: 'pii',
        is_blocking: true,
        threshold: 0.5,
        min_pass_rate: 1,
        on_error: 'fail',
        pass_rate: 0,
        outcome: 'error',
        passed: false,
        reason: 'pii: not evaluated: no sample had output to score',
      },
    ],
    samples: { expected: 3, total: 3, succeeded: 0, failed: 3, cached: 0 },
    verdict: 'error',
    blocking_failures: [],
    blocking_errors: ['pii'],
    unmeasured: [
      'no sample produced output (3 of 3 model calls failed)',
      'pii: not evaluated: no sample had output to score',
    ],
  };
}

export function regressionSummary() {
  return {
    ...passingSummary(),
    regressions: {
      judges: [
        {
          judge_type: 'similarity',
          verdict: 'regression',
          delta: -0.032,
          adjusted_p_value: 0.02,
          mde: 0.01,
        },
        { judge_type: 'pii', verdict: 'no_change', delta: 0, adjusted_p_value: 1, mde: 0.01 },
      ],
    },
  };
}
