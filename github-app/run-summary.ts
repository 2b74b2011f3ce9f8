/**
 * A lenient, typed view of eval_runs.summary (written by the summarize and regression steps) for
 * reporting: missing or malformed parts read as empty rather than failing a report.
 */
import { z } from 'zod';

const num = z.number().nullable().catch(null);
const JudgeSchema = z.object({
  n: z.number().catch(0),
  errors: z.number().catch(0),
  mean_score: num,
  pass_rate: num,
});
const GuardrailSchema = z.object({
  judge_type: z.string(),
  is_blocking: z.boolean().catch(false),
  passed: z.boolean().catch(false),
  pass_rate: num,
  min_pass_rate: num,
  reason: z.string().catch(''),
});
export const REGRESSION_VERDICTS = ['regression', 'improvement', 'no_change', 'inconclusive'] as const;

/** One judge's comparison with the baseline. Field names are read in snake_case or camelCase
 * (stats' JudgeComparison), whichever the regression step stores. */
export interface JudgeRegression {
  judge_type: string;
  verdict: (typeof REGRESSION_VERDICTS)[number];
  /** current − baseline mean score. */
  delta: number | null;
  /** Holm-adjusted when available. */
  p_value: number | null;
  mde: number | null;
}

const firstNumber = (o: Record<string, unknown>, ...names: string[]) => {
  for (const n of names) if (typeof o[n] === 'number' && Number.isFinite(o[n])) return o[n] as number;
  return null;
};

const RegressionSchema = z
  .looseObject({
    judge_type: z.string().optional(),
    judge: z.string().optional(),
    verdict: z.enum(REGRESSION_VERDICTS).catch('inconclusive'),
  })
  .refine((r) => r.judge_type ?? r.judge)
  .transform(
    (r): JudgeRegression => ({
      judge_type: (r.judge_type ?? r.judge) as string,
      verdict: r.verdict,
      delta: firstNumber(r, 'delta', 'mean_difference', 'meanDifference'),
      p_value: firstNumber(r, 'adjusted_p_value', 'adjustedPValue', 'p_value', 'pValue'),
      mde: firstNumber(r, 'mde'),
    }),
  );

/** An array whose malformed entries are dropped one by one (not the whole array). */
const lenientArray = <T extends z.ZodType>(item: T) =>
  z
    .array(z.unknown())
    .catch([])
    .default([])
    .transform((items) =>
      items.flatMap((i) => {
        const parsed = item.safeParse(i);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    );

const SummarySchema = z.object({
  verdict: z.enum(['pass', 'fail']).nullable().catch(null).default(null),
  blocking_failures: z.array(z.string()).catch([]).default([]),
  judges: z
    .record(z.string(), JudgeSchema.catch({ n: 0, errors: 0, mean_score: null, pass_rate: null }))
    .catch({})
    .default({}),
  guardrails: lenientArray(GuardrailSchema),
  regressions: z
    .object({ judges: lenientArray(RegressionSchema) })
    .catch({ judges: [] })
    .default({ judges: [] }),
});

export type RunSummaryView = z.infer<typeof SummarySchema>;

export function readRunSummary(summary: unknown): RunSummaryView {
  return SummarySchema.parse(summary && typeof summary === 'object' ? summary : {});
}

export const regressedJudges = (s: RunSummaryView) =>
  s.regressions.judges.filter((r) => r.verdict === 'regression').map((r) => r.judge_type);
