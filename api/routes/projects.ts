import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Project } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { conflict } from '../errors.js';
import { projectScope, requireAdmin } from '../middleware/auth.js';
import type { ApiEnv } from '../middleware/context.js';
import { PaginationQuery, paginated } from '../schemas/common.js';
import {
  ProjectCreate,
  ProjectDetailSchema,
  ProjectParams,
  ProjectSchema,
  ProjectUpdate,
} from '../schemas/projects.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { findProject } from '../services/access.js';
import { serializeProject } from '../services/serializers.js';

const TAG = 'projects';

const createProject = createRoute({
  method: 'post',
  path: '/api/projects',
  tags: [TAG],
  summary: 'Create a project',
  description: 'Needs the admin key outside dev mode (project keys cannot create projects).',
  request: { body: { required: true, content: { 'application/json': { schema: ProjectCreate } } } },
  responses: { 201: jsonContent(ProjectSchema, 'the project'), ...errorResponses(413, 415, 422) },
});

const listProjects = createRoute({
  method: 'get',
  path: '/api/projects',
  tags: [TAG],
  summary: 'List projects (a project key sees only its own)',
  request: { query: PaginationQuery },
  responses: { 200: jsonContent(paginated(ProjectSchema), 'a page of projects'), ...errorResponses() },
});

const getProject = createRoute({
  method: 'get',
  path: '/api/projects/{id}',
  tags: [TAG],
  summary: 'A project with counts of its endpoints, datasets, runs and guardrails',
  request: { params: ProjectParams },
  responses: { 200: jsonContent(ProjectDetailSchema, 'the project'), ...errorResponses(404) },
});

const updateProject = createRoute({
  method: 'patch',
  path: '/api/projects/{id}',
  tags: [TAG],
  summary: 'Rename or re-describe a project',
  request: {
    params: ProjectParams,
    body: { required: true, content: { 'application/json': { schema: ProjectUpdate } } },
  },
  responses: { 200: jsonContent(ProjectSchema, 'the project'), ...errorResponses(404, 413, 415, 422) },
});

const deleteProject = createRoute({
  method: 'delete',
  path: '/api/projects/{id}',
  tags: [TAG],
  summary: 'Delete a project and everything it owns',
  description:
    'A project with runs is refused (409) unless ?force=true: deleting it deletes its run history.',
  request: {
    params: ProjectParams,
    query: z.object({
      force: z.enum(['true', 'false']).default('false').describe('also delete run history'),
    }),
  },
  responses: { 204: { description: 'deleted' }, ...errorResponses(404, 409) },
});

export function projectRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const projects = () => deps.dataSource.getRepository(Project);

  app.openapi(createProject, async (c) => {
    requireAdmin(c, 'creating a project');
    const body = c.req.valid('json');
    const project = await projects().save({
      name: body.name,
      description: body.description ?? null,
      ...(body.baseline_max_failed_share === undefined
        ? {}
        : { baseline_max_failed_share: body.baseline_max_failed_share }),
    });
    return c.json(serializeProject(project), 201);
  });

  app.openapi(listProjects, async (c) => {
    const { offset, limit } = c.req.valid('query');
    const scope = projectScope(c);
    const [rows, total] = await projects().findAndCount({
      where: scope ? { id: scope } : {},
      order: { created_at: 'DESC', id: 'ASC' },
      skip: offset,
      take: limit,
    });
    return c.json({ items: rows.map(serializeProject), total, offset, limit }, 200);
  });

  app.openapi(getProject, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const [counts] = await deps.dataSource.query(
      `SELECT (SELECT count(*)::int FROM llm_endpoints WHERE project_id = $1 AND archived_at IS NULL) AS endpoints,
              (SELECT count(*)::int FROM eval_datasets WHERE project_id = $1 AND archived_at IS NULL) AS datasets,
              (SELECT count(*)::int FROM eval_runs WHERE project_id = $1) AS runs,
              (SELECT count(*)::int FROM guardrail_configs WHERE project_id = $1) AS guardrails`,
      [project.id],
    );
    return c.json({ ...serializeProject(project), counts }, 200);
  });

  app.openapi(updateProject, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const body = c.req.valid('json');
    if (body.name !== undefined) project.name = body.name;
    if (body.description !== undefined) project.description = body.description;
    if (body.baseline_max_failed_share !== undefined)
      project.baseline_max_failed_share = body.baseline_max_failed_share;
    return c.json(serializeProject(await projects().save(project)), 200);
  });

  app.openapi(deleteProject, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const force = c.req.valid('query').force === 'true';
    const [{ runs }] = await deps.dataSource.query(
      'SELECT count(*)::int AS runs FROM eval_runs WHERE project_id = $1',
      [project.id],
    );
    if (runs > 0 && !force) {
      throw conflict(
        'has_runs',
        `project has ${runs} runs; deleting it deletes their history — repeat with ?force=true`,
        {
          runs,
        },
      );
    }
    await projects().delete({ id: project.id });
    return c.body(null, 204);
  });

  return app;
}
