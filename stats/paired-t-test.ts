import { tConfidenceInterval } from './confidence-interval.js';
import { DEFAULT_CONFIDENCE_LEVEL } from './constants.js';
import { arithmeticMean, sampleStandardDeviation } from './descriptive.js';
import { tStatisticAndPValue } from './t-statistic.js';
import type { TTestResult } from './types.js';

/** Paired t-test on per-sample differences (current − baseline); equals scipy.stats.ttest_rel. */
export function pairedTTest(
  differences: readonly number[],
  confidenceLevel: number = DEFAULT_CONFIDENCE_LEVEL,
): TTestResult {
  const n = differences.length;
  if (n < 2) throw new RangeError(`pairedTTest needs at least 2 differences, got ${n}`);
  const estimate = arithmeticMean(differences);
  const standardError = sampleStandardDeviation(differences) / Math.sqrt(n);
  const df = n - 1;
  return {
    estimate,
    standardError,
    df,
    ...tStatisticAndPValue(estimate, standardError, df),
    ci: tConfidenceInterval(estimate, standardError, df, confidenceLevel),
  };
}
