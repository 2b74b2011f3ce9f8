import { compareRuns } from '../../core/compare-runs.js';
import type { ActivityDeps } from '../deps.js';

/** The regression stage: compares the run with its baseline and stores the verdicts in its summary. */
export function makeDetectRegressions(deps: ActivityDeps) {
  return async function detectRegressions(input: {
    runId: string;
    baselineRunId: string;
  }): Promise<string[]> {
    const comparison = await compareRuns(deps.dataSource, input.runId, input.baselineRunId);
    const regressed = comparison.judges.filter((j) => j.verdict === 'regression').map((j) => j.judge_type);
    await deps.dataSource.query(
      `UPDATE eval_runs SET summary = summary || jsonb_build_object('regressions', $2::jsonb), updated_at = now()
        WHERE id = $1`,
      [input.runId, JSON.stringify({ ...comparison, regressed })],
    );
    return regressed;
  };
}
