export interface AverageRanks {
  /** Rank of each input value (1-based), ties get the average of their positions. */
  ranks: number[];
  /** Size of every group of equal values (1 for untied values). */
  tieGroupSizes: number[];
}

/** Average ranks, as scipy.stats.rankdata(method='average'). */
export function averageRanks(values: readonly number[]): AverageRanks {
  const order = values.map((_, index) => index).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  const tieGroupSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = averageRank;
    tieGroupSizes.push(end - start);
    start = end;
  }
  return { ranks, tieGroupSizes };
}
