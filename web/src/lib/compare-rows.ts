/**
 * Per-sample score changes between a baseline and a candidate (GET /api/eval/compare's side-by-side
 * rows), and the sorting and filtering the compare page offers on them.
 */

export interface SideScores {
  status: string | null;
  llm_output: string | null;
  scores: Record<string, { score: number | null; passed: boolean }>;
}

export interface ComparedSample {
  sample_key: string;
  repetition: number;
  changed: boolean;
  baseline: SideScores;
  candidate: SideScores;
}

export interface JudgeDelta {
  judge: string;
  baseline: number | null;
  candidate: number | null;
  /** candidate − baseline; null when either side has no score. */
  delta: number | null;
  /** pass → fail, fail → pass, or the same. */
  flip: 'regressed' | 'improved' | null;
}

export function judgeDeltas(row: ComparedSample): JudgeDelta[] {
  const judges = [
    ...new Set([...Object.keys(row.baseline.scores), ...Object.keys(row.candidate.scores)]),
  ].sort();
  return judges.map((judge) => {
    const b = row.baseline.scores[judge];
    const c = row.candidate.scores[judge];
    const bs = b?.score ?? null;
    const cs = c?.score ?? null;
    const flip = b && c && b.passed !== c.passed ? (c.passed ? 'improved' : 'regressed') : null;
    return { judge, baseline: bs, candidate: cs, delta: bs !== null && cs !== null ? cs - bs : null, flip };
  });
}

/** The most negative score change among `judge` (or all judges): 0 when nothing dropped. */
export function worstDelta(row: ComparedSample, judge?: string): number {
  const ds = judgeDeltas(row).filter((d) => !judge || d.judge === judge);
  return Math.min(0, ...ds.map((d) => d.delta ?? 0));
}

/** The sum of the score changes of `judge` (or all judges). */
export function netDelta(row: ComparedSample, judge?: string): number {
  return judgeDeltas(row)
    .filter((d) => !judge || d.judge === judge)
    .reduce((sum, d) => sum + (d.delta ?? 0), 0);
}

/** Whether the sample's outcome changed: on `judge` alone when given, else the API's `changed`. */
export function sampleChanged(row: ComparedSample, judge?: string): boolean {
  if (!judge) return row.changed;
  const d = judgeDeltas(row).find((x) => x.judge === judge);
  return !!d && (d.flip !== null || (d.delta !== null && Math.abs(d.delta) > 1e-9));
}

export type CompareSort = 'changed' | 'regression' | 'sample';
export type ChangeFilter = 'all' | 'changed' | 'unchanged';

export interface CompareView {
  sort: CompareSort;
  judge?: string;
  change: ChangeFilter;
}

const bySample = (a: ComparedSample, b: ComparedSample) =>
  a.sample_key.localeCompare(b.sample_key, 'en', { numeric: true }) || a.repetition - b.repetition;

/** The rows to show, in order: `changed` keeps the API's order (changed outcomes first). */
export function viewRows<T extends ComparedSample>(rows: T[], view: CompareView): T[] {
  const judge = view.judge || undefined;
  let out = rows.filter((r) => {
    if (judge && !(judge in r.baseline.scores) && !(judge in r.candidate.scores)) return false;
    if (view.change === 'changed') return sampleChanged(r, judge);
    if (view.change === 'unchanged') return !sampleChanged(r, judge);
    return true;
  });
  if (view.sort === 'regression') {
    // Largest drop first; among equal drops, the smaller net change (improvements last).
    out = [...out].sort(
      (a, b) =>
        worstDelta(a, judge) - worstDelta(b, judge) ||
        netDelta(a, judge) - netDelta(b, judge) ||
        bySample(a, b),
    );
  } else if (view.sort === 'sample') {
    out = [...out].sort(bySample);
  }
  return out;
}
