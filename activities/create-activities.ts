import type { ActivityDeps } from './deps.js';
import { makeDescribeWorker } from './describe-worker.js';

/** Every activity, bound to its dependencies. Workflows see only this type. */
export function createActivities(deps: ActivityDeps) {
  return {
    describeWorker: makeDescribeWorker(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
