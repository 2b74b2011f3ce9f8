import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { compareRuns } from '../../core/compare-runs.js';
import { DEFAULT_GATE_POLICY, decideGate } from '../../core/gate.js';
import { readRunSummary } from '../../core/run-summary.js';
import type { EvalRun } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBodySchema, notFound } from '../errors.js';
import { authorizeProject } from '../middleware/auth.js';
import { PaginationQuery, Timestamp, Uuid } from '../schemas/common.js';
import { renderBadge } from '../services/badge.js';
import { latencyHistogram } from '../services/latency-histogram.js';
import { compareRunPair } from '../services/run-comparison.js';
import { getRun } from '../services/runs.js';

const ProjectParams = z.object({ project_id: Uuid.openapi({ param: { name: 'project_id', in: 'path' } }) });

const TrendPoint = z.object({
  run_id: Uuid,
  created_at: Timestamp,
  git_branch: z.string().nullable(),
  git_commit_sha: z.string().nullable(),
  n: z.number().int(),
  mean_score: z.number().nullable(),
  pass_rate: z.number().nullable(),
  regression: z.boolean().describe('this run regressed on this judge against its baseline'),
});

const TrendsSchema = z
  .object({
    project_id: Uuid,
    series: z.array(z.object({ judge_type: z.string(), points: z.array(TrendPoint) })),
  })
  .openapi('Trends');

