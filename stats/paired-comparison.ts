import { bootstrapClusteredMeanCi, bootstrapMeanCi } from './bootstrap.js';
import { clusteredMeanTest } from './clustered-mean-test.js';
import type { CompareOptions } from './compare-options.js';
import type { JudgeTestOutcome, ScoreScale, SecondaryTest, TestName } from './comparison-types.js';
import { arithmeticMean } from './descriptive.js';
import { cohenDz } from './effect-size.js';
import { finiteOrNull, meanOrNull, untestedOutcome } from './judge-outcome.js';
import { countDiscordantPairs, exactMcNemar } from './mcnemar.js';
import { minimumDetectableEffectWithFloor } from './minimum-detectable-effect.js';
import { pairedTTest } from './paired-t-test.js';
import type { PairedSample } from './pairing.js';
import type { TTestResult } from './types.js';
import { wilcoxonSignedRank } from './wilcoxon-signed-rank.js';

interface PrimaryTest {
  test: TestName;
  statistic: number;
  df: number | null;
  pValue: number;
  secondary: SecondaryTest[];
}

function wilcoxonAsSecondary(differences: readonly number[]): SecondaryTest {
  const result = wilcoxonSignedRank(differences);
  return {
    test: 'wilcoxon_signed_rank',
    statistic: result.statistic,
    pValue: result.pValue,
    method: result.method,
  };
}

/** Paired design, one score per sample: McNemar for pass/fail, else the configured t or Wilcoxon. */
function choosePairedPrimary(
  differences: readonly number[],
  current: readonly number[],
  baseline: readonly number[],
  scale: ScoreScale,
  t: TTestResult,
  options: CompareOptions,
): PrimaryTest {
  const tTest: SecondaryTest = { test: 'paired_t', statistic: finiteOrNull(t.statistic), pValue: t.pValue };
  if (scale === 'pass_fail') {
    const mcnemar = exactMcNemar(countDiscordantPairs(current, baseline));
    return {
      test: 'mcnemar_exact',
      statistic: mcnemar.statistic,
      df: null,
      pValue: mcnemar.pValue,
      secondary: [tTest],
    };
  }
  if (options.pairedTest === 'wilcoxon') {
    const wilcoxon = wilcoxonAsSecondary(differences);
    return {
      test: 'wilcoxon_signed_rank',
      statistic: wilcoxon.statistic!,
      df: null,
      pValue: wilcoxon.pValue,
      secondary: [tTest],
    };
  }
  return {
    test: 'paired_t',
    statistic: t.statistic,
    df: t.df,
    pValue: t.pValue,
    secondary: [wilcoxonAsSecondary(differences)],
  };
}

function sharedFields(judge: string, samples: readonly PairedSample[], repetitions: number) {
  const current = samples.flatMap((sample) => sample.current);
  const baseline = samples.flatMap((sample) => sample.baseline);
  const counts = {
    judge,
    n: samples.length,
    nCurrent: samples.length,
    nBaseline: samples.length,
    repetitions,
  };
  return { counts, current, baseline };
}

/** n: pairs, or samples when clustered (each sample's repetitions are one unit). */
function mdeOf(test: TTestResult, n: number, options: CompareOptions): number | null {
  const mde = minimumDetectableEffectWithFloor({
    n,
    standardError: test.standardError,
    df: test.df,
    alpha: options.alpha,
    power: options.power,
  });
  return finiteOrNull(mde);
}

/** One score per sample and run: paired t / Wilcoxon / exact McNemar on per-sample differences. */
function compareOneToOne(
  judge: string,
  scale: ScoreScale,
  samples: readonly PairedSample[],
  options: CompareOptions,
): JudgeTestOutcome {
  const shared = sharedFields(judge, samples, 1);
  if (samples.length < 2) {
    return untestedOutcome({
      ...shared.counts,
      current: shared.current,
      baseline: shared.baseline,
      design: 'paired',
      test: scale === 'pass_fail' ? 'mcnemar_exact' : 'paired_t',
      standardizedEffectKind: 'dz',
    });
  }
  const differences = shared.current.map((score, i) => score - shared.baseline[i]);
  const t = pairedTTest(differences, options.confidenceLevel);
  const primary = choosePairedPrimary(differences, shared.current, shared.baseline, scale, t, options);
  return {
    ...shared.counts,
    design: 'paired',
    test: primary.test,
    currentMean: arithmeticMean(shared.current),
    baselineMean: arithmeticMean(shared.baseline),
    meanDifference: t.estimate,
    standardizedEffect: cohenDz(differences),
    standardizedEffectKind: 'dz',
    statistic: finiteOrNull(primary.statistic),
    df: primary.df,
    pValue: primary.pValue,
    ci: t.ci,
    bootstrapCi: options.bootstrap
      ? bootstrapMeanCi(differences, { ...options.bootstrap, level: options.confidenceLevel })
      : null,
    mde: mdeOf(t, samples.length, options),
    secondary: primary.secondary,
  };
}

/** K repetitions per sample: clustered t (samples are clusters); Wilcoxon on per-sample mean differences. */
function compareClustered(
  judge: string,
  samples: readonly PairedSample[],
  repetitions: number,
  options: CompareOptions,
): JudgeTestOutcome {
  const shared = sharedFields(judge, samples, repetitions);
  if (samples.length < 2) {
    return untestedOutcome({
      ...shared.counts,
      current: shared.current,
      baseline: shared.baseline,
      design: 'clustered',
      test: 'clustered_t',
      standardizedEffectKind: 'dz',
    });
  }
  const clusters = samples.map((sample) => sample.current.map((score, i) => score - sample.baseline[i]));
  const clusterMeans = clusters.map(arithmeticMean);
  const test = clusteredMeanTest(clusters, options.confidenceLevel);
  return {
    ...shared.counts,
    design: 'clustered',
    test: 'clustered_t',
    currentMean: meanOrNull(shared.current),
    baselineMean: meanOrNull(shared.baseline),
    meanDifference: test.estimate,
    standardizedEffect: cohenDz(clusterMeans),
    standardizedEffectKind: 'dz',
    statistic: finiteOrNull(test.statistic),
    df: test.df,
    pValue: test.pValue,
    ci: test.ci,
    bootstrapCi: options.bootstrap
      ? bootstrapClusteredMeanCi(clusters, { ...options.bootstrap, level: options.confidenceLevel })
      : null,
    mde: mdeOf(test, samples.length, options),
    secondary: [wilcoxonAsSecondary(clusterMeans)],
  };
}

/** Same dataset version: compare per-sample differences (clustered when samples have repetitions). */
export function comparePairedSamples(
  judge: string,
  scale: ScoreScale,
  samples: readonly PairedSample[],
  options: CompareOptions,
): JudgeTestOutcome {
  const repetitions = samples.reduce((most, sample) => Math.max(most, sample.current.length), 1);
  return repetitions === 1
    ? compareOneToOne(judge, scale, samples, options)
    : compareClustered(judge, samples, repetitions, options);
}
