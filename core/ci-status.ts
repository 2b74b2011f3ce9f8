/**
 * A commit's combined CI state over its runs, from the gate's decision for each (the state a pipeline or
 * a commit status shows): pending while a project's latest run goes on, success only when every
 * project's latest run passed its gate.
 */
import { decideGate, type GatePolicy, type GateState } from './gate.js';
import type { RunStatus } from './run-status.js';
import { readRunSummary } from './run-summary.js';

export interface CommitRun {
  id: string;
  project_id: string;
  status: RunStatus;
  error: string | null;
  summary: unknown;
  trigger_type: string | null;
  git_branch: string | null;
  pr_number: number | null;
  created_at: Date;
  completed_at: Date | null;
}

/** `runs` newest first. */
export function commitStatus(sha: string, runs: readonly CommitRun[], policy: GatePolicy) {
  const rows = runs.map((r) => {
    const summary = readRunSummary(r.summary);
    const gate = decideGate(r, summary, policy);
    return {
      id: r.id,
      project_id: r.project_id,
      status: r.status,
      verdict: summary.verdict,
      gate,
      blocking_failures: gate.blocking_failures,
      regressions: gate.regressions,
      trigger_type: r.trigger_type,
      git_branch: r.git_branch,
      pr_number: r.pr_number,
      created_at: new Date(r.created_at).toISOString(),
      completed_at: r.completed_at ? new Date(r.completed_at).toISOString() : null,
    };
  });
  // Rows are newest first: the first per project is its latest run, which decides that project's state.
  const latestByProject = new Map<string, GateState>();
  for (const r of rows)
    if (!latestByProject.has(r.project_id)) latestByProject.set(r.project_id, r.gate.state);
  const states = [...latestByProject.values()];
  const state = states.includes('pending')
    ? 'pending'
    : states.every((s) => s === 'pass')
      ? 'success'
      : 'failure';
  return { commit_sha: sha, state, runs: rows } as const;
}
