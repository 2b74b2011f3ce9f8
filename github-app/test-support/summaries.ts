/** eval_runs.summary values as the summarize step writes them, for runs a test finishes by hand. */
const judge = (mean: number, passRate: number) => ({
  n: 3,
  errors: 0,
  mean_score: mean,
  pass_rate: passRate,
  cost_usd: 0,
});

export function passingSummary() {
  return {
    judges: { pii: judge(1, 1), similarity: judge(0.84, 1) },
    guardrails: [
      {
        judge_type: 'pii',
        is_blocking: true,
        threshold: 0.5,
        min_pass_rate: 1,
        pass_rate: 1,
        passed: true,
        reason: 'pii: 100.0% passed',
      },
    ],
    verdict: 'pass',
    blocking_failures: [],
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
        pass_rate: 0.667,
        passed: false,
        reason: 'pii: only 66.7% passed, needs 100.0%',
      },
    ],
    verdict: 'fail',
    blocking_failures: ['pii'],
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
          mean_difference: -0.032,
          adjusted_p_value: 0.02,
          mde: 0.01,
        },
        { judge_type: 'pii', verdict: 'no_change', mean_difference: 0, adjusted_p_value: 1, mde: 0.01 },
      ],
    },
  };
}
