/** How a finished run shows on GitHub: the check's conclusion and one-line title. */
import type { RunStatus } from '../db/entities/index.js';
import { type RunSummaryView, regressedJudges } from './run-summary.js';

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled';

export interface CheckVerdict {
  conclusion: CheckConclusion;
  title: string;
}

export interface ConclusionPolicy {
  /** A detected regression fails the check; otherwise it is reported as neutral (a warning). */
  failOnRegression: boolean;
}

const MAX_ERROR_IN_TITLE = 120;

export function decideCheckConclusion(
  run: { status: RunStatus; error: string | null },
  summary: RunSummaryView,
  policy: ConclusionPolicy,
): CheckVerdict {
  switch (run.status) {
    case 'failed':
      return {
        conclusion: 'failure',
        title: `Eval run failed: ${(run.error ?? 'unknown error').slice(0, MAX_ERROR_IN_TITLE)}`,
      };
    case 'budget_exceeded':
      // Not every sample ran: a gate must not pass on a partial evaluation.
      return { conclusion: 'failure', title: 'Eval run stopped: budget exceeded before every sample ran' };
    case 'cancelled':
      return { conclusion: 'cancelled', title: 'Eval run cancelled' };
    case 'pending':
    case 'running':
      throw new Error(`run is still ${run.status}`);
  }
  const blocking = summary.blocking_failures;
  if (blocking.length > 0) {
    return { conclusion: 'failure', title: `Blocking guardrail failed: ${blocking.join(', ')}` };
  }
  if (summary.verdict === 'fail') return { conclusion: 'failure', title: 'Guardrails failed' };
  const regressed = regressedJudges(summary);
  if (regressed.length > 0) {
    const what = `Regression vs baseline: ${regressed.join(', ')}`;
    return policy.failOnRegression
      ? { conclusion: 'failure', title: what }
      : { conclusion: 'neutral', title: `${what} (not blocking)` };
  }
  if (summary.verdict === null)
    return { conclusion: 'neutral', title: 'Eval run finished without a guardrail verdict' };
  return { conclusion: 'success', title: 'All blocking guardrails passed, no regressions' };
}
