/**
 * `evalforge run`: start a run (idempotently) — from ids (`--dataset --endpoint`) or from the repository's
 * evalforge.yaml (`-c`) — optionally wait for it and gate on its verdict.
 */
import crypto from 'node:crypto';
import { runPageUrl } from '../../core/links.js';
import { boundedKey } from '../../github-app/run-keys.js';
import { isMissingRoute } from '../api-client.js';
import { type CiContext, readCiContext } from '../ci-context.js';
import { formatIssue, readConfigFile } from '../config-file.js';
import { type CliContext, note, print, printJson } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { list, positiveInt, positiveNumber, required, usageError } from '../flags.js';
import { DEFAULT_GATES, evaluateGates, GATES, type Gate } from '../gate.js';
import { writeGithubOutput } from '../github-output.js';
import { markdownToTerminal } from '../markdown-terminal.js';
import { fetchRunReport, withGate, writeStepSummary } from '../report.js';
import { resolveDataset, resolveEndpoint, resolveProject, resolveRun } from '../resolve.js';
import { DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_S, type RunJson, waitForRun } from '../wait.js';

export interface RunFlags {
  project?: string;
  config?: string;
  root?: string;
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
  'no-cancel-on-timeout'?: boolean;
  markdown?: boolean;
}

/** Flags that an evalforge.yaml states itself (a run from a config takes them from the file only). */
const CONFIG_OWNED_FLAGS = [
  'dataset',
  'endpoint',
  'dataset-version',
  'judges',
  'repetitions',
  'cache',
] as const;

export const CONFIG_RUNS_PATH = '/api/eval/config-runs';

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

/** What starts the run: the route, its body, and what (besides the body) tells two runs of one job apart. */
interface StartRequest {
  path: string;
  body: Record<string, unknown>;
  keyScope: string;
  /** The config file as named, for messages about it. */
  configFile?: string;
}

function gitContext(f: RunFlags, ci: CiContext) {
  return {
    git_commit_sha: f.sha ?? ci.sha,
    git_branch: f.branch ?? ci.branch,
    git_base_branch: f['base-branch'] ?? ci.baseBranch,
    pr_number: positiveInt(f.pr, 'pr') ?? ci.prNumber,
  };
}

async function idsRequest(ctx: CliContext, f: RunFlags, ci: CiContext): Promise<StartRequest> {
  if (f.root) throw usageError('--root goes with -c <evalforge.yaml>');
  required(f.project, 'project');
  if (!f.dataset && !f.endpoint)
    throw usageError('give -c <evalforge.yaml>, or --dataset <name|id> and --endpoint <name|id>');
  required(f.dataset, 'dataset');
  required(f.endpoint, 'endpoint');
  positiveInt(f['dataset-version'], 'dataset-version');
  positiveInt(f.repetitions, 'repetitions');
  positiveNumber(f.budget, 'budget');
  positiveInt(f.pr, 'pr');
  // Names become ids only once the command line is known to be good.
  const project = await resolveProject(ctx, f.project as string);
  const dataset = await resolveDataset(ctx, f.dataset as string, project);
  const endpoint = await resolveEndpoint(ctx, f.endpoint as string, project);
  const baseline =
    f.baseline && (await resolveRun(ctx, f.baseline, { projectId: project, flag: '--baseline' }));
  const body = dropUndefined({
    project_id: project,
    dataset_id: dataset,
    endpoint_id: endpoint,
    dataset_version: positiveInt(f['dataset-version'], 'dataset-version'),
    judges: list(f.judges),
    baseline_run_id: baseline,
    repetitions: positiveInt(f.repetitions, 'repetitions'),
    budget_usd: positiveNumber(f.budget, 'budget'),
    cache: f.cache,
    trigger_type: ci.inCi ? 'ci' : 'manual',
    ...gitContext(f, ci),
  });
  return { path: '/api/eval/run', body, keyScope: `${project}:${dataset}:${endpoint}` };
}

async function configRequest(
  ctx: CliContext,
  f: RunFlags & { config: string },
  ci: CiContext,
): Promise<StartRequest> {
  for (const flag of CONFIG_OWNED_FLAGS) {
    if (f[flag] !== undefined) throw usageError(`--${flag} does not go with -c: ${f.config} says it`);
  }
  required(f.project, 'project');
  positiveNumber(f.budget, 'budget');
  positiveInt(f.pr, 'pr');
  const checked = readConfigFile(f.config, { root: f.root });
  if (!checked.config) {
    for (const issue of checked.issues) ctx.stderr.write(`${formatIssue(f.config, issue)}\n`);
    const n = checked.issues.length;
    throw usageError(`${f.config} is not valid (${n} problem${n === 1 ? '' : 's'}); no run was started`);
  }
  if (checked.configPath === null)
    throw usageError(`${f.config} is not under the repository root ${checked.root} (--root)`);
  const project = await resolveProject(ctx, f.project as string);
  const baseline =
    f.baseline && (await resolveRun(ctx, f.baseline, { projectId: project, flag: '--baseline' }));
  const body = dropUndefined({
    project_id: project,
    config: checked.config,
    config_path: checked.configPath,
    files: Object.keys(checked.files).length ? checked.files : undefined,
    trigger_type: ci.inCi ? 'ci' : 'manual',
    baseline_run_id: baseline,
    budget_usd: positiveNumber(f.budget, 'budget'),
    ...gitContext(f, ci),
  });
  return {
    path: CONFIG_RUNS_PATH,
    body,
    keyScope: `${project}:config:${checked.configPath}`,
    configFile: f.config,
  };
}

