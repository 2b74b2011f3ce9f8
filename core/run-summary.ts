/**
 * eval_runs.summary: the one definition of its shape. The summarize step writes `RunSummary`; the
 * regression step adds `regressions`. Readers (API, GitHub reporting, CLI, dashboard) go through
 * `readRunSummary`, which is lenient: runs in progress, failed runs and runs written by older versions
 * carry only part of it, and a malformed part reads as "not measured", never as a pass.
 */
import { z } from 'zod';
import { ON_ERROR_POLICIES } from './guardrail-settings.js';

/** A guardrail's outcome: `error` means it could not be evaluated (nothing scored), never a pass. */
export const GUARDRAIL_OUTCOMES = ['pass', 'fail', 'error'] as const;
export type GuardrailOutcome = (typeof GUARDRAIL_OUTCOMES)[number];

/** The run's guardrail verdict: `error` when a blocking guardrail or the run itself measured nothing. */
export const RUN_VERDICTS = ['pass', 'fail', 'error'] as const;
export type RunVerdict = (typeof RUN_VERDICTS)[number];

export const REGRESSION_VERDICTS = ['regression', 'improvement', 'no_change', 'inconclusive'] as const;
export type RegressionVerdict = (typeof REGRESSION_VERDICTS)[number];

const count = z.number().int().min(0).catch(0);
const nullableNumber = z.number().nullable().catch(null);

export const SampleCountsSchema = z.object({
  /** Results expected: samples × repetitions of the pinned dataset version. */
  expected: count.optional(),
  total: count,
  succeeded: count,
  failed: count,
  cached: count,
});

export const JudgeSummarySchema = z.object({
  /** Scores recorded (errors included). */
  n: count,
  errors: count,
  /** Scores that passed (never an error). */
  passed: count.optional(),
  mean_score: nullableNumber,
  /** passed / scored, over the scores without an error; null when none. */
  pass_rate: nullableNumber,
  cost_usd: z.number().catch(0).default(0),
});
export type JudgeSummary = z.infer<typeof JudgeSummarySchema>;

export const GuardrailResultSchema = z.object({
  judge_type: z.string(),
  is_blocking: z.boolean().catch(true),
  threshold: nullableNumber.default(null),
  min_pass_rate: nullableNumber.default(null),
  on_error: z.enum(ON_ERROR_POLICIES).catch('fail').default('fail'),
  /** Older summaries carry only `passed`: read as pass/fail, or error when missing. */
  outcome: z.enum(GUARDRAIL_OUTCOMES).optional(),
  passed: z.boolean().catch(false).default(false),
  /** Share of the counted samples that passed; null when nothing was counted. */
  pass_rate: nullableNumber.default(null),
  counts: z
    .object({
      /** Samples in the denominator: every expected sample, less judge errors when on_error is skip. */
      counted: count,
      passed: count,
      /** Scored and below the threshold. */
      failed: count,
      /** Judge errors on a sample that had output. */
      errors: count,
      /** Samples without output (model call failed, or never run): they fail every guardrail. */
      unscored: count,
    })
    .optional(),
  reason: z.string().catch('').default(''),
});
export type GuardrailResult = z.infer<typeof GuardrailResultSchema> & { outcome: GuardrailOutcome };

/** One judge's comparison with the baseline, as compareRuns computes it and the API serves it. */
export const JudgeRegressionSchema = z.object({
  judge_type: z.string(),
  verdict: z.enum(REGRESSION_VERDICTS),
  reason: z.string(),
  test: z.string(),
  design: z.string(),
  n: z.number().int(),
  current_mean: z.number().nullable(),
  baseline_mean: z.number().nullable(),
  /** current − baseline mean score. */
  delta: z.number().nullable(),
  p_value: z.number().nullable(),
  /** Holm-adjusted across the judges of the comparison. */
  adjusted_p_value: z.number().nullable(),
  ci: z.object({ lower: z.number(), upper: z.number(), level: z.number() }).nullable(),
  mde: z.number().nullable(),
  minimum_effect: z.number(),
});
export type JudgeRegression = z.infer<typeof JudgeRegressionSchema>;

