import { z } from '@hono/zod-openapi';
import { DATASET_VERSION_MAX } from '../../db/column-bounds.js';
import { boundedInt, boundedQueryInt, PaginationQuery, Timestamp, Uuid } from './common.js';
import { Description, Name } from './projects.js';
import { storableJsonObject, storableString } from './text.js';

/** One prompt, answer or system prompt may be long (documents, transcripts), not unbounded. */
export const MAX_TEXT_LENGTH = 1_000_000;
export const MAX_SAMPLE_KEY_LENGTH = 255;
/** Samples in one JSON request; bigger sets go through the upload route. */
export const MAX_SAMPLES_PER_REQUEST = 10_000;
export const MAX_TAGS = 50;

const Text = storableString().max(MAX_TEXT_LENGTH);

export const SampleKey = storableString()
  .min(1)
  .max(MAX_SAMPLE_KEY_LENGTH)
  .describe(
    'stable identity of the sample across versions (runs on different versions are paired by it); ' +
      'derived from system_prompt + input_text when omitted',
  );

const SampleFields = {
  input_text: Text.min(1)
    .describe('the prompt sent to the model')
    .openapi({ example: 'What is your refund policy?' }),
  system_prompt: Text.nullable().describe('optional system prompt'),
  reference_output: Text.nullable().describe('expected or gold answer (optional)'),
  metadata: storableJsonObject().describe('tags, category, difficulty… (any JSON object)'),
};

export const SampleInput = z
  .strictObject({
    input_text: SampleFields.input_text,
    system_prompt: SampleFields.system_prompt.optional(),
    reference_output: SampleFields.reference_output.optional(),
    metadata: SampleFields.metadata.optional(),
    sample_key: SampleKey.optional(),
  })
  .openapi('SampleInput', {
    example: {
      input_text: 'What is your refund policy?',
      system_prompt: 'You are a helpful customer support agent for ShopCo.',
      reference_output: 'ShopCo offers a 30-day refund policy for unused items.',
      metadata: { category: 'policy', difficulty: 'easy' },
    },
  });
export type SampleInput = z.infer<typeof SampleInput>;

const Tags = z.array(storableString().min(1).max(50)).max(MAX_TAGS);
const BaseVersion = boundedInt(1, DATASET_VERSION_MAX).describe(
  'the version this change is based on; 409 when the dataset has moved on (optimistic locking)',
);
const Note = storableString().max(1000).describe('what changed, shown in the version list');

export const DatasetCreate = z
  .strictObject({
    name: Name,
    description: Description.optional(),
    tags: Tags.optional(),
    samples: z
      .array(SampleInput)
      .max(MAX_SAMPLES_PER_REQUEST)
      .optional()
      .describe('version 1; empty when omitted'),
  })
  .openapi('DatasetCreate', {
    example: {
      name: 'Customer Support QA v1',
      description: 'Refunds, shipping, accounts and PII handling',
      tags: ['support'],
      samples: [
        {
          input_text: 'What is your refund policy?',
          system_prompt: 'You are a helpful customer support agent for ShopCo.',
          reference_output: 'ShopCo offers a 30-day refund policy for unused items...',
          metadata: { category: 'policy', difficulty: 'easy' },
        },
      ],
    },
  });

export const DatasetUpdate = z
  .strictObject({
    name: Name.optional(),
    description: Description.optional(),
    tags: Tags.optional(),
    archived: z
      .boolean()
      .optional()
      .describe('archived datasets are hidden from lists and cannot start runs'),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' })
  .openapi('DatasetUpdate', { example: { tags: ['support', 'regression'] } });

export const DatasetSchema = z
  .object({
    id: Uuid,
    project_id: Uuid,
    name: z.string(),
    description: z.string().nullable(),
    version: z.number().int().describe('latest version number'),
    sample_count: z.number().int().describe('samples in the latest version'),
    tags: z.array(z.string()),
    archived_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Dataset');

export const DatasetVersionSchema = z
  .object({
    id: Uuid,
    dataset_id: Uuid,
    version: z.number().int(),
    sample_count: z.number().int(),
    note: z.string().nullable(),
    created_at: Timestamp,
  })
  .openapi('DatasetVersion');

export const SampleSchema = z
  .object({
    id: Uuid.describe('id of this copy; each version has its own rows'),
    dataset_id: Uuid,
    dataset_version_id: Uuid,
    sample_key: z.string(),
    position: z.number().int(),
    input_text: z.string(),
    system_prompt: z.string().nullable(),
    reference_output: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    created_at: Timestamp,
  })
  .openapi('Sample');

export const SamplesAdd = z
  .union([
    z.array(SampleInput).min(1).max(MAX_SAMPLES_PER_REQUEST),
    z.strictObject({
      samples: z.array(SampleInput).min(1).max(MAX_SAMPLES_PER_REQUEST),
      base_version: BaseVersion.optional(),
      note: Note.optional(),
    }),
  ])
  .describe('a list of samples, or { samples, base_version?, note? }')
  .openapi('SamplesAdd');

export const SampleUpdate = z
  .strictObject({
    input_text: SampleFields.input_text.optional(),
    system_prompt: SampleFields.system_prompt.optional(),
    reference_output: SampleFields.reference_output.optional(),
    metadata: SampleFields.metadata.optional().describe('replaces the whole metadata object'),
    base_version: BaseVersion.optional(),
    note: Note.optional(),
  })
  .openapi('SampleUpdate', { example: { reference_output: 'Refunds within 30 days for unused items.' } });

export const VersionChangeSchema = z
  .object({
    dataset_id: Uuid,
    version: DatasetVersionSchema,
    added: z.number().int(),
    updated: z.number().int(),
    removed: z.number().int(),
  })
  .openapi('VersionChange');

export const UploadResultSchema = VersionChangeSchema.extend({
  format: z.enum(['csv', 'json', 'jsonl']),
  mode: z.enum(['append', 'replace']),
  rows: z.number().int().describe('data rows read from the file'),
}).openapi('UploadResult');

export const DatasetParams = z.object({
  id: Uuid.openapi({ param: { name: 'id', in: 'path' }, description: 'dataset id' }),
});

export const SampleKeyParams = DatasetParams.extend({
  sample_key: SampleKey.openapi({ param: { name: 'sample_key', in: 'path' } }),
});

export const SampleListQuery = PaginationQuery.extend({
  version: boundedQueryInt(1, DATASET_VERSION_MAX).optional().describe('the latest when omitted'),
});

export const DatasetListQuery = PaginationQuery.extend({
  include_archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const VersionQuery = z.object({
  base_version: boundedQueryInt(1, DATASET_VERSION_MAX)
    .optional()
    .describe('409 when the latest version differs'),
});

export const UPLOAD_FORMATS = ['csv', 'json', 'jsonl'] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

export const UploadQuery = z.object({
  format: z.enum(UPLOAD_FORMATS).optional().describe('taken from Content-Type or the file name when omitted'),
  mode: z
    .enum(['append', 'replace'])
    .default('append')
    .describe('append: new version = latest + these rows; replace: new version = only these rows'),
  base_version: boundedQueryInt(1, DATASET_VERSION_MAX)
    .optional()
    .describe('409 when the latest version differs'),
  delimiter: z.enum([',', ';', '\t', '|']).optional().describe('CSV delimiter (default comma; tab for TSV)'),
});
