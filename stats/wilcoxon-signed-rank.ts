import { WILCOXON_EXACT_MAX_N, WILCOXON_PERMUTATION_MAX_N } from './constants.js';
import { twoSidedNormalPValue } from './distributions.js';
import { averageRanks } from './ranks.js';
import { exactSignedRankPValue } from './signed-rank-null-distribution.js';

export type WilcoxonMethod = 'exact' | 'permutation' | 'asymptotic';

export interface WilcoxonResult {
  /** min(R+, R−), as scipy reports for the two-sided test. */
  statistic: number;
  pValue: number;
  method: WilcoxonMethod;
  /** Continuity-corrected z (−|z|, as scipy) for the asymptotic method, else null. */
  zStatistic: number | null;
  /** Differences left after dropping zeros (zero_method='wilcox'). */
  nonZero: number;
  zeros: number;
}

interface RankSums {
  rPlus: number;
  rMinus: number;
  ranks: number[];
  tieGroupSizes: number[];
}

/** Ranks of |d| over the non-zero differences, and the rank sums of the positive/negative ones. */
function signedRankSums(nonZero: readonly number[]): RankSums {
  const { ranks, tieGroupSizes } = averageRanks(nonZero.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  nonZero.forEach((d, i) => {
    if (d > 0) rPlus += ranks[i];
    else rMinus += ranks[i];
  });
  return { rPlus, rMinus, ranks, tieGroupSizes };
}

/** scipy 1.17 method='auto': n counts zeros too; ties or zeros rule out the exact table. */
function chooseMethod(n: number, hasTies: boolean, hasZeros: boolean): WilcoxonMethod {
  if (n > WILCOXON_EXACT_MAX_N) return 'asymptotic';
  if (!hasTies && !hasZeros) return 'exact';
  return n <= WILCOXON_PERMUTATION_MAX_N ? 'permutation' : 'asymptotic';
}

export interface WilcoxonOptions {
  /** Continuity correction of the normal approximation (scipy's `correction`; scipy defaults to false). */
  continuityCorrection?: boolean;
}

/** Normal approximation with tie correction and optional continuity correction (scipy's asymptotic branch). */
function asymptoticPValue(
  sums: RankSums,
  continuityCorrection: boolean,
): { pValue: number; zStatistic: number } {
  const count = sums.ranks.length;
  const mean = (count * (count + 1)) / 4;
  const tieCorrection = sums.tieGroupSizes.reduce((acc, t) => acc + t ** 3 - t, 0);
  const se = Math.sqrt((count * (count + 1) * (2 * count + 1) - tieCorrection / 2) / 24);
  // No non-zero differences (scipy: 0/0 = NaN): no evidence against the null.
  if (se === 0) return { pValue: 1, zStatistic: 0 };
  const z = (sums.rPlus - mean) / se;
  const corrected = continuityCorrection ? z - (Math.sign(z) * 0.5) / se : z;
  return { pValue: twoSidedNormalPValue(corrected), zStatistic: -Math.abs(corrected) };
}

/**
 * Wilcoxon signed-rank test of differences (current − baseline), two-sided, zero_method='wilcox'
 * (zeros dropped), method='auto' — equals scipy.stats.wilcoxon(d, correction=…) in scipy 1.17:
 * exact for n ≤ 50 without ties/zeros, exact enumeration of sign flips for n ≤ 13 with ties/zeros,
 * normal approximation with tie correction otherwise. The continuity correction is on by default
 * here (scipy: off), as the more conservative choice for the discrete statistic.
 */
export function wilcoxonSignedRank(
  differences: readonly number[],
  options: WilcoxonOptions = {},
): WilcoxonResult {
  if (differences.length === 0) throw new RangeError('wilcoxonSignedRank needs at least 1 difference');
  const nonZero = differences.filter((d) => d !== 0);
  const zeros = differences.length - nonZero.length;
  const sums = signedRankSums(nonZero);
  const hasTies = sums.tieGroupSizes.some((size) => size > 1);
  const method = chooseMethod(differences.length, hasTies, zeros > 0);
  const statistic = Math.min(sums.rPlus, sums.rMinus);
  const base = { statistic, method, nonZero: nonZero.length, zeros };
  if (method === 'asymptotic') {
    return { ...base, ...asymptoticPValue(sums, options.continuityCorrection ?? true) };
  }
  const pValue = exactSignedRankPValue(
    sums.ranks.map((rank) => rank * 2),
    sums.rPlus * 2,
  );
  return { ...base, pValue, zStatistic: null };
}
