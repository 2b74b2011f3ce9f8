import type { ScoreObservation, ScoreScale } from './comparison-types.js';
import { arithmeticMean } from './descriptive.js';

/** One sample's scores in both runs, aligned by repetition index (only repetitions present in both). */
export interface PairedSample {
  sampleKey: string;
  current: number[];
  baseline: number[];
}

type ScoresByRepetition = Map<number, number>;

function assertValidScore(observation: ScoreObservation, scale: ScoreScale): void {
  if (!Number.isFinite(observation.score)) {
    throw new RangeError(`score of sample ${observation.sampleKey} is not a finite number`);
  }
  if (scale === 'pass_fail' && observation.score !== 0 && observation.score !== 1) {
    throw new RangeError(`pass_fail score of sample ${observation.sampleKey} must be 0 or 1`);
  }
}

/** sampleKey → repetition → score; rejects non-finite scores and duplicate (sample, repetition). */
export function indexBySample(
  observations: readonly ScoreObservation[],
  scale: ScoreScale,
): Map<string, ScoresByRepetition> {
  const index = new Map<string, ScoresByRepetition>();
  for (const observation of observations) {
    assertValidScore(observation, scale);
    const repetition = observation.repetition ?? 0;
    const byRepetition = index.get(observation.sampleKey) ?? new Map<number, number>();
    if (byRepetition.has(repetition)) {
      throw new RangeError(`duplicate score for sample ${observation.sampleKey} repetition ${repetition}`);
    }
    byRepetition.set(repetition, observation.score);
    index.set(observation.sampleKey, byRepetition);
  }
  return index;
}

/** Samples scored in both runs, sorted by key (deterministic), repetitions matched by index. */
export function pairSamples(
  current: Map<string, ScoresByRepetition>,
  baseline: Map<string, ScoresByRepetition>,
): PairedSample[] {
  const pairs: PairedSample[] = [];
  for (const sampleKey of [...current.keys()].sort()) {
    const now = current.get(sampleKey)!;
    const before = baseline.get(sampleKey);
    if (!before) continue;
    const repetitions = [...now.keys()].filter((r) => before.has(r)).sort((a, b) => a - b);
    if (repetitions.length === 0) continue;
    pairs.push({
      sampleKey,
      current: repetitions.map((r) => now.get(r)!),
      baseline: repetitions.map((r) => before.get(r)!),
    });
  }
  return pairs;
}

/** Per-sample mean over repetitions: the unit of analysis for the unpaired (Welch) comparison. */
export function sampleMeans(index: Map<string, ScoresByRepetition>): number[] {
  return [...index.keys()].sort().map((key) => arithmeticMean([...index.get(key)!.values()]));
}
