/**
 * Links between GitHub repositories and projects: which dataset and endpoint a repository's pull
 * requests (GitHub App) and pushes (plain webhook) evaluate, and which changed paths count.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../../api/deps.js';
import { ErrorBodySchema, notFound } from '../../api/errors.js';
import { authorizeProject, projectScope } from '../../api/middleware/auth.js';
import { Timestamp, Uuid } from '../../api/schemas/common.js';
import { normalizeFullName } from '../../core/links.js';
import { EvalDataset, GitHubRepository, LlmEndpoint } from '../../db/entities/index.js';

const MAX_PATH_FILTERS = 50;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

const RepoParams = z.object({
  owner: z
    .string()
    .regex(NAME)
    .openapi({ param: { name: 'owner', in: 'path' }, example: 'acme' }),
  repo: z
    .string()
    .regex(NAME)
    .openapi({ param: { name: 'repo', in: 'path' }, example: 'support-bot' }),
});

const LinkBody = z
  .strictObject({
    project_id: Uuid,
    dataset_id: Uuid,
    endpoint_id: Uuid,
    path_filters: z
      .array(z.string().min(1).max(255))
      .max(MAX_PATH_FILTERS)
      .default([])
      .describe('globs such as `prompts/**`; `!` excludes; empty: every pull request runs'),
    fail_on_regression: z.boolean().default(true).describe('a regression fails the check (else neutral)'),
    config_path: z
      .string()
      .min(1)
      .max(1024)
      .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
        message: 'a path inside the repository (relative, no "..")',
      })
      .default('evalforge.yaml')
      .describe("the eval config read at each pull request's head and base commits"),
    enabled: z.boolean().default(true),
  })
  .openapi('GitHubRepositoryLinkInput');

const LinkSchema = z
  .object({
    id: Uuid,
    full_name: z.string(),
    project_id: Uuid,
    dataset_id: Uuid,
    endpoint_id: Uuid,
    path_filters: z.array(z.string()),
    fail_on_regression: z.boolean(),
    config_path: z.string(),
    enabled: z.boolean(),
    installation_id: z.number().int().nullable(),
    installation_suspended_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('GitHubRepositoryLink');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const putRoute = createRoute({
  method: 'put',
  path: '/api/github/repositories/{owner}/{repo}',
  tags: ['ci'],
  summary: 'Link a GitHub repository to a project (create or replace)',
  request: {
    params: RepoParams,
    body: { required: true, content: { 'application/json': { schema: LinkBody } } },
  },
  responses: {
    200: json(LinkSchema, 'the link'),
    400: json(ErrorBodySchema, 'invalid input'),
    404: json(ErrorBodySchema, 'dataset or endpoint not in the project'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/github/repositories',
  tags: ['ci'],
  summary: 'Linked GitHub repositories',
  request: { query: z.object({ project_id: Uuid.optional() }) },
  responses: { 200: json(z.object({ items: z.array(LinkSchema) }), 'links') },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/github/repositories/{owner}/{repo}',
  tags: ['ci'],
  summary: 'Unlink a GitHub repository',
  request: { params: RepoParams },
  responses: { 204: { description: 'unlinked' }, 404: json(ErrorBodySchema, 'not linked') },
});

const serialize = (l: GitHubRepository) => ({
  id: l.id,
  full_name: l.full_name,
  project_id: l.project_id,
  dataset_id: l.dataset_id,
  endpoint_id: l.endpoint_id,
  path_filters: l.path_filters,
  fail_on_regression: l.fail_on_regression,
  config_path: l.config_path,
  enabled: l.enabled,
  installation_id: l.installation_id,
  installation_suspended_at: l.installation_suspended_at
    ? new Date(l.installation_suspended_at).toISOString()
    : null,
  created_at: new Date(l.created_at).toISOString(),
  updated_at: new Date(l.updated_at).toISOString(),
});

export function gitHubRepositoryRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  const links = () => deps.dataSource.getRepository(GitHubRepository);

  app.openapi(putRoute, async (c) => {
    const { owner, repo } = c.req.valid('param');
    const body = c.req.valid('json');
    authorizeProject(c, body.project_id);
    const fullName = normalizeFullName(`${owner}/${repo}`);
    const existing = await links().findOneBy({ full_name: fullName });
    if (existing) authorizeProject(c, existing.project_id);
    const dataset = await deps.dataSource.getRepository(EvalDataset).findOneBy({ id: body.dataset_id });
    if (!dataset || dataset.project_id !== body.project_id) throw notFound('dataset', body.dataset_id);
    const endpoint = await deps.dataSource.getRepository(LlmEndpoint).findOneBy({ id: body.endpoint_id });
    if (!endpoint || endpoint.project_id !== body.project_id) throw notFound('endpoint', body.endpoint_id);
    await links().upsert({ ...body, full_name: fullName }, { conflictPaths: ['full_name'] });
    return c.json(serialize(await links().findOneByOrFail({ full_name: fullName })), 200);
  });

  app.openapi(listRoute, async (c) => {
    const { project_id } = c.req.valid('query');
    if (project_id) authorizeProject(c, project_id);
    const scope = project_id ?? projectScope(c);
    const rows = await links().find({
      where: scope ? { project_id: scope } : {},
      order: { full_name: 'ASC' },
    });
    return c.json({ items: rows.map(serialize) }, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { owner, repo } = c.req.valid('param');
    const link = await links().findOneBy({ full_name: normalizeFullName(`${owner}/${repo}`) });
    if (!link) throw notFound('linked repository', `${owner}/${repo}`);
    authorizeProject(c, link.project_id);
    await links().delete({ id: link.id });
    return c.body(null, 204);
  });

  return app;
}
