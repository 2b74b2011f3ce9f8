import { bootstrapMeanDifferenceCi } from './bootstrap.js';
import type { CompareOptions } from './compare-options.js';
import type { JudgeTestOutcome } from './comparison-types.js';
import { arithmeticMean } from './descriptive.js';
import { cohenD } from './effect-size.js';
import { finiteOrNull, untestedOutcome } from './judge-outcome.js';
import { minimumDetectableEffectWithFloor } from './minimum-detectable-effect.js';
import { welchTTest } from './welch-t-test.js';

/**
 * Different sample sets (other dataset version): Welch's t-test on per-sample mean scores (a sample's
 * repetitions averaged first, so they do not count as independent). n = the smaller group.
 */
export function compareUnpairedSamples(
  judge: string,
  current: readonly number[],
  baseline: readonly number[],
  repetitions: number,
  options: CompareOptions,
): JudgeTestOutcome {
  const shared = {
    judge,
    n: Math.min(current.length, baseline.length),
    nCurrent: current.length,
    nBaseline: baseline.length,
    repetitions,
  };
  if (shared.n < 2) {
    return untestedOutcome({
      ...shared,
      design: 'unpaired',
      test: 'welch_t',
      current,
      baseline,
      standardizedEffectKind: 'd',
    });
  }
  const welch = welchTTest(current, baseline, options.confidenceLevel);
  // Floored by the smaller group: two constant groups give SE = 0 but show no more than n samples can.
  const mde = minimumDetectableEffectWithFloor({
    n: shared.n,
    standardError: welch.standardError,
    df: welch.df,
    alpha: options.alpha,
    power: options.power,
  });
  return {
    ...shared,
    design: 'unpaired',
    test: 'welch_t',
    currentMean: arithmeticMean(current),
    baselineMean: arithmeticMean(baseline),
    meanDifference: welch.estimate,
    standardizedEffect: cohenD(current, baseline),
    standardizedEffectKind: 'd',
    statistic: finiteOrNull(welch.statistic),
    df: welch.df,
    pValue: welch.pValue,
    ci: welch.ci,
    bootstrapCi: options.bootstrap
      ? bootstrapMeanDifferenceCi(current, baseline, { ...options.bootstrap, level: options.confidenceLevel })
      : null,
    mde: finiteOrNull(mde),
    secondary: [],
  };
}
