import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { replaceProviderSecretValue, upsertProviderSecret } from '../../core/provider-secrets.js';
import { ProviderSecret } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { conflict, ErrorBodySchema } from '../errors.js';
import type { ApiEnv } from '../middleware/context.js';
import { IdParams, PaginationQuery, paginated } from '../schemas/common.js';
import { ProjectParams } from '../schemas/projects.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { SecretCreate, SecretSchema, SecretUpdate } from '../schemas/secrets.js';
import { findOwned, findProject } from '../services/access.js';
import { requireKeyring } from '../services/provider-keys.js';
import { iso, isoOrNull } from '../services/serializers.js';

const TAG = 'secrets';
const WRITE_ONLY =
  'The value is encrypted at rest (AES-256-GCM under EVALFORGE_ENCRYPTION_KEY) and never returned: responses ' +
  'carry only a hint (its last 4 characters) and when a worker last used it.';
const NO_KEY = jsonContent(
  ErrorBodySchema,
  'the server has no EVALFORGE_ENCRYPTION_KEY (encryption_key_missing)',
);
const SecretParams = z.object({
  id: IdParams.shape.id.openapi({ param: { name: 'id', in: 'path' }, description: 'provider secret id' }),
});

const upsertSecret = createRoute({
  method: 'post',
  path: '/api/projects/{id}/secrets',
  tags: [TAG],
  summary:
    'Store a provider key for the project (creates it, or replaces the value of the secret of that name)',
  description: `${WRITE_ONLY} Endpoints use it through their secret_id.`,
  request: {
    params: ProjectParams,
    body: { required: true, content: { 'application/json': { schema: SecretCreate } } },
  },
  responses: {
    201: jsonContent(SecretSchema, 'created'),
    200: jsonContent(SecretSchema, 'the existing secret of that name, its value replaced'),
    ...errorResponses(404, 413, 415, 422),
    503: NO_KEY,
  },
});

const listSecrets = createRoute({
  method: 'get',
  path: '/api/projects/{id}/secrets',
  tags: [TAG],
  summary: "A project's provider secrets (names and hints, never values)",
  request: { params: ProjectParams, query: PaginationQuery },
  responses: {
    200: jsonContent(paginated(SecretSchema), 'a page of secrets, by name'),
    ...errorResponses(404),
  },
});

const getSecret = createRoute({
  method: 'get',
  path: '/api/secrets/{id}',
  tags: [TAG],
  summary: 'A provider secret (name and hint, never the value)',
  request: { params: SecretParams },
  responses: { 200: jsonContent(SecretSchema, 'the secret'), ...errorResponses(404) },
});

const updateSecret = createRoute({
  method: 'put',
  path: '/api/secrets/{id}',
  tags: [TAG],
  summary: "Replace a provider secret's value (endpoints using it get the new key on their next run)",
  description: WRITE_ONLY,
  request: {
    params: SecretParams,
    body: { required: true, content: { 'application/json': { schema: SecretUpdate } } },
  },
  responses: {
    200: jsonContent(SecretSchema, 'the secret'),
    ...errorResponses(404, 413, 415, 422),
    503: NO_KEY,
  },
});

const deleteSecret = createRoute({
  method: 'delete',
  path: '/api/secrets/{id}',
  tags: [TAG],
  summary: 'Delete a provider secret that no endpoint uses',
  description:
    'A secret that endpoints reference is 409 `in_use` (details list them): point them at another secret first ' +
    '(PUT /api/endpoints/{id} {"secret_id": …}), archived ones included.',
  request: { params: SecretParams },
  responses: { 204: { description: 'deleted' }, ...errorResponses(404, 409) },
});

export function secretRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const secrets = () => deps.dataSource.getRepository(ProviderSecret);

  const endpointIds = async (secretIds: string[]): Promise<Map<string, string[]>> => {
    const rows: { secret_id: string; ids: string[] }[] = secretIds.length
      ? await deps.dataSource.query(
          `SELECT secret_id, array_agg(id ORDER BY created_at, id) AS ids FROM llm_endpoints
           WHERE secret_id = ANY($1::uuid[]) GROUP BY secret_id`,
          [secretIds],
        )
      : [];
    return new Map(rows.map((r) => [r.secret_id, r.ids]));
  };

  const serialize = (s: ProviderSecret, endpoints: Map<string, string[]>) => ({
    id: s.id,
    project_id: s.project_id,
    name: s.name,
    hint: s.hint,
    endpoint_count: endpoints.get(s.id)?.length ?? 0,
    last_used_at: isoOrNull(s.last_used_at),
    created_at: iso(s.created_at),
    updated_at: iso(s.updated_at),
  });
  const one = async (s: ProviderSecret) => serialize(s, await endpointIds([s.id]));

  app.openapi(upsertSecret, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const { name, value } = c.req.valid('json');
    const { secret, created } = await upsertProviderSecret(deps.dataSource, requireKeyring(deps), {
      projectId: project.id,
      name,
      value,
    });
    return c.json(await one(secret), created ? 201 : 200);
  });

  app.openapi(listSecrets, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const { offset, limit } = c.req.valid('query');
    const [rows, total] = await secrets().findAndCount({
      where: { project_id: project.id },
      order: { name: 'ASC', id: 'ASC' },
      skip: offset,
      take: limit,
    });
    const endpoints = await endpointIds(rows.map((r) => r.id));
    return c.json({ items: rows.map((r) => serialize(r, endpoints)), total, offset, limit }, 200);
  });

  app.openapi(getSecret, async (c) => {
    const secret = await findOwned(c, deps.dataSource, ProviderSecret, c.req.valid('param').id, 'secret');
    return c.json(await one(secret), 200);
  });

  app.openapi(updateSecret, async (c) => {
    const secret = await findOwned(c, deps.dataSource, ProviderSecret, c.req.valid('param').id, 'secret');
    const keyring = requireKeyring(deps);
    const updated = await replaceProviderSecretValue(
      deps.dataSource,
      keyring,
      secret,
      c.req.valid('json').value,
    );
    return c.json(await one(updated), 200);
  });

  app.openapi(deleteSecret, async (c) => {
    const secret = await findOwned(c, deps.dataSource, ProviderSecret, c.req.valid('param').id, 'secret');
    const users = (await endpointIds([secret.id])).get(secret.id) ?? [];
    if (users.length) {
      throw conflict(
        'in_use',
        `secret is used by ${users.length} endpoint(s); point them at another secret first`,
        { endpoint_ids: users },
      );
    }
    try {
      await secrets().delete({ id: secret.id });
    } catch (err) {
      // An endpoint took it up between the check and the delete.
      if ((err as { code?: string }).code === '23503')
        throw conflict('in_use', 'secret is used by an endpoint');
      throw err;
    }
    return c.body(null, 204);
  });

  return app;
}
