/**
 * CI without the GitHub App: a plain repository webhook (`POST /api/webhook/github`, HMAC-verified
 * with GITHUB_WEBHOOK_SECRET) starts runs for pushes and pull requests of linked repositories;
 * `GET /api/ci/status/{commit_sha}` tells a pipeline how its commit's runs went, and
 * `GET /api/ci/report/{run_id}` gives a run's PR-comment markdown (the CLI's step summary).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { decideGate, GateDecisionSchema, type GatePolicy, type GateState } from '../../core/gate.js';
import { runPageUrl } from '../../core/links.js';
import { buildRunReport } from '../../core/run-report.js';
import { RUN_VERDICTS, readRunSummary } from '../../core/run-summary.js';
import { EvalRun } from '../../db/entities/index.js';
import { touchesPaths } from '../../github-app/path-filter.js';
import { pullRequestRunKey, pushRunKey } from '../../github-app/run-keys.js';
import { signatureMatches } from '../../github-app/signature.js';
import { findRepositoryLink } from '../../github-app/store.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, ErrorBodySchema, errorBody, notFound } from '../errors.js';
import { authorizeProject, projectScope } from '../middleware/auth.js';
import { Timestamp, Uuid } from '../schemas/common.js';
import { RunSchema } from '../schemas/runs.js';
import { startRun } from '../services/runs.js';
import { serializeRun } from './runs.js';

/** `true` or `false` in a query string. */
const BooleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

const HANDLED_PR_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);
const ZERO_SHA = /^0+$/;
/** Runs listed per commit in a status answer. */
export const MAX_STATUS_RUNS = 50;

const Sha = z.string().regex(/^[0-9a-f]{7,40}$/i);
const Repository = z.object({ full_name: z.string().min(3) });
const PushEvent = z.object({
  ref: z.string(),
  after: Sha,
  deleted: z.boolean().optional(),
  repository: Repository,
  commits: z
    .array(
      z.object({
        added: z.array(z.string()).default([]),
        modified: z.array(z.string()).default([]),
        removed: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});
const PullRequestEvent = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  repository: Repository,
  pull_request: z.object({
    head: z.object({ ref: z.string().min(1), sha: Sha }),
    base: z.object({ ref: z.string().min(1) }),
  }),
});

type Outcome = { status: 202; body: Record<string, unknown> };
const ignored = (reason: string): Outcome => ({ status: 202, body: { ignored: true, reason } });

export function webhookRoutes(deps: ApiDeps, env: NodeJS.ProcessEnv = process.env) {
  const app = new OpenAPIHono();
  const secret = env.GITHUB_WEBHOOK_SECRET || null;
  const publicUrl = env.EVALFORGE_PUBLIC_URL?.replace(/\/+$/, '') || null;

  // Not an OpenAPI route: the body must stay raw bytes until its signature is checked.
  app.post('/api/webhook/github', async (c) => {
    if (!secret)
      return c.json(errorBody('webhook_not_configured', 'set GITHUB_WEBHOOK_SECRET on the server'), 503);
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!signatureMatches(secret, raw, c.req.header('x-hub-signature-256'))) {
      return c.json(errorBody('unauthorized', 'missing or invalid X-Hub-Signature-256'), 401);
    }
    const event = c.req.header('x-github-event');
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      return c.json(
        errorBody('bad_request', 'the body is not JSON (set the webhook content type to application/json)'),
        400,
      );
    }
    let outcome: Outcome;
    if (event === 'ping') outcome = { status: 202, body: { ok: true } };
    else if (event === 'push') outcome = await onPush(deps, PushEvent.parse(payload));
    else if (event === 'pull_request') outcome = await onPullRequest(deps, PullRequestEvent.parse(payload));
    else outcome = ignored(`event ${event ?? '(none)'} is not handled`);
    return c.json(outcome.body, outcome.status);
  });

  app.openapi(statusRoute, async (c) => {
    const sha = c.req.valid('param').commit_sha.toLowerCase();
    const query = c.req.valid('query');
    // A project key only ever sees its own project's runs, whatever project_id it asks for.
    if (query.project_id) authorizeProject(c, query.project_id);
    const scope = query.project_id ?? projectScope(c);
    const qb = deps.dataSource
      .getRepository(EvalRun)
      .createQueryBuilder('r')
      .where('r.git_commit_sha LIKE :sha', { sha: `${sha}%` });
    if (scope) qb.andWhere('r.project_id = :p', { p: scope });
    const runs = await qb.orderBy('r.created_at', 'DESC').take(MAX_STATUS_RUNS).getMany();
    if (runs.length === 0) throw notFound('runs for commit', sha);
    return c.json(commitStatus(sha, runs, { failOnRegression: query.fail_on_regression }), 200);
  });

  app.openapi(reportRoute, async (c) => {
    const { run_id } = c.req.valid('param');
    const policy = { failOnRegression: c.req.valid('query').fail_on_regression };
    const report = await buildRunReport(deps.dataSource, run_id, publicUrl, policy);
    if (!report) throw notFound('run', run_id);
    authorizeProject(c, report.run.project_id);
    return c.json(
      {
        run: serializeRun(report.run) as z.infer<typeof RunSchema>,
        url: runPageUrl(publicUrl, run_id),
        markdown: report.markdown,
        verdict: report.summary.verdict,
        gate: report.gate,
        blocking_failures: report.gate.blocking_failures,
        regressions: report.gate.regressions,
      },
      200,
    );
  });

  return app;
}

