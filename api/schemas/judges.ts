/**
 * Judge types and judge configs at the boundary. Loads the judges' catalog and config schemas only: the
 * registry itself would pull in the model runtimes.
 */
import { z } from '@hono/zod-openapi';
import { GuardrailGateSettings } from '../../core/guardrail-settings.js';
import { JUDGE_CATALOG } from '../../judges/catalog.js';
import { judgeConfigSchema } from '../../judges/config-schemas.js';
import { baseJudgeType, isKnownJudgeType, JUDGE_TYPES, type JudgeType } from '../../judges/judge-types.js';
import { JUDGE_KINDS } from '../../judges/types.js';

/** "type" or "type:name" ("zero_shot:politeness") to configure one judge several times. */
const JUDGE_TYPE_PATTERN = /^[a-z][a-z0-9_]*(:[a-z0-9][a-z0-9_.-]*)?$/;

export const JudgeTypeName = z
  .string()
  .max(50)
  .regex(JUDGE_TYPE_PATTERN, `a judge type such as ${JUDGE_TYPES.join(', ')}, optionally "type:name"`)
  .refine(isKnownJudgeType, { error: `unknown judge; known: ${JUDGE_TYPES.join(', ')}` })
  .describe(`${JUDGE_TYPES.join(', ')}; "type:name" configures a judge again under another name`);

/** What a guardrail of each judge type may store in `config`: the judge's options plus the gate's settings. */
const GUARDRAIL_CONFIG_SCHEMAS = Object.fromEntries(
  JUDGE_TYPES.map((type) => [type, judgeConfigSchema(type, GuardrailGateSettings.shape)]),
) as Record<JudgeType, z.ZodObject>;

/** The strict config schema of a judge type ("type" or "type:name"); undefined for unknown types. */
export function guardrailConfigSchema(judgeType: string): z.ZodObject | undefined {
  return isKnownJudgeType(judgeType)
    ? GUARDRAIL_CONFIG_SCHEMAS[baseJudgeType(judgeType) as JudgeType]
    : undefined;
}

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a user writes: defaults shown, refinements not expressible. */
export const JUDGE_CONFIG_JSON_SCHEMAS = Object.fromEntries(
  JUDGE_TYPES.map((type) => {
    const { $schema: _, ...schema } = z.toJSONSchema(GUARDRAIL_CONFIG_SCHEMAS[type], {
      io: 'input',
    }) as Record<string, unknown>;
    return [type, schema];
  }),
) as Record<JudgeType, Record<string, unknown>>;

/** Component name of a judge's config schema in /openapi.json. */
export const judgeConfigComponentName = (type: JudgeType) => `JudgeConfig_${type}`;

export const JudgeInfoSchema = z
  .object({
    type: z.enum(JUDGE_TYPES),
    kind: z.enum(JUDGE_KINDS).describe('model: local model; llm: LLM-as-judge; rule: no model'),
    description: z.string(),
    default_threshold: z
      .number()
      .nullable()
      .describe('threshold used when a guardrail sets none; null when the score alone decides'),
    config_schema: z
      .record(z.string(), z.unknown())
      .describe(
        "JSON Schema of the guardrail's config for this judge (also components.schemas.JudgeConfig_<type>)",
      ),
  })
  .openapi('JudgeInfo', {
    example: {
      type: 'format',
      kind: 'rule',
      description: JUDGE_CATALOG.format.description,
      default_threshold: 1,
      config_schema: { type: 'object', properties: { max_length: { type: 'integer' } } },
    },
  });

export const JUDGE_LIST: z.infer<typeof JudgeInfoSchema>[] = JUDGE_TYPES.map((type) => ({
  type,
  kind: JUDGE_CATALOG[type].kind,
  description: JUDGE_CATALOG[type].description,
  default_threshold: JUDGE_CATALOG[type].defaultThreshold,
  config_schema: JUDGE_CONFIG_JSON_SCHEMAS[type],
}));
