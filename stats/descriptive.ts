/** Descriptive statistics on mathjs (unbiased variance, ddof = 1, as numpy's ddof=1). */
import { mean, variance } from 'mathjs';

export function arithmeticMean(values: readonly number[]): number {
  return mean(values as number[]) as number;
}

/** Sample variance (n − 1 denominator); 0 for fewer than two values. */
export function sampleVariance(values: readonly number[]): number {
  return values.length < 2 ? 0 : (variance(values as number[]) as unknown as number);
}

export function sampleStandardDeviation(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
