/**
 * A run's `summary` jsonb as the API sends it: its shape is core's (core/run-summary.ts, imported as
 * types only so no zod lands in the bundle). The API sends the stored object unparsed, so every part
 * may be missing: runs in progress, failed runs and runs written by older versions carry only some.
 * The run's verdict is not read from here: it is `run.gate` (see ./gate).
 */
import type {
  GuardrailOutcome,
  GuardrailResult,
  JudgeRegression,
  JudgeSummary,
  RunSummary,
} from '../../../core/run-summary';

export type { RegressionVerdict } from '../../../core/run-summary';
export type { GuardrailOutcome, JudgeRegression, JudgeSummary };

/** A guardrail as stored: summaries written before outcomes existed carry only `passed`, no `counts`. */
export type StoredGuardrail = Pick<GuardrailResult, 'judge_type' | 'is_blocking'> &
  Partial<Omit<GuardrailResult, 'judge_type' | 'is_blocking'>>;

export type StoredSummary = Partial<Omit<RunSummary, 'guardrails'>> & { guardrails?: StoredGuardrail[] };

export const readSummary = (summary: Record<string, unknown> | null | undefined) =>
  (summary ?? {}) as StoredSummary;

/**
 * The stored outcome; for summaries older than outcomes, the rule core's readRunSummary applies:
 * no pass rate means nothing was evaluated, which is never a pass.
 */
export const guardrailOutcome = (g: StoredGuardrail): GuardrailOutcome =>
  g.outcome ?? (g.passed ? 'pass' : g.pass_rate === null || g.pass_rate === undefined ? 'error' : 'fail');

/** Judges whose guardrail is a demonstration: shown and labelled, never a verdict. */
export const demonstrationJudges = (summary: StoredSummary): Set<string> =>
  new Set((summary.guardrails ?? []).filter((g) => g.demonstration).map((g) => g.judge_type));

/** Holm-adjusted when the stage corrected across judges. */
export const regressionP = (r: Partial<Pick<JudgeRegression, 'p_value' | 'adjusted_p_value'>>) =>
  r.adjusted_p_value ?? r.p_value ?? null;

/**
 * Per-judge counts from results' own scores, for a run whose summary has no judges: only meaningful
 * when `results` is every result of the run (the caller checks).
 */
export function judgesFromResults(
  results: { scores: { judge_type: string; passed: boolean; error: string | null }[] }[],
): Record<string, Pick<JudgeSummary, 'n' | 'errors' | 'pass_rate'>> {
  const acc: Record<string, { n: number; errors: number; passed: number }> = {};
  for (const r of results) {
    for (const s of r.scores) {
      acc[s.judge_type] ??= { n: 0, errors: 0, passed: 0 };
      const a = acc[s.judge_type];
      a.n += 1;
      if (s.error) a.errors += 1;
      else if (s.passed) a.passed += 1;
    }
  }
  return Object.fromEntries(
    Object.entries(acc).map(([judge, a]) => [
      judge,
      { n: a.n, errors: a.errors, pass_rate: a.n - a.errors > 0 ? a.passed / (a.n - a.errors) : null },
    ]),
  );
}
