import { describe, expect, it } from 'vitest';
import { decodeNumber, loadReferenceVectors, materialisePair } from './__fixtures__/reference-vectors.js';
import { clusteredMeanTest } from './clustered-mean-test.js';
import { compareJudgeScores } from './compare-judge-scores.js';
import type { JudgeScoreSets, ScoreObservation } from './comparison-types.js';
import { mulberry32, uniformUnit } from './prng.js';

const observations = (scores: readonly number[], prefix = 's'): ScoreObservation[] =>
  scores.map((score, i) => ({ sampleKey: `${prefix}${i}`, score }));

const judge = (name: string, current: readonly number[], baseline: readonly number[]): JudgeScoreSets => ({
  judge: name,
  scale: 'continuous',
  current: observations(current),
  baseline: observations(baseline),
});

/** Deterministic scores around `centre` with uniform noise of the given width. */
function noisyScores(seed: number, n: number, centre: number, width: number): number[] {
  const next = mulberry32(seed);
  return Array.from({ length: n }, () => centre + (uniformUnit(next) - 0.5) * width);
}

/** Paths of every NaN / ±Infinity inside a value (JSON would silently turn them into null). */
function nonFiniteNumbers(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => nonFiniteNumbers(inner, `${path}.${key}`));
}

describe('compareJudgeScores', () => {
  it('matches scipy ttest_rel + statsmodels Holm for three judges, with one regression only', () => {
    const reference = loadReferenceVectors().comparison.judges;
    const result = compareJudgeScores(
      {
        sameDatasetVersion: true,
        judges: reference.map((entry) => {
          const [current, baseline] = materialisePair({ recipe: entry.recipe });
          return judge(entry.judge, current, baseline);
        }),
      },
      // 40 samples cannot rule out a shift below 1 − 0.05^(1/40) = 0.072 (see noChangeUpperBound), so
      // `no_change` needs a minimum effect above that; p-values and verdict directions are unaffected.
      { minimumEffect: 0.1 },
    );
    result.judges.forEach((outcome, i) => {
      const expected = reference[i].expected;
      expect(outcome.test).toBe('paired_t');
      expect(outcome.pValue).toBeCloseTo(decodeNumber(expected.pvalue), 9);
      expect(outcome.statistic).toBeCloseTo(decodeNumber(expected.statistic), 9);
      expect(outcome.adjustedPValue).toBeCloseTo(decodeNumber(expected.adjusted_pvalue), 9);
    });
    expect(result.judges.map((j) => [j.judge, j.verdict])).toEqual([
      ['similarity', 'regression'],
      ['toxicity', 'no_change'],
      ['quality', 'improvement'],
    ]);
    expect(result.correction).toBe('holm');
  });

  it('outcomes carry only summary fields, never the raw score vectors', () => {
    const scores = noisyScores(11, 20, 0.5, 0.2);
    const result = compareJudgeScores({
      sameDatasetVersion: true,
      judges: [
        judge(
          'a',
          scores,
          scores.map((s) => s - 0.01),
        ),
        judge('b', [0.5], [0.4]),
      ],
    });
    const expectedKeys = [
      'adjustedPValue',
      'baselineMean',
      'bootstrapCi',
      'ci',
      'currentMean',
      'design',
      'df',
      'higherIsBetter',
      'judge',
      'mde',
      'meanDifference',
      'minimumEffect',
      'n',
      'nBaseline',
      'nCurrent',
      'pValue',
      'reason',
      'repetitions',
      'secondary',
      'standardizedEffect',
      'standardizedEffectKind',
      'statistic',
      'test',
      'verdict',
    ];
    for (const outcome of result.judges) expect(Object.keys(outcome).sort()).toEqual(expectedKeys);
  });

  it('identical runs give p = 1 and no NaN anywhere; 30 samples are too few to call it no_change', () => {
    const scores = noisyScores(1, 30, 0.7, 0.4);
    const passFail = scores.map((s) => (s > 0.7 ? 1 : 0));
    const result = compareJudgeScores({
      sameDatasetVersion: true,
      judges: [
        judge('similarity', scores, scores),
        { ...judge('pii', passFail, passFail), scale: 'pass_fail' },
      ],
    });
    for (const outcome of result.judges) {
      expect(outcome).toMatchObject({
        pValue: 1,
        adjustedPValue: 1,
        meanDifference: 0,
        verdict: 'inconclusive',
        reason: 'underpowered',
      });
      // 1 − 0.05^(1/30): the exact bound when none of 30 samples changed.
      expect(outcome.mde).toBeCloseTo(0.09503385285530419, 12);
    }
    expect(nonFiniteNumbers(result)).toEqual([]);
    expect(result.judges[0].statistic).toBe(0);
  });

  describe('identical runs: the MDE is the exact bound 1 − α^(1/n), not 0', () => {
    const identical = (n: number, scale: 'continuous' | 'pass_fail') => {
      const scores = noisyScores(12, n, 0.6, 0.6);
      const values = scale === 'pass_fail' ? scores.map((s) => (s > 0.6 ? 1 : 0)) : scores;
      return { ...judge(scale, values, values), scale };
    };

    it.each(['continuous', 'pass_fail'] as const)('%s, n = 10: inconclusive (MDE 0.25887)', (scale) => {
      const [outcome] = compareJudgeScores({
        sameDatasetVersion: true,
        judges: [identical(10, scale)],
      }).judges;
      expect(outcome).toMatchObject({ verdict: 'inconclusive', reason: 'underpowered', pValue: 1, n: 10 });
      expect(outcome.mde).toBeCloseTo(0.2588655508930523, 12);
    });

    it.each(['continuous', 'pass_fail'] as const)('%s, n = 200: no_change (MDE 0.014867)', (scale) => {
      const [outcome] = compareJudgeScores({
        sameDatasetVersion: true,
        judges: [identical(200, scale)],
      }).judges;
      expect(outcome).toMatchObject({ verdict: 'no_change', reason: 'not_significant', n: 200 });
      expect(outcome.mde).toBeCloseTo(0.014867039231272083, 12);
      expect(outcome.mde!).toBeLessThanOrEqual(outcome.minimumEffect);
    });

    it('uses the configured alpha: 1 − 0.01^(1/200) = 0.02276 is above the 0.02 minimum effect', () => {
      const [outcome] = compareJudgeScores(
        { sameDatasetVersion: true, judges: [identical(200, 'pass_fail')] },
        { alpha: 0.01 },
      ).judges;
      expect(outcome.mde).toBeCloseTo(1 - 0.01 ** (1 / 200), 12);
      expect(outcome).toMatchObject({ verdict: 'inconclusive', reason: 'underpowered' });
    });

    it('one sample off by 1e-12 does not make 10 samples look sensitive', () => {
      const baseline = noisyScores(13, 10, 0.6, 0.4);
      const current = baseline.map((score, i) => (i === 0 ? score + 1e-12 : score));
      const [outcome] = compareJudgeScores({
        sameDatasetVersion: true,
        judges: [judge('quality', current, baseline)],
      }).judges;
      expect(outcome.mde).toBeCloseTo(0.2588655508930523, 12);
      expect(outcome).toMatchObject({ verdict: 'inconclusive', reason: 'underpowered' });
    });

    it('Welch with two constant groups is floored by the smaller group', () => {
      const judgeSets = (nCurrent: number, nBaseline: number): JudgeScoreSets => ({
        judge: 'format',
        scale: 'continuous',
        current: observations(Array(nCurrent).fill(1), 'c'),
        baseline: observations(Array(nBaseline).fill(1), 'b'),
      });
      const [small] = compareJudgeScores({ sameDatasetVersion: false, judges: [judgeSets(10, 300)] }).judges;
      expect(small).toMatchObject({
        design: 'unpaired',
        n: 10,
        verdict: 'inconclusive',
        reason: 'underpowered',
      });
      expect(small.mde).toBeCloseTo(0.2588655508930523, 12);
      const [large] = compareJudgeScores({ sameDatasetVersion: false, judges: [judgeSets(200, 250)] }).judges;
      expect(large).toMatchObject({ n: 200, verdict: 'no_change' });
      expect(large.mde).toBeCloseTo(0.014867039231272083, 12);
    });

    it('clustered repetitions are floored by the number of samples, not of observations', () => {
      const scores: ScoreObservation[] = [];
      for (let sample = 0; sample < 10; sample++)
        for (let repetition = 0; repetition < 3; repetition++)
          scores.push({ sampleKey: `k${sample}`, repetition, score: 0.5 });
      const [outcome] = compareJudgeScores({
        sameDatasetVersion: true,
        judges: [{ judge: 'quality', scale: 'continuous', current: scores, baseline: scores }],
      }).judges;
      expect(outcome).toMatchObject({ design: 'clustered', n: 10, verdict: 'inconclusive' });
      expect(outcome.mde).toBeCloseTo(0.2588655508930523, 12);
    });
  });

  it('a 10-sample comparison with a small difference is inconclusive (MDE above the minimum effect)', () => {
    const baseline = noisyScores(2, 10, 0.8, 0.3);
    const current = baseline.map((score, i) => score - 0.01 + (i % 2 === 0 ? 0.05 : -0.05));
    const [outcome] = compareJudgeScores({
      sameDatasetVersion: true,
      judges: [judge('quality', current, baseline)],
    }).judges;
    expect(outcome).toMatchObject({ verdict: 'inconclusive', reason: 'underpowered', n: 10 });
    expect(outcome.mde!).toBeGreaterThan(outcome.minimumEffect);
  });

  it('n = 2 still reports the statistics but the verdict is inconclusive (too few samples)', () => {
    const [outcome] = compareJudgeScores({
      sameDatasetVersion: true,
      judges: [judge('quality', [0.5, 0.7], [0.4, 0.9])],
    }).judges;
    expect(outcome.pValue).toBeCloseTo(0.7951672353008665, 12);
    expect(outcome).toMatchObject({ verdict: 'inconclusive', reason: 'too_few_samples', n: 2 });
  });

  it('one shared sample cannot be tested: null p-value, left out of Holm, others still adjusted', () => {
    const result = compareJudgeScores({
      sameDatasetVersion: true,
      judges: [
        judge('a', [0.5], [0.4]),
        judge('b', noisyScores(3, 20, 0.5, 0.2), noisyScores(4, 20, 0.5, 0.2)),
      ],
    });
    expect(result.judges[0]).toMatchObject({ pValue: null, adjustedPValue: null, verdict: 'inconclusive' });
    expect(result.judges[1].adjustedPValue).toBe(result.judges[1].pValue);
  });

  it('pass/fail scores use exact McNemar: all-pass vs all-pass is no_change, all-fail vs all-pass a regression', () => {
    // 200 samples: enough for the exact no-change bound (0.0149) to be under the 0.02 minimum effect.
    const allPass = Array(200).fill(1);
    const allFail = Array(200).fill(0);
    const result = compareJudgeScores({
      sameDatasetVersion: true,
      judges: [
        { ...judge('format', allPass, allPass), scale: 'pass_fail' },
        { ...judge('pii', allFail, allPass), scale: 'pass_fail' },
      ],
    });
    expect(result.judges.map((j) => [j.test, j.verdict, j.pValue])).toEqual([
      ['mcnemar_exact', 'no_change', 1],
      ['mcnemar_exact', 'regression', 2 * 0.5 ** 200],
    ]);
    // The constant shift makes the paired t statistic infinite: reported as null, JSON-safe.
    expect(result.judges[1].secondary[0]).toMatchObject({ test: 'paired_t', statistic: null, pValue: 0 });
  });

  it('uses Welch on per-sample means when the dataset versions differ', () => {
    const current = noisyScores(5, 40, 0.6, 0.4);
    const baseline = noisyScores(6, 35, 0.8, 0.4);
    const [outcome] = compareJudgeScores({
      sameDatasetVersion: false,
      judges: [judge('quality', current, baseline)],
    }).judges;
    expect(outcome).toMatchObject({
      design: 'unpaired',
      test: 'welch_t',
      nCurrent: 40,
      nBaseline: 35,
      n: 35,
    });
    expect(outcome.standardizedEffectKind).toBe('d');
    expect(outcome.verdict).toBe('regression');
  });

  it('pairs only samples scored in both runs', () => {
    const current = observations(noisyScores(7, 20, 0.6, 0.2));
    const baseline = observations(noisyScores(8, 25, 0.6, 0.2));
    const [outcome] = compareJudgeScores({
      sameDatasetVersion: true,
      judges: [{ judge: 'quality', scale: 'continuous', current: current.slice(3), baseline }],
    }).judges;
    expect(outcome).toMatchObject({ design: 'paired', n: 17, nCurrent: 17, nBaseline: 17 });
  });

  it('repetitions are clustered by sample (statsmodels cluster-robust SE), not counted as independent', () => {
    const current: ScoreObservation[] = [];
    const baseline: ScoreObservation[] = [];
    const clusters: number[][] = [];
    const next = mulberry32(9);
    for (let sample = 0; sample < 12; sample++) {
      const shift = (uniformUnit(next) - 0.5) * 0.2;
      const differences: number[] = [];
      for (let repetition = 0; repetition < 3; repetition++) {
        const before = 0.6 + (uniformUnit(next) - 0.5) * 0.1;
        const now = before + shift;
        baseline.push({ sampleKey: `k${sample}`, repetition, score: before });
        current.push({ sampleKey: `k${sample}`, repetition, score: now });
        differences.push(now - before);
      }
      clusters.push(differences);
    }
    const [outcome] = compareJudgeScores({
      sameDatasetVersion: true,
      judges: [{ judge: 'quality', scale: 'continuous', current, baseline }],
    }).judges;
    const expected = clusteredMeanTest(clusters);
    expect(outcome).toMatchObject({
      design: 'clustered',
      test: 'clustered_t',
      n: 12,
      repetitions: 3,
      df: 11,
    });
    expect(outcome.pValue).toBe(expected.pValue);
    expect(outcome.ci).toEqual(expected.ci);
    expect(outcome.secondary[0].test).toBe('wilcoxon_signed_rank');
  });

  it('handles n = 10,000 and flags a one-point regression', () => {
    const [current, baseline] = materialisePair({
      recipe: { kind: 'quantized_pair', seed: 42, n: 10_000, spread: 8, shift: -1 },
    });
    const [outcome] = compareJudgeScores(
      { sameDatasetVersion: true, judges: [judge('similarity', current, baseline)] },
      { bootstrap: { resamples: 200, seed: 1 } },
    ).judges;
    expect(outcome).toMatchObject({ verdict: 'regression', n: 10_000 });
    expect(outcome.secondary[0]).toMatchObject({ test: 'wilcoxon_signed_rank', method: 'asymptotic' });
    expect(outcome.bootstrapCi!.upper).toBeLessThan(0);
  });

  it('honours higherIsBetter=false, per-judge minimum effect and the Wilcoxon primary option', () => {
    const baseline = noisyScores(10, 40, 0.2, 0.1);
    const current = baseline.map((score, i) => score + 0.05 + (i % 3) * 0.01);
    const result = compareJudgeScores(
      {
        sameDatasetVersion: true,
        judges: [{ ...judge('toxicity', current, baseline), higherIsBetter: false, minimumEffect: 0.1 }],
      },
      { pairedTest: 'wilcoxon' },
    );
    expect(result.judges[0]).toMatchObject({
      test: 'wilcoxon_signed_rank',
      verdict: 'regression',
      minimumEffect: 0.1,
      higherIsBetter: false,
    });
    expect(result.judges[0].secondary[0].test).toBe('paired_t');
  });

  it('rejects invalid scores, duplicates and options', () => {
    const run =
      (judges: JudgeScoreSets[], options = {}) =>
      () =>
        compareJudgeScores({ sameDatasetVersion: true, judges }, options);
    expect(run([{ ...judge('pii', [0.5, 1], [1, 1]), scale: 'pass_fail' }])).toThrow(/0 or 1/);
    expect(run([judge('q', [Number.NaN, 1], [1, 1])])).toThrow(/finite/);
    const duplicate: JudgeScoreSets = {
      judge: 'q',
      scale: 'continuous',
      current: [
        { sampleKey: 'a', score: 1 },
        { sampleKey: 'a', score: 0.5 },
      ],
      baseline: [{ sampleKey: 'a', score: 1 }],
    };
    expect(run([duplicate])).toThrow(/duplicate/);
    expect(run([judge('q', [1, 1], [1, 1])], { alpha: 1.5 })).toThrow();
  });
});
