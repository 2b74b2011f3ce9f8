/**
 * GitHub events as the durable CI workflow sees them (workflows/github-event.ts): small and serializable —
 * ids, names and SHAs, never a payload or a file. The webhook route reads a verified delivery into a
 * CiEvent and starts the workflow; the workflow's activities hand the event to a CiEventHandler, which is
 * injected (the App's implementation lives in github-app/events/), so activities never import the App.
 */

export type CiEvent =
  | {
      kind: 'pull_request';
      /** opened, synchronize and reopened ask for an evaluation of the head commit. */
      action: 'opened' | 'synchronize' | 'reopened';
      installationId: number | null;
      fullName: string;
      prNumber: number;
      headSha: string;
      /** The base branch's commit the pull request is compared with (its evalforge.yaml is the baseline). */
      baseSha: string | null;
      branch: string;
      baseBranch: string;
    }
  | {
      kind: 'pull_request_closed';
      installationId: number | null;
      fullName: string;
      prNumber: number;
      headSha: string;
    }
  | {
      kind: 'check_run_rerequested';
      installationId: number | null;
      fullName: string;
      checkRunId: number;
      headSha: string;
      externalId: string | null;
      pullRequest: { number: number; branch: string; baseBranch: string } | null;
      /** The new run's idempotency key: the check and the signed body, so a replayed body finds its run. */
      runKey: string;
    }
  | {
      kind: 'installation';
      /** deleted and suspend stop work for the installation; unsuspend and created resume it. */
      action: 'deleted' | 'suspend' | 'unsuspend' | 'created';
      installationId: number;
    };

/** Where an evaluation stands after a step: finished, or waiting for a run (the base commit's) to end. */
export type CiStep =
  | { kind: 'done'; note: string }
  | { kind: 'wait_for_run'; runId: string; resume: CiResume };

/** What the handler needs to go on after the run it waited for: ids only (files are read again). */
export interface CiResume {
  /** The base commit's run the candidate is compared with. */
  baseRunId: string;
  /** The check opened for the head commit, completed by the candidate run's report. */
  checkRunId: number;
  /** The config file's path in the repository. */
  configPath: string;
}

export interface CiEventHandler {
  /** Does what the event asks, as far as it can without waiting. Idempotent: safe to call again. */
  handle(event: CiEvent): Promise<CiStep>;
  /** Goes on after the awaited run ended (or stops when the pull request moved on or closed). */
  resume(event: CiEvent, resume: CiResume): Promise<CiStep>;
}

/** Thrown by a handler for a GitHub call GitHub refused for now: retried no earlier than `retryAfterMs`. */
export class GitHubRateLimitedError extends Error {
  override name = 'GitHubRateLimitedError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/**
 * How long GitHub asks us to wait, from an Octokit error's response headers: `retry-after` (secondary
 * limits, 429), or `x-ratelimit-reset` when `x-ratelimit-remaining` is 0 (primary limit). null when the
 * error carries no such advice.
 */
export function gitHubRetryAfterMs(err: unknown, now = Date.now()): number | null {
  const e = err as { status?: number; response?: { headers?: Record<string, string | undefined> } };
  if (e?.status !== 403 && e?.status !== 429) return null;
  const headers = e.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return Math.max(0, reset * 1000 - now);
  }
  return null;
}
