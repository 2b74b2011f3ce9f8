/**
 * The GitHub webhook workflow's activities: thin over the injected CiEventHandler (the App's code stays
 * out of activities). A call GitHub rate-limited is retried when GitHub says, not on the default backoff.
 */
import { ApplicationFailure } from '@temporalio/activity';
import {
  type CiEvent,
  type CiEventHandler,
  type CiResume,
  type CiStep,
  GitHubRateLimitedError,
  gitHubRetryAfterMs,
} from '../../core/ci-events.js';
import type { ActivityDeps } from '../deps.js';

/** Never retry sooner than this, even when GitHub's reset is "now" (clock skew). */
const MIN_RATE_LIMIT_WAIT_MS = 1_000;

function handlerOf(deps: ActivityDeps): CiEventHandler {
  if (!deps.ciEvents) {
    // Retryable on purpose: a worker with the App configured may pick the task up.
    throw ApplicationFailure.retryable('this worker has no GitHub App configured', 'GitHubAppMissing');
  }
  return deps.ciEvents;
}

/** Rate limits become a retry at the time GitHub named; anything else keeps the policy's backoff. */
async function withGitHubRetryAdvice<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const waitMs =
      err instanceof GitHubRateLimitedError ? err.retryAfterMs : (gitHubRetryAfterMs(err) ?? null);
    if (waitMs === null) throw err;
    throw ApplicationFailure.create({
      message: `GitHub rate limit: ${(err as Error).message}`,
      type: 'GitHubRateLimited',
      nextRetryDelay: Math.max(MIN_RATE_LIMIT_WAIT_MS, waitMs),
    });
  }
}

export function makeHandleGitHubEvent(deps: ActivityDeps) {
  return async function handleGitHubEvent(event: CiEvent): Promise<CiStep> {
    return withGitHubRetryAdvice(() => handlerOf(deps).handle(event));
  };
}

export function makeResumeGitHubEvent(deps: ActivityDeps) {
  return async function resumeGitHubEvent(event: CiEvent, resume: CiResume): Promise<CiStep> {
    return withGitHubRetryAdvice(() => handlerOf(deps).resume(event, resume));
  };
}

const MAX_NOTE_CHARS = 2_000;

/** The delivery row follows its workflow: done, or failed with why (an operator redelivers it). */
export function makeRecordDeliveryOutcome(deps: ActivityDeps) {
  return async function recordDeliveryOutcome(input: {
    deliveryRowId: string;
    status: 'done' | 'failed';
    note: string;
  }): Promise<void> {
    await deps.dataSource.query(
      `UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_error = $3, updated_at = now()
        WHERE id = $1`,
      [
        input.deliveryRowId,
        input.status,
        input.status === 'failed' ? input.note.slice(0, MAX_NOTE_CHARS) : null,
      ],
    );
  };
}
