import type { ActivityDeps } from './deps.js';
import { makeDescribeWorker } from './describe-worker.js';
import { makeGenerateChunk } from './generation/generate-chunk.js';
import { makeTestEndpoint } from './generation/test-endpoint.js';
import {
  makeHandleGitHubEvent,
  makeRecordDeliveryOutcome,
  makeResumeGitHubEvent,
} from './github/github-event.js';
import { makeJudgeChatCaller } from './judging/judge-chat-caller.js';
import { makeRunJudgeBatch } from './judging/run-judge-batch.js';
import { makeAwaitRunFinished } from './runs/await-run-finished.js';
import { makeDetectRegressions } from './runs/detect-regressions.js';
import { makeFinalizeRun } from './runs/finalize-run.js';
import { makeGenerateRunChunk } from './runs/generate-run-chunk.js';
import { makePlanRun } from './runs/plan-run.js';
import { makeRecordJudgeFailure } from './runs/record-judge-failure.js';
import { makeReportToGitHub } from './runs/report-to-github.js';
import { makeSummarizeRun } from './runs/summarize-run.js';

/** Every activity, bound to its dependencies. Workflows see only this type. */
export function createActivities(deps: ActivityDeps) {
  const generateChunk = makeGenerateChunk(deps);
  return {
    describeWorker: makeDescribeWorker(deps),
    planRun: makePlanRun(deps),
    generateChunk,
    generateRunChunk: makeGenerateRunChunk(deps, generateChunk),
    runJudgeBatch: makeRunJudgeBatch({ ...deps, judgeChatCaller: makeJudgeChatCaller(deps) }),
    recordJudgeFailure: makeRecordJudgeFailure(deps),
    summarizeRun: makeSummarizeRun(deps),
    detectRegressions: makeDetectRegressions(deps),
    finalizeRun: makeFinalizeRun(deps),
    reportToGitHub: makeReportToGitHub(deps),
    handleGitHubEvent: makeHandleGitHubEvent(deps),
    resumeGitHubEvent: makeResumeGitHubEvent(deps),
    awaitRunFinished: makeAwaitRunFinished(deps),
    testEndpoint: makeTestEndpoint(deps),
    recordDeliveryOutcome: makeRecordDeliveryOutcome(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
