/** Tunables of the statistics module, in one place. */

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_POWER = 0.8;
export const DEFAULT_CONFIDENCE_LEVEL = 0.95;
/** Smallest change of a judge's mean score (on its 0..1 scale) worth detecting: 2 points. */
export const DEFAULT_MINIMUM_EFFECT = 0.02;
/** Below this many paired samples (or samples per group) a verdict is `inconclusive`. */
export const DEFAULT_MIN_SAMPLES = 5;
/** scipy's wilcoxon(method='auto') uses the exact null distribution up to this many differences. */
export const WILCOXON_EXACT_MAX_N = 50;
/** With ties or zeros, scipy enumerates all 2^n sign flips up to this n (deterministic permutation test). */
export const WILCOXON_PERMUTATION_MAX_N = 13;
