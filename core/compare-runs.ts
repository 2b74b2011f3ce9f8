/**
 * Compares two runs judge by judge with the statistics module: paired on sample keys when both runs
 * used the same dataset version, Welch otherwise; Holm across judges. Used by the workflow's regression
 * stage and by GET /api/eval/compare, so both always agree.
 */
import type { DataSource } from 'typeorm';
import {
  type CompareOptionsInput,
  compareJudgeScores,
  type JudgeScoreSets,
  type ScoreObservation,
} from '../stats/index.js';
import { readRunGuardrails } from './config-run.js';
import type { JudgeRegression, RunComparison } from './run-summary.js';

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
  const runs: { id: string; dataset_version_id: string; project_id: string; config: unknown }[] =
    await dataSource.query(
      'SELECT id, dataset_version_id, project_id, config FROM eval_runs WHERE id = ANY($1::uuid[])',
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
  // The current run's own guardrails (from its evalforge.yaml) when it has them, else the project's.
  const guardrails: { judge_type: string; config: { min_effect?: number; higher_is_better?: boolean } }[] =
    readRunGuardrails(current.config) ??
    (await dataSource.query('SELECT judge_type, config FROM guardrail_configs WHERE project_id = $1', [
      current.project_id,
    ]));

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
  // A judge either run recorded but that has no scores on both sides cannot be compared: it is listed as
  // inconclusive instead of vanishing from the comparison.
  const recorded: { judge_type: string }[] = await dataSource.query(
    'SELECT DISTINCT judge_type FROM judge_scores WHERE run_id = ANY($1::uuid[])',
    [[runId, baselineRunId]],
  );
  const compared = new Set(judges.map((j) => j.judge));
  const notScored = recorded
    .map((r) => r.judge_type)
    .filter((judge) => !compared.has(judge))
    .sort()
    .map((judge): JudgeRegression => notScoredJudge(judge, byJudge.get(judge)));
  return {
    run_id: runId,
    baseline_run_id: baselineRunId,
    paired: sameDatasetVersion,
    correction: comparison.correction,
    alpha: comparison.alpha,
    judges: [
      ...comparison.judges.map(
        (j): JudgeRegression => ({
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
        }),
      ),
      ...notScored,
    ],
  };
}

function notScoredJudge(
  judge: string,
  sets: { current: ScoreObservation[]; baseline: ScoreObservation[] } | undefined,
): JudgeRegression {
  const side = !sets?.current.length ? 'this run' : 'the baseline';
  return {
    judge_type: judge,
    verdict: 'inconclusive',
    reason: `not_scored: ${side} has no scores for this judge (every score was an error, or it did not run)`,
    test: 'none',
    design: 'none',
    n: 0,
    current_mean: null,
    baseline_mean: null,
    delta: null,
    p_value: null,
    adjusted_p_value: null,
    ci: null,
    mde: null,
    minimum_effect: 0,
  };
}