const trendsRoute = createRoute({
  method: 'get',
  path: '/api/eval/trends/{project_id}',
  tags: ['analytics'],
  summary: 'Per-judge mean score and pass rate over completed runs (oldest first)',
  request: {
    params: ProjectParams,
    query: z.object({
      dataset_id: Uuid.optional(),
      endpoint_id: Uuid.optional(),
      branch: z.string().max(255).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: {
    200: { description: 'series per judge', content: { 'application/json': { schema: TrendsSchema } } },
    404: { description: 'no such project', content: { 'application/json': { schema: ErrorBodySchema } } },
  },
});

const badgeRoute = createRoute({
  method: 'get',
  path: '/api/ci/badge/{project_id}',
  tags: ['ci'],
  summary: "SVG badge with the latest completed run's guardrail verdict and pass rate",
  request: { params: ProjectParams, query: z.object({ branch: z.string().max(255).optional() }) },
  responses: {
    200: { description: 'SVG', content: { 'image/svg+xml': { schema: z.string() } } },
    404: { description: 'no such project', content: { 'application/json': { schema: ErrorBodySchema } } },
  },
});

const JudgeRegressionSchema = z.object({
  judge_type: z.string(),
  verdict: z.enum(['regression', 'improvement', 'no_change', 'inconclusive']),
  reason: z.string(),
  test: z.string(),
  design: z.string(),
  n: z.number().int(),
  current_mean: z.number().nullable(),
  baseline_mean: z.number().nullable(),
  delta: z.number().nullable(),
  p_value: z.number().nullable(),
  adjusted_p_value: z.number().nullable(),
  ci: z.object({ lower: z.number(), upper: z.number(), level: z.number() }).passthrough().nullable(),
  mde: z.number().nullable(),
  minimum_effect: z.number(),
});

const ComparisonSchema = z
  .object({
    run_id: Uuid,
    baseline_run_id: Uuid.nullable(),
    paired: z.boolean(),
    correction: z.literal('holm'),
    alpha: z.number(),
    judges: z.array(JudgeRegressionSchema),
  })
  .openapi('RunComparison');

const SampleSideBySide = z.object({
  sample_key: z.string(),
  repetition: z.number().int(),
  input_text: z.string(),
  changed: z.boolean().describe('some judge passed in one run and failed in the other'),
  baseline: z.object({
    llm_output: z.string().nullable(),
    status: z.string().nullable(),
    scores: z.record(z.string(), z.object({ score: z.number().nullable(), passed: z.boolean() })),
  }),
  candidate: z.object({
    llm_output: z.string().nullable(),
    status: z.string().nullable(),
    scores: z.record(z.string(), z.object({ score: z.number().nullable(), passed: z.boolean() })),
  }),
});

const compareRoute = createRoute({
  method: 'get',
  path: '/api/eval/compare',
  tags: ['analytics'],
  summary:
    'Compare two runs: per-judge tests (paired when possible, Holm-corrected) and per-sample side by side',
  request: {
    query: PaginationQuery.extend({
      run_ids: z
        .string()
        .describe('`<baseline>,<candidate>` run ids')
        .transform((v) => v.split(',').map((x) => x.trim()))
        .pipe(z.tuple([Uuid, Uuid])),
    }),
  },
  responses: {
    200: {
      description: 'comparison',
      content: {
        'application/json': {
          schema: ComparisonSchema.extend({
            samples: z.object({
              items: z.array(SampleSideBySide),
              total: z.number().int(),
              offset: z.number().int(),
              limit: z.number().int(),
            }),
          }),
        },
      },
    },
    400: { description: 'bad run ids', content: { 'application/json': { schema: ErrorBodySchema } } },
    404: { description: 'no such run', content: { 'application/json': { schema: ErrorBodySchema } } },
  },
});

const regressionsRoute = createRoute({
  method: 'get',
  path: '/api/eval/regressions/{run_id}',
  tags: ['analytics'],
  summary: "Regression verdicts of a run against its baseline (stored by the run's regression stage)",
  request: { params: z.object({ run_id: Uuid.openapi({ param: { name: 'run_id', in: 'path' } }) }) },
  responses: {
    200: { description: 'verdicts', content: { 'application/json': { schema: ComparisonSchema } } },
    404: { description: 'no such run', content: { 'application/json': { schema: ErrorBodySchema } } },
  },
});

/** Histograms wider than this are unreadable at dashboard sizes. */
export const MAX_LATENCY_BINS = 200;

const LatencyHistogramSchema = z
  .object({
    run_id: Uuid,
    count: z.number().int().describe('succeeded results with a latency: all of them are binned'),
    excluded: z.number().int().describe('results left out: failed, or without a latency'),
    min_ms: z.number().nullable(),
    max_ms: z.number().nullable(),
    p50_ms: z.number().nullable(),
    p95_ms: z.number().nullable(),
    bin_width_ms: z.number().nullable().describe('1, 2 or 5 × 10ⁿ ms; null when nothing is binned'),
    bins: z
      .array(
        z.object({
          lower_ms: z.number().describe('inclusive'),
          upper_ms: z.number().describe('exclusive'),
          count: z.number().int(),
        }),
      )
      .describe('contiguous, empty bins included, lowest first'),
  })
  .openapi('LatencyHistogram');

const latencyHistogramRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}/latency-histogram',
  tags: ['analytics'],
  summary: "Latency histogram of all of a run's succeeded results, binned in the database",
  request: {
    params: z.object({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) }),
    query: z.object({
      bins: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_LATENCY_BINS)
        .default(30)
        .describe('at most this many bins (fewer when nice bin widths need fewer)'),
    }),
  },
  responses: {
    200: {
      description: 'histogram',
      content: { 'application/json': { schema: LatencyHistogramSchema } },
    },
    400: { description: 'bad id or bins', content: { 'application/json': { schema: ErrorBodySchema } } },
    404: { description: 'no such run', content: { 'application/json': { schema: ErrorBodySchema } } },
  },
});

/** Badges are polled by README renderers: a short shared cache keeps that load off the database. */
export const BADGE_MAX_AGE_S = 60;

interface SummaryJudges {
  judges?: Record<string, { n: number; mean_score: number | null; pass_rate: number | null }>;
  regressions?: { judges?: Array<{ judge_type: string; verdict: string }> };
  verdict?: 'pass' | 'fail';
  samples?: { total: number };
}

