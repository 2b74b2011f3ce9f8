/** Reading a run's results with their judge scores: one query per page, no N+1. */
import type { DataSource } from 'typeorm';

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
  r.cost_usd::float8 AS cost_usd, r.cached, r.attempts, ${SCORES_JSON} AS scores, s.position`;

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

export async function listResults(
  dataSource: DataSource,
  runId: string,
  filter: ResultFilter,
  page: { offset: number; limit: number },
) {
  const { where, params } = whereClause(runId, filter);
  const [{ total }] = await dataSource.query(
    `SELECT count(*)::int AS total FROM eval_results r WHERE ${where}`,
    params,
  );
  const rows = await dataSource.query(
    `SELECT ${RESULT_COLUMNS} FROM eval_results r JOIN eval_samples s ON s.id = r.sample_id
      WHERE ${where} ORDER BY s.position, r.repetition OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
    [...params, page.offset, page.limit],
  );
  return { items: rows.map(stripPosition), total, offset: page.offset, limit: page.limit };
}

/** All results in sample order, a page at a time (keyset pagination keeps memory flat for exports). */
export async function* iterateResults(dataSource: DataSource, runId: string, pageSize = 1_000) {
  let after: [number, number] = [-1, -1];
  for (;;) {
    const rows = await dataSource.query(
      `SELECT ${RESULT_COLUMNS} FROM eval_results r JOIN eval_samples s ON s.id = r.sample_id
        WHERE r.run_id = $1 AND (s.position, r.repetition) > ($2, $3)
        ORDER BY s.position, r.repetition LIMIT $4`,
      [runId, after[0], after[1], pageSize],
    );
    if (rows.length === 0) return;
    for (const row of rows) yield stripPosition(row);
    const last = rows[rows.length - 1];
    after = [last.position, last.repetition];
  }
}

export async function resultScores(dataSource: DataSource, runId: string, resultId: string) {
  const rows = await dataSource.query(
    `SELECT ${SCORES_JSON} AS scores FROM eval_results r WHERE r.run_id = $1 AND r.id = $2`,
    [runId, resultId],
  );
  return rows[0]?.scores as unknown[] | undefined;
}

function stripPosition<T extends { position?: number }>(row: T) {
  const { position: _position, ...rest } = row;
  return rest;
}
