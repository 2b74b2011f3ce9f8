/**
 * What a CI pipeline reads: `GET /api/ci/status/{commit_sha}` (how a commit's runs went, combined),
 * `GET /api/ci/report/{run_id}` (a run's PR-comment markdown and gate: the CLI's step summary) and
 * `GET /api/ci/badge/{project_id}` (an SVG for READMEs). Every verdict comes from core/gate.ts.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { commitStatus } from '../../core/ci-status.js';
import { DEFAULT_GATE_POLICY, decideGate, GateDecisionSchema } from '../../core/gate.js';
import { runPageUrl } from '../../core/links.js';
import { buildRunReport } from '../../core/run-report.js';
import { RUN_VERDICTS, readRunSummary } from '../../core/run-summary.js';
import type { EvalRun } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBodySchema, notFound } from '../errors.js';
import { authorizeProject, projectScope } from '../middleware/auth.js';
import { CommitSha, Timestamp, Uuid } from '../schemas/common.js';
import { RunSchema } from '../schemas/runs.js';
import { requireProject } from '../services/access.js';
import { renderBadge } from '../services/badge.js';
import { latestFinishedRun, runsForCommit } from '../services/ci.js';
import { serializeRun } from './runs.js';

/** `true` or `false` in a query string. */
const BooleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
/** Badges are polled by README renderers: a short shared cache keeps that load off the database. */
export const BADGE_MAX_AGE_S = 60;

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
      commit_sha: CommitSha.openapi({ param: { name: 'commit_sha', in: 'path' }, example: 'abc1234' }),
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

const badgeRoute = createRoute({
  method: 'get',
  path: '/api/ci/badge/{project_id}',
  tags: ['ci'],
  // Public: README renderers fetch it without a key.
  security: [],
  summary: "SVG badge with the gate's state of the latest finished run (a cancelled run does not count)",
  request: {
    params: z.object({ project_id: Uuid.openapi({ param: { name: 'project_id', in: 'path' } }) }),
    query: z.object({ branch: z.string().max(255).optional() }),
  },
  responses: {
    200: { description: 'SVG', content: { 'image/svg+xml': { schema: z.string() } } },
    404: { description: 'no such project', content: { 'application/json': { schema: ErrorBodySchema } } },
  },
});

export function ciRoutes(deps: ApiDeps, env: NodeJS.ProcessEnv = process.env) {
  const app = new OpenAPIHono();
  const publicUrl = env.EVALFORGE_PUBLIC_URL?.replace(/\/+$/, '') || null;

  app.openapi(statusRoute, async (c) => {
    const sha = c.req.valid('param').commit_sha.toLowerCase();
    const query = c.req.valid('query');
    // A project key only ever sees its own project's runs, whatever project_id it asks for.
    if (query.project_id) authorizeProject(c, query.project_id);
    const scope = query.project_id ?? projectScope(c);
    const runs = await runsForCommit(deps.dataSource, sha, scope);
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

  app.openapi(badgeRoute, async (c) => {
    const { project_id } = c.req.valid('param');
    await requireProject(deps.dataSource, project_id);
    const run = await latestFinishedRun(deps.dataSource, project_id, c.req.valid('query').branch);
    const svg = renderBadge(run ? badgeState(run) : { message: 'no runs', color: 'lightgrey' });
    c.header('Content-Type', 'image/svg+xml; charset=utf-8');
    c.header('Cache-Control', `public, max-age=${BADGE_MAX_AGE_S}`);
    return c.body(svg, 200) as never;
  });

  return app;
}

/** The gate's state, with the mean pass rate over judges as a figure when it passed or failed. */
function badgeState(run: Pick<EvalRun, 'status' | 'error' | 'summary'>) {
  const summary = readRunSummary(run.summary);
  const gate = decideGate(run, summary, DEFAULT_GATE_POLICY);
  if (gate.state !== 'pass' && gate.state !== 'fail') return { message: 'not evaluated', color: 'orange' };
  const rates = Object.values(summary.judges)
    .map((j) => j.pass_rate)
    .filter((r): r is number => r !== null);
  const rate = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
  const pct = rate === null ? '' : ` ${(rate * 100).toFixed(0)}%`;
  return gate.state === 'fail'
    ? { message: `failing${pct}`, color: 'red' }
    : { message: `passing${pct}`, color: 'brightgreen' };
}
