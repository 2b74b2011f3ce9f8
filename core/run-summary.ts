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

const count = z.number().int().min(0);

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
  mean_score: z.number().nullable(),
  /** passed / scored, over the scores without an error; null when none. */
  pass_rate: z.number().nullable(),
  cost_usd: z.number(),
});
export type JudgeSummary = z.infer<typeof JudgeSummarySchema>;

export const GuardrailResultSchema = z.object({
  judge_type: z.string(),
  /** Whether this guardrail gated the run (never for a demonstration). */
  is_blocking: z.boolean(),
  /** The scores are a demonstration (a judge too weak to trust): shown and labelled, never gating. */
  demonstration: z.boolean().optional(),
  threshold: z.number().nullable(),
  min_pass_rate: z.number().nullable(),
  on_error: z.enum(ON_ERROR_POLICIES),
  outcome: z.enum(GUARDRAIL_OUTCOMES),
  /** outcome === 'pass' (kept for readers of older versions). */
  passed: z.boolean(),
  /** Share of the counted samples that passed; null when nothing was counted. */
  pass_rate: z.number().nullable(),
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
  reason: z.string(),
});
export type GuardrailResult = z.infer<typeof GuardrailResultSchema>;

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

/** What the summarize step writes; the regression step adds `regressions`. */
export const RunSummarySchema = z.object({
  samples: SampleCountsSchema,
  latency_ms: z.object({
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    mean: z.number().nullable(),
  }),
  tokens: z.object({ input: count, output: count }),
  cost_usd: z.object({ generation: z.number(), judges: z.number(), total: z.number() }),
  judges: z.record(z.string(), JudgeSummarySchema),
  guardrails: z.array(GuardrailResultSchema),
  verdict: z.enum(RUN_VERDICTS),
  /** Blocking guardrails that failed. */
  blocking_failures: z.array(z.string()),
  /** Blocking guardrails that could not be evaluated. */
  blocking_errors: z.array(z.string()),
  /** What the verdict could not measure, one line each. */
  unmeasured: z.array(z.string()),
  regressions: RunComparisonSchema.extend({ regressed: z.array(z.string()).optional() }).optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** eval_runs.summary as the API serves it: empty until the summarize step ran, partial in older runs. */
export const RunSummaryDocumentSchema = RunSummarySchema.partial();

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

/** `schema`, or `fallback` when the stored value does not parse. */
const orElse = <T extends z.ZodType, F>(schema: T, fallback: F) =>
  // .optional(): a missing key is read like a malformed one (zod v4 refuses undefined for a required key).
  z
    .unknown()
    .optional()
    .transform((v): z.output<T> | F => {
      const parsed = schema.safeParse(v);
      return parsed.success ? parsed.data : fallback;
    });

/** Guardrail results written before outcomes existed carry only `passed`: read as pass/fail, or error
 * when nothing was counted; the error policy was always `fail`. */
const StoredGuardrailSchema = z.preprocess((g) => {
  if (!g || typeof g !== 'object') return g;
  const r = g as Record<string, unknown>;
  const outcome = r.outcome ?? (r.passed === true ? 'pass' : r.pass_rate == null ? 'error' : 'fail');
  return {
    threshold: null,
    min_pass_rate: null,
    on_error: 'fail',
    is_blocking: true,
    reason: '',
    pass_rate: null,
    ...r,
    outcome,
    passed: outcome === 'pass',
  };
}, GuardrailResultSchema);

/** Older or hand-written summaries may leave out the counts of errors and cost: read as none. */
const StoredJudgeSummarySchema = JudgeSummarySchema.extend({
  errors: JudgeSummarySchema.shape.errors.default(0),
  mean_score: JudgeSummarySchema.shape.mean_score.default(null),
  pass_rate: JudgeSummarySchema.shape.pass_rate.default(null),
  cost_usd: z.number().default(0),
});
const EMPTY_JUDGE: JudgeSummary = { n: 0, errors: 0, mean_score: null, pass_rate: null, cost_usd: 0 };

const StoredSummarySchema = z.object({
  samples: orElse(SampleCountsSchema, null),
  latency_ms: orElse(RunSummarySchema.shape.latency_ms, null),
  tokens: orElse(RunSummarySchema.shape.tokens, null),
  cost_usd: orElse(RunSummarySchema.shape.cost_usd, null),
  judges: orElse(z.record(z.string(), z.unknown()), {}).transform((judges) =>
    Object.fromEntries(
      Object.entries(judges).map(([k, v]) => [k, orElse(StoredJudgeSummarySchema, EMPTY_JUDGE).parse(v)]),
    ),
  ),
  guardrails: lenientArray(StoredGuardrailSchema),
  /** null: the summarize step has not run (or wrote nothing readable). */
  verdict: orElse(z.enum(RUN_VERDICTS), null),
  blocking_failures: orElse(z.array(z.string()), []),
  blocking_errors: orElse(z.array(z.string()), []),
  unmeasured: orElse(z.array(z.string()), []),
  regressions: orElse(
    z.object({
      baseline_run_id: z.string().nullable().catch(null),
      paired: z.boolean().catch(false),
      alpha: z.number().catch(0.05),
      judges: lenientArray(StoredJudgeRegressionSchema),
    }),
    null,
  ),
});

/** A stored summary as read back: every part optional, malformed parts read as absent. */
export type RunSummaryView = z.output<typeof StoredSummarySchema>;

export function readRunSummary(summary: unknown): RunSummaryView {
  return StoredSummarySchema.parse(summary && typeof summary === 'object' ? summary : {});
}

/** Judges whose scores are a demonstration (never gating, never a regression to act on). */
export const demonstrationJudges = (s: Pick<RunSummaryView, 'guardrails'>) =>
  new Set(s.guardrails.filter((g) => g.demonstration).map((g) => g.judge_type));

export function regressedJudges(s: RunSummaryView): string[] {
  const demonstrations = demonstrationJudges(s);
  return (s.regressions?.judges ?? [])
    .filter((r) => r.verdict === 'regression' && !demonstrations.has(r.judge_type))
    .map((r) => r.judge_type);
}
