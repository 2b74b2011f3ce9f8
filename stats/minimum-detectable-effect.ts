import { studentTQuantile } from './distributions.js';

export interface MinimumDetectableEffectInput {
  /** Standard error of the estimate the test uses (paired, clustered or Welch). */
  standardError: number;
  df: number;
  /** Two-sided significance level. */
  alpha: number;
  /** Target power, e.g. 0.8. */
  power: number;
}

/**
 * Smallest true difference the two-sided test detects with the given power (same units as the
 * estimate): Bloom's t approximation MDE = (t_{1−α/2, df} + t_{power, df}) · SE.
 *
 * Why not the exact noncentral t: no maintained JS library offers the noncentral t CDF. Against
 * statsmodels' TTestPower (noncentral t), for alpha 0.01–0.1 and power 0.8–0.95, this is within
 * 3 % for n ≥ 10, 1.3 % for n ≥ 20 and 0.5 % for n ≥ 50 (the fixtures check it); the plain normal
 * approximation is 11 % low at n = 10. The MDE uses the observed SE (a sensitivity analysis).
 * Infinity when df < 1 (nothing detectable); 0 when SE = 0 — comparisons therefore use
 * minimumDetectableEffectWithFloor, which never reports less than n samples can show.
 */
export function minimumDetectableEffect({
  standardError,
  df,
  alpha,
  power,
}: MinimumDetectableEffectInput): number {
  if (standardError === 0) return 0;
  if (!(df >= 1)) return Number.POSITIVE_INFINITY;
  return (studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df)) * standardError;
}

/**
 * The smallest mean shift n samples can ever rule out, reached when not one of them changed: the one-sided
 * exact (Clopper–Pearson) upper bound on the share of samples that changed when 0 of n did,
 * 1 − α^(1/n), solving (1 − p)^n = α. Judge scores lie in [0, 1], so the mean shift is at most the share
 * of samples whose score changed (each moves by at most 1): for pass/fail scores the bound is exact (a
 * pass-rate change needs that share of discordant pairs), for continuous scores it is the worst case of a
 * few samples moving far. A true shift below it leaves every sample unchanged with probability > α, so
 * no test on n samples, however small their spread, can call it absent.
 * n = 10 → 0.2589, n = 200 → 0.0149 at α = 0.05. Computed with expm1 so large n keeps its digits.
 */
export function noChangeUpperBound(n: number, alpha: number): number {
  if (!(n >= 1)) return Number.POSITIVE_INFINITY;
  return -Math.expm1(Math.log(alpha) / n);
}

export interface FlooredMinimumDetectableEffectInput extends MinimumDetectableEffectInput {
  /** Units the test compares: pairs, clustered samples, or the smaller Welch group. */
  n: number;
}

/**
 * MDE of a comparison: max(Bloom's parametric MDE, noChangeUpperBound(n, α)). The parametric MDE rests
 * on the observed spread, which says nothing when the differences are (almost) constant: identical runs
 * give SE = 0 and one sample off by 1e-12 gives SE ≈ 1e-13, an MDE of ~0 either way although 10 samples
 * cannot show that nothing changed. The floor is what the best possible data — no sample changed — can
 * rule out, so no data from n samples justifies a smaller MDE. With real spread the parametric MDE
 * usually exceeds it and stands unchanged; where it does not (small spread, n below a few hundred) the
 * floor still holds: a few samples changing a lot is the alternative a t-test on a small spread misses.
 * The floor uses α as given (one-sided: a share cannot be negative).
 */
export function minimumDetectableEffectWithFloor({
  n,
  ...parametric
}: FlooredMinimumDetectableEffectInput): number {
  return Math.max(minimumDetectableEffect(parametric), noChangeUpperBound(n, parametric.alpha));
}
