/**
 * Human review of results: a reviewer's pass/fail (optional 0..1 score and comment) on a result as a
 * whole (judge_type null) or on one judge's verdict. One current review per reviewer per result and
 * judge: saving again updates it in place. The agreement summary compares the people with the judges.
 */
import type { DataSource } from 'typeorm';
import { ApiKey } from '../../db/entities/index.js';
import { passFailAgreement } from '../../stats/agreement.js';
import { notFound, unprocessable } from '../errors.js';
import type { AuthContext } from '../middleware/context.js';

export interface ReviewInput {
  judge_type?: string | null;
  passed: boolean;
  score?: number | null;
  comment?: string | null;
}

export interface ReviewRow {
  id: string;
  result_id: string;
  run_id: string;
  judge_type: string | null;
  passed: boolean;
  score: number | null;
  comment: string | null;
  reviewer: string;
  created_at: string;
  updated_at: string;
}

const REVIEW_COLUMNS = `id, result_id, run_id, judge_type, passed, score, comment, reviewer, created_at, updated_at`;

function toRow(r: Record<string, unknown>): ReviewRow {
  return {
    id: r.id as string,
    result_id: r.result_id as string,
    run_id: r.run_id as string,
    judge_type: (r.judge_type as string | null) ?? null,
    passed: r.passed as boolean,
    score: (r.score as number | null) ?? null,
    comment: (r.comment as string | null) ?? null,
    reviewer: r.reviewer as string,
    created_at: new Date(r.created_at as string).toISOString(),
    updated_at: new Date(r.updated_at as string).toISOString(),
  };
}

/** Who is reviewing: the API key's name, "admin" for the admin key, "dev" in dev mode without a key. */
export async function reviewerOf(ds: DataSource, auth: AuthContext): Promise<string> {
  if (auth.kind === 'admin') return 'admin';
  if (auth.kind === 'anonymous') return 'dev';
  const key = await ds.getRepository(ApiKey).findOneBy({ id: auth.keyId });
  return key?.name ?? `key ${auth.keyId}`;
}

/** 404 unless the result belongs to the run. */
async function assertResultOfRun(ds: DataSource, runId: string, resultId: string) {
  const rows = await ds.query('SELECT 1 FROM eval_results WHERE id = $1 AND run_id = $2', [resultId, runId]);
  if (rows.length === 0) throw notFound(`result ${resultId} of run`, runId);
}

/** Records (or updates) the reviewer's review; `created` says whether it is new. */
export async function saveReview(
  ds: DataSource,
  runId: string,
  resultId: string,
  reviewer: string,
  input: ReviewInput,
): Promise<{ review: ReviewRow; created: boolean }> {
  await assertResultOfRun(ds, runId, resultId);
  const judge = input.judge_type ?? null;
  if (judge !== null) {
    const scored = await ds.query('SELECT 1 FROM judge_scores WHERE result_id = $1 AND judge_type = $2', [
      resultId,
      judge,
    ]);
    if (scored.length === 0)
      throw unprocessable('unknown_judge', `judge "${judge}" did not score result ${resultId}`);
  }
  const conflictTarget =
    judge === null
      ? '(result_id, reviewer) WHERE judge_type IS NULL'
      : '(result_id, judge_type, reviewer) WHERE judge_type IS NOT NULL';
  const [row] = await ds.query(
    `INSERT INTO human_reviews (result_id, run_id, judge_type, passed, score, comment, reviewer)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT ${conflictTarget}
     DO UPDATE SET passed = EXCLUDED.passed, score = EXCLUDED.score, comment = EXCLUDED.comment, updated_at = now()
     RETURNING ${REVIEW_COLUMNS}, (xmax = 0) AS created`,
    [resultId, runId, judge, input.passed, input.score ?? null, input.comment ?? null, reviewer],
  );
  return { review: toRow(row), created: row.created === true };
}

/** Deletes the reviewer's review of the result (overall, or on `judgeType`); 404 when there is none. */
export async function deleteReview(
  ds: DataSource,
  runId: string,
  resultId: string,
  reviewer: string,
  judgeType: string | null,
): Promise<void> {
  await assertResultOfRun(ds, runId, resultId);
  const [, count] = await ds.query(
    `DELETE FROM human_reviews WHERE result_id = $1 AND reviewer = $2 AND judge_type IS NOT DISTINCT FROM $3`,
    [resultId, reviewer, judgeType],
  );
  if (!count) throw notFound(`review by "${reviewer}" of result`, resultId);
}

