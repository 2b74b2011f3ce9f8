/** `evalforge run`: start a run (idempotently), optionally wait for it and gate on its verdict. */
import crypto from 'node:crypto';
import { runPageUrl } from '../../core/links.js';
import { boundedKey } from '../../github-app/run-keys.js';
import { readCiContext } from '../ci-context.js';
import { type CliContext, note, print, printJson } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { list, positiveInt, positiveNumber, required, usageError } from '../flags.js';
import { DEFAULT_GATES, evaluateGates, GATES, type Gate } from '../gate.js';
import { fetchRunReport, withGate, writeStepSummary } from '../report.js';
import { DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_S, type RunJson, waitForRun } from '../wait.js';

export interface RunFlags {
  project?: string;
  dataset?: string;
  endpoint?: string;
  'dataset-version'?: string;
  judges?: string;
  baseline?: string;
  repetitions?: string;
  budget?: string;
  cache?: boolean;
  sha?: string;
  branch?: string;
  'base-branch'?: string;
  pr?: string;
  'idempotency-key'?: string;
  wait?: boolean;
  'fail-on'?: string[];
  timeout?: string;
  'poll-interval'?: string;
}

export function parseGates(values: string[] | undefined): Gate[] {
  const names = list(values);
  if (!names) return DEFAULT_GATES;
  if (names.length === 1 && names[0] === 'none') return [];
  if (names.includes('both')) return [...GATES];
  for (const n of names) {
    if (!GATES.includes(n as Gate))
      throw usageError(`--fail-on takes ${GATES.join(', ')}, both or none, not "${n}"`);
  }
  return names as Gate[];
}

export async function runCommand(ctx: CliContext, f: RunFlags): Promise<number> {
  const project = required(f.project, 'project');
  const dataset = required(f.dataset, 'dataset');
  const endpoint = required(f.endpoint, 'endpoint');
  if (f['fail-on'] && !f.wait)
    throw usageError('--fail-on needs --wait (without it the run is not finished yet)');
  const gates = parseGates(f['fail-on']);
  const timeoutS = positiveNumber(f.timeout, 'timeout') ?? DEFAULT_WAIT_TIMEOUT_S;
  const pollMs =
    (positiveNumber(f['poll-interval'], 'poll-interval') ?? DEFAULT_POLL_INTERVAL_MS / 1000) * 1000;
  const ci = readCiContext(ctx.env);

  const body = dropUndefined({
    project_id: project,
    dataset_id: dataset,
    endpoint_id: endpoint,
    dataset_version: positiveInt(f['dataset-version'], 'dataset-version'),
    judges: list(f.judges),
    baseline_run_id: f.baseline,
    repetitions: positiveInt(f.repetitions, 'repetitions'),
    budget_usd: positiveNumber(f.budget, 'budget'),
    cache: f.cache,
    trigger_type: ci.inCi ? 'ci' : 'manual',
    git_commit_sha: f.sha ?? ci.sha,
    git_branch: f.branch ?? ci.branch,
    git_base_branch: f['base-branch'] ?? ci.baseBranch,
    pr_number: positiveInt(f.pr, 'pr') ?? ci.prNumber,
  });
  // One key per invocation, sent unchanged on every retry of the POST, so a retry whose first attempt
  // reached the server finds that run. In CI it is derived: a retried step (same workflow attempt and the
  // same request) finds the run it already started, while a second `evalforge run` in the job with other
  // options gets its own key instead of the server's 422 for a key reused with a different request.
  const key =
    f['idempotency-key'] ??
    boundedKey(
      ci.idempotencySeed
        ? `${ci.idempotencySeed}:${project}:${dataset}:${endpoint}:${requestDigest(body)}`
        : `cli:${crypto.randomUUID()}`,
    );
  const run = await ctx.api.post<RunJson>('/api/eval/run', {
    json: body,
    headers: { 'idempotency-key': key },
    retry: true,
  });
  const url = runPageUrl(ctx.api.baseUrl, run.id) as string;

  if (!f.wait) {
    if (ctx.json) printJson(ctx, run);
    else print(ctx, `run ${run.id} ${run.status}: ${url}`);
    return EXIT.OK;
  }
  if (!ctx.json) note(ctx, `run ${run.id} started: ${url}`);
  await waitForRun(ctx, run.id, { timeoutMs: timeoutS * 1000, pollMs });
  const report = await fetchRunReport(ctx, run.id, { failOnRegression: gates.includes('regression') });
  const gate = evaluateGates(report, gates);
  const markdown = withGate(report.markdown, gate.reasons);
  await writeStepSummary(ctx.env, markdown);
  if (ctx.json) {
    printJson(ctx, {
      ...report,
      gates,
      passed: gate.exitCode === EXIT.OK,
      reasons: gate.reasons,
      exit_code: gate.exitCode,
    });
  } else {
    print(ctx, markdown);
    for (const r of gate.reasons) note(ctx, r);
  }
  return gate.exitCode;
}

/** Short digest of the request body (keys sorted), for derived idempotency keys. */
const REQUEST_DIGEST_HEX_CHARS = 16;
function requestDigest(body: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(sorted))
    .digest('hex')
    .slice(0, REQUEST_DIGEST_HEX_CHARS);
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