export const RunComparisonSchema = z.object({
  run_id: z.uuid(),
  baseline_run_id: z.uuid().nullable(),
  paired: z.boolean(),
  correction: z.literal('holm'),
  alpha: z.number(),
  judges: z.array(JudgeRegressionSchema),
});
export type RunComparison = z.infer<typeof RunComparisonSchema>;

/** A stored comparison read back: entries of older versions may lack fields; a verdict is required. */
const StoredJudgeRegressionSchema = JudgeRegressionSchema.partial().extend({
  judge_type: z.string(),
  verdict: z.enum(REGRESSION_VERDICTS).catch('inconclusive'),
});

/** What the summarize step writes. */
export interface RunSummary {
  samples: z.infer<typeof SampleCountsSchema>;
  latency_ms: { p50: number | null; p95: number | null; mean: number | null };
  tokens: { input: number; output: number };
  cost_usd: { generation: number; judges: number; total: number };
  judges: Record<string, JudgeSummary>;
  guardrails: GuardrailResult[];
  verdict: RunVerdict;
  /** Blocking guardrails that failed. */
  blocking_failures: string[];
  /** Blocking guardrails that could not be evaluated. */
  blocking_errors: string[];
  /** What the verdict could not measure, one line each. */
  unmeasured: string[];
  regressions?: RunComparison & { regressed?: string[] };
}

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

const outcomeOf = (g: z.infer<typeof GuardrailResultSchema>): GuardrailOutcome =>
  g.outcome ?? (g.passed ? 'pass' : g.pass_rate === null ? 'error' : 'fail');

const StoredSummarySchema = z.object({
  samples: SampleCountsSchema.nullable().catch(null).default(null),
  latency_ms: z
    .object({ p50: nullableNumber, p95: nullableNumber, mean: nullableNumber })
    .nullable()
    .catch(null)
    .default(null),
  tokens: z.object({ input: count, output: count }).nullable().catch(null).default(null),
  cost_usd: z
    .object({ generation: z.number(), judges: z.number(), total: z.number() })
    .nullable()
    .catch(null)
    .default(null),
  judges: z
    .record(
      z.string(),
      JudgeSummarySchema.catch({ n: 0, errors: 0, mean_score: null, pass_rate: null, cost_usd: 0 }),
    )
    .catch({})
    .default({}),
  guardrails: lenientArray(GuardrailResultSchema).transform((gs) =>
    gs.map((g): GuardrailResult => ({ ...g, outcome: outcomeOf(g) })),
  ),
  /** null: the summarize step has not run (or wrote nothing readable). */
  verdict: z.enum(RUN_VERDICTS).nullable().catch(null).default(null),
  blocking_failures: z.array(z.string()).catch([]).default([]),
  blocking_errors: z.array(z.string()).catch([]).default([]),
  unmeasured: z.array(z.string()).catch([]).default([]),
  regressions: z
    .object({
      baseline_run_id: z.string().nullable().catch(null).default(null),
      paired: z.boolean().catch(false).default(false),
      alpha: z.number().catch(0.05).default(0.05),
      judges: lenientArray(StoredJudgeRegressionSchema),
    })
    .nullable()
    .catch(null)
    .default(null),
});

/** A stored summary as read back: every part optional, malformed parts read as absent. */
export type RunSummaryView = z.output<typeof StoredSummarySchema>;

export function readRunSummary(summary: unknown): RunSummaryView {
  return StoredSummarySchema.parse(summary && typeof summary === 'object' ? summary : {});
}

export const regressedJudges = (s: RunSummaryView) =>
  (s.regressions?.judges ?? []).filter((r) => r.verdict === 'regression').map((r) => r.judge_type);
