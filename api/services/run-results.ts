/** Reading a run's results with their judge scores: one query per page, no N+1. */
import type { DataSource } from 'typeorm';
import type { ResultSort } from '../schemas/runs.js';

export interface ResultFilter {
  status?: 'succeeded' | 'failed';
  judge?: string;
  passed?: boolean;
  /** The sample's `metadata.category`. */
  category?: string;
  /** One of the sample's `metadata.tags`. */
  tag?: string;
  /** Score bounds (inclusive): on `judge`'s score when given, else on any judge's score. */
  min_score?: number;
  max_score?: number;
}

const SCORES_JSON = `COALESCE((
  SELECT json_agg(json_build_object(
    'id', j.id, 'judge_type', j.judge_type, 'score', j.score, 'passed', j.passed, 'details', j.details,
    'error', j.error, 'model_id', j.model_id, 'model_revision', j.model_revision, 'dtype', j.dtype,
    'cost_usd', j.cost_usd::float8) ORDER BY j.judge_type)
  FROM judge_scores j WHERE j.result_id = r.id), '[]'::json)`;

const RESULT_COLUMNS = `r.id, r.sample_id, s.sample_key, r.repetition, r.status, s.input_text, s.reference_output,
  s.metadata, r.llm_output, r.error, r.finish_reason, r.latency_ms, r.token_count_input, r.token_count_output,
  r.cost_usd::float8 AS cost_usd, r.cached, r.attempts, ${SCORES_JSON} AS scores, r.sample_position`;

function whereClause(runId: string, filter: ResultFilter) {
  const params: unknown[] = [runId];
  const where = ['r.run_id = $1'];
  if (filter.status) {
    params.push(filter.status);
    where.push(`r.status = $${params.length}`);
  }
  const sampleConds: string[] = [];
  if (filter.category !== undefined) {
    params.push(filter.category);
    sampleConds.push(`s.metadata->>'category' = $${params.length}`);
  }
  if (filter.tag !== undefined) {
    params.push(filter.tag);
    sampleConds.push(`s.metadata->'tags' @> jsonb_build_array($${params.length}::text)`);
  }
  if (sampleConds.length) {
    where.push(
      `EXISTS (SELECT 1 FROM eval_samples s WHERE s.id = r.sample_id AND ${sampleConds.join(' AND ')})`,
    );
  }
  const judgeConds: string[] = [];
  if (filter.judge) {
    params.push(filter.judge);
    judgeConds.push(`j.judge_type = $${params.length}`);
    if (filter.passed !== undefined) {
      params.push(filter.passed);
      judgeConds.push(`j.passed = $${params.length}`);
    }
  }
  if (filter.min_score !== undefined) {
    params.push(filter.min_score);
    judgeConds.push(`j.score >= $${params.length}`);
  }
  if (filter.max_score !== undefined) {
    params.push(filter.max_score);
    judgeConds.push(`j.score <= $${params.length}`);
  }
  if (judgeConds.length) {
    where.push(
      `EXISTS (SELECT 1 FROM judge_scores j WHERE j.result_id = r.id AND ${judgeConds.join(' AND ')})`,
    );
  }
  return { where: where.join(' AND '), params };
}

/** Pages starting past this offset count first, then walk the index from whichever end is nearer. */
const FAR_PAGE_OFFSET = 5_000;

/** How a run's (filtered) results are laid out, once counted. */
interface ResultCount {
  total: number;
  /** Every (position 0..n-1, repetition) pair is there, so offset k is a known key: no walking at all. */
  dense: boolean;
}
/** A finished run's results never change: its counts are kept per (run, filter). */
const finishedRunCounts = new Map<string, ResultCount>();
const MAX_CACHED_COUNTS = 10_000;

const isUnfiltered = (filter: ResultFilter) => Object.values(filter).every((v) => v === undefined);

async function countResults(
  dataSource: DataSource,
  runId: string,
  filter: ResultFilter,
  run: { finished: boolean; repetitions: number },
): Promise<ResultCount> {
  const key = run.finished ? `${runId}|${JSON.stringify(filter)}` : null;
  const cached = key ? finishedRunCounts.get(key) : undefined;
  if (cached) return cached;
  const { where, params } = whereClause(runId, filter);
  const [row]: Array<{ total: number; max_position: number | null }> = await dataSource.query(
    `SELECT count(*)::int AS total, max(r.sample_position) AS max_position FROM eval_results r WHERE ${where}`,
    params,
  );
  // (position, repetition) pairs are unique per run: this many rows can only be every pair up to the max.
  const dense =
    isUnfiltered(filter) &&
    row.max_position !== null &&
    row.total === (row.max_position + 1) * run.repetitions;
  const count = { total: row.total, dense };
  if (key) {
    if (finishedRunCounts.size >= MAX_CACHED_COUNTS) finishedRunCounts.clear();
    finishedRunCounts.set(key, count);
  }
  return count;
}

