export type Verdict = 'regression' | 'improvement' | 'no_change' | 'inconclusive';

/**
 * significant: adjusted p < alpha; not_significant: the test could have detected the minimum effect
 * and did not; underpowered: not significant and MDE > minimum effect; too_few_samples: n < minSamples.
 */
export type VerdictReason = 'significant' | 'not_significant' | 'underpowered' | 'too_few_samples';

export interface VerdictInput {
  n: number;
  /** current − baseline. */
  meanDifference: number | null;
  adjustedPValue: number | null;
  /** null = not estimable, treated as "cannot detect the minimum effect". */
  mde: number | null;
  higherIsBetter: boolean;
}

export interface VerdictRules {
  alpha: number;
  minimumEffect: number;
  minSamples: number;
}

export interface VerdictDecision {
  verdict: Verdict;
  reason: VerdictReason;
}

function directionOf(meanDifference: number, higherIsBetter: boolean): Verdict {
  if (meanDifference === 0) return 'no_change';
  return meanDifference > 0 === higherIsBetter ? 'improvement' : 'regression';
}

/** Verdict of one judge from its adjusted p-value, direction and sensitivity (MDE). */
export function decideVerdict(input: VerdictInput, rules: VerdictRules): VerdictDecision {
  if (input.n < rules.minSamples || input.adjustedPValue === null || input.meanDifference === null) {
    return { verdict: 'inconclusive', reason: 'too_few_samples' };
  }
  if (input.adjustedPValue < rules.alpha) {
    return { verdict: directionOf(input.meanDifference, input.higherIsBetter), reason: 'significant' };
  }
  if (input.mde === null || input.mde > rules.minimumEffect) {
    return { verdict: 'inconclusive', reason: 'underpowered' };
  }
  return { verdict: 'no_change', reason: 'not_significant' };
}
