import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { GuardrailConfig } from '../../db/entities/index.js';
import { JUDGE_TYPES } from '../../judges/judge-types.js';
import { judgeConfigMessage } from '../../judges/settings.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, zodIssues } from '../errors.js';
import type { ApiEnv } from '../middleware/context.js';
import { IdParams } from '../schemas/common.js';
import { GuardrailSchema, GuardrailUpdate, GuardrailUpsert } from '../schemas/guardrails.js';
import { guardrailConfigSchema } from '../schemas/judges.js';
import { ProjectParams } from '../schemas/projects.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { findOwned, findProject } from '../services/access.js';
import { serializeGuardrail } from '../services/serializers.js';

const TAG = 'guardrails';
const INVALID_CONFIG_NOTE =
  "A config the judge refuses (unknown keys, missing options such as format's checks) is a 422 " +
  '`invalid_judge_config` whose details list each path and message.';
const GuardrailParams = z.object({
  id: IdParams.shape.id.openapi({ param: { name: 'id', in: 'path' }, description: 'guardrail id' }),
});

const upsertGuardrail = createRoute({
  method: 'post',
  path: '/api/projects/{id}/guardrails',
  tags: [TAG],
  summary: "Configure a judge's guardrail (one per judge_type: creates it, or replaces the existing one)",
  description: INVALID_CONFIG_NOTE,
  request: {
    params: ProjectParams,
    body: { required: true, content: { 'application/json': { schema: GuardrailUpsert } } },
  },
  responses: {
    201: jsonContent(GuardrailSchema, 'created'),
    200: jsonContent(GuardrailSchema, 'the existing guardrail for this judge_type, replaced'),
    ...errorResponses(404, 413, 415, 422),
  },
});

const listGuardrails = createRoute({
  method: 'get',
  path: '/api/projects/{id}/guardrails',
  tags: [TAG],
  summary: "A project's guardrails",
  request: { params: ProjectParams },
  responses: {
    200: jsonContent(z.array(GuardrailSchema), 'all guardrails, by judge_type'),
    ...errorResponses(404),
  },
});

const updateGuardrail = createRoute({
  method: 'patch',
  path: '/api/guardrails/{id}',
  tags: [TAG],
  summary: 'Change a guardrail',
  description: `A new config replaces the old one and is checked against the guardrail's judge. ${INVALID_CONFIG_NOTE}`,
  request: {
    params: GuardrailParams,
    body: { required: true, content: { 'application/json': { schema: GuardrailUpdate } } },
  },
  responses: { 200: jsonContent(GuardrailSchema, 'the guardrail'), ...errorResponses(404, 413, 415, 422) },
});

const deleteGuardrail = createRoute({
  method: 'delete',
  path: '/api/guardrails/{id}',
  tags: [TAG],
  summary: 'Remove a guardrail (finished runs keep the verdicts they recorded)',
  request: { params: GuardrailParams },
  responses: { 204: { description: 'deleted' }, ...errorResponses(404) },
});

export function guardrailRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const guardrails = () => deps.dataSource.getRepository(GuardrailConfig);

  app.openapi(upsertGuardrail, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const body = c.req.valid('json');
    checkJudgeConfig(body.judge_type, body.config);
    // One statement, so two concurrent POSTs for the same judge cannot both insert.
    const [row]: (GuardrailConfig & { inserted: boolean })[] = await deps.dataSource.query(
      `INSERT INTO guardrail_configs (project_id, judge_type, threshold, is_blocking, config, enabled)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (project_id, judge_type) DO UPDATE SET threshold = EXCLUDED.threshold,
         is_blocking = EXCLUDED.is_blocking, config = EXCLUDED.config, enabled = EXCLUDED.enabled, updated_at = now()
       RETURNING *, (xmax = 0) AS inserted`,
      [
        project.id,
        body.judge_type,
        body.threshold,
        body.is_blocking,
        JSON.stringify(body.config),
        body.enabled,
      ],
    );
    return c.json(serializeGuardrail(row), row.inserted ? 201 : 200);
  });

  app.openapi(listGuardrails, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const rows = await guardrails().find({ where: { project_id: project.id }, order: { judge_type: 'ASC' } });
    return c.json(rows.map(serializeGuardrail), 200);
  });

  app.openapi(updateGuardrail, async (c) => {
    const guardrail = await findOwned(
      c,
      deps.dataSource,
      GuardrailConfig,
      c.req.valid('param').id,
      'guardrail',
    );
    const body = c.req.valid('json');
    if (body.config !== undefined) checkJudgeConfig(guardrail.judge_type, body.config);
    for (const [key, value] of Object.entries(body)) {
      if (value !== undefined) (guardrail as unknown as Record<string, unknown>)[key] = value;
    }
    return c.json(serializeGuardrail(await guardrails().save(guardrail)), 200);
  });

  app.openapi(deleteGuardrail, async (c) => {
    const guardrail = await findOwned(
      c,
      deps.dataSource,
      GuardrailConfig,
      c.req.valid('param').id,
      'guardrail',
    );
    await guardrails().delete({ id: guardrail.id });
    return c.body(null, 204);
  });

  return app;
}

/** A config the judge would refuse makes every score of every run an error: refuse it when it is saved. */
function checkJudgeConfig(judgeType: string, config: Record<string, unknown>) {
  const schema = guardrailConfigSchema(judgeType);
  // Only rows saved before judge types were checked can name an unknown one.
  if (!schema)
    throw new ApiError(
      422,
      'unknown_judge',
      `unknown judge "${judgeType}"; known: ${JUDGE_TYPES.join(', ')}`,
    );
  const parsed = schema.safeParse(config);
  if (!parsed.success) {
    throw new ApiError(
      422,
      'invalid_judge_config',
      judgeConfigMessage(judgeType, parsed.error),
      zodIssues(parsed.error),
    );
  }
}
