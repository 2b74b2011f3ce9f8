import { describe, expect, it } from 'vitest';
import { bootstrapMeanCi } from './bootstrap.js';
import { mulberry32, uniformUnit } from './prng.js';

const next = mulberry32(123);
const values = Array.from({ length: 30 }, () => uniformUnit(next) - 0.3);
const sampleMean = values.reduce((a, b) => a + b, 0) / values.length;

describe('bootstrapMeanCi', () => {
  it('is deterministic for a seed and changes with the seed', () => {
    const a = bootstrapMeanCi(values, { resamples: 300, seed: 1 });
    expect(bootstrapMeanCi(values, { resamples: 300, seed: 1 })).toEqual(a);
    expect(bootstrapMeanCi(values, { resamples: 300, seed: 2 })).not.toEqual(a);
  });

  it('brackets the sample mean and uses the default 95 % level', () => {
    const ci = bootstrapMeanCi(values, { resamples: 500, seed: 5 });
    expect(ci.level).toBe(0.95);
    expect(ci.lower).toBeLessThan(sampleMean);
    expect(ci.upper).toBeGreaterThan(sampleMean);
  });

  it('collapses to the point when all values are equal', () => {
    expect(bootstrapMeanCi([0.5, 0.5, 0.5], { resamples: 50, seed: 3 })).toMatchObject({
      lower: 0.5,
      upper: 0.5,
    });
  });

  it('rejects a non-positive number of resamples', () => {
    expect(() => bootstrapMeanCi(values, { resamples: 0, seed: 1 })).toThrow(RangeError);
  });
});
