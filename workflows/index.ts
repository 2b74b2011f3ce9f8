export {
  type EndpointTestResult,
  type EndpointTestTarget,
  endpointTest,
  type UnsavedEndpoint,
} from './endpoint-test.js';
export {
  cancelSignal,
  type EvalRunInput,
  type EvalRunOutcome,
  type EvalRunState,
  evalRun,
  HISTORY_EVENTS_BEFORE_CONTINUE,
  progressQuery,
  type RunPhase,
  type RunProgress,
} from './eval-run.js';
export { type GitHubEventInput, gitHubEvent } from './github-event.js';
export { type QueueProbeResult, queueProbe } from './queue-probe.js';
