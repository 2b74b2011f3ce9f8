import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify';
import type { Context } from 'hono';
import { stream, streamSSE } from 'hono/streaming';
import { In } from 'typeorm';
import { DEFAULT_GATE_POLICY, decideGate } from '../../core/gate.js';
import { isFinalRunStatus } from '../../core/run-status.js';
import { readRunSummary } from '../../core/run-summary.js';
import { DatasetVersion, EvalDataset, type EvalRun, LlmEndpoint } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, ErrorBodySchema, notFound } from '../errors.js';
import { authorizeProject, projectScope } from '../middleware/auth.js';
import { IdParams, paginated, Uuid } from '../schemas/common.js';
import {
  ExportQuery,
  PatchRunBody,
  ProgressSchema,
  ResultListQuery,
  ResultSchema,
  RunListQuery,
  RunSchema,
  ScoreSchema,
  StartRunBody,
} from '../schemas/runs.js';
import { csvRecords } from '../services/run-export.js';
import { iterateResults, listResults, resultScores, resultsSince } from '../services/run-results.js';
import {
  cancelRun,
  getRun,
  getRunProgress,
  listRuns,
  startRun,
  updateRunMetadata,
} from '../services/runs.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  400: json(ErrorBodySchema, 'invalid input'),
  404: json(ErrorBodySchema, 'not found'),
};

/** How often the event stream looks for progress and new results. */
export const EVENTS_POLL_MS = 1_000;
/** Results sent per poll; a full batch means more are waiting, so `done` waits for the next poll. */
const EVENTS_BATCH = 500;

export function serializeRun(run: EvalRun) {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: run.id,
    project_id: run.project_id,
    name: run.name ?? null,
    labels: run.labels ?? [],
    dataset_id: run.dataset_id,
    dataset_version_id: run.dataset_version_id,
    endpoint_id: run.endpoint_id,
    baseline_run_id: run.baseline_run_id,
    status: run.status,
    trigger_type: run.trigger_type,
    git_commit_sha: run.git_commit_sha,
    git_branch: run.git_branch,
    git_base_branch: run.git_base_branch,
    pr_number: run.pr_number,
    workflow_id: run.workflow_id,
    repetitions: run.repetitions,
    use_cache: run.use_cache,
    budget_usd: run.budget_usd,
    total_samples: run.total_samples,
    input_tokens: run.input_tokens,
    output_tokens: run.output_tokens,
    cost_usd: run.cost_usd,
    judge_cost_usd: run.judge_cost_usd,
    started_at: iso(run.started_at),
    completed_at: iso(run.completed_at),
    cancelled_at: iso(run.cancelled_at),
    error: run.error,
    summary: run.summary,
    gate: decideGate(run, readRunSummary(run.summary), DEFAULT_GATE_POLICY),
    config: run.config,
    created_at: new Date(run.created_at).toISOString(),
  };
}

/**
 * What a run list needs to tell runs apart besides their id: the endpoint (name and model) and the
 * dataset (name and version number), looked up once per page.
 */
export async function runIdentities(deps: Pick<ApiDeps, 'dataSource'>, runs: EvalRun[]) {
  const unique = (ids: string[]) => [...new Set(ids)];
  const [endpoints, versions] = await Promise.all([
    runs.length
      ? deps.dataSource.getRepository(LlmEndpoint).findBy({ id: In(unique(runs.map((r) => r.endpoint_id))) })
      : [],
    runs.length
      ? deps.dataSource
          .getRepository(DatasetVersion)
          .findBy({ id: In(unique(runs.map((r) => r.dataset_version_id))) })
      : [],
  ]);
  const datasets = runs.length
    ? await deps.dataSource
        .getRepository(EvalDataset)
        .findBy({ id: In(unique(runs.map((r) => r.dataset_id))) })
    : [];
  const endpointById = new Map(endpoints.map((e) => [e.id, e]));
  const versionById = new Map(versions.map((v) => [v.id, v]));
  const datasetById = new Map(datasets.map((d) => [d.id, d]));
  return (run: EvalRun) => ({
    endpoint_name: endpointById.get(run.endpoint_id)?.name ?? null,
    model_name: endpointById.get(run.endpoint_id)?.model_name ?? null,
    dataset_name: datasetById.get(run.dataset_id)?.name ?? null,
    dataset_version: versionById.get(run.dataset_version_id)?.version ?? null,
  });
}

