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

/** The plain mean of the judges' pass rates: a figure to compare runs by, not the gate's verdict. */
export function meanJudgePassRate(summary: StoredSummary): number | null {
  const rates = Object.values(summary.judges ?? {})
    .map((j) => j.pass_rate)
    .filter((r): r is number => r !== null && r !== undefined);
  return rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
}

/** Holm-adjusted when the stage corrected across judges. */
export const regressionP = (r: Partial<Pick<JudgeRegression, 'p_value' | 'adjusted_p_value'>>) =>
  r.adjusted_p_value ?? r.p_value ?? null;
