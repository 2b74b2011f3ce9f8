/**
 * Holm step-down adjusted p-values (statsmodels multipletests(method='holm')): sort ascending,
 * p_(i)·(m − i + 1), running maximum, capped at 1; returned in input order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, index) => index).sort((a, b) => pValues[a] - pValues[b]);
  const adjusted = new Array<number>(m);
  let runningMax = 0;
  order.forEach((index, rank) => {
    runningMax = Math.max(runningMax, (m - rank) * pValues[index]);
    adjusted[index] = Math.min(1, runningMax);
  });
  return adjusted;
}
