/**
 * Where a finished run is reported (a GitHub check and PR comment today). Injected into activities, so
 * the worker's activity code never imports the GitHub App; the production factory in runtime/ wires
 * github-app/reporting's implementation.
 */
import type { FinalRunStatus } from './run-status.js';

export type RunReportOutcome = { reported: true; conclusion: string } | { reported: false; reason: string };

export interface RunReporter {
  /** Safe to retry: it updates what an earlier attempt created. */
  report(runId: string, status: FinalRunStatus): Promise<RunReportOutcome>;
}

/** For processes and tests with nowhere to report to. */
export const NO_REPORTER: RunReporter = {
  report: async () => ({ reported: false, reason: 'no reporter configured' }),
};
