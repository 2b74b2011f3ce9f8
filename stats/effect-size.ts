import { arithmeticMean, sampleStandardDeviation, sampleVariance } from './descriptive.js';

/** Cohen's d_z = mean(d) / sd(d) for paired differences; null when sd is 0 (undefined). */
export function cohenDz(differences: readonly number[]): number | null {
  const sd = sampleStandardDeviation(differences);
  return differences.length < 2 || sd === 0 ? null : arithmeticMean(differences) / sd;
}

/** Cohen's d = (mean(current) − mean(baseline)) / pooled sd (n − 1 weights); null when the pooled sd is 0. */
export function cohenD(current: readonly number[], baseline: readonly number[]): number | null {
  const n1 = current.length;
  const n2 = baseline.length;
  if (n1 < 2 || n2 < 2) return null;
  const pooled = Math.sqrt(
    ((n1 - 1) * sampleVariance(current) + (n2 - 1) * sampleVariance(baseline)) / (n1 + n2 - 2),
  );
  return pooled === 0 ? null : (arithmeticMean(current) - arithmeticMean(baseline)) / pooled;
}
