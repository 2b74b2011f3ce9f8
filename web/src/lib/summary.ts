/**
 * Typed reading of a run's `summary` jsonb (written by the summarize and regression stages).
 * The API types it as an open record; every field is optional here because runs in progress,
 * failed runs and runs from older versions carry only part of it.
 */
export interface JudgeSummary {
  n: number;
  errors?: number;
  mean_score: number | null;
  pass_rate: number | null;
  cost_usd?: number;
}

export interface GuardrailOutcome {
  judge_type: string;
  is_blocking: boolean;
  passed: boolean;
  reason?: string;
  pass_rate?: number | null;
  min_pass_rate?: number;
}

/** One judge's verdict of the regression stage (GET /api/eval/compare, summary.regressions). */
export interface JudgeRegression {
  judge_type: string;
  verdict: 'regression' | 'improvement' | 'no_change' | 'inconclusive' | string;
  reason?: string;
  test?: string;
  n?: number | null;
  current_mean?: number | null;
  baseline_mean?: number | null;
  delta?: number | null;
  p_value?: number | null;
  adjusted_p_value?: number | null;
}

export interface RunSummary {
  samples?: { total: number; succeeded: number; failed: number; cached: number };
  latency_ms?: { p50: number | null; p95: number | null; mean: number | null };
  tokens?: { input: number; output: number };
  cost_usd?: { generation: number; judges: number; total: number };
  judges?: Record<string, JudgeSummary>;
  guardrails?: GuardrailOutcome[];
  verdict?: 'pass' | 'fail';
  blocking_failures?: string[];
  regressions?: { baseline_run_id?: string; judges?: JudgeRegression[] };
}

export const readSummary = (summary: Record<string, unknown> | null | undefined) =>
  (summary ?? {}) as RunSummary;

/** Mean pass rate over judges that have one: the seed's "Overall: 94% pass". */
export function overallPassRate(summary: RunSummary): number | null {
  const rates = Object.values(summary.judges ?? {})
    .map((j) => j.pass_rate)
    .filter((r): r is number => r !== null && r !== undefined);
  return rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
}

export const regressionDelta = (r: JudgeRegression) => r.delta ?? null;
/** Holm-adjusted when the stage corrected across judges. */
export const regressionP = (r: JudgeRegression) => r.adjusted_p_value ?? r.p_value ?? null;
