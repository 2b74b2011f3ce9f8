import { z } from '@hono/zod-openapi';
import { ALL_TASK_QUEUES, isTaskQueueName } from '../../temporal.config.js';
import { Timestamp, Uuid } from './common.js';
import { JudgeTypeName } from './judges.js';
import { storableJsonObject } from './text.js';

// Checked per judge type by the routes (422 invalid_judge_config), as the type is not always in the body.
const GuardrailConfigObject = storableJsonObject()
  .describe(
    "the judge's options plus the gate's settings (min_pass_rate, on_error, min_effect, higher_is_better, " +
      `queue: one of ${ALL_TASK_QUEUES.join(', ')}); each judge's schema is components.schemas.JudgeConfig_<type> ` +
      'and GET /api/judges; unknown keys are refused',
  )
  .refine((c) => c.queue === undefined || (typeof c.queue === 'string' && isTaskQueueName(c.queue)), {
    message: `queue must be one of ${ALL_TASK_QUEUES.join(', ')}`,
    path: ['queue'],
  });

const Threshold = z
  .number()
  .min(0)
  .max(1)
  .describe('score a result must reach to pass (scores are in [0, 1])');

export const GuardrailUpsert = z
  .strictObject({
    judge_type: JudgeTypeName.openapi({ example: 'toxicity' }),
    threshold: Threshold,
    is_blocking: z
      .boolean()
      .default(false)
      .describe('a failing blocking guardrail fails the run (blocks the deploy)'),
    config: GuardrailConfigObject.default({}),
    enabled: z.boolean().default(true),
  })
  .openapi('GuardrailUpsert', {
    example: { judge_type: 'toxicity', threshold: 0.8, is_blocking: true, config: { min_pass_rate: 0.99 } },
  });

export const GuardrailUpdate = z
  .strictObject({
    threshold: Threshold.optional(),
    is_blocking: z.boolean().optional(),
    config: GuardrailConfigObject.optional().describe('replaces the whole config object'),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' })
  .openapi('GuardrailUpdate', { example: { threshold: 0.9 } });

export const GuardrailSchema = z
  .object({
    id: Uuid,
    project_id: Uuid,
    judge_type: z.string(),
    threshold: z.number(),
    is_blocking: z.boolean(),
    config: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Guardrail');
