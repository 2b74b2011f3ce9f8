/** Thin typed wrappers over @stdlib distribution functions (never hand-rolled special functions). */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Two-sided p-value of a t statistic: 2·P(T ≤ −|t|), as scipy's 2·t.sf(|t|). */
export function twoSidedTPValue(statistic: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(statistic), df));
}

/** Two-sided p-value of a standard-normal statistic. */
export function twoSidedNormalPValue(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

/** Quantile of Student's t with `df` degrees of freedom. */
export function studentTQuantile(probability: number, df: number): number {
  return tQuantile(probability, df);
}

/** P(X ≤ k) for X ~ Binomial(trials, probability). */
export function binomialCumulative(k: number, trials: number, probability: number): number {
  return binomialCdf(k, trials, probability);
}
