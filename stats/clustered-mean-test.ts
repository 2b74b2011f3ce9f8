import { tConfidenceInterval } from './confidence-interval.js';
import { DEFAULT_CONFIDENCE_LEVEL } from './constants.js';
import { sum } from './descriptive.js';
import { tStatisticAndPValue } from './t-statistic.js';
import type { TTestResult } from './types.js';

export interface ClusteredTTestResult extends TTestResult {
  clusters: number;
  observations: number;
}

/**
 * Mean of differences with cluster-robust SE, clusters = samples (K repetitions each, K may vary).
 *
 * Estimator: the intercept-only OLS of all N differences d_gk, i.e. the grand mean d̄, with the CR1
 * sandwich variance statsmodels uses for cov_type='cluster':
 *   V = G/(G−1) · Σ_g (Σ_k (d_gk − d̄))² / N²,   df = G − 1  (use_t=True).
 * Repetitions of one sample are correlated, so they count as one cluster, not K independent points.
 * With K = 1 everywhere this reduces exactly to the paired t-test; with equal K it equals the paired
 * t-test on per-sample mean differences.
 */
export function clusteredMeanTest(
  clusters: readonly (readonly number[])[],
  confidenceLevel: number = DEFAULT_CONFIDENCE_LEVEL,
): ClusteredTTestResult {
  const g = clusters.length;
  if (g < 2) throw new RangeError(`clusteredMeanTest needs at least 2 clusters, got ${g}`);
  if (clusters.some((cluster) => cluster.length === 0)) throw new RangeError('clusters must not be empty');
  const observations = sum(clusters.map((cluster) => cluster.length));
  const estimate = sum(clusters.map(sum)) / observations;
  const residualSums = clusters.map((cluster) => sum(cluster.map((d) => d - estimate)));
  const variance = ((g / (g - 1)) * sum(residualSums.map((s) => s * s))) / observations ** 2;
  const standardError = Math.sqrt(variance);
  const df = g - 1;
  return {
    estimate,
    standardError,
    df,
    clusters: g,
    observations,
    ...tStatisticAndPValue(estimate, standardError, df),
    ci: tConfidenceInterval(estimate, standardError, df, confidenceLevel),
  };
}
