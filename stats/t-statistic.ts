import { twoSidedTPValue } from './distributions.js';

/**
 * t = estimate / SE with scipy's edge cases: a zero SE with a non-zero estimate gives ±Infinity and
 * p = 0; with a zero estimate too (no variation at all, scipy: NaN) we return t = 0 and p = 1, so
 * identical runs read as "no evidence of change" instead of NaN.
 */
export function tStatisticAndPValue(
  estimate: number,
  standardError: number,
  df: number,
): { statistic: number; pValue: number } {
  if (standardError === 0 && estimate === 0) return { statistic: 0, pValue: 1 };
  const statistic = estimate / standardError;
  return { statistic, pValue: twoSidedTPValue(statistic, df) };
}
