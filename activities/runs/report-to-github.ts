import { reportRunToGitHub } from '../../github-app/index.js';
import type { ActivityDeps } from '../deps.js';
import type { FinalRunStatus } from './types.js';

/** The report stage: completes the PR's check run and updates its one comment (CI-triggered runs only;
 * for other runs it is one cheap query). Safe to retry: it updates what it created. */
export function makeReportToGitHub(deps: ActivityDeps) {
  return async function reportToGitHub(input: { runId: string; status: FinalRunStatus }) {
    const outcome = await reportRunToGitHub(deps, input.runId, { status: input.status });
    return outcome.reported
      ? { reported: true, conclusion: outcome.conclusion }
      : { reported: false, reason: outcome.reason };
  };
}
