/**
 * Polls a run until it reaches a final status. The run's row decides (GET /api/eval/runs/{id});
 * live progress (GET …/status, a workflow query) only feeds the display and may be slow or fail
 * without stopping the wait.
 */
import { isFinalRunStatus, type RunStatus } from '../core/run-status.js';
import { sleep } from './api-client.js';
import { type CliContext, note } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { createProgressReporter, type RunProgress } from './progress.js';

export const DEFAULT_POLL_INTERVAL_MS = 2_000;
export const DEFAULT_WAIT_TIMEOUT_S = 3_600;
/** Polls that may fail in a row (server restarting, network blip) before --wait gives up. */
export const MAX_POLL_FAILURES = 10;
/** Progress is a nicety: a slow answer is skipped rather than waited for. */
export const PROGRESS_TIMEOUT_MS = 2_000;

export interface RunJson {
  id: string;
  status: RunStatus;
  error: string | null;
  summary: Record<string, unknown>;
  git_commit_sha: string | null;
  git_branch: string | null;
  [key: string]: unknown;
}

export async function waitForRun(
  ctx: CliContext,
  runId: string,
  opts: { timeoutMs: number; pollMs: number },
): Promise<RunJson> {
  const deadline = Date.now() + opts.timeoutMs;
  const path = `/api/eval/runs/${encodeURIComponent(runId)}`;
  const progress = createProgressReporter(ctx.stderr, {
    interactive: Boolean(ctx.stderr.isTTY) && ctx.env.CI !== 'true',
    quiet: ctx.json,
    runId,
  });
  let failures = 0;
  try {
    for (;;) {
      try {
        const run = await ctx.api.get<RunJson>(path);
        failures = 0;
        if (isFinalRunStatus(run.status)) return run;
      } catch (err) {
        if (
          !(err instanceof CliError) ||
          err.exitCode !== EXIT.UNAVAILABLE ||
          ++failures >= MAX_POLL_FAILURES
        )
          throw err;
        if (!ctx.json) note(ctx, `${err.message} (retrying)`);
      }
      if (!ctx.json) {
        await ctx.api
          .get<RunProgress>(`${path}/status`, { retry: false, timeoutMs: PROGRESS_TIMEOUT_MS })
          .then((p) => progress.update(p))
          .catch(() => {});
      }
      if (Date.now() + opts.pollMs > deadline) {
        throw new CliError(
          `run ${runId} has not finished after ${Math.round(opts.timeoutMs / 1000)} s`,
          EXIT.TIMEOUT,
        );
      }
      await sleep(opts.pollMs);
    }
  } finally {
    progress.finish();
  }
}
