import type { ConfidenceInterval } from './types.js';
import type { Verdict, VerdictReason } from './verdict.js';
import type { WilcoxonMethod } from './wilcoxon-signed-rank.js';

/** One judge score of one sample (and repetition) in one run. Failed judge scores are left out. */
export interface ScoreObservation {
  /** eval_samples.sample_key: stable across dataset versions. */
  sampleKey: string;
  /** 0-based repetition index (eval_results.repetition); defaults to 0. */
  repetition?: number;
  score: number;
}

/** 'pass_fail' scores are 0 or 1 (exact McNemar when paired); 'continuous' scores are in any range. */
export type ScoreScale = 'continuous' | 'pass_fail';

export interface JudgeScoreSets {
  judge: string;
  scale: ScoreScale;
  /** Default true: a lower mean is a regression. */
  higherIsBetter?: boolean;
  /** Overrides the comparison's minimum effect for this judge (same units as the score). */
  minimumEffect?: number;
  current: readonly ScoreObservation[];
  baseline: readonly ScoreObservation[];
}

export interface CompareJudgeScoresInput {
  /** True when both runs used the same dataset version, so equal sample keys are the same inputs. */
  sameDatasetVersion: boolean;
  judges: readonly JudgeScoreSets[];
}

export type TestName = 'paired_t' | 'wilcoxon_signed_rank' | 'mcnemar_exact' | 'clustered_t' | 'welch_t';

/** paired: one score per sample and run; clustered: K repetitions per sample; unpaired: Welch. */
export type ComparisonDesign = 'paired' | 'clustered' | 'unpaired';

export interface SecondaryTest {
  test: TestName;
  statistic: number | null;
  pValue: number;
  /** Which Wilcoxon branch scipy would take (exact table, sign-flip enumeration, normal approximation). */
  method?: WilcoxonMethod;
}

/** Everything about one judge except the multiplicity correction and the verdict. */
export interface JudgeTestOutcome {
  judge: string;
  design: ComparisonDesign;
  /** The test whose p-value drives the verdict. */
  test: TestName;
  /** Units of analysis: pairs (paired), samples (clustered), samples per group summed (unpaired). */
  n: number;
  nCurrent: number;
  nBaseline: number;
  /** Largest number of paired repetitions of one sample (1 without repetitions). */
  repetitions: number;
  currentMean: number | null;
  baselineMean: number | null;
  /** current − baseline, same units as the scores. */
  meanDifference: number | null;
  /** Cohen's d_z (paired/clustered, on per-sample differences) or d (unpaired); null if undefined. */
  standardizedEffect: number | null;
  standardizedEffectKind: 'dz' | 'd';
  /** Non-finite values (e.g. t = ±∞ with zero variance) are null so results stay JSON-safe. */
  statistic: number | null;
  df: number | null;
  /** Raw two-sided p-value; null when too few samples to test. */
  pValue: number | null;
  /** t-based interval of the mean difference (paired, clustered or Welch). */
  ci: ConfidenceInterval | null;
  bootstrapCi: ConfidenceInterval | null;
  /** Minimum detectable effect at the configured alpha and power, never below what n samples can show
   * (1 − α^(1/n), see minimumDetectableEffectWithFloor); null when not estimable. */
  mde: number | null;
  secondary: SecondaryTest[];
}

export interface JudgeComparison extends JudgeTestOutcome {
  /** Holm-adjusted across the judges of this comparison. */
  adjustedPValue: number | null;
  minimumEffect: number;
  higherIsBetter: boolean;
  verdict: Verdict;
  reason: VerdictReason;
}

export interface JudgeScoresComparison {
  correction: 'holm';
  alpha: number;
  power: number;
  judges: JudgeComparison[];
}