export function analyticsRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();

  const requireProject = async (id: string) => {
    const [row] = await deps.dataSource.query('SELECT id FROM projects WHERE id = $1', [id]);
    if (!row) throw notFound('project', id);
  };

  app.openapi(trendsRoute, async (c) => {
    const { project_id } = c.req.valid('param');
    const q = c.req.valid('query');
    await requireProject(project_id);
    authorizeProject(c, project_id);
    const params: unknown[] = [project_id];
    const where = [`project_id = $1`, `status = 'completed'`];
    for (const [column, value] of [
      ['dataset_id', q.dataset_id],
      ['endpoint_id', q.endpoint_id],
      ['git_branch', q.branch],
    ] as const) {
      if (value) {
        params.push(value);
        where.push(`${column} = $${params.length}`);
      }
    }
    params.push(q.limit);
    // The per-judge aggregates live in each run's summary: trends never scan judge_scores.
    const runs: Array<{
      id: string;
      created_at: Date;
      git_branch: string | null;
      git_commit_sha: string | null;
      summary: SummaryJudges;
    }> = await deps.dataSource.query(
      `SELECT * FROM (SELECT id, created_at, git_branch, git_commit_sha, summary FROM eval_runs
           WHERE ${where.join(' AND ')} ORDER BY created_at DESC LIMIT $${params.length}) latest
         ORDER BY created_at`,
      params,
    );
    const series = new Map<string, z.infer<typeof TrendPoint>[]>();
    for (const run of runs) {
      const regressed = new Set(
        (run.summary.regressions?.judges ?? [])
          .filter((j) => j.verdict === 'regression')
          .map((j) => j.judge_type),
      );
      for (const [judgeType, judge] of Object.entries(run.summary.judges ?? {})) {
        const points = series.get(judgeType) ?? [];
        points.push({
          run_id: run.id,
          created_at: new Date(run.created_at).toISOString(),
          git_branch: run.git_branch,
          git_commit_sha: run.git_commit_sha,
          n: judge.n,
          mean_score: judge.mean_score,
          pass_rate: judge.pass_rate,
          regression: regressed.has(judgeType),
        });
        series.set(judgeType, points);
      }
    }
    return c.json(
      { project_id, series: [...series].map(([judge_type, points]) => ({ judge_type, points })) },
      200,
    );
  });

  app.openapi(compareRoute, async (c) => {
    const { run_ids, offset, limit } = c.req.valid('query');
    const [baselineId, candidateId] = run_ids;
    const [baseline, candidate] = await Promise.all([getRun(deps, baselineId), getRun(deps, candidateId)]);
    for (const run of [baseline, candidate]) authorizeProject(c, run.project_id);
    return c.json(await compareRunPair(deps.dataSource, baseline, candidate, { offset, limit }), 200);
  });

  app.openapi(regressionsRoute, async (c) => {
    const run = await getRun(deps, c.req.valid('param').run_id);
    authorizeProject(c, run.project_id);
    const stored = (run.summary as { regressions?: z.infer<typeof ComparisonSchema> }).regressions;
    if (stored) return c.json(stored, 200);
    if (run.baseline_run_id)
      return c.json(await compareRuns(deps.dataSource, run.id, run.baseline_run_id), 200);
    return c.json(
      {
        run_id: run.id,
        baseline_run_id: null,
        paired: false,
        correction: 'holm' as const,
        alpha: 0.05,
        judges: [],
      },
      200,
    );
  });

  app.openapi(latencyHistogramRoute, async (c) => {
    const run = await getRun(deps, c.req.valid('param').id);
    authorizeProject(c, run.project_id);
    return c.json(await latencyHistogram(deps.dataSource, run.id, c.req.valid('query').bins), 200);
  });

  app.openapi(badgeRoute, async (c) => {
    const { project_id } = c.req.valid('param');
    const { branch } = c.req.valid('query');
    await requireProject(project_id);
    const params: unknown[] = [project_id];
    if (branch) params.push(branch);
    // The latest run that ended on its own: a cancelled run says nothing about the project.
    const [run]: EvalRun[] = await deps.dataSource.query(
      `SELECT status, error, summary FROM eval_runs
        WHERE project_id = $1 AND status IN ('completed', 'failed', 'budget_exceeded')
         ${branch ? 'AND git_branch = $2' : ''} ORDER BY completed_at DESC NULLS LAST LIMIT 1`,
      params,
    );
    const svg = renderBadge(run ? badgeState(run) : { message: 'no runs', color: 'lightgrey' });
    c.header('Content-Type', 'image/svg+xml; charset=utf-8');
    c.header('Cache-Control', `public, max-age=${BADGE_MAX_AGE_S}`);
    return c.body(svg, 200) as never;
  });

  return app;
}

/** The gate's state, with the mean pass rate over judges as a figure when it passed. */
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
