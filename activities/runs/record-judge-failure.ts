import type { ActivityDeps } from '../deps.js';

/** When a judge batch fails for good (model will not load, queue has no worker), its results still get a
 * score row that says why, so the run goes on and nobody mistakes a missing score for a pass. */
export function makeRecordJudgeFailure(deps: ActivityDeps) {
  return async function recordJudgeFailure(input: {
    runId: string;
    judgeType: string;
    resultIds: string[];
    error: string;
  }): Promise<number> {
    if (input.resultIds.length === 0) return 0;
    const rows: unknown[] = await deps.dataSource.query(
      `INSERT INTO judge_scores (result_id, run_id, judge_type, score, passed, details, error)
       SELECT id, $1, $2, NULL, false, '{}'::jsonb, $3 FROM unnest($4::uuid[]) AS id
       ON CONFLICT (result_id, judge_type) DO NOTHING
       RETURNING id`,
      [input.runId, input.judgeType, input.error.slice(0, 4_000), input.resultIds],
    );
    return rows.length;
  };
}
