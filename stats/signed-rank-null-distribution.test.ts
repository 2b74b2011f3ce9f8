import { describe, expect, it } from 'vitest';
import { exactSignedRankPValue, signedRankNullCounts } from './signed-rank-null-distribution.js';

describe('signedRankNullCounts', () => {
  it('counts the 2^n sign assignments of ranks 1..3 by doubled R+', () => {
    const counts = signedRankNullCounts([2, 4, 6]);
    expect(counts.filter((_, s) => s % 2 === 0)).toEqual([1, 1, 1, 2, 1, 1, 1]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('handles tied (half) ranks through doubling', () => {
    // |d| = [1, 1] → ranks 1.5, 1.5 → doubled 3, 3: R+ ∈ {0, 1.5, 3} with counts 1, 2, 1.
    expect(signedRankNullCounts([3, 3])).toEqual([1, 0, 0, 2, 0, 0, 1]);
  });

  it('stays exact at n = 50 (counts below 2^53)', () => {
    const counts = signedRankNullCounts(Array.from({ length: 50 }, (_, i) => 2 * (i + 1)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2 ** 50);
  });
});

describe('exactSignedRankPValue', () => {
  it('is 2·P(R+ ≤ 0) = 2/2^n for the most extreme outcome and 1 at the centre', () => {
    const ranks = [2, 4, 6, 8];
    expect(exactSignedRankPValue(ranks, 0)).toBe(2 / 16);
    expect(exactSignedRankPValue(ranks, 10)).toBe(1);
  });
});
