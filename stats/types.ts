/** Shared result shapes of the statistics module. Numbers follow scipy's conventions (see README.md). */

export interface ConfidenceInterval {
  /** Coverage, e.g. 0.95. */
  level: number;
  lower: number;
  upper: number;
}

/** A t-family test of a mean (paired, clustered) or of a difference of means (Welch). */
export interface TTestResult {
  /** Mean difference current − baseline (or the mean of the differences). */
  estimate: number;
  standardError: number;
  /** t statistic; ±Infinity when the standard error is 0 but the estimate is not (as scipy). */
  statistic: number;
  df: number;
  /** Two-sided p-value. */
  pValue: number;
  ci: ConfidenceInterval;
}
