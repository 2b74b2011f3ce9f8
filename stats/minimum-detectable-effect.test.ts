import { describe, expect, it } from 'vitest';
import {
  minimumDetectableEffect,
  minimumDetectableEffectWithFloor,
  noChangeUpperBound,
} from './minimum-detectable-effect.js';

describe('noChangeUpperBound (exact Clopper–Pearson bound with 0 of n changed)', () => {
  it('is 1 − α^(1/n): hand-computed values', () => {
    // 1 − 0.05^(1/10) = 1 − exp(ln 0.05 / 10) = 1 − exp(−0.299573) = 0.258866
    expect(noChangeUpperBound(10, 0.05)).toBeCloseTo(0.2588655508930523, 12);
    // 1 − 0.05^(1/200) = 1 − exp(−0.0149787) = 0.014867
    expect(noChangeUpperBound(200, 0.05)).toBeCloseTo(0.014867039231272083, 12);
    // other alphas: 1 − 0.01^(1/10), 1 − 0.1^(1/200)
    expect(noChangeUpperBound(10, 0.01)).toBeCloseTo(0.36904265551980675, 12);
    expect(noChangeUpperBound(200, 0.1)).toBeCloseTo(0.011446905343061142, 12);
  });

  it('is the Clopper–Pearson bound: (1 − bound)^n = α', () => {
    for (const n of [1, 5, 10, 149, 200, 10_000]) {
      expect((1 - noChangeUpperBound(n, 0.05)) ** n).toBeCloseTo(0.05, 10);
    }
  });

  it('keeps its digits for very large n and is infinite without samples', () => {
    const x = -Math.log(0.05) / 1e9; // 1 − e^(−x) = x − x²/2 + …; the naive 1 − α^(1/n) keeps ~7 digits here
    expect(noChangeUpperBound(1e9, 0.05) / (x - x ** 2 / 2) - 1).toBeLessThan(1e-15);
    expect(noChangeUpperBound(0, 0.05)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('minimumDetectableEffectWithFloor', () => {
  const common = { alpha: 0.05, power: 0.8 };

  it('zero spread: the exact bound, not 0', () => {
    expect(minimumDetectableEffect({ ...common, standardError: 0, df: 9 })).toBe(0);
    expect(minimumDetectableEffectWithFloor({ ...common, n: 10, standardError: 0, df: 9 })).toBeCloseTo(
      0.2588655508930523,
      12,
    );
  });

  it('almost zero spread (one sample off by 1e-12) cannot drop below the bound either', () => {
    const differences = [1e-12, ...Array(9).fill(0)];
    const mean = 1e-13;
    const sd = Math.sqrt(differences.reduce((s, d) => s + (d - mean) ** 2, 0) / 9);
    const standardError = sd / Math.sqrt(10);
    expect(minimumDetectableEffect({ ...common, standardError, df: 9 })).toBeLessThan(1e-11);
    expect(minimumDetectableEffectWithFloor({ ...common, n: 10, standardError, df: 9 })).toBe(
      noChangeUpperBound(10, 0.05),
    );
  });

  it('real spread: the parametric (scipy-matched) MDE stands where it is larger', () => {
    const input = { ...common, standardError: 0.3 / Math.sqrt(50), df: 49 };
    const parametric = minimumDetectableEffect(input);
    expect(parametric).toBeGreaterThan(noChangeUpperBound(50, 0.05));
    expect(minimumDetectableEffectWithFloor({ ...input, n: 50 })).toBe(parametric);
  });

  it('small real spread at moderate n: the floor still holds (sparse large changes are not ruled out)', () => {
    const input = { ...common, standardError: 0.1 / Math.sqrt(50), df: 49 };
    expect(minimumDetectableEffect(input)).toBeCloseTo(0.0404266, 6);
    expect(minimumDetectableEffectWithFloor({ ...input, n: 50 })).toBeCloseTo(1 - 0.05 ** (1 / 50), 12);
  });

  it('uses the alpha it is given', () => {
    expect(
      minimumDetectableEffectWithFloor({ alpha: 0.01, power: 0.8, n: 10, standardError: 0, df: 9 }),
    ).toBe(noChangeUpperBound(10, 0.01));
  });
});
