import { quantileSeq } from 'mathjs';
import { DEFAULT_CONFIDENCE_LEVEL } from './constants.js';
import { mulberry32, type Uint32Source, uniformIndex } from './prng.js';
import type { ConfidenceInterval } from './types.js';

export interface BootstrapOptions {
  /** Number of bootstrap replicates. */
  resamples: number;
  /** PRNG seed: the same seed and data always give the same interval. */
  seed: number;
  level?: number;
}

function resampledMean(values: readonly number[], next: Uint32Source): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[uniformIndex(next, values.length)];
  return total / values.length;
}

/** Percentile interval of the replicates (linear interpolation, numpy.percentile's default). */
function percentileInterval(replicates: number[], level: number): ConfidenceInterval {
  const tail = (1 - level) / 2;
  const [lower, upper] = quantileSeq(replicates, [tail, 1 - tail]) as number[];
  return { level, lower, upper };
}

function replicate(options: BootstrapOptions, draw: (next: Uint32Source) => number): ConfidenceInterval {
  if (!Number.isInteger(options.resamples) || options.resamples < 1) {
    throw new RangeError(`bootstrap resamples must be a positive integer, got ${options.resamples}`);
  }
  const next = mulberry32(options.seed);
  const replicates = Array.from({ length: options.resamples }, () => draw(next));
  return percentileInterval(replicates, options.level ?? DEFAULT_CONFIDENCE_LEVEL);
}

/** Percentile bootstrap CI of the mean (e.g. of paired differences). */
export function bootstrapMeanCi(values: readonly number[], options: BootstrapOptions): ConfidenceInterval {
  return replicate(options, (next) => resampledMean(values, next));
}

/** Percentile bootstrap CI of mean(current) − mean(baseline), resampling each group independently. */
export function bootstrapMeanDifferenceCi(
  current: readonly number[],
  baseline: readonly number[],
  options: BootstrapOptions,
): ConfidenceInterval {
  return replicate(options, (next) => resampledMean(current, next) - resampledMean(baseline, next));
}

/** Cluster bootstrap: resample whole clusters (samples with their repetitions), statistic = grand mean. */
export function bootstrapClusteredMeanCi(
  clusters: readonly (readonly number[])[],
  options: BootstrapOptions,
): ConfidenceInterval {
  return replicate(options, (next) => {
    let total = 0;
    let count = 0;
    for (let i = 0; i < clusters.length; i++) {
      const cluster = clusters[uniformIndex(next, clusters.length)];
      for (const value of cluster) total += value;
      count += cluster.length;
    }
    return total / count;
  });
}
