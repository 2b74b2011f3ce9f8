import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { createDatasetWithSamples } from '../../core/dataset-versions.js';
import { DatasetVersion, EvalDataset } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { conflict } from '../errors.js';
import type { ApiEnv } from '../middleware/context.js';
import { PaginationQuery, paginated } from '../schemas/common.js';
import {
  DatasetCreate,
  DatasetListQuery,
  DatasetParams,
  DatasetSchema,
  DatasetUpdate,
  DatasetVersionSchema,
} from '../schemas/datasets.js';
import { ProjectParams } from '../schemas/projects.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { findProject } from '../services/access.js';
import { datasetJson, findDataset, listDatasets } from '../services/datasets.js';
import { serializeVersion } from '../services/serializers.js';

const TAG = 'datasets';

const createDataset = createRoute({
  method: 'post',
  path: '/api/projects/{id}/datasets',
  tags: [TAG],
  summary: 'Create a dataset, optionally with its first samples (version 1)',
  description:
    'The body matches the seed format `{ "name", "samples": [...] }`. Large sets: create, then upload.',
  request: {
    params: ProjectParams,
    body: { required: true, content: { 'application/json': { schema: DatasetCreate } } },
  },
  responses: { 201: jsonContent(DatasetSchema, 'the dataset'), ...errorResponses(404, 413, 415, 422) },
});

const listDatasetsRoute = createRoute({
  method: 'get',
  path: '/api/projects/{id}/datasets',
  tags: [TAG],
  summary: "List a project's datasets with their latest version",
  request: { params: ProjectParams, query: DatasetListQuery },
  responses: { 200: jsonContent(paginated(DatasetSchema), 'a page of datasets'), ...errorResponses(404) },
});

const getDataset = createRoute({
  method: 'get',
  path: '/api/datasets/{id}',
  tags: [TAG],
  summary: 'A dataset',
  request: { params: DatasetParams },
  responses: { 200: jsonContent(DatasetSchema, 'the dataset'), ...errorResponses(404) },
});

const updateDataset = createRoute({
  method: 'patch',
  path: '/api/datasets/{id}',
  tags: [TAG],
  summary: 'Rename, describe, tag or archive a dataset (does not create a version)',
  request: {
    params: DatasetParams,
    body: { required: true, content: { 'application/json': { schema: DatasetUpdate } } },
  },
  responses: { 200: jsonContent(DatasetSchema, 'the dataset'), ...errorResponses(404, 413, 415, 422) },
});

const deleteDataset = createRoute({
  method: 'delete',
  path: '/api/datasets/{id}',
  tags: [TAG],
  summary: 'Delete a dataset that no run has used',
  description:
    'A dataset with runs keeps its versions for their history: 409, archive it instead (PATCH {"archived": true}).',
  request: { params: DatasetParams },
  responses: { 204: { description: 'deleted' }, ...errorResponses(404, 409) },
});

const listVersions = createRoute({
  method: 'get',
  path: '/api/datasets/{id}/versions',
  tags: [TAG],
  summary: 'The immutable versions of a dataset, newest first',
  request: { params: DatasetParams, query: PaginationQuery },
  responses: {
    200: jsonContent(paginated(DatasetVersionSchema), 'a page of versions'),
    ...errorResponses(404),
  },
});

export function datasetRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const datasets = () => deps.dataSource.getRepository(EvalDataset);

  app.openapi(createDataset, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const body = c.req.valid('json');
    const id = await createDatasetWithSamples(deps.dataSource, {
      projectId: project.id,
      name: body.name,
      description: body.description ?? null,
      tags: body.tags ?? [],
      samples: body.samples ?? [],
    });
    const dataset = await datasets().findOneByOrFail({ id });
    return c.json(await datasetJson(deps.dataSource, dataset), 201);
  });

  app.openapi(listDatasetsRoute, async (c) => {
    const project = await findProject(c, deps.dataSource, c.req.valid('param').id);
    const { offset, limit, include_archived } = c.req.valid('query');
    const page = await listDatasets(deps.dataSource, project.id, {
      offset,
      limit,
      includeArchived: include_archived,
    });
    return c.json({ ...page, offset, limit }, 200);
  });

  app.openapi(getDataset, async (c) => {
    const dataset = await findDataset(c, deps.dataSource, c.req.valid('param').id);
    return c.json(await datasetJson(deps.dataSource, dataset), 200);
  });

  app.openapi(updateDataset, async (c) => {
    const dataset = await findDataset(c, deps.dataSource, c.req.valid('param').id);
    const { archived, ...fields } = c.req.valid('json');
    if (fields.name !== undefined) dataset.name = fields.name;
    if (fields.description !== undefined) dataset.description = fields.description;
    if (fields.tags !== undefined) dataset.tags = fields.tags;
    if (archived !== undefined) dataset.archived_at = archived ? (dataset.archived_at ?? new Date()) : null;
    return c.json(await datasetJson(deps.dataSource, await datasets().save(dataset)), 200);
  });

  app.openapi(deleteDataset, async (c) => {
    const dataset = await findDataset(c, deps.dataSource, c.req.valid('param').id);
    const [{ runs }] = await deps.dataSource.query(
      'SELECT count(*)::int AS runs FROM eval_runs WHERE dataset_id = $1',
      [dataset.id],
    );
    if (runs > 0) {
      throw conflict(
        'in_use',
        `dataset is used by ${runs} runs; archive it instead (PATCH {"archived": true})`,
        { runs },
      );
    }
    await datasets().delete({ id: dataset.id });
    return c.body(null, 204);
  });

  app.openapi(listVersions, async (c) => {
    const dataset = await findDataset(c, deps.dataSource, c.req.valid('param').id);
    const { offset, limit } = c.req.valid('query');
    const [rows, total] = await deps.dataSource.getRepository(DatasetVersion).findAndCount({
      where: { dataset_id: dataset.id },
      order: { version: 'DESC' },
      skip: offset,
      take: limit,
    });
    return c.json({ items: rows.map(serializeVersion), total, offset, limit }, 200);
  });

  return app;
}
