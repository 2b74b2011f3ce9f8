/**
 * The one quality table `npm run bench:judges` prints: each judge's section (scripts/bench/judges/<judge>.ts)
 * returns rows, printed together as Markdown so the README can quote it as is.
 */
export interface QualityRow {
  judge: string;
  /** What the row measures: a data set, a kind, a subset ("overall", "ssn", "STS test"…). */
  subset: string;
  /** Labelled items (or labels) behind the figures. */
  n: number;
  /** Named figures, printed in order ("P", "R", "F1", "Spearman", "AUC"…). */
  metrics: Record<string, number>;
  /** Throughput of the judge on this set, when measured (one figure per set, on its first row). */
  itemsPerSecond?: number;
}

export interface QualitySection {
  name: string;
  run(): Promise<QualityRow[]>;
}

const HEADER = ['| judge | subset | n | figures | items/s |', '|---|---|---|---|---|'];

function formatRow(r: QualityRow): string {
  const figures = Object.entries(r.metrics)
    // Counts as they are; rates, correlations and the like (P 1.000, R 0.985) to three decimals.
    .map(([name, v]) => `${name} ${Number.isInteger(v) && Math.abs(v) > 1 ? v : v.toFixed(3)}`)
    .join(' · ');
  const rate = r.itemsPerSecond === undefined ? '' : r.itemsPerSecond.toFixed(1);
  return `| ${r.judge} | ${r.subset} | ${r.n} | ${figures} | ${rate} |`;
}

export function formatQualityTable(rows: readonly QualityRow[]): string {
  return [...HEADER, ...rows.map(formatRow)].join('\n');
}

/** Runs every section in order and prints the one table, each section's rows as soon as they are measured
 * (a failing section prints its error on stderr and the rest go on). */
export async function printQualityTable(sections: readonly QualitySection[]): Promise<void> {
  console.log(HEADER.join('\n'));
  for (const section of sections) {
    try {
      for (const row of await section.run()) console.log(formatRow(row));
    } catch (err) {
      console.error(`${section.name}: ${(err as Error).message}`);
    }
  }
}
