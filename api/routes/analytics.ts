import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { compareRuns } from '../../core/compare-runs.js';
import { RunComparisonSchema } from '../../core/run-summary.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBodySchema } from '../errors.js';
import { authorizeProject } from '../middleware/auth.js';
import { Uuid } from '../schemas/common.js';
import { CompareQuery } from '../schemas/compare.js';
import { TrendPoint } from '../schemas/trends.js';
import { requireProject } from '../services/access.js';
import { latencyHistogram } from '../services/latency-histogram.js';
import { compareRunPair } from '../services/run-comparison.js';
import { getRun } from '../services/runs.js';
import { judgeTrends } from '../services/trends.js';

const ProjectParams = z.object({ project_id: Uuid.openapi({ param: { name: 'project_id', in: 'path' } }) });

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

// Re-wrapped with the API's zod, which carries .openapi() (core's schemas are plain zod).
const ComparisonSchema = z.object(RunComparisonSchema.shape).openapi('RunComparison');

const SampleSideBySide = z.object({
  sample_key: z.string(),
  repetition: z.number().int(),
  input_text: z.string(),
  changed: z
    .boolean()
    .describe(
      "the model call's status or some judge's pass/fail differs between the runs (over every judge, whatever `judge` is)",
    ),
  baseline: z.object({
    result_id: z.string().nullable().describe("this run's result for the sample (null when it has none)"),
    llm_output: z.string().nullable(),
    status: z.string().nullable(),
    scores: z.record(z.string(), z.object({ score: z.number().nullable(), passed: z.boolean() })),
  }),
  candidate: z.object({
    result_id: z.string().nullable().describe("this run's result for the sample (null when it has none)"),
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
    'Compare two runs: per-judge tests (paired when possible, Holm-corrected) and per-sample side by side, filtered and ordered over the whole pair (paginated)',
  request: { query: CompareQuery },
  responses: {
    200: {
      description: 'comparison',
      content: {
        'application/json': {
          schema: ComparisonSchema.extend({
            samples: z.object({
              items: z.array(SampleSideBySide),
              total: z.number().int().describe('samples of the pair matching `judge` and `change`'),
              offset: z.number().int(),
              limit: z.number().int(),
            }),
          }),
        },
      },
    },
    400: {
      description: 'bad run ids, sort, judge or change',
      content: { 'application/json': { schema: ErrorBodySchema } },
    },
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

export function analyticsRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();

  app.openapi(trendsRoute, async (c) => {
    const { project_id } = c.req.valid('param');
    const q = c.req.valid('query');
    await requireProject(deps.dataSource, project_id);
    authorizeProject(c, project_id);
    const series = await judgeTrends(deps.dataSource, project_id, q);
    return c.json({ project_id, series }, 200);
  });

  app.openapi(compareRoute, async (c) => {
    const { run_ids, offset, limit, ...view } = c.req.valid('query');
    const [baselineId, candidateId] = run_ids;
    const [baseline, candidate] = await Promise.all([getRun(deps, baselineId), getRun(deps, candidateId)]);
    for (const run of [baseline, candidate]) authorizeProject(c, run.project_id);
    return c.json(await compareRunPair(deps.dataSource, baseline, candidate, { offset, limit }, view), 200);
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

  return app;
}