const startRoute = createRoute({
  method: 'post',
  path: '/api/eval/run',
  tags: ['runs'],
  summary: 'Start an eval run (idempotent with an Idempotency-Key header)',
  description:
    'With an `Idempotency-Key` header (IETF Idempotency-Key draft) the key is bound to the request: sending it again with the same body answers 200 with the run it created, whatever state that run is in (a finished or cancelled run is never started again); sending it with a different body is refused with 422 `idempotency_key_reused`.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
    body: { required: true, content: { 'application/json': { schema: StartRunBody } } },
  },
  responses: {
    201: json(RunSchema, 'run created and its workflow started'),
    200: json(RunSchema, 'a run with this Idempotency-Key and the same request already exists'),
    ...errors,
    409: json(ErrorBodySchema, 'dataset or endpoint archived'),
    422: json(
      ErrorBodySchema,
      'dataset version has no samples, or the Idempotency-Key was used with a different request (`idempotency_key_reused`)',
    ),
    503: json(ErrorBodySchema, 'Temporal unavailable; retry'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs',
  tags: ['runs'],
  summary: 'List runs (newest first)',
  request: { query: RunListQuery },
  responses: { 200: json(paginated(RunSchema), 'a page of runs'), 400: errors[400] },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}',
  tags: ['runs'],
  summary: 'A run with its summary',
  request: { params: IdParams },
  responses: { 200: json(RunSchema, 'the run'), ...errors },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/api/eval/runs/{id}',
  tags: ['runs'],
  summary: 'Rename or relabel a run (any status): `name` (null clears it), `labels` (replaces the set)',
  request: {
    params: IdParams,
    body: { required: true, content: { 'application/json': { schema: PatchRunBody } } },
  },
  responses: {
    200: json(RunSchema, 'the run as it is now'),
    ...errors,
    422: json(ErrorBodySchema, 'text PostgreSQL cannot store'),
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}/status',
  tags: ['runs'],
  summary:
    "Live progress (from the workflow's progress query while it runs; from the stored run when it has finished or the query does not answer; `source` says which)",
  request: { params: IdParams },
  responses: { 200: json(ProgressSchema, 'progress'), ...errors },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/api/eval/runs/{id}/cancel',
  tags: ['runs'],
  summary: 'Cancel a run: stops new work, keeps the results it has',
  request: { params: IdParams },
  responses: {
    202: json(RunSchema, 'cancellation requested'),
    ...errors,
    409: json(ErrorBodySchema, 'the run has already finished'),
  },
});

const resultsRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}/results',
  tags: ['runs'],
  summary: 'Per-sample results with their judge scores (filtered, sorted and paginated on the server)',
  request: { params: IdParams, query: ResultListQuery },
  responses: { 200: json(paginated(ResultSchema), 'a page of results'), ...errors },
});

const scoresRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}/results/{result_id}/scores',
  tags: ['runs'],
  summary: "One result's judge scores",
  request: {
    params: IdParams.extend({ result_id: Uuid.openapi({ param: { name: 'result_id', in: 'path' } }) }),
  },
  responses: { 200: json(z.array(ScoreSchema), 'scores'), ...errors },
});

const eventsRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}/events',
  tags: ['runs'],
  summary: 'Server-sent events: `progress` while running, `result` as results complete, `done` at the end',
  request: { params: IdParams },
  responses: {
    200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errors,
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}/export',
  tags: ['runs'],
  summary: 'Every result with its scores as CSV or JSON (streamed)',
  request: { params: IdParams, query: ExportQuery },
  responses: {
    200: {
      description: 'the export',
      content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.array(ResultSchema) } },
    },
    ...errors,
  },
});