async function startRun(ctx: CliContext, start: StartRequest, key: string): Promise<RunJson> {
  try {
    return await ctx.api.post<RunJson>(start.path, {
      json: start.body,
      headers: { 'idempotency-key': key },
      retry: true,
    });
  } catch (err) {
    if (isMissingRoute(err)) {
      throw new CliError(
        `the EvalForge server at ${ctx.api.baseUrl} cannot run an evalforge.yaml (no POST ${start.path}); upgrade the server`,
        EXIT.API_ERROR,
      );
    }
    const refused = err as CliError & { code?: string; details?: { issues?: unknown } };
    const issues = refused.details?.issues;
    if (start.configFile && refused.code === 'invalid_config' && Array.isArray(issues)) {
      const lines = issues.map((i: { path?: unknown; message?: unknown }) =>
        formatIssue(start.configFile as string, { path: String(i.path ?? ''), message: String(i.message) }),
      );
      throw new CliError(
        `the server refused ${start.configFile}:\n${lines.join('\n')}`,
        refused.exitCode ?? EXIT.API_ERROR,
      );
    }
    throw err;
  }
}

export async function runCommand(ctx: CliContext, f: RunFlags): Promise<number> {
  if (f['fail-on'] && !f.wait)
    throw usageError('--fail-on needs --wait (without it the run is not finished yet)');
  if (f['no-cancel-on-timeout'] && !f.wait) throw usageError('--no-cancel-on-timeout goes with --wait');
  const gates = parseGates(f['fail-on']);
  const timeoutS = positiveNumber(f.timeout, 'timeout') ?? DEFAULT_WAIT_TIMEOUT_S;
  const pollMs =
    (positiveNumber(f['poll-interval'], 'poll-interval') ?? DEFAULT_POLL_INTERVAL_MS / 1000) * 1000;
  const ci = readCiContext(ctx.env);
  if (f.markdown && ctx.json) throw usageError('--json and --markdown do not go together');
  const start = f.config
    ? await configRequest(ctx, { ...f, config: f.config }, ci)
    : await idsRequest(ctx, f, ci);

  // One key per invocation, sent unchanged on every retry of the POST, so a retry whose first attempt
  // reached the server finds that run. In CI it is derived: a retried step (same workflow attempt and the
  // same request) finds the run it already started, while a second `evalforge run` in the job with other
  // options gets its own key instead of the server's 422 for a key reused with a different request.
  const key =
    f['idempotency-key'] ??
    boundedKey(
      ci.idempotencySeed
        ? `${ci.idempotencySeed}:${start.keyScope}:${requestDigest(start.body)}`
        : `cli:${crypto.randomUUID()}`,
    );
  const run = await startRun(ctx, start, key);
  const url = runPageUrl(ctx.api.baseUrl, run.id) as string;
  // The run exists: CI learns its id now, before a wait that may time out or a job that may be cancelled.
  writeGithubOutput(ctx.env, 'run-id', run.id);

  if (!f.wait) {
    if (ctx.json) printJson(ctx, run);
    else print(ctx, `run ${run.id} ${run.status}: ${url}`);
    return EXIT.OK;
  }
  note(ctx, `run ${run.id} started: ${url}`);
  try {
    await waitForRun(ctx, run.id, { timeoutMs: timeoutS * 1000, pollMs });
  } catch (err) {
    if (!(err instanceof CliError) || err.exitCode !== EXIT.TIMEOUT) throw err;
    return timedOut(ctx, run, url, err.message, !f['no-cancel-on-timeout']);
  }
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
    // The step summary keeps the Markdown; a terminal or CI log gets it as plain text.
    print(ctx, f.markdown ? markdown : markdownToTerminal(markdown));
    for (const r of gate.reasons) note(ctx, r);
  }
  return gate.exitCode;
}

/** --wait ran out: cancel the run (unless told not to) so an abandoned wait leaves no run spending money. */
async function timedOut(
  ctx: CliContext,
  run: RunJson,
  url: string,
  message: string,
  cancel: boolean,
): Promise<number> {
  let outcome = 'it goes on on the server (--no-cancel-on-timeout)';
  let cancelled = false;
  if (cancel) {
    try {
      await ctx.api.post(`/api/eval/runs/${encodeURIComponent(run.id)}/cancel`, { retry: true });
      cancelled = true;
      outcome = 'cancelled it (pass --no-cancel-on-timeout to let it go on)';
    } catch (err) {
      outcome =
        (err as { code?: string }).code === 'run_finished'
          ? 'it finished just now, so it was not cancelled'
          : `could not cancel it, it goes on on the server: ${(err as Error).message}`;
    }
  }
  const reason = `${message}; ${outcome}`;
  note(ctx, reason);
  await writeStepSummary(
    ctx.env,
    `**EvalForge:** ⏱ run [${run.id}](${url}) ${reason.replace(/^run \S+ /, '')}`,
  );
  if (ctx.json) {
    printJson(ctx, {
      run: { id: run.id },
      url,
      passed: false,
      timed_out: true,
      cancelled,
      reasons: [reason],
      exit_code: EXIT.TIMEOUT,
    });
  }
  return EXIT.TIMEOUT;
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
