import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createVersion, type VersionChangeResult } from '../../core/dataset-versions.js';
import { EvalSample } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { ApiEnv } from '../middleware/context.js';
import { paginated } from '../schemas/common.js';
import {
  DatasetParams,
  SampleKeyParams,
  SampleListQuery,
  SampleSchema,
  SamplesAdd,
  SampleUpdate,
  VersionChangeSchema,
  VersionQuery,
} from '../schemas/datasets.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { findDataset, findVersion } from '../services/datasets.js';
import { serializeSample, serializeVersion } from '../services/serializers.js';

const TAG = 'samples';

const addSamples = createRoute({
  method: 'post',
  path: '/api/datasets/{id}/samples',
  tags: [TAG],
  summary: 'Add samples: creates a new dataset version (latest + these samples)',
  request: {
    params: DatasetParams,
    body: { required: true, content: { 'application/json': { schema: SamplesAdd } } },
  },
  responses: {
    201: jsonContent(VersionChangeSchema, 'the new version'),
    ...errorResponses(404, 409, 413, 415, 422),
  },
});

const listSamples = createRoute({
  method: 'get',
  path: '/api/datasets/{id}/samples',
  tags: [TAG],
  summary: 'Samples of a version (the latest unless ?version=), in order',
  request: { params: DatasetParams, query: SampleListQuery },
  responses: {
    200: jsonContent(paginated(SampleSchema).extend({ version: z.number().int() }), 'a page of samples'),
    ...errorResponses(404),
  },
});

const updateSample = createRoute({
  method: 'patch',
  path: '/api/datasets/{id}/samples/{sample_key}',
  tags: [TAG],
  summary:
    'Edit a sample: creates a new dataset version where it has the new content (same key and position)',
  request: {
    params: SampleKeyParams,
    body: { required: true, content: { 'application/json': { schema: SampleUpdate } } },
  },
  responses: {
    200: jsonContent(VersionChangeSchema, 'the new version'),
    ...errorResponses(404, 409, 413, 415, 422),
  },
});

const deleteSample = createRoute({
  method: 'delete',
  path: '/api/datasets/{id}/samples/{sample_key}',
  tags: [TAG],
  summary: 'Remove a sample: creates a new dataset version without it (older versions keep it)',
  request: { params: SampleKeyParams, query: VersionQuery },
  responses: { 200: jsonContent(VersionChangeSchema, 'the new version'), ...errorResponses(404, 409) },
});

const versionChangeJson = (datasetId: string, r: VersionChangeResult) => ({
  dataset_id: datasetId,
  version: serializeVersion(r.version),
  added: r.added,
  updated: r.updated,
  removed: r.removed,
});

export function sampleRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(addSamples, async (c) => {
    const dataset = await findDataset(c, deps.dataSource, c.req.valid('param').id);
    const body = c.req.valid('json');
    const { samples, base_version, note } = Array.isArray(body)
      ? { samples: body, base_version: undefined, note: undefined }
      : body;
    const result = await createVersion(deps.dataSource, {
      datasetId: dataset.id,
      baseVersion: base_version,
      note: note ?? `added ${samples.length} sample${samples.length === 1 ? '' : 's'}`,
      keep: 'all',
      add: samples,
    });
    return c.json(versionChangeJson(dataset.id, result), 201);
  });

  app.openapi(listSamples, async (c) => {
    const dataset = await findDataset(c, deps.dataSource, c.req.valid('param').id);
    const { offset, limit, version } = c.req.valid('query');
    const v = await findVersion(deps.dataSource, dataset, version);
    const rows = await deps.dataSource.getRepository(EvalSample).find({
      where: { dataset_version_id: v.id },
      order: { position: 'ASC' },
      skip: offset,
      take: limit,
    });
    return c.json(
      { items: rows.map(serializeSample), total: v.sample_count, offset, limit, version: v.version },
      200,
    );
  });

  app.openapi(updateSample, async (c) => {
    const { id, sample_key } = c.req.valid('param');
    const dataset = await findDataset(c, deps.dataSource, id);
    const { base_version, note, ...patch } = c.req.valid('json');
    if (!Object.keys(patch).length)
      throw new ApiError(400, 'validation_error', 'give at least one sample field to change');
    const result = await createVersion(deps.dataSource, {
      datasetId: dataset.id,
      baseVersion: base_version,
      note: note ?? `edited sample ${sample_key}`,
      keep: 'all',
      update: [{ sample_key, patch }],
    });
    return c.json(versionChangeJson(dataset.id, result), 200);
  });

  app.openapi(deleteSample, async (c) => {
    const { id, sample_key } = c.req.valid('param');
    const dataset = await findDataset(c, deps.dataSource, id);
    const result = await createVersion(deps.dataSource, {
      datasetId: dataset.id,
      baseVersion: c.req.valid('query').base_version,
      note: `removed sample ${sample_key}`,
      keep: { except: [sample_key] },
    });
    return c.json(versionChangeJson(dataset.id, result), 200);
  });

  return app;
}
