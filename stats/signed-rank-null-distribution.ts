/**
 * Exact null distribution of the signed-rank statistic R+ = Σ ranks of positive differences, when each
 * difference is + or − with probability ½ independently (all 2^n sign assignments equally likely).
 *
 * Works on doubled ranks so average ranks of ties (x.5) stay integers: counts[s] is the number of sign
 * assignments with 2·R+ = s. Without ties this is scipy's exact Wilcoxon distribution; with ties it is
 * the distribution scipy's permutation test enumerates. Counts stay below 2^50 (n ≤ 50), exact in doubles.
 */
export function signedRankNullCounts(doubledRanks: readonly number[]): number[] {
  const total = doubledRanks.reduce((acc, rank) => acc + rank, 0);
  let counts = new Array<number>(total + 1).fill(0);
  counts[0] = 1;
  let reach = 0;
  for (const rank of doubledRanks) {
    const next = counts.slice();
    for (let s = 0; s <= reach; s++) if (counts[s] !== 0) next[s + rank] += counts[s];
    counts = next;
    reach += rank;
  }
  return counts;
}

/** Two-sided p = 2·min(P(R+ ≤ observed), P(R+ ≥ observed)), clipped to 1 — scipy's definition. */
export function exactSignedRankPValue(doubledRanks: readonly number[], doubledObserved: number): number {
  const counts = signedRankNullCounts(doubledRanks);
  let atMost = 0;
  let atLeast = 0;
  let all = 0;
  for (let s = 0; s < counts.length; s++) {
    all += counts[s];
    if (s <= doubledObserved) atMost += counts[s];
    if (s >= doubledObserved) atLeast += counts[s];
  }
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / all);
}
