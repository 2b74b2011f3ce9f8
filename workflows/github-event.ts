/**
 * One GitHub webhook event, durably: the webhook route verifies and dedupes the delivery, starts this
 * workflow and answers 202; everything that talks to GitHub or starts runs happens here, retried until
 * GitHub answers (honouring its rate-limit headers), so GitHub being down loses no event. When the pull
 * request's base commit must be evaluated first, the workflow waits for that run, then goes on.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { CiEvent, CiStep } from '../core/ci-events.js';
import { ACTIVITY_DEFAULTS } from '../temporal.config.js';

export interface GitHubEventInput {
  event: CiEvent;
  /** webhook_deliveries.id: the delivery's status follows the workflow. */
  deliveryRowId: string;
}

const { handleGitHubEvent, resumeGitHubEvent } = proxyActivities<Activities>(ACTIVITY_DEFAULTS.gitHubEvent);
const { awaitRunFinished } = proxyActivities<Activities>(ACTIVITY_DEFAULTS.awaitRun);
const { recordDeliveryOutcome } = proxyActivities<Activities>(ACTIVITY_DEFAULTS.bookkeeping);

/** Base-commit runs waited for, at most (a base run waits for no other run, so one is the norm). */
const MAX_WAITS = 5;

export async function gitHubEvent(input: GitHubEventInput): Promise<string> {
  try {
    let step: CiStep = await handleGitHubEvent(input.event);
    for (let waits = 0; step.kind === 'wait_for_run' && waits < MAX_WAITS; waits++) {
      await awaitRunFinished({ runId: step.runId });
      step = await resumeGitHubEvent(input.event, step.resume);
    }
    const note = step.kind === 'done' ? step.note : 'stopped waiting for runs';
    await recordDeliveryOutcome({ deliveryRowId: input.deliveryRowId, status: 'done', note });
    return note;
  } catch (err) {
    await recordDeliveryOutcome({
      deliveryRowId: input.deliveryRowId,
      status: 'failed',
      note: err instanceof Error ? err.message : String(err),
    });
    throw err;
  }
}
