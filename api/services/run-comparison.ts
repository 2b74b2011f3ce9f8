/**
 * GET /api/eval/compare's data: the judge-by-judge comparison and the per-sample side by side, changed
 * outcomes first. Both read every score of both runs, so for two finished runs (whose scores no longer
 * change) they are computed once and kept: later pages and reloads cost one small query.
 */
import type { DataSource } from 'typeorm';
import { compareRuns } from '../../core/compare-runs.js';
import type { RunComparison } from '../../core/run-summary.js';
import type { EvalRun } from '../../db/entities/index.js';

/** Pairs of finished runs kept in memory (a 200k-sample pair's order is a few MB). */
const MAX_CACHED_PAIRS = 8;
const FINISHED = new Set(['completed', 'failed', 'cancelled', 'budget_exceeded']);

type ScoreMap = Record<string, { score: number | null; passed: boolean }>;

/** One matched (sample key, repetition): the result of each run that has one. */
interface PairRow {
  sample_key: string;
  repetition: number;
  candidate_id: string | null;
  baseline_id: string | null;
  changed: boolean;
}

interface PairData {
  comparison: RunComparison;
  order: PairRow[];
}

const cache = new Map<string, PairData>();

type RunRow = Pick<EvalRun, 'id' | 'status' | 'baseline_run_id' | 'summary'>;

export async function compareRunPair(
  dataSource: DataSource,
  baseline: RunRow,
  candidate: RunRow,
  page: { offset: number; limit: number },
) {
  const key = `${baseline.id}|${candidate.id}`;
  const cacheable = FINISHED.has(baseline.status) && FINISHED.has(candidate.status);
  let data = cacheable ? cache.get(key) : undefined;
  if (!data) {
    const [comparison, order] = await Promise.all([
      storedComparison(candidate, baseline.id) ?? compareRuns(dataSource, candidate.id, baseline.id),
      pairOrder(dataSource, baseline.id, candidate.id),
    ]);
    data = { comparison, order };
    if (cacheable) {
      if (cache.size >= MAX_CACHED_PAIRS) cache.delete(cache.keys().next().value!);
      cache.set(key, data);
    }
  } else {
    // Most recently used last, so the oldest pair is the one evicted.
    cache.delete(key);
    cache.set(key, data);
  }
  const slice = data.order.slice(page.offset, page.offset + page.limit);
  return {
    ...data.comparison,
    samples: {
      items: await pageRows(dataSource, slice),
      total: data.order.length,
      offset: page.offset,
      limit: page.limit,
    },
  };
}

/** The workflow's regression stage stored this very comparison when the candidate finished. */
function storedComparison(candidate: RunRow, baselineId: string): RunComparison | undefined {
  const stored = (candidate.summary as { regressions?: RunComparison } | null)?.regressions;
  return stored && stored.baseline_run_id === baselineId && Array.isArray(stored.judges) ? stored : undefined;
}

/** Every matched sample, changed outcomes first (a status or any judge's pass/fail differs), no outputs. */
async function pairOrder(
  dataSource: DataSource,
  baselineId: string,
  candidateId: string,
): Promise<PairRow[]> {
  return dataSource.query(
    `WITH c AS (SELECT r.id, s.sample_key, r.repetition, r.status FROM eval_results r
                  JOIN eval_samples s ON s.id = r.sample_id WHERE r.run_id = $1),
          b AS (SELECT r.id, s.sample_key, r.repetition, r.status FROM eval_results r
                  JOIN eval_samples s ON s.id = r.sample_id WHERE r.run_id = $2),
          paired AS (
            SELECT COALESCE(c.sample_key, b.sample_key) AS sample_key,
                   COALESCE(c.repetition, b.repetition) AS repetition,
                   c.id AS candidate_id, b.id AS baseline_id,
                   c.status IS DISTINCT FROM b.status AS status_changed
              FROM c FULL JOIN b USING (sample_key, repetition))
     SELECT sample_key, repetition, candidate_id, baseline_id,
            status_changed OR EXISTS (
              SELECT 1 FROM judge_scores cj
                LEFT JOIN judge_scores bj ON bj.result_id = paired.baseline_id AND bj.judge_type = cj.judge_type
               WHERE cj.result_id = paired.candidate_id AND cj.passed IS DISTINCT FROM bj.passed) AS changed
       FROM paired ORDER BY changed DESC, sample_key, repetition`,
    [candidateId, baselineId],
  );
}

/** Outputs and scores of just the page's results. */
async function pageRows(dataSource: DataSource, slice: PairRow[]) {
  const ids = slice.flatMap((p) => [p.candidate_id, p.baseline_id]).filter((id): id is string => id !== null);
  const rows: Array<{
    id: string;
    input_text: string;
    llm_output: string;
    status: string;
    scores: ScoreMap;
  }> =
    ids.length === 0
      ? []
      : await dataSource.query(
          `SELECT r.id, s.input_text, r.llm_output, r.status,
                  COALESCE((SELECT jsonb_object_agg(j.judge_type, jsonb_build_object('score', j.score, 'passed', j.passed))
                              FROM judge_scores j WHERE j.result_id = r.id), '{}'::jsonb) AS scores
             FROM eval_results r JOIN eval_samples s ON s.id = r.sample_id WHERE r.id = ANY($1::uuid[])`,
          [ids],
        );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const side = (id: string | null) => {
    const r = id ? byId.get(id) : undefined;
    return {
      result_id: r?.id ?? null,
      llm_output: r?.llm_output ?? null,
      status: r?.status ?? null,
      scores: r?.scores ?? {},
    };
  };
  return slice.map((p) => ({
    sample_key: p.sample_key,
    repetition: p.repetition,
    input_text: (byId.get(p.candidate_id ?? '') ?? byId.get(p.baseline_id ?? ''))?.input_text ?? '',
    changed: p.changed,
    baseline: side(p.baseline_id),
    candidate: side(p.candidate_id),
  }));
}
