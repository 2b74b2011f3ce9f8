/**
 * GET /api/eval/compare's data: the judge-by-judge comparison and the per-sample side by side, filtered
 * (judge, change) and ordered (changed first, largest regression, sample key) in SQL over the whole pair.
 * Both read every score of both runs, so for two finished runs (whose scores no longer change) the
 * comparison and each view's order are computed once and kept: later pages and reloads cost one small query.
 */
import type { DataSource } from 'typeorm';
import { compareRuns } from '../../core/compare-runs.js';
import type { RunComparison } from '../../core/run-summary.js';
import type { EvalRun } from '../../db/entities/index.js';
import type { CompareView } from '../schemas/compare.js';

/** Pairs of finished runs whose comparison is kept in memory. */
const MAX_CACHED_PAIRS = 8;
/** Sample orders kept (one per pair and view; a 200k-sample pair's order is a few MB). */
const MAX_CACHED_ORDERS = 8;
const FINISHED = new Set(['completed', 'failed', 'cancelled', 'budget_exceeded']);
const DEFAULT_VIEW: CompareView = { sort: 'changed' };

type ScoreMap = Record<string, { score: number | null; passed: boolean }>;

/** One matched (sample key, repetition): the result of each run that has one. */
interface PairRow {
  sample_key: string;
  repetition: number;
  candidate_id: string | null;
  baseline_id: string | null;
  changed: boolean;
}

/** A small least-recently-used map: the oldest entry goes when it is full. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string) {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V) {
    this.map.delete(key);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, value);
  }
}

const comparisons = new Lru<RunComparison>(MAX_CACHED_PAIRS);
const orders = new Lru<PairRow[]>(MAX_CACHED_ORDERS);

type RunRow = Pick<EvalRun, 'id' | 'status' | 'baseline_run_id' | 'summary'>;

export async function compareRunPair(
  dataSource: DataSource,
  baseline: RunRow,
  candidate: RunRow,
  page: { offset: number; limit: number },
  view: CompareView = DEFAULT_VIEW,
) {
  const pair = `${baseline.id}|${candidate.id}`;
  const orderKey = `${pair}|${view.sort}|${view.judge ?? ''}|${view.change ?? ''}`;
  const cacheable = FINISHED.has(baseline.status) && FINISHED.has(candidate.status);
  const [comparison, order] = await Promise.all([
    (cacheable && comparisons.get(pair)) ||
      (storedComparison(candidate, baseline.id) ?? compareRuns(dataSource, candidate.id, baseline.id)),
    (cacheable && orders.get(orderKey)) || pairOrder(dataSource, baseline.id, candidate.id, view),
  ]);
  if (cacheable) {
    comparisons.set(pair, comparison);
    orders.set(orderKey, order);
  }
  const slice = order.slice(page.offset, page.offset + page.limit);
  return {
    ...comparison,
    samples: {
      items: await pageRows(dataSource, slice),
      total: order.length,
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

/** The WHERE of each `change` (columns of `viewed` below); fixed text, never built from input. */
const CHANGE_CONDITION: Record<NonNullable<CompareView['change']>, string> = {
  changed: 'scoped_changed',
  unchanged: 'NOT scoped_changed',
  regressed: 'regressed',
  improved: 'improved',
};
/** The ORDER BY of each sort; (sample key, repetition) is unique per pair, so every order is total. */
const SORT_ORDER: Record<CompareView['sort'], string> = {
  changed: 'scoped_changed DESC, sample_key, repetition',
  regression: 'worst, net, sample_key, repetition',
  sample: 'sample_key, repetition',
};

/**
 * Every matched sample of the view, in its order, no outputs. Both runs' judge scores (read through the
 * (run_id, judge_type) index) are paired per (sample, judge), then summed up per sample: `changed` over
 * every judge (the row's flag), the rest over the view's judge (`$3`, or all).
 */
