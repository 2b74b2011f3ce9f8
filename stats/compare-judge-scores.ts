import { type CompareOptions, type CompareOptionsInput, compareOptionsSchema } from './compare-options.js';
import type {
  CompareJudgeScoresInput,
  JudgeComparison,
  JudgeScoreSets,
  JudgeScoresComparison,
  JudgeTestOutcome,
} from './comparison-types.js';
import { holmAdjust } from './holm.js';
import { comparePairedSamples } from './paired-comparison.js';
import { indexBySample, pairSamples, sampleMeans } from './pairing.js';
import { compareUnpairedSamples } from './unpaired-comparison.js';
import { decideVerdict } from './verdict.js';

function largestRepetitionCount(...indexes: Map<string, Map<number, number>>[]): number {
  let most = 1;
  for (const index of indexes)
    for (const byRepetition of index.values()) most = Math.max(most, byRepetition.size);
  return most;
}

/**
 * Paired when both runs used the same dataset version and share at least one scored sample;
 * otherwise (different versions: same key may mean different content) Welch on per-sample means.
 */
function testJudge(
  judge: JudgeScoreSets,
  sameDatasetVersion: boolean,
  options: CompareOptions,
): JudgeTestOutcome {
  const current = indexBySample(judge.current, judge.scale);
  const baseline = indexBySample(judge.baseline, judge.scale);
  const pairs = sameDatasetVersion ? pairSamples(current, baseline) : [];
  if (pairs.length > 0) return comparePairedSamples(judge.judge, judge.scale, pairs, options);
  const repetitions = largestRepetitionCount(current, baseline);
  return compareUnpairedSamples(
    judge.judge,
    sampleMeans(current),
    sampleMeans(baseline),
    repetitions,
    options,
  );
}

/** Holm over the judges that could be tested; untested judges keep a null adjusted p-value. */
function adjustAcrossJudges(outcomes: readonly JudgeTestOutcome[]): (number | null)[] {
  const tested = outcomes.flatMap((outcome, index) => (outcome.pValue === null ? [] : [index]));
  const adjusted = holmAdjust(tested.map((index) => outcomes[index].pValue!));
  const byIndex = new Map(tested.map((index, k) => [index, adjusted[k]]));
  return outcomes.map((_, index) => byIndex.get(index) ?? null);
}

/**
 * Compare every judge of a current run with the baseline run: per-judge test, effect, CI, MDE,
 * Holm-adjusted p across the judges, and a verdict (regression / improvement / no_change / inconclusive).
 * Pure: no I/O. Throws RangeError for invalid scores or duplicate (sample, repetition) observations.
 */
export function compareJudgeScores(
  input: CompareJudgeScoresInput,
  optionsInput: CompareOptionsInput = {},
): JudgeScoresComparison {
  const options = compareOptionsSchema.parse(optionsInput);
  const outcomes = input.judges.map((judge) => testJudge(judge, input.sameDatasetVersion, options));
  const adjusted = adjustAcrossJudges(outcomes);
  const judges: JudgeComparison[] = outcomes.map((outcome, index) => {
    const higherIsBetter = input.judges[index].higherIsBetter ?? true;
    const minimumEffect = input.judges[index].minimumEffect ?? options.minimumEffect;
    const adjustedPValue = adjusted[index];
    const decision = decideVerdict(
      {
        n: outcome.n,
        meanDifference: outcome.meanDifference,
        adjustedPValue,
        mde: outcome.mde,
        higherIsBetter,
      },
      { alpha: options.alpha, minimumEffect, minSamples: options.minSamples },
    );
    return { ...outcome, adjustedPValue, minimumEffect, higherIsBetter, ...decision };
  });
  return { correction: 'holm', alpha: options.alpha, power: options.power, judges };
}
