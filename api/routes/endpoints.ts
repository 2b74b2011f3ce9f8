import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { IsNull } from 'typeorm';
import {
  ALLOWED_ENDPOINT_HOSTS_ENV,
  createOutboundPolicy,
  type OutboundPolicy,
} from '../../core/outbound-policy.js';
import { LlmEndpoint } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, conflict } from '../errors.js';
import type { ApiEnv } from '../middleware/context.js';
import { IdParams, PaginationQuery, paginated } from '../schemas/common.js';
import { EndpointCreate, EndpointSchema, EndpointUpdate } from '../schemas/endpoints.js';
import { ProjectParams } from '../schemas/projects.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { findOwned, findProject } from '../services/access.js';
import { testEndpointConnection, type UnsavedEndpoint } from '../services/endpoint-test.js';
import {
  assertAllowedKeyEnv,
  assertKeyPairedWithUrl,
  assertProjectSecret,
} from '../services/provider-keys.js';
import { assertNoSecrets } from '../services/secrets.js';
import { serializeEndpoint } from '../services/serializers.js';

const TAG = 'endpoints';
const EndpointParams = z.object({
  id: IdParams.shape.id.openapi({ param: { name: 'id', in: 'path' }, description: 'endpoint id' }),
});

const createEndpoint = createRoute({
  method: 'post',
  path: '/api/projects/{id}/endpoints',
  tags: [TAG],
  summary: 'Register an LLM endpoint',
  description:
    'The provider key is never sent here: reference a provider secret of the project (secret_id), or name an ' +
    'allowed environment variable that holds it on the workers (api_key_env). Secret-looking config fields or ' +
    'credentials in endpoint_url are refused with 422. So is an endpoint_url the workers may not call ' +
    '(endpoint_url_not_allowed): link-local and cloud metadata addresses always; private, reserved and (outside ' +
    `dev mode) loopback addresses unless ${ALLOWED_ENDPOINT_HOSTS_ENV} allows them.`,
  request: {
    params: ProjectParams,
    body: { required: true, content: { 'application/json': { schema: EndpointCreate } } },
  },
  responses: { 201: jsonContent(EndpointSchema, 'the endpoint'), ...errorResponses(404, 413, 415, 422) },
});

const listEndpoints = createRoute({
  method: 'get',
  path: '/api/projects/{id}/endpoints',
  tags: [TAG],
  summary: "List a project's endpoints",
  request: {
    params: ProjectParams,
    query: PaginationQuery.extend({
      include_archived: z
        .enum(['true', 'false'])
        .default('false')
        .transform((v) => v === 'true'),
    }),
  },
  responses: { 200: jsonContent(paginated(EndpointSchema), 'a page of endpoints'), ...errorResponses(404) },
});

const getEndpoint = createRoute({
  method: 'get',
  path: '/api/endpoints/{id}',
  tags: [TAG],
  summary: 'An endpoint',
  request: { params: EndpointParams },
  responses: { 200: jsonContent(EndpointSchema, 'the endpoint'), ...errorResponses(404) },
});

const updateEndpoint = createRoute({
  method: 'put',
  path: '/api/endpoints/{id}',
  tags: [TAG],
  summary: 'Update endpoint config (fields left out stay as they are)',
  request: {
    params: EndpointParams,
    body: { required: true, content: { 'application/json': { schema: EndpointUpdate } } },
  },
  responses: { 200: jsonContent(EndpointSchema, 'the endpoint'), ...errorResponses(404, 413, 415, 422) },
});

const deleteEndpoint = createRoute({
  method: 'delete',
  path: '/api/endpoints/{id}',
  tags: [TAG],
  summary: 'Delete an endpoint that no run has used',
  description:
    'An endpoint with runs is kept for their history: 409, archive it instead (PUT {"archived": true}).',
  request: { params: EndpointParams },
  responses: { 204: { description: 'deleted' }, ...errorResponses(404, 409) },
});

