/** Per-judge trends over a project's completed runs, from each run's stored summary (never judge_scores). */
import type { DataSource } from 'typeorm';
import { readRunSummary, regressedJudges } from '../../core/run-summary.js';
import type { TrendPoint } from '../schemas/trends.js';

export interface TrendFilter {
  dataset_id?: string;
  endpoint_id?: string;
  branch?: string;
  limit: number;
}

/** The latest `limit` completed runs matching the filter, oldest first, as one series per judge. */
export async function judgeTrends(ds: DataSource, projectId: string, filter: TrendFilter) {
  const params: unknown[] = [projectId];
  const where = [`project_id = $1`, `status = 'completed'`];
  for (const [column, value] of [
    ['dataset_id', filter.dataset_id],
    ['endpoint_id', filter.endpoint_id],
    ['git_branch', filter.branch],
  ] as const) {
    if (value) {
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
  }
  params.push(filter.limit);
  const runs: Array<{
    id: string;
    created_at: Date;
    git_branch: string | null;
    git_commit_sha: string | null;
    summary: unknown;
  }> = await ds.query(
    `SELECT * FROM (SELECT id, created_at, git_branch, git_commit_sha, summary FROM eval_runs
         WHERE ${where.join(' AND ')} ORDER BY created_at DESC LIMIT $${params.length}) latest
       ORDER BY created_at`,
    params,
  );
  const series = new Map<string, TrendPoint[]>();
  for (const run of runs) {
    const summary = readRunSummary(run.summary);
    const regressed = new Set(regressedJudges(summary));
    for (const [judgeType, judge] of Object.entries(summary.judges)) {
      const points = series.get(judgeType) ?? [];
      points.push({
        run_id: run.id,
        created_at: new Date(run.created_at).toISOString(),
        git_branch: run.git_branch,
        git_commit_sha: run.git_commit_sha,
        n: judge.n,
        mean_score: judge.mean_score,
        pass_rate: judge.pass_rate,
        regression: regressed.has(judgeType),
      });
      series.set(judgeType, points);
    }
  }
  return [...series].map(([judge_type, points]) => ({ judge_type, points }));
}