export function runRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  /** The run, if the caller's key may see its project (404 when missing, 403 when another project's). */
  const ownedRun = async (c: Context, id: string) => {
    const run = await getRun(deps, id);
    authorizeProject(c, run.project_id);
    return run;
  };

  app.openapi(startRoute, async (c) => {
    const body = c.req.valid('json');
    authorizeProject(c, body.project_id);
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const { run, created } = await startRun(deps, { ...body, idempotency_key: idempotencyKey });
    return c.json(serializeRun(run), created ? 201 : 200);
  });

  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const scope = projectScope(c);
    if (scope && q.project_id && q.project_id !== scope) {
      throw new ApiError(403, 'forbidden', 'this API key belongs to another project');
    }
    const [rows, total] = await listRuns(deps.dataSource, { ...q, project_id: scope ?? q.project_id });
    const identity = await runIdentities(deps, rows);
    const items = rows.map((r) => ({ ...serializeRun(r), ...identity(r) }));
    return c.json({ items, total, offset: q.offset, limit: q.limit }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const run = await ownedRun(c, c.req.valid('param').id);
    const identity = await runIdentities(deps, [run]);
    return c.json({ ...serializeRun(run), ...identity(run) }, 200);
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    await ownedRun(c, id);
    return c.json(serializeRun(await updateRunMetadata(deps, id, c.req.valid('json'))), 200);
  });

  app.openapi(statusRoute, async (c) => {
    const run = await ownedRun(c, c.req.valid('param').id);
    return c.json(await getRunProgress(deps, run), 200);
  });

  app.openapi(cancelRoute, async (c) => {
    await ownedRun(c, c.req.valid('param').id);
    const run = await cancelRun(deps, c.req.valid('param').id);
    return c.json(serializeRun(run), 202);
  });

  app.openapi(resultsRoute, async (c) => {
    const { id } = c.req.valid('param');
    const run = await ownedRun(c, id);
    const { offset, limit, sort, ...filter } = c.req.valid('query');
    const page = await listResults(
      deps.dataSource,
      id,
      filter,
      { offset, limit },
      { runFinished: isFinalRunStatus(run.status), repetitions: run.repetitions, sort },
    );
    return c.json(page, 200);
  });

  app.openapi(scoresRoute, async (c) => {
    const { id, result_id } = c.req.valid('param');
    await ownedRun(c, id);
    const scores = await resultScores(deps.dataSource, id, result_id);
    if (!scores) throw notFound(`result ${result_id} of run`, id);
    return c.json(scores as z.infer<typeof ScoreSchema>[], 200);
  });

  app.openapi(eventsRoute, async (c) => {
    const runId = c.req.valid('param').id;
    await ownedRun(c, runId);
    return streamSSE(c, async (sse) => {
      let lastSeen = new Date(0);
      let aborted = false;
      sse.onAbort(() => {
        aborted = true;
      });
      while (!aborted) {
        const run = await getRun(deps, runId);
        const progress = await getRunProgress(deps, run);
        await sse.writeSSE({ event: 'progress', data: JSON.stringify(progress) });
        const fresh = await resultsSince(deps.dataSource, runId, lastSeen, EVENTS_BATCH);
        for (const r of fresh) {
          await sse.writeSSE({
            event: 'result',
            id: r.id,
            data: JSON.stringify({ id: r.id, sample_id: r.sample_id, status: r.status }),
          });
          lastSeen = r.created_at;
        }
        if (isFinalRunStatus(run.status) && fresh.length < EVENTS_BATCH) {
          await sse.writeSSE({ event: 'done', data: JSON.stringify(serializeRun(run)) });
          return;
        }
        await sse.sleep(EVENTS_POLL_MS);
      }
    });
  });

  app.openapi(exportRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { format } = c.req.valid('query');
    const run = await ownedRun(c, id);
    c.header('Content-Disposition', `attachment; filename="run-${id}.${format}"`);
    if (format === 'json') {
      c.header('Content-Type', 'application/json; charset=utf-8');
      return stream(c, async (out) => {
        let first = true;
        await out.write('[');
        for await (const row of iterateResults(deps.dataSource, id)) {
          await out.write(`${first ? '' : ','}\n${JSON.stringify(row)}`);
          first = false;
        }
        await out.write('\n]\n');
      }) as never;
    }
    c.header('Content-Type', 'text/csv; charset=utf-8');
    return stream(c, async (out) => {
      // Records are arrays (header first): column names such as `metadata.a.b` are never read as paths.
      const csv = stringify(CSV_OPTIONS);
      csv.on('data', (chunk: Buffer) => void out.write(chunk));
      const finished = new Promise((resolve) => csv.on('end', resolve));
      for await (const record of csvRecords(deps.dataSource, run)) csv.write(record);
      csv.end();
      await finished;
    }) as never;
  });

  return app;
}

/**
 * Cells a spreadsheet would run as formulas (starting with = + - @, tab or CR; OWASP "CSV injection")
 * get a leading single quote, so model output opens as text; numbers stay numbers. Booleans are
 * written as true/false (csv-stringify's default writes false as an empty cell).
 */
const CSV_OPTIONS = {
  escape_formulas: true,
  cast: { boolean: (value: boolean) => (value ? 'true' : 'false') },
} as const;