export interface ReviewFilter {
  result_id?: string;
  reviewer?: string;
}

/** A run's reviews, newest first. */
export async function listReviews(
  ds: DataSource,
  runId: string,
  filter: ReviewFilter,
  page: { offset: number; limit: number },
) {
  const params: unknown[] = [runId];
  const where = ['run_id = $1'];
  if (filter.result_id) {
    params.push(filter.result_id);
    where.push(`result_id = $${params.length}`);
  }
  if (filter.reviewer) {
    params.push(filter.reviewer);
    where.push(`reviewer = $${params.length}`);
  }
  const sql = where.join(' AND ');
  const [rows, [{ total }]] = await Promise.all([
    ds.query(
      `SELECT ${REVIEW_COLUMNS} FROM human_reviews WHERE ${sql}
        ORDER BY updated_at DESC, id OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
      [...params, page.offset, page.limit],
    ),
    ds.query(`SELECT count(*)::int AS total FROM human_reviews WHERE ${sql}`, params),
  ]);
  return {
    items: (rows as Record<string, unknown>[]).map(toRow),
    total,
    offset: page.offset,
    limit: page.limit,
  };
}

export interface JudgeAgreement {
  judge_type: string;
  /** Results where both the judge (without error) and a person gave a verdict. */
  n: number;
  both_passed: number;
  human_only_passed: number;
  judge_only_passed: number;
  both_failed: number;
  /** Share of those results where the person and the judge agree; null when n = 0. */
  agreement: number | null;
  /** Cohen's kappa; null unless both pass and fail occur (stats/agreement.ts). */
  kappa: number | null;
}

export interface ReviewSummary {
  run_id: string;
  /** Reviews stored for the run (all reviewers, overall and per judge). */
  reviews: number;
  /** Results with at least one review. */
  reviewed_results: number;
  judges: JudgeAgreement[];
}

/**
 * Per judge, how often people agree with it. On each result the person's verdict on that judge is the
 * newest review of that judge, else the newest overall review of the result (any reviewer); results
 * nobody reviewed, and judge scores that errored, are left out.
 */
export async function reviewSummary(ds: DataSource, runId: string): Promise<ReviewSummary> {
  const [[counts], cells] = await Promise.all([
    ds.query(
      `SELECT count(*)::int AS reviews, count(DISTINCT result_id)::int AS reviewed_results
         FROM human_reviews WHERE run_id = $1`,
      [runId],
    ),
    ds.query(
      `WITH latest AS (
         SELECT DISTINCT ON (result_id, judge_type) result_id, judge_type, passed
           FROM human_reviews WHERE run_id = $1
          ORDER BY result_id, judge_type, updated_at DESC, id)
       SELECT j.judge_type,
              count(*) FILTER (WHERE h.human AND j.passed)::int AS both_passed,
              count(*) FILTER (WHERE h.human AND NOT j.passed)::int AS human_only_passed,
              count(*) FILTER (WHERE NOT h.human AND j.passed)::int AS judge_only_passed,
              count(*) FILTER (WHERE NOT h.human AND NOT j.passed)::int AS both_failed
         FROM judge_scores j
         LEFT JOIN latest s ON s.result_id = j.result_id AND s.judge_type = j.judge_type
         LEFT JOIN latest o ON o.result_id = j.result_id AND o.judge_type IS NULL
         CROSS JOIN LATERAL (SELECT COALESCE(s.passed, o.passed) AS human) h
        WHERE j.run_id = $1 AND j.error IS NULL AND h.human IS NOT NULL
        GROUP BY j.judge_type ORDER BY j.judge_type`,
      [runId],
    ),
  ]);
  const judges = (cells as Omit<JudgeAgreement, 'n' | 'agreement' | 'kappa'>[]).map((c) => {
    const a = passFailAgreement({
      bothPassed: c.both_passed,
      firstOnlyPassed: c.human_only_passed,
      secondOnlyPassed: c.judge_only_passed,
      bothFailed: c.both_failed,
    });
    return { ...c, n: a.n, agreement: a.agreement, kappa: a.kappa };
  });
  return { run_id: runId, reviews: counts.reviews, reviewed_results: counts.reviewed_results, judges };
}
