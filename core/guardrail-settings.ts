/**
 * The guardrail settings every judge accepts next to its own options (guardrail_configs.config): they
 * belong to the gate and the regression stage, not to the judge. A judge's config schema is its own
 * options merged with these (see judges' config schemas), so unknown keys are refused at the boundary.
 */
import { z } from 'zod';

/** What a judge error means for its guardrail: `fail` (default) counts it as a failed sample,
 * `skip` leaves it out of the pass rate (the guardrail is still `error` when nothing was scored). */
export const ON_ERROR_POLICIES = ['fail', 'skip'] as const;
export type OnErrorPolicy = (typeof ON_ERROR_POLICIES)[number];

export const GuardrailGateSettings = z.object({
  min_pass_rate: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('share of samples that must pass (default 1 for pii and toxicity, 0.8 for other judges)'),
  on_error: z
    .enum(ON_ERROR_POLICIES)
    .optional()
    .describe('fail (default): a judge error counts as a failed sample; skip: left out of the pass rate'),
  min_effect: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('smallest change in mean score that matters for the regression verdict'),
  higher_is_better: z.boolean().optional().describe('direction of the score for regression verdicts'),
  queue: z.string().max(100).optional().describe('task queue the judge runs on'),
  demonstration: z
    .boolean()
    .optional()
    .describe(
      'the scores are a demonstration (e.g. a judge model too small to trust): shown and labelled, never gating',
    ),
});
export type GuardrailGateSettings = z.infer<typeof GuardrailGateSettings>;

export const GATE_SETTING_KEYS = Object.keys(GuardrailGateSettings.shape) as Array<
  keyof GuardrailGateSettings
>;

/** The gate's part of a stored config; anything malformed reads as unset (old rows are not trusted). */
export function readGateSettings(config: unknown): GuardrailGateSettings {
  const source = config && typeof config === 'object' ? (config as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const key of GATE_SETTING_KEYS) {
    const parsed = GuardrailGateSettings.shape[key].safeParse(source[key]);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out as GuardrailGateSettings;
}