async function linkOr404(deps: ApiDeps, fullName: string) {
  const link = await findRepositoryLink(deps.dataSource, fullName);
  if (!link) {
    throw new ApiError(
      404,
      'repository_not_linked',
      `${fullName} is not linked to a project (PUT /api/github/repositories/${fullName})`,
    );
  }
  return link;
}

async function onPush(deps: ApiDeps, e: z.infer<typeof PushEvent>): Promise<Outcome> {
  if (!e.ref.startsWith('refs/heads/')) return ignored('not a branch push');
  if (e.deleted || ZERO_SHA.test(e.after)) return ignored('branch deleted');
  const link = await linkOr404(deps, e.repository.full_name);
  const branch = e.ref.slice('refs/heads/'.length);
  const changed = e.commits.flatMap((c) => [...c.added, ...c.modified, ...c.removed]);
  if (!touchesPaths(changed, link.path_filters)) return ignored('no changed file matches the path filters');
  return started(
    await startRun(deps, {
      project_id: link.project_id,
      dataset_id: link.dataset_id,
      endpoint_id: link.endpoint_id,
      trigger_type: 'ci',
      git_commit_sha: e.after,
      git_branch: branch,
      idempotency_key: pushRunKey(e.repository.full_name, branch, e.after),
    }),
  );
}

/** Pull request payloads carry no file list (that needs the App's API access): path filters apply to pushes only. */
async function onPullRequest(deps: ApiDeps, e: z.infer<typeof PullRequestEvent>): Promise<Outcome> {
  if (!HANDLED_PR_ACTIONS.has(e.action)) return ignored(`pull_request ${e.action} is not handled`);
  const link = await linkOr404(deps, e.repository.full_name);
  const { head, base } = e.pull_request;
  return started(
    await startRun(deps, {
      project_id: link.project_id,
      dataset_id: link.dataset_id,
      endpoint_id: link.endpoint_id,
      trigger_type: 'ci',
      git_commit_sha: head.sha,
      git_branch: head.ref,
      git_base_branch: base.ref,
      pr_number: e.number,
      idempotency_key: pullRequestRunKey(e.repository.full_name, e.number, head.sha),
    }),
  );
}

const started = ({ run, created }: { run: EvalRun; created: boolean }): Outcome => ({
  status: 202,
  body: { run_id: run.id, created, status: run.status },
});

const RunStateSchema = z.object({
  id: Uuid,
  project_id: Uuid,
  status: z.string(),
  verdict: z.enum(RUN_VERDICTS).nullable().describe('guardrail verdict; error: not evaluated'),
  gate: GateDecisionSchema,
  blocking_failures: z.array(z.string()),
  regressions: z.array(z.string()).describe('judges that regressed against the baseline'),
  trigger_type: z.string().nullable(),
  git_branch: z.string().nullable(),
  pr_number: z.number().int().nullable(),
  created_at: Timestamp,
  completed_at: Timestamp.nullable(),
});

