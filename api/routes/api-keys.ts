import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiKey } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../errors.js';
import type { ApiEnv } from '../middleware/context.js';
import { ApiKeyCreate, ApiKeySchema, CreatedApiKeySchema } from '../schemas/api-keys.js';
import { Uuid } from '../schemas/common.js';
import { ProjectParams } from '../schemas/projects.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { findProject } from '../services/access.js';
import { createApiKey } from '../services/api-keys.js';
import { serializeApiKey } from '../services/serializers.js';

const TAG = 'api-keys';

const createKey = createRoute({
  method: 'post',
  path: '/api/projects/{id}/api-keys',
  tags: [TAG],
  summary: 'Create a project API key (the key is in this response only; only its hash is stored)',
  description: 'Needs the admin key or another key of the same project outside dev mode.',
  request: {
    params: ProjectParams,
    body: { required: true, content: { 'application/json': { schema: ApiKeyCreate } } },
  },
  responses: {
    201: jsonContent(CreatedApiKeySchema, 'the key, shown once'),
    ...errorResponses(404, 413, 415, 422),
  },
});

const listKeys = createRoute({
  method: 'get',
  path: '/api/projects/{id}/api-keys',
  tags: [TAG],
  summary: "A project's API keys (never the keys themselves)",
  request: { params: ProjectParams },
  responses: {
    200: jsonContent(z.array(ApiKeySchema), 'keys, newest first, revoked ones included'),
    ...errorResponses(404),
  },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/api/projects/{id}/api-keys/{key_id}',
  tags: [TAG],
  summary: 'Revoke an API key: it stops working at once (the record stays, marked revoked)',
  request: {
    params: ProjectParams.extend({ key_id: Uuid.openapi({ param: { name: 'key_id', in: 'path' } }) }),
  },
  responses: { 200: jsonContent(ApiKeySchema, 'the revoked key'), ...errorResponses(404) },
});

export function apiKeyRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const keys = () => deps.dataSource.getRepository(ApiKey);

  app.openapi(createKey, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const { row, key } = await createApiKey(deps.dataSource, project.id, c.req.valid('json').name);
    return c.json({ ...serializeApiKey(row), key }, 201);
  });

  app.openapi(listKeys, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const rows = await keys().find({
      where: { project_id: project.id },
      order: { created_at: 'DESC', id: 'ASC' },
    });
    return c.json(rows.map(serializeApiKey), 200);
  });

  app.openapi(revokeKey, async (c) => {
    const { id, key_id } = c.req.valid('param');
    const project = await findProject(c, deps.dataSource, id);
    const key = await keys().findOneBy({ id: key_id, project_id: project.id });
    if (!key) throw notFound('API key', key_id);
    if (!key.revoked_at) {
      key.revoked_at = new Date();
      await keys().save(key);
    }
    return c.json(serializeApiKey(key), 200);
  });

  return app;
}