async function pairOrder(
  dataSource: DataSource,
  baselineId: string,
  candidateId: string,
  view: CompareView,
): Promise<PairRow[]> {
  const where = view.change ? `AND ${CHANGE_CONDITION[view.change]}` : '';
  return dataSource.query(
    `WITH c AS (SELECT r.id, s.sample_key, r.repetition, r.status FROM eval_results r
                  JOIN eval_samples s ON s.id = r.sample_id WHERE r.run_id = $1),
          b AS (SELECT r.id, s.sample_key, r.repetition, r.status FROM eval_results r
                  JOIN eval_samples s ON s.id = r.sample_id WHERE r.run_id = $2),
          paired AS (
            SELECT row_number() OVER () AS n,
                   COALESCE(c.sample_key, b.sample_key) AS sample_key,
                   COALESCE(c.repetition, b.repetition) AS repetition,
                   c.id AS candidate_id, b.id AS baseline_id, c.status AS c_status, b.status AS b_status
              FROM c FULL JOIN b USING (sample_key, repetition)),
          -- Both sides' scores keyed by the pair's number: integer keys hash cheaply, sample keys do not.
          scores AS (
            SELECT p.n, j.judge_type, true AS cand, j.score, j.passed
              FROM paired p JOIN judge_scores j ON j.result_id = p.candidate_id AND j.run_id = $1
            UNION ALL
            SELECT p.n, j.judge_type, false, j.score, j.passed
              FROM paired p JOIN judge_scores j ON j.result_id = p.baseline_id AND j.run_id = $2),
          judged AS (
            SELECT n, ($3::text IS NULL OR judge_type = $3) AS scoped,
                   bool_or(passed) FILTER (WHERE cand) AS c_passed,
                   bool_or(passed) FILTER (WHERE NOT cand) AS b_passed,
                   max(score) FILTER (WHERE cand) - max(score) FILTER (WHERE NOT cand) AS delta
              FROM scores GROUP BY n, judge_type),
          per_sample AS (
            SELECT n,
                   bool_or(c_passed IS DISTINCT FROM b_passed) AS any_flip,
                   bool_or(scoped) AS in_scope,
                   bool_or(c_passed IS DISTINCT FROM b_passed) FILTER (WHERE scoped) AS flip,
                   bool_or(b_passed AND NOT c_passed) FILTER (WHERE scoped) AS judge_regressed,
                   bool_or(c_passed AND NOT b_passed) FILTER (WHERE scoped) AS judge_improved,
                   min(delta) FILTER (WHERE scoped) AS worst,
                   sum(delta) FILTER (WHERE scoped) AS net
              FROM judged GROUP BY n),
          viewed AS (
            SELECT p.sample_key, p.repetition, p.candidate_id, p.baseline_id,
                   p.c_status IS DISTINCT FROM p.b_status OR COALESCE(ps.any_flip, false) AS changed,
                   p.c_status IS DISTINCT FROM p.b_status OR COALESCE(ps.flip, false) AS scoped_changed,
                   (p.b_status = 'succeeded' AND p.c_status = 'failed') OR COALESCE(ps.judge_regressed, false)
                     AS regressed,
                   (p.b_status = 'failed' AND p.c_status = 'succeeded') OR COALESCE(ps.judge_improved, false)
                     AS improved,
                   -- No drop counts as 0: among equal drops the smaller net change (improvements last).
                   LEAST(COALESCE(ps.worst, 0), 0) AS worst, COALESCE(ps.net, 0) AS net,
                   COALESCE(ps.in_scope, false) AS in_scope
              FROM paired p LEFT JOIN per_sample ps USING (n))
     SELECT sample_key, repetition, candidate_id, baseline_id, changed
       FROM viewed WHERE ($3::text IS NULL OR in_scope) ${where}
      ORDER BY ${SORT_ORDER[view.sort]}`,
    [candidateId, baselineId, view.judge ?? null],
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
