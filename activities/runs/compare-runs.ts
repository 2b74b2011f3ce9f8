/**
 * Compares two runs judge by judge with the statistics module: paired on sample keys when both runs
 * used the same dataset version, Welch otherwise; Holm across judges. Used by the workflow's regression
 * stage and by GET /api/eval/compare, so both always agree.
 */
import type { DataSource } from 'typeorm';
import {
  type CompareOptionsInput,
  compareJudgeScores,
  type JudgeComparison,
  type JudgeScoreSets,
  type ScoreObservation,
} from '../../stats/index.js';

export interface JudgeRegression {
  judge_type: string;
  verdict: JudgeComparison['verdict'];
  reason: JudgeComparison['reason'];
  test: JudgeComparison['test'];
  design: JudgeComparison['design'];
  n: number;
  current_mean: number | null;
  baseline_mean: number | null;
  delta: number | null;
  p_value: number | null;
  adjusted_p_value: number | null;
  ci: JudgeComparison['ci'];
  mde: number | null;
  minimum_effect: number;
}

export interface RunComparison {
  run_id: string;
  baseline_run_id: string;
  paired: boolean;
  correction: 'holm';
  alpha: number;
  judges: JudgeRegression[];
}

interface ScoreRow {
  run_id: string;
  judge_type: string;
  sample_key: string;
  repetition: number;
  score: number;
}

export async function compareRuns(
  dataSource: DataSource,
  runId: string,
  baselineRunId: string,
  options: CompareOptionsInput = {},
): Promise<RunComparison> {
  const runs: { id: string; dataset_version_id: string; project_id: string }[] = await dataSource.query(
    'SELECT id, dataset_version_id, project_id FROM eval_runs WHERE id = ANY($1::uuid[])',
    [[runId, baselineRunId]],
  );
  const current = runs.find((r) => r.id === runId);
  const baseline = runs.find((r) => r.id === baselineRunId);
  if (!current || !baseline) throw new Error(`run ${current ? baselineRunId : runId} not found`);

  // Errored scores (score null) are left out: a judge failure is not evidence either way.
  const rows: ScoreRow[] = await dataSource.query(
    `SELECT j.run_id, j.judge_type, s.sample_key, r.repetition, j.score
       FROM judge_scores j JOIN eval_results r ON r.id = j.result_id JOIN eval_samples s ON s.id = r.sample_id
      WHERE j.run_id = ANY($1::uuid[]) AND j.score IS NOT NULL`,
    [[runId, baselineRunId]],
  );
  const guardrails: { judge_type: string; config: { min_effect?: number; higher_is_better?: boolean } }[] =
    await dataSource.query('SELECT judge_type, config FROM guardrail_configs WHERE project_id = $1', [
      current.project_id,
    ]);

  const byJudge = new Map<string, { current: ScoreObservation[]; baseline: ScoreObservation[] }>();
  for (const row of rows) {
    const sets = byJudge.get(row.judge_type) ?? { current: [], baseline: [] };
    (row.run_id === runId ? sets.current : sets.baseline).push({
      sampleKey: row.sample_key,
      repetition: row.repetition,
      score: row.score,
    });
    byJudge.set(row.judge_type, sets);
  }
  // Only judges both runs have can be compared.
  const judges: JudgeScoreSets[] = [...byJudge]
    .filter(([, sets]) => sets.current.length > 0 && sets.baseline.length > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([judge, sets]) => {
      const config = guardrails.find((g) => g.judge_type === judge)?.config ?? {};
      const binary = [...sets.current, ...sets.baseline].every((o) => o.score === 0 || o.score === 1);
      return {
        judge,
        scale: binary ? 'pass_fail' : 'continuous',
        higherIsBetter: config.higher_is_better ?? true,
        ...(typeof config.min_effect === 'number' ? { minimumEffect: config.min_effect } : {}),
        ...sets,
      };
    });
  const sameDatasetVersion = current.dataset_version_id === baseline.dataset_version_id;
  const comparison = compareJudgeScores({ sameDatasetVersion, judges }, options);
  return {
    run_id: runId,
    baseline_run_id: baselineRunId,
    paired: sameDatasetVersion,
    correction: comparison.correction,
    alpha: comparison.alpha,
    judges: comparison.judges.map((j) => ({
      judge_type: j.judge,
      verdict: j.verdict,
      reason: j.reason,
      test: j.test,
      design: j.design,
      n: j.n,
      current_mean: j.currentMean,
      baseline_mean: j.baselineMean,
      delta: j.meanDifference,
      p_value: j.pValue,
      adjusted_p_value: j.adjustedPValue,
      ci: j.ci,
      mde: j.mde,
      minimum_effect: j.minimumEffect,
    })),
  };
}
