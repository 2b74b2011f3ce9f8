import { describe, expect, it } from 'vitest';
import { decideVerdict, type VerdictInput } from './verdict.js';

const rules = { alpha: 0.05, minimumEffect: 0.02, minSamples: 5 };
const base: VerdictInput = {
  n: 50,
  meanDifference: -0.05,
  adjustedPValue: 0.001,
  mde: 0.01,
  higherIsBetter: true,
};

describe('decideVerdict', () => {
  it('a significant drop is a regression, a significant rise an improvement', () => {
    expect(decideVerdict(base, rules)).toEqual({ verdict: 'regression', reason: 'significant' });
    expect(decideVerdict({ ...base, meanDifference: 0.05 }, rules)).toEqual({
      verdict: 'improvement',
      reason: 'significant',
    });
  });

  it('lower-is-better judges flip the direction', () => {
    expect(decideVerdict({ ...base, higherIsBetter: false }, rules).verdict).toBe('improvement');
  });

  it('not significant and able to detect the minimum effect is no_change', () => {
    expect(decideVerdict({ ...base, adjustedPValue: 0.4 }, rules)).toEqual({
      verdict: 'no_change',
      reason: 'not_significant',
    });
  });

  it('not significant with an MDE above the minimum effect is inconclusive', () => {
    expect(decideVerdict({ ...base, adjustedPValue: 0.4, mde: 0.08 }, rules)).toEqual({
      verdict: 'inconclusive',
      reason: 'underpowered',
    });
    expect(decideVerdict({ ...base, adjustedPValue: 0.4, mde: null }, rules).reason).toBe('underpowered');
  });

  it('the alpha boundary is strict: p = alpha is not significant', () => {
    expect(decideVerdict({ ...base, adjustedPValue: 0.05 }, rules).reason).toBe('not_significant');
  });

  it('too few samples or no test at all is inconclusive even when p is small', () => {
    expect(decideVerdict({ ...base, n: 4 }, rules)).toEqual({
      verdict: 'inconclusive',
      reason: 'too_few_samples',
    });
    expect(decideVerdict({ ...base, adjustedPValue: null }, rules).reason).toBe('too_few_samples');
  });
});
