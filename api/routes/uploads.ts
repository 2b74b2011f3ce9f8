import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { createVersion } from '../../core/dataset-versions.js';
import type { ApiDeps } from '../deps.js';
import type { ApiEnv } from '../middleware/context.js';
import { DatasetParams, UploadQuery, UploadResultSchema } from '../schemas/datasets.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { findDataset } from '../services/datasets.js';
import { serializeVersion } from '../services/serializers.js';
import { collectUpload } from '../services/upload/collect.js';
import { checkDeclaredLength } from '../services/upload/limited-body.js';
import { openUploadSource } from '../services/upload/source.js';
import { resolveSettings } from '../settings.js';

const sampleArray = { type: 'array', items: { $ref: '#/components/schemas/SampleInput' } } as const;
const fileText = (description: string) => ({ schema: { type: 'string' as const, description } });

const upload = createRoute({
  method: 'post',
  path: '/api/datasets/{id}/upload',
  tags: ['samples'],
  summary: 'Bulk upload samples from CSV, JSON or JSONL: creates one new dataset version',
  description: [
    'Send the file as the raw body (Content-Type text/csv, application/json, application/x-ndjson; text/plain or',
    'application/octet-stream with ?format=) or as the `file` part of multipart/form-data. UTF-8, with or without BOM',
    '(anything else: 400 invalid_utf8, nothing stored).',
    'CSV: a header row; input_text is required; system_prompt, reference_output, sample_key and metadata (a JSON',
    'object) are optional; any other column goes into metadata. JSON: an array of samples or {"name", "samples": [...]}.',
    'JSONL: one sample object per line. All-or-nothing: any bad row rejects the upload with a 422 listing',
    '{row, line?, field, reason} per problem, and nothing is stored. Over the size limit: 413 payload_too_large;',
    'over the row limit: 413 too_many_rows. mode=append (default) keeps the latest samples and adds these;',
    'mode=replace makes a version with only these.',
  ].join(' '),
  request: {
    params: DatasetParams,
    query: UploadQuery,
    body: {
      required: true,
      description: 'the file',
      content: {
        'text/csv': fileText('CSV with a header row'),
        'application/json': {
          schema: {
            oneOf: [
              sampleArray,
              {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  description: { type: 'string' },
                  samples: sampleArray,
                },
                required: ['samples'],
              },
            ],
          },
        },
        'application/x-ndjson': fileText('one JSON sample object per line'),
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { file: { type: 'string', format: 'binary' } },
            required: ['file'],
          },
        },
      },
    },
  },
  responses: {
    201: jsonContent(UploadResultSchema, 'the new version'),
    ...errorResponses(404, 409, 413, 415, 422),
  },
});

export function uploadRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(upload, async (c) => {
    const dataset = await findDataset(c, deps.dataSource, c.req.valid('param').id);
    const query = c.req.valid('query');
    const settings = resolveSettings(deps.settings);
    checkDeclaredLength(c.req.raw.headers, settings.uploadMaxBytes);
    const source = await openUploadSource(c.req.raw, query.format);
    const started = performance.now();
    const collected = await collectUpload(
      { ...source, delimiter: query.delimiter ?? source.delimiter },
      { maxBytes: settings.uploadMaxBytes, maxRows: settings.uploadMaxRows },
    );
    const parsedMs = performance.now() - started;
    const rows = collected.samples.length;
    const result = await createVersion(deps.dataSource, {
      datasetId: dataset.id,
      baseVersion: query.base_version,
      note: `${query.mode === 'replace' ? 'replaced by' : 'appended'} upload${source.fileName ? ` ${source.fileName}` : ''} (${source.format}, ${rows} rows)`,
      keep: query.mode === 'replace' ? 'none' : 'all',
      add: collected.samples,
      rowOf: (i) => collected.rows[i],
    });
    c.get('log')?.info(
      {
        dataset_id: dataset.id,
        format: source.format,
        rows,
        parse_ms: Math.round(parsedMs),
        total_ms: Math.round(performance.now() - started),
      },
      'dataset upload stored',
    );
    return c.json(
      {
        dataset_id: dataset.id,
        version: serializeVersion(result.version),
        added: result.added,
        updated: result.updated,
        removed: result.removed,
        format: source.format,
        mode: query.mode,
        rows,
      },
      201,
    );
  });

  return app;
}
