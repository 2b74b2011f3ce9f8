import type { ActivityDeps } from '../deps.js';
import type { FinalRunStatus } from './types.js';

/** The report stage: the injected reporter completes the PR's check run and updates its one comment
 * (CI-triggered runs only; for other runs it is one cheap query). The activity keeps its name so recorded
 * workflow histories replay. */
export function makeReportToGitHub(deps: ActivityDeps) {
  return async function reportToGitHub(input: { runId: string; status: FinalRunStatus }) {
    return deps.reporter.report(input.runId, input.status);
  };
}