/** Dataset order, the default and every other order's tiebreaker: (position, repetition) is unique per run. */
const DATASET_ORDER: ResultSort = { by: 'sample' };

/** One ORDER BY key of a sort; nulls (no latency, no score) go last in the asked direction. */
interface SortKey {
  expr: string;
  desc: boolean;
}

/** What ordering by `sort` adds to the page's id query: a join (score) and the keys before dataset order. */
function sortKeys(sort: ResultSort, next: (value: unknown) => string): { join: string; keys: SortKey[] } {
  switch (sort.by) {
    case 'sample':
      return { join: '', keys: [] };
    case 'latency':
      return { join: '', keys: [{ expr: 'r.latency_ms', desc: sort.desc }] };
    case 'status':
      // 'failed' < 'succeeded': model errors first.
      return { join: '', keys: [{ expr: 'r.status', desc: false }] };
    case 'score':
      // (result_id, judge_type) is unique: at most one row joined, results without that judge keep a null
      // key. run_id too, so the (run_id, judge_type) index finds just this run's scores of that judge.
      return {
        join: `LEFT JOIN judge_scores k ON k.result_id = r.id AND k.run_id = $1 AND k.judge_type = ${next(sort.judge)}`,
        keys: [{ expr: 'k.score', desc: sort.desc }],
      };
  }
}

/** ORDER BY text of the keys then dataset order; `reverse` reads the same order from its other end. */
function orderBy(keys: SortKey[], reverse: boolean, column = (k: SortKey) => k.expr) {
  const dir = (desc: boolean) => (desc !== reverse ? 'DESC' : 'ASC');
  const tail = dir(false);
  return [
    ...keys.map((k) => `${column(k)} ${dir(k.desc)} NULLS ${reverse ? 'FIRST' : 'LAST'}`),
    `r.sample_position ${tail}`,
    `r.repetition ${tail}`,
  ].join(', ');
}

/** The statement choosing a page's result ids (and its parameters), run inside the page query. */
function pageIdsQuery(
  runId: string,
  filter: ResultFilter,
  sort: ResultSort,
  page: { offset: number; limit: number },
  count?: ResultCount & { repetitions: number },
): { sql: string; params: unknown[]; keys: SortKey[] } | null {
  const { where, params } = whereClause(runId, filter);
  const next = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { join, keys } = sortKeys(sort, next);
  if (count?.dense && sort.by === 'sample') {
    // Offset k is (position k / repetitions, repetition k % repetitions): seek straight to it.
    const position = next(Math.floor(page.offset / count.repetitions));
    const repetition = next(page.offset % count.repetitions);
    return {
      sql: `SELECT r.id FROM eval_results r WHERE ${where}
              AND (r.sample_position, r.repetition) >= (${position}, ${repetition})
            ORDER BY r.sample_position, r.repetition LIMIT ${next(page.limit)}`,
      params,
      keys,
    };
  }
  // An offset walks (or, sorted by another key, keeps in its top-N sort) that many rows: a page past the
  // middle is found from the end instead, in the reversed order.
  const total = count?.total;
  const fromEnd = total !== undefined && page.offset > total / 2;
  const offset = fromEnd ? Math.max(0, total - page.offset - page.limit) : page.offset;
  const limit = fromEnd ? Math.max(0, Math.min(page.limit, total - page.offset)) : page.limit;
  if (limit === 0) return null;
  const selected = ['r.id', ...keys.map((k, i) => `${k.expr} AS k${i}`)].join(', ');
  return {
    sql: `SELECT ${selected} FROM eval_results r ${join} WHERE ${where}
          ORDER BY ${orderBy(keys, fromEnd)}
          OFFSET ${next(offset)} LIMIT ${next(limit)}`,
    params,
    keys,
  };
}

