/** `evalforge runs show` and `evalforge runs compare`. */

import { isFinalRunStatus } from '../../core/run-status.js';
import { isMissingRoute } from '../api-client.js';
import { type CliContext, print, printJson } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { usageError } from '../flags.js';
import { fetchRunReport } from '../report.js';
import type { RunJson } from '../wait.js';

export async function runsShow(ctx: CliContext, args: string[]): Promise<number> {
  if (args.length !== 1) throw usageError('usage: evalforge runs show <run-id>');
  const runId = args[0];
  if (ctx.json) {
    printJson(ctx, await ctx.api.get<RunJson>(`/api/eval/runs/${encodeURIComponent(runId)}`));
    return EXIT.OK;
  }
  const report = await fetchRunReport(ctx, runId);
  const { run } = report;
  if (!isFinalRunStatus(run.status)) print(ctx, `run ${run.id} is ${run.status}: ${report.url}`);
  else print(ctx, report.markdown);
  return EXIT.OK;
}

export async function runsCompare(ctx: CliContext, args: string[]): Promise<number> {
  if (args.length !== 2) throw usageError('usage: evalforge runs compare <run-id> <run-id>');
  let comparison: unknown;
  try {
    comparison = await ctx.api.get('/api/eval/compare', { query: { run_ids: args.join(',') } });
  } catch (err) {
    if (isMissingRoute(err)) {
      throw new CliError(
        `the EvalForge server at ${ctx.api.baseUrl} has no run comparison (GET /api/eval/compare); upgrade the server`,
        EXIT.API_ERROR,
      );
    }
    throw err;
  }
  // The comparison is a nested report; JSON is its faithful form in a terminal too.
  printJson(ctx, comparison);
  return EXIT.OK;
}
