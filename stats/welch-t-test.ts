import { tConfidenceInterval } from './confidence-interval.js';
import { DEFAULT_CONFIDENCE_LEVEL } from './constants.js';
import { arithmeticMean, sampleVariance } from './descriptive.js';
import { tStatisticAndPValue } from './t-statistic.js';
import type { TTestResult } from './types.js';

/** scipy sets the Welch df to 1 when both variances are 0 (df is 0/0 and irrelevant then). */
const UNDEFINED_WELCH_DF = 1;

/** Welch–Satterthwaite degrees of freedom. */
export function welchDegreesOfFreedom(v1: number, n1: number, v2: number, n2: number): number {
  const a = v1 / n1;
  const b = v2 / n2;
  const df = (a + b) ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1));
  return Number.isNaN(df) ? UNDEFINED_WELCH_DF : df;
}

/** Welch's unequal-variance t-test of mean(current) − mean(baseline); equals scipy ttest_ind(equal_var=False). */
export function welchTTest(
  current: readonly number[],
  baseline: readonly number[],
  confidenceLevel: number = DEFAULT_CONFIDENCE_LEVEL,
): TTestResult {
  const n1 = current.length;
  const n2 = baseline.length;
  if (n1 < 2 || n2 < 2)
    throw new RangeError(`welchTTest needs at least 2 values per group, got ${n1} and ${n2}`);
  const v1 = sampleVariance(current);
  const v2 = sampleVariance(baseline);
  const estimate = arithmeticMean(current) - arithmeticMean(baseline);
  const standardError = Math.sqrt(v1 / n1 + v2 / n2);
  const df = welchDegreesOfFreedom(v1, n1, v2, n2);
  return {
    estimate,
    standardError,
    df,
    ...tStatisticAndPValue(estimate, standardError, df),
    ci: tConfidenceInterval(estimate, standardError, df, confidenceLevel),
  };
}
