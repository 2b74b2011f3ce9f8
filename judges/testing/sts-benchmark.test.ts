import { describe, expect, it } from 'vitest';
import { ranks, readStsPairs, spearman } from './sts-benchmark.js';

describe('STS helpers', () => {
  it('ranks ties by their average position, as scipy.stats.rankdata', () => {
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });

  it('computes Spearman as scipy does (values checked against scipy.stats.spearmanr)', () => {
    // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).statistic == 0.8207826816681233
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('reads all 864 pairs with quotes kept verbatim', () => {
    const pairs = readStsPairs();
    expect(pairs).toHaveLength(864);
    expect(pairs.every((p) => Number.isFinite(p.score) && p.score >= 0 && p.score <= 5)).toBe(true);
    expect(pairs.some((p) => `${p.first}${p.second}`.includes('"'))).toBe(true);
  });
});
