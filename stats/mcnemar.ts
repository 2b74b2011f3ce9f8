import { binomialCumulative } from './distributions.js';

export interface DiscordantPairs {
  /** Samples that passed on the baseline and fail now. */
  baselineOnlyPassed: number;
  /** Samples that fail on the baseline and pass now. */
  currentOnlyPassed: number;
}

export interface McNemarResult extends DiscordantPairs {
  /** min of the two discordant counts, as statsmodels' mcnemar(exact=True). */
  statistic: number;
  pValue: number;
}

/** Count discordant pairs of two aligned pass/fail vectors (1/true = passed). */
export function countDiscordantPairs(
  current: readonly (number | boolean)[],
  baseline: readonly (number | boolean)[],
): DiscordantPairs {
  if (current.length !== baseline.length) throw new RangeError('pass/fail vectors must have the same length');
  let baselineOnlyPassed = 0;
  let currentOnlyPassed = 0;
  current.forEach((value, i) => {
    const now = Boolean(value);
    const before = Boolean(baseline[i]);
    if (before && !now) baselineOnlyPassed++;
    if (!before && now) currentOnlyPassed++;
  });
  return { baselineOnlyPassed, currentOnlyPassed };
}

/**
 * Exact McNemar test: under H0 the discordant pairs split Binomial(b + c, ½); two-sided
 * p = min(1, 2·P(X ≤ min(b, c))) — statsmodels mcnemar(exact=True), = scipy binomtest(b, b + c).
 * No discordant pairs gives p = 1.
 */
export function exactMcNemar(pairs: DiscordantPairs): McNemarResult {
  const { baselineOnlyPassed: b, currentOnlyPassed: c } = pairs;
  const statistic = Math.min(b, c);
  const pValue = Math.min(1, 2 * binomialCumulative(statistic, b + c, 0.5));
  return { ...pairs, statistic, pValue };
}
