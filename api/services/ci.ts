/** The CI routes' reads. */
import type { DataSource } from 'typeorm';
import { EvalRun } from '../../db/entities/index.js';

/** Runs listed per commit in a status answer. */
export const MAX_STATUS_RUNS = 50;

/** A commit's runs (a SHA prefix matches), newest first, within one project when scoped. */
export function runsForCommit(ds: DataSource, shaPrefix: string, projectId: string | null) {
  const qb = ds
    .getRepository(EvalRun)
    .createQueryBuilder('r')
    .where('r.git_commit_sha LIKE :sha', { sha: `${shaPrefix}%` });
  if (projectId) qb.andWhere('r.project_id = :p', { p: projectId });
  return qb.orderBy('r.created_at', 'DESC').take(MAX_STATUS_RUNS).getMany();
}

/** The latest run that ended on its own: a cancelled run says nothing about the project. */
export async function latestFinishedRun(
  ds: DataSource,
  projectId: string,
  branch: string | undefined,
): Promise<Pick<EvalRun, 'status' | 'error' | 'summary'> | null> {
  const params: unknown[] = [projectId];
  if (branch) params.push(branch);
  const [run] = await ds.query(
    `SELECT status, error, summary FROM eval_runs
      WHERE project_id = $1 AND status IN ('completed', 'failed', 'budget_exceeded')
       ${branch ? 'AND git_branch = $2' : ''} ORDER BY completed_at DESC NULLS LAST LIMIT 1`,
    params,
  );
  return run ?? null;
}
