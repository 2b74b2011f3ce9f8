import { z } from '@hono/zod-openapi';
import { isKnownJudgeType, JUDGE_TYPES } from '../../judges/judge-types.js';
import { ALL_TASK_QUEUES, isTaskQueueName } from '../../temporal.config.js';
import { Timestamp, Uuid } from './common.js';
import { storableJsonObject } from './text.js';

/** A judge type, optionally named ("zero_shot:politeness", "llm_judge:helpfulness") to configure one
 * judge several times. The list comes from judges/judge-types.ts (the registry itself loads model runtimes). */
const JUDGE_TYPE = /^[a-z][a-z0-9_]*(:[a-z0-9][a-z0-9_.-]*)?$/;

const GuardrailConfigObject = storableJsonObject()
  .describe(
    `judge settings: model_id, labels, rubric, min_pass_rate, min_effect, queue (one of ${ALL_TASK_QUEUES.join(', ')})…`,
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
    judge_type: z
      .string()
      .max(50)
      .regex(JUDGE_TYPE, `a judge type such as ${JUDGE_TYPES.join(', ')}, optionally "type:name"`)
      .refine(isKnownJudgeType, { error: `unknown judge; known: ${JUDGE_TYPES.join(', ')}` })
      .describe(`${JUDGE_TYPES.join(', ')}; "type:name" configures a judge again under another name`)
      .openapi({ example: 'toxicity' }),
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