const EndpointTestSchema = z
  .object({
    ok: z.boolean(),
    latency_ms: z.number().int().nullable().describe('of the request, when one was sent'),
    reply: z.string().nullable().describe("the model's reply, truncated to 500 characters"),
    error: z.string().nullable().describe('why the test failed (never the key)'),
    error_kind: z
      .string()
      .nullable()
      .describe(
        "the kind of failure: the model call's (timeout, server_error, auth, connection, outbound_refused, " +
          "missing_api_key…) or the test's own (no_worker, deadline, key_url_not_paired, invalid_config, " +
          'endpoint_not_found); null on success',
      ),
  })
  .openapi('EndpointTest');

const testEndpoint = createRoute({
  method: 'post',
  path: '/api/endpoints/{id}/test',
  tags: [TAG],
  summary: 'Test connection: one request to the endpoint, made by a worker',
  description:
    'A worker of the llm queue sends one short prompt through the same model runner a run uses (the provider ' +
    'key is resolved there; the outbound policy applies), with one attempt and a 15 s deadline. A failed call ' +
    'is a 200 with ok false and the (redacted) error; no worker, or none within 40 s, is one too.',
  request: { params: EndpointParams },
  responses: { 200: jsonContent(EndpointTestSchema, 'the outcome of the call'), ...errorResponses(404) },
});

const testUnsavedEndpoint = createRoute({
  method: 'post',
  path: '/api/projects/{id}/endpoints/test',
  tags: [TAG],
  summary:
    'Test connection of an endpoint before it is saved: one request, made by a worker; nothing is stored',
  description:
    'The body is what POST /api/projects/{id}/endpoints takes, refused for the same reasons (422). A worker sends ' +
    'one short prompt as for a saved endpoint (outbound policy, one attempt, 15 s deadline). A key reference ' +
    "(api_key_env or secret_id) is sent only to its provider's own API (no endpoint_url) or to a URL a saved " +
    'endpoint of the project already uses with the same key; otherwise 422 key_url_not_paired (save the endpoint ' +
    'first). A failed call is a 200 with ok false, the (redacted) error and its kind.',
  request: {
    params: ProjectParams,
    body: { required: true, content: { 'application/json': { schema: EndpointCreate } } },
  },
  responses: {
    200: jsonContent(EndpointTestSchema, 'the outcome of the call'),
    ...errorResponses(404, 413, 415, 422),
  },
});

/** 422 with the reason when the workers' outbound policy would refuse the URL (they check it again when they
 * connect, on the address the name resolves to). */
function assertEndpointUrlAllowed(policy: OutboundPolicy, url: string | null | undefined) {
  if (!url) return;
  const verdict = policy.checkUrl(url);
  if (verdict.allowed) return;
  throw new ApiError(422, 'endpoint_url_not_allowed', `endpoint_url not allowed: ${verdict.reason}`, {
    path: 'endpoint_url',
    category: verdict.category,
  });
}

/** Endpoint fields as a create or an update gives them (the update's may be partial). */
type EndpointFieldsInput = Partial<
  Pick<z.infer<typeof EndpointCreate>, 'config' | 'endpoint_url' | 'api_key_env' | 'secret_id'>
>;

/** The row a create would store (less its display name), and what a test of the unsaved form calls. */
const unsavedEndpoint = (projectId: string, body: z.infer<typeof EndpointCreate>): UnsavedEndpoint => ({
  project_id: projectId,
  provider: body.provider,
  model_name: body.model_name,
  endpoint_url: body.endpoint_url ?? null,
  config: body.config,
  api_key_env: body.api_key_env ?? null,
  secret_id: body.secret_id ?? null,
});

