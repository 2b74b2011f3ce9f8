import { z } from '@hono/zod-openapi';
import { DEFAULT_BASELINE_MAX_FAILED_SHARE } from '../../db/entities/project.js';
import { Timestamp, Uuid } from './common.js';
import { storableString } from './text.js';

export const MAX_NAME_LENGTH = 255;
export const MAX_DESCRIPTION_LENGTH = 10_000;

export const Name = storableString().min(1).max(MAX_NAME_LENGTH);
export const Description = storableString().max(MAX_DESCRIPTION_LENGTH).nullable();

/** Share of failed samples above which a run is never picked as a baseline (0..1). */
export const BaselineMaxFailedShare = z
  .number()
  .min(0, 'at least 0')
  .max(1, 'at most 1')
  .describe(
    `a run with a larger share of failed samples (or a verdict of error) is never picked as a baseline; default ${DEFAULT_BASELINE_MAX_FAILED_SHARE}`,
  );

export const ProjectCreate = z
  .strictObject({
    name: Name.describe('display name'),
    description: Description.optional(),
    baseline_max_failed_share: BaselineMaxFailedShare.optional(),
  })
  .openapi('ProjectCreate', {
    example: { name: 'Support bot', description: 'Customer support assistant evals' },
  });

export const ProjectUpdate = z
  .strictObject({
    name: Name.optional(),
    description: Description.optional(),
    baseline_max_failed_share: BaselineMaxFailedShare.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' })
  .openapi('ProjectUpdate', { example: { description: 'Evals for the v2 support assistant' } });

export const ProjectSchema = z
  .object({
    id: Uuid,
    name: z.string(),
    description: z.string().nullable(),
    baseline_max_failed_share: z.number(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Project');

export const ProjectDetailSchema = ProjectSchema.extend({
  counts: z.object({
    endpoints: z.number().int(),
    datasets: z.number().int(),
    runs: z.number().int(),
    guardrails: z.number().int(),
  }),
}).openapi('ProjectDetail');

export const ProjectParams = z.object({
  id: Uuid.openapi({ param: { name: 'id', in: 'path' }, description: 'project id' }),
});