/** The page's rows: ids from the covering index first (a CTE keeps its LIMIT), then just those rows. */
async function pageRows(
  dataSource: DataSource,
  ids: { sql: string; params: unknown[]; keys: SortKey[] } | null,
) {
  if (!ids) return [];
  // The CTE hands its sort keys out as k0…: the page is put back in order without joining them again.
  const rows = await dataSource.query(
    `WITH page AS (${ids.sql})
     SELECT ${RESULT_COLUMNS} FROM page JOIN eval_results r ON r.id = page.id
       JOIN eval_samples s ON s.id = r.sample_id
      ORDER BY ${orderBy(ids.keys, false, (k) => `page.k${ids.keys.indexOf(k)}`)}`,
    ids.params,
  );
  return rows.map(stripPosition);
}

/**
 * One page in one statement: in dataset order (the default) the page's ids come from the (run_id,
 * sample_position, repetition) covering index alone; in another `sort` the run's (filtered) rows go through
 * a top-N sort bounded by offset + limit. Only then are the columns and scores of just those rows read, so
 * a deep page never builds the scores of every row it skips.
 */
export async function listResults(
  dataSource: DataSource,
  runId: string,
  filter: ResultFilter,
  page: { offset: number; limit: number },
  opts: { runFinished?: boolean; repetitions?: number; farPageOffset?: number; sort?: ResultSort } = {},
) {
  const sort = opts.sort ?? DATASET_ORDER;
  const repetitions = opts.repetitions ?? 1;
  const counting = countResults(dataSource, runId, filter, {
    finished: opts.runFinished ?? false,
    repetitions,
  });
  let total: number;
  let items: Awaited<ReturnType<typeof pageRows>>;
  if (page.offset <= (opts.farPageOffset ?? FAR_PAGE_OFFSET)) {
    let count: ResultCount;
    [count, items] = await Promise.all([
      counting,
      pageRows(dataSource, pageIdsQuery(runId, filter, sort, page)),
    ]);
    total = count.total;
  } else {
    const count = await counting;
    total = count.total;
    items = await pageRows(dataSource, pageIdsQuery(runId, filter, sort, page, { ...count, repetitions }));
  }
  return { items, total, offset: page.offset, limit: page.limit };
}

/** The newest overall human review of the result (CSV export), null when none. */
const REVIEW_JSON = `(SELECT json_build_object('passed', h.passed, 'score', h.score, 'comment', h.comment,
    'reviewer', h.reviewer)
  FROM human_reviews h WHERE h.result_id = r.id AND h.judge_type IS NULL
  ORDER BY h.updated_at DESC, h.id LIMIT 1)`;

/**
 * All results in sample order, a page at a time (keyset pagination keeps memory flat for exports).
 * `review`: each row also carries `review`, its newest overall human review (or null).
 */
export async function* iterateResults(
  dataSource: DataSource,
  runId: string,
  pageSize = 1_000,
  opts: { review?: boolean } = {},
) {
  let after: [number, number] = [-1, -1];
  const columns = opts.review ? `${RESULT_COLUMNS}, ${REVIEW_JSON} AS review` : RESULT_COLUMNS;
  for (;;) {
    const rows = await dataSource.query(
      `SELECT ${columns} FROM eval_results r JOIN eval_samples s ON s.id = r.sample_id
        WHERE r.run_id = $1 AND (r.sample_position, r.repetition) > ($2, $3)
        ORDER BY r.sample_position, r.repetition LIMIT $4`,
      [runId, after[0], after[1], pageSize],
    );
    if (rows.length === 0) return;
    for (const row of rows) yield stripPosition(row);
    const last = rows[rows.length - 1];
    after = [last.sample_position, last.repetition];
  }
}

export async function resultScores(dataSource: DataSource, runId: string, resultId: string) {
  const rows = await dataSource.query(
    `SELECT ${SCORES_JSON} AS scores FROM eval_results r WHERE r.run_id = $1 AND r.id = $2`,
    [runId, resultId],
  );
  return rows[0]?.scores as unknown[] | undefined;
}

function stripPosition<T extends { sample_position?: number }>(row: T) {
  const { sample_position: _position, ...rest } = row;
  return rest;
}

/** Results stored after `since` (the event stream's cursor), oldest first. */
export function resultsSince(
  ds: DataSource,
  runId: string,
  since: Date,
  limit: number,
): Promise<{ id: string; sample_id: string; status: string; created_at: Date }[]> {
  return ds.query(
    `SELECT id, sample_id, status, created_at FROM eval_results WHERE run_id = $1 AND created_at > $2
      ORDER BY created_at LIMIT $3`,
    [runId, since, limit],
  );
}