export function endpointRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  // The workers' rule (core/outbound-policy.ts) with this server's mode and allowlist.
  const outbound = createOutboundPolicy({
    mode: deps.mode,
    allowedHosts: process.env[ALLOWED_ENDPOINT_HOSTS_ENV],
  });
  const endpoints = () => deps.dataSource.getRepository(LlmEndpoint);
  /** What every endpoint a worker may call must pass: saved (create, update) or tested unsaved. */
  const assertEndpointFields = async (projectId: string, fields: EndpointFieldsInput) => {
    assertNoSecrets(fields);
    assertEndpointUrlAllowed(outbound, fields.endpoint_url);
    assertAllowedKeyEnv(deps, fields.api_key_env);
    await assertProjectSecret(deps, projectId, fields.secret_id);
  };

  app.openapi(createEndpoint, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const body = c.req.valid('json');
    await assertEndpointFields(project.id, body);
    const endpoint = await endpoints().save({
      ...unsavedEndpoint(project.id, body),
      name: body.name ?? null,
    });
    return c.json(serializeEndpoint(endpoint), 201);
  });

  app.openapi(listEndpoints, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const { offset, limit, include_archived } = c.req.valid('query');
    const [rows, total] = await endpoints().findAndCount({
      where: { project_id: project.id, ...(include_archived ? {} : { archived_at: IsNull() }) },
      order: { created_at: 'ASC', id: 'ASC' },
      skip: offset,
      take: limit,
    });
    return c.json({ items: rows.map(serializeEndpoint), total, offset, limit }, 200);
  });

  app.openapi(getEndpoint, async (c) => {
    const endpoint = await findOwned(c, deps.dataSource, LlmEndpoint, c.req.valid('param').id, 'endpoint');
    return c.json(serializeEndpoint(endpoint), 200);
  });

  app.openapi(updateEndpoint, async (c) => {
    const endpoint = await findOwned(c, deps.dataSource, LlmEndpoint, c.req.valid('param').id, 'endpoint');
    const { archived, ...fields } = c.req.valid('json');
    await assertEndpointFields(endpoint.project_id, fields);
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (endpoint as unknown as Record<string, unknown>)[key] = value;
    }
    if (archived !== undefined) endpoint.archived_at = archived ? (endpoint.archived_at ?? new Date()) : null;
    return c.json(serializeEndpoint(await endpoints().save(endpoint)), 200);
  });

  app.openapi(testEndpoint, async (c) => {
    const endpoint = await findOwned(c, deps.dataSource, LlmEndpoint, c.req.valid('param').id, 'endpoint');
    return c.json(await testEndpointConnection(deps, { endpoint_id: endpoint.id }), 200);
  });

  app.openapi(testUnsavedEndpoint, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const body = c.req.valid('json');
    await assertEndpointFields(project.id, body);
    const unsaved = unsavedEndpoint(project.id, body);
    // Saving an endpoint pairs its key with its URL on record; a test of an unsaved one must not bypass that.
    await assertKeyPairedWithUrl(
      deps,
      {
        projectId: project.id,
        url: unsaved.endpoint_url,
        apiKeyEnv: unsaved.api_key_env,
        secretId: unsaved.secret_id,
      },
      {
        path: 'endpoint_url',
        message:
          "an unsaved endpoint is tested with a key only against its provider's own API (no endpoint_url), or a " +
          'URL a saved endpoint of the project already uses with the same key: save the endpoint first, then test it',
      },
    );
    return c.json(await testEndpointConnection(deps, { unsaved }), 200);
  });

  app.openapi(deleteEndpoint, async (c) => {
    const endpoint = await findOwned(c, deps.dataSource, LlmEndpoint, c.req.valid('param').id, 'endpoint');
    const [{ runs }] = await deps.dataSource.query(
      'SELECT count(*)::int AS runs FROM eval_runs WHERE endpoint_id = $1',
      [endpoint.id],
    );
    if (runs > 0) {
      throw conflict(
        'in_use',
        `endpoint is used by ${runs} runs; archive it instead (PUT {"archived": true})`,
        { runs },
      );
    }
    await endpoints().delete({ id: endpoint.id });
    return c.body(null, 204);
  });

  return app;
}
