import { z } from 'zod';
import {
  DEFAULT_ALPHA,
  DEFAULT_CONFIDENCE_LEVEL,
  DEFAULT_MIN_SAMPLES,
  DEFAULT_MINIMUM_EFFECT,
  DEFAULT_POWER,
} from './constants.js';

const probability = z.number().gt(0).lt(1);

/** Options of compareJudgeScores; reuse it to validate project configuration at the API boundary. */
export const compareOptionsSchema = z.object({
  alpha: probability.default(DEFAULT_ALPHA),
  power: probability.default(DEFAULT_POWER),
  confidenceLevel: probability.default(DEFAULT_CONFIDENCE_LEVEL),
  minimumEffect: z.number().nonnegative().default(DEFAULT_MINIMUM_EFFECT),
  minSamples: z.number().int().min(2).default(DEFAULT_MIN_SAMPLES),
  /** Primary test for paired continuous scores without repetitions; the other is reported as secondary. */
  pairedTest: z.enum(['t', 'wilcoxon']).default('t'),
  /** Optional seeded percentile bootstrap CI next to the t-based one. */
  bootstrap: z
    .object({ resamples: z.number().int().min(1).max(100_000), seed: z.number().int() })
    .nullable()
    .default(null),
});

export type CompareOptions = z.output<typeof compareOptionsSchema>;
export type CompareOptionsInput = z.input<typeof compareOptionsSchema>;