const CommitStatusSchema = z
  .object({
    commit_sha: z.string(),
    state: z
      .enum(['pending', 'success', 'failure'])
      .describe(
        "over each project's latest run for the commit: success only when every one passed its gate (a run that failed, was cancelled or measured nothing is a failure)",
      ),
    runs: z.array(RunStateSchema),
  })
  .openapi('CommitStatus');

const statusRoute = createRoute({
  method: 'get',
  path: '/api/ci/status/{commit_sha}',
  tags: ['ci'],
  summary: "A commit's eval runs (newest first) and their combined state",
  request: {
    params: z.object({
      commit_sha: Sha.openapi({ param: { name: 'commit_sha', in: 'path' }, example: 'abc1234' }),
    }),
    query: z.object({
      project_id: Uuid.optional(),
      fail_on_regression: BooleanQuery.default(true).describe(
        'a regression against the baseline fails the state, as it fails the check run by default',
      ),
    }),
  },
  responses: {
    200: {
      description: 'runs for the commit',
      content: { 'application/json': { schema: CommitStatusSchema } },
    },
    400: { description: 'not a commit SHA', content: { 'application/json': { schema: ErrorBodySchema } } },
    403: {
      description: 'project_id of another project',
      content: { 'application/json': { schema: ErrorBodySchema } },
    },
    404: {
      description: 'no runs for this commit',
      content: { 'application/json': { schema: ErrorBodySchema } },
    },
  },
});

const RunReportSchema = z
  .object({
    run: RunSchema,
    url: z.string().nullable().describe('dashboard page (needs EVALFORGE_PUBLIC_URL)'),
    markdown: z.string().describe("the seed's PR-comment markdown"),
    verdict: z.enum(RUN_VERDICTS).nullable().describe('guardrail verdict; error: not evaluated'),
    gate: GateDecisionSchema.describe(
      "the gate's decision (regressions warn); the CLI applies its own --fail-on",
    ),
    blocking_failures: z.array(z.string()),
    regressions: z.array(z.string()).describe('judges that regressed against the baseline'),
  })
  .openapi('RunReport');

const reportRoute = createRoute({
  method: 'get',
  path: '/api/ci/report/{run_id}',
  tags: ['ci'],
  summary: "A run's report: the PR-comment markdown and the lists a CI gate needs",
  request: {
    params: z.object({ run_id: Uuid.openapi({ param: { name: 'run_id', in: 'path' } }) }),
    query: z.object({
      fail_on_regression: BooleanQuery.default(false).describe(
        "the gate's policy: a regression fails it (the CLI's --fail-on regression)",
      ),
    }),
  },
  responses: {
    200: { description: 'the report', content: { 'application/json': { schema: RunReportSchema } } },
    404: { description: 'no such run', content: { 'application/json': { schema: ErrorBodySchema } } },
  },
});

function commitStatus(sha: string, runs: EvalRun[], policy: GatePolicy) {
  const rows = runs.map((r) => {
    const summary = readRunSummary(r.summary);
    const gate = decideGate(r, summary, policy);
    return {
      id: r.id,
      project_id: r.project_id,
      status: r.status,
      verdict: summary.verdict,
      gate,
      blocking_failures: gate.blocking_failures,
      regressions: gate.regressions,
      trigger_type: r.trigger_type,
      git_branch: r.git_branch,
      pr_number: r.pr_number,
      created_at: new Date(r.created_at).toISOString(),
      completed_at: r.completed_at ? new Date(r.completed_at).toISOString() : null,
    };
  });
  // Rows are newest first: the first per project is its latest run, which decides that project's state.
  const latestByProject = new Map<string, GateState>();
  for (const r of rows)
    if (!latestByProject.has(r.project_id)) latestByProject.set(r.project_id, r.gate.state);
  const states = [...latestByProject.values()];
  const state = states.includes('pending')
    ? 'pending'
    : states.every((s) => s === 'pass')
      ? 'success'
      : 'failure';
  return { commit_sha: sha, state, runs: rows } as const;
}
