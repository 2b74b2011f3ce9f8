/**
 * Per-sample score changes between a baseline and a candidate (GET /api/eval/compare's side-by-side
 * rows), as the compare page shows them. Sorting and filtering are the server's (over the whole pair).
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
