/**
 * Agreement of two raters on a pass/fail verdict (a person and a judge): the share of items where they
 * agree, and Cohen's kappa (agreement beyond what their own pass rates would give by chance).
 */

/** The 2×2 table of two pass/fail raters: `bothPassed` = both said pass, `firstOnlyPassed` = the first
 * said pass and the second fail, and so on. */
export interface PassFailTable {
  bothPassed: number;
  firstOnlyPassed: number;
  secondOnlyPassed: number;
  bothFailed: number;
}

export interface PassFailAgreement extends PassFailTable {
  /** Items both rated. */
  n: number;
  /** Share of items where both gave the same verdict; null when n = 0. */
  agreement: number | null;
  /**
   * Cohen's kappa, (p_o − p_e) / (1 − p_e); null when n = 0 or when chance agreement is certain
   * (p_e = 1: both raters gave one and the same verdict to every item, so kappa is undefined).
   */
  kappa: number | null;
}

/** Counts the 2×2 table of aligned verdict pairs [first, second]. */
export function passFailTable(pairs: Iterable<readonly [boolean, boolean]>): PassFailTable {
  const t: PassFailTable = { bothPassed: 0, firstOnlyPassed: 0, secondOnlyPassed: 0, bothFailed: 0 };
  for (const [first, second] of pairs) {
    if (first && second) t.bothPassed++;
    else if (first) t.firstOnlyPassed++;
    else if (second) t.secondOnlyPassed++;
    else t.bothFailed++;
  }
  return t;
}

/** Agreement share and Cohen's kappa of a 2×2 pass/fail table. */
export function passFailAgreement(t: PassFailTable): PassFailAgreement {
  const n = t.bothPassed + t.firstOnlyPassed + t.secondOnlyPassed + t.bothFailed;
  if (n === 0) return { ...t, n, agreement: null, kappa: null };
  const observed = (t.bothPassed + t.bothFailed) / n;
  const firstPass = (t.bothPassed + t.firstOnlyPassed) / n;
  const secondPass = (t.bothPassed + t.secondOnlyPassed) / n;
  const chance = firstPass * secondPass + (1 - firstPass) * (1 - secondPass);
  // Floating point: a chance agreement within rounding of 1 is 1.
  const kappa = 1 - chance < 1e-12 ? null : (observed - chance) / (1 - chance);
  return { ...t, n, agreement: observed, kappa };
}
