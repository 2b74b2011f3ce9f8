/**
 * Every judge's config schema (guardrail_configs.config), in one module that loads no model runtime: the
 * judges parse their config with these, and the API validates guardrails and publishes JSON Schemas from them.
 *
 * Two views of one definition:
 * - `<judge>Options` (and `JUDGE_CONFIG_OPTIONS`) strip unknown keys: a judge at run time sees the whole
 *   stored config, which also holds settings that belong to others (the gate's min_pass_rate…).
 * - `judgeConfigSchema(type, shared)` is what the boundary checks: the judge's options plus the caller's
 *   `shared` settings, every other key refused. The caller brings the shared shape (the API passes the gate's,
 *   core/guardrail-settings.ts), so judges/ depends on nothing outside it.
 */
import { Ajv } from 'ajv';
import { z } from 'zod';
import { baseJudgeType, JUDGE_TYPES, type JudgeType } from './judge-types.js';
import { JudgeConfigError, modelJudgeOptions } from './settings.js';

export const toxicityOptions = z.object({
  ...modelJudgeOptions,
  toxic_labels: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('labels whose probability counts as toxicity (default: every label except benign ones)'),
});

export const similarityOptions = z.object({
  ...modelJudgeOptions,
  // fp32 unless asked otherwise: quantized embeddings drift from Python's and thresholds tuned there misfire.
  dtype: modelJudgeOptions.dtype.default('fp32'),
});

export const DEFAULT_HYPOTHESIS_TEMPLATE = 'This text is {}.';

export const zeroShotOptions = z
  .object({
    ...modelJudgeOptions,
    labels: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(20)
      .describe('the criteria, as hypotheses\' fillers: "polite", "about billing", "a refusal"…'),
    positive_labels: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('labels that count towards the score (default: the first); others are reported only'),
    hypothesis_template: z
      .string()
      .refine((t) => t.includes('{}'), 'must contain {} where the label goes')
      .default(DEFAULT_HYPOTHESIS_TEMPLATE),
    multi_label: z
      .boolean()
      .default(true)
      .describe(
        'true: each label judged on its own (entailment vs contradiction); false: labels compete (a single label is always judged on its own)',
      ),
    offline_fallback: z
      .boolean()
      .default(true)
      .describe(
        'when no model is configured and the default NLI model is not in the models folder, score by MiniLM similarity to the hypotheses (weaker; recorded in details.method)',
      ),
  })
  .check((ctx) => {
    const unknown = (ctx.value.positive_labels ?? []).filter((l) => !ctx.value.labels.includes(l));
    if (unknown.length > 0) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value.positive_labels,
        path: ['positive_labels'],
        message: `not in labels: ${unknown.join(', ')}`,
      });
    }
  });

export const DEFAULT_NER_CONFIDENCE = 0.5;

export const piiOptions = z.object({
  ...modelJudgeOptions,
  ner: z
    .boolean()
    .default(true)
    .describe('false: validated patterns only, no model (fast, no models folder)'),
  ner_confidence: z.number().min(0).max(1).default(DEFAULT_NER_CONFIDENCE),
  ignore_types: z
    .array(z.string().min(1))
    .default(['organization', 'misc', 'url'])
    .describe(
      'finding types that do not fail the check (e.g. "email" for a bot that quotes its own address)',
    ),
  // Input too: personal data a user sent is stored with the run and shown in the dashboard.
  scan: z
    .array(z.enum(['output', 'input']))
    .min(1)
    .default(['output'])
    .transform((fields) => [...new Set(fields)])
    .describe("what to scan: the model's output, and optionally the sample's input"),
});

export const markdownOptions = z.strictObject({
  headings: z
    .array(z.string().min(1))
    .optional()
    .describe('heading texts that must appear (case-insensitive, any level)'),
  min_headings: z.number().int().min(1).optional(),
  lists: z.boolean().optional(),
  code_blocks: z.boolean().optional(),
  tables: z.boolean().optional(),
});
export type MarkdownOptions = z.infer<typeof markdownOptions>;

const FORMAT_CHECKS =
  'json, json_schema, regex, min_length, max_length or markdown (headings, min_headings, lists, code_blocks, tables)';

/** Whether a format config asks for anything: a judge with no check would score 0/0 on every sample. */
function hasFormatCheck(c: z.infer<typeof formatFields>): boolean {
  const md = c.markdown;
  const markdown =
    md !== undefined &&
    ((md.headings?.length ?? 0) > 0 ||
      md.min_headings !== undefined ||
      Boolean(md.lists || md.code_blocks || md.tables));
  return (
    c.json === true ||
    c.json_schema !== undefined ||
    c.regex !== undefined ||
    c.min_length !== undefined ||
    c.max_length !== undefined ||
    markdown
  );
}

const formatFields = z.object({
  json: z
    .boolean()
    .optional()
    .describe('the output must parse as JSON (a ```json fence around it is allowed)'),
  json_schema: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON Schema (draft-07) the parsed output must satisfy; implies json'),
  regex: z.string().min(1).optional().describe('pattern the output must match'),
  regex_flags: z
    .string()
    .regex(/^[imsu]*$/, 'only i, m, s and u flags')
    .optional(),
  min_length: z.number().int().min(0).optional().describe('in characters'),
  max_length: z.number().int().min(1).optional().describe('in characters'),
  markdown: markdownOptions.optional().describe('Markdown structure the output must have'),
});

// Meta-validation only: checking a JSON Schema against draft-07 compiles nothing from the user's schema.
const metaSchemaChecker = new Ajv({ strict: false });

export const formatOptions = formatFields.check((ctx) => {
  const c = ctx.value;
  const issue = (path: string[], message: string) =>
    ctx.issues.push({ code: 'custom', input: c, path, message });
  if (!hasFormatCheck(c)) issue([], `give at least one check: ${FORMAT_CHECKS}`);
  if (c.min_length !== undefined && c.max_length !== undefined && c.min_length > c.max_length)
    issue(['min_length'], 'must not exceed max_length');
  if (c.regex !== undefined) {
    const problem = regexProblem(c.regex, c.regex_flags);
    if (problem) issue(['regex'], problem);
  }
  if (c.json_schema !== undefined) {
    const problem = jsonSchemaProblem(c.json_schema);
    if (problem) issue(['json_schema'], problem);
  }
});

export const ASSERTION_TYPES = [
  'equals',
  'contains',
  'not_contains',
  'regex',
  'starts_with',
  'ends_with',
] as const;

export const assertionOptions = z
  .strictObject({
    type: z.enum(ASSERTION_TYPES),
    value: z
      .string()
      .optional()
      .describe("the expected text or pattern; omit and set reference: true to use the sample's reference"),
    reference: z.boolean().default(false),
    case_sensitive: z.boolean().default(true),
    trim: z.boolean().default(true).describe('compare after trimming surrounding whitespace'),
  })
  .check((ctx) => {
    const a = ctx.value;
    if (a.value === undefined && !a.reference) {
      ctx.issues.push({ code: 'custom', input: a, path: [], message: 'needs a value or reference: true' });
    }
    const problem = a.type === 'regex' && a.value !== undefined ? regexProblem(a.value) : null;
    if (problem) ctx.issues.push({ code: 'custom', input: a, path: ['value'], message: problem });
  });
export type AssertionOptions = z.infer<typeof assertionOptions>;

export const assertionsOptions = z.object({
  assertions: z
    .array(assertionOptions)
    .min(1)
    .default([{ type: 'equals', reference: true, case_sensitive: true, trim: true }])
    .describe('all must hold to pass; default: the output equals the reference'),
});

export const LLM_JUDGE_DEFAULT_CRITERIA = [
  {
    name: 'quality',
    description: 'Correct, complete, relevant and clearly written for the question.',
    weight: 1,
  },
];

export const llmJudgeOptions = z
  .object({
    endpoint_id: z
      .uuid()
      .optional()
      .describe("the project endpoint that judges (e.g. a stronger model); default: the run's own endpoint"),
    mode: z.enum(['pointwise', 'pairwise']).default('pointwise'),
    rubric: z.string().max(20_000).optional(),
    criteria: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(100),
          description: z.string().min(1).max(2_000),
          weight: z.number().positive().default(1),
        }),
      )
      .min(1)
      .max(20)
      .default(LLM_JUDGE_DEFAULT_CRITERIA),
    evaluation_steps: z.array(z.string().min(1)).max(20).optional(),
    scale: z.strictObject({ min: z.number().int(), max: z.number().int() }).default({ min: 1, max: 5 }),
    temperature: z
      .number()
      .min(0)
      .max(2)
      .default(0)
      .describe('0: the same output gets the same verdict as far as the judge model allows'),
    max_tokens: z.number().int().min(16).max(8_192).default(512),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe("items judged at once; the endpoint's own limits still apply underneath"),
    timeout_ms: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(60_000)
      .describe('deadline per judge call; a call past it counts as a failed attempt'),
    use_reference: z
      .boolean()
      .default(true)
      .describe('pointwise: show the reference answer to the judge when the sample has one'),
    /**
     * Send the verdict's JSON Schema as `response_format` (json_schema, strict), so servers that constrain
     * decoding (OpenAI gpt-4o and later, vLLM, llama.cpp, Ollama, the local server) always reply in shape.
     * Off by default: some older OpenAI-compatible servers reject the field. Reasoning comes first, then the
     * scores, with or without it. The Anthropic protocol has no such field: there the prompt alone asks for JSON.
     */
    structured_output: z
      .boolean()
      .default(false)
      .describe("send the verdict's JSON Schema as response_format (json_schema, strict)"),
    /**
     * G-Eval: ask for token log-probabilities and score each criterion as the probability-weighted mean of
     * the scale's values at its score token. Servers that return none (or refuse the field, which the
     * OpenAI-compatible caller then stops sending) get the integer the judge wrote.
     */
    logprobs: z
      .boolean()
      .default(true)
      .describe(
        'pointwise: score each criterion as the probability-weighted mean of the scale (G-Eval) when the server returns logprobs',
      ),
    demonstration: z
      .boolean()
      .default(false)
      .describe(
        'the judge model is too small to be trusted (e.g. the local 135M demo model): its scores are labelled a demonstration; keep the guardrail non-blocking',
      ),
  })
  .refine((c) => c.scale.max > c.scale.min, {
    message: 'scale.max must be greater than scale.min',
    path: ['scale'],
  });

/** Each judge type's own options (unknown keys stripped: the run-time view). */
export const JUDGE_CONFIG_OPTIONS = {
  toxicity: toxicityOptions,
  pii: piiOptions,
  similarity: similarityOptions,
  zero_shot: zeroShotOptions,
  format: formatOptions,
  assertions: assertionsOptions,
  llm_judge: llmJudgeOptions,
} as const satisfies Record<JudgeType, z.ZodObject>;

/**
 * The config a guardrail of `judgeType` ("type" or "type:name") may store: the judge's options plus `shared`
 * (settings the judge ignores but its caller reads), with unknown keys refused. Where both define a key the
 * judge's definition wins, as it is the narrower one (a model judge's `queue` is judges.cpu or judges.gpu).
 */
export function judgeConfigSchema(judgeType: string, shared: z.ZodRawShape = {}): z.ZodObject {
  const base = baseJudgeType(judgeType);
  if (!Object.hasOwn(JUDGE_CONFIG_OPTIONS, base)) {
    throw new JudgeConfigError(`unknown judge type "${judgeType}" (known: ${JUDGE_TYPES.join(', ')})`);
  }
  const options: z.ZodObject = JUDGE_CONFIG_OPTIONS[base as JudgeType];
  const sharedOnly = Object.fromEntries(
    Object.entries(shared).filter(([key]) => !Object.hasOwn(options.shape, key)),
  );
  // safeExtend keeps the judge's cross-field checks (extend refuses refined objects).
  return options.safeExtend(sharedOnly).strict();
}

function regexProblem(source: string, flags?: string): string | null {
  try {
    new RegExp(source, flags);
    return null;
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
}

function jsonSchemaProblem(schema: Record<string, unknown>): string | null {
  try {
    if (metaSchemaChecker.validateSchema(schema)) return null;
    return `not a valid JSON Schema: ${metaSchemaChecker.errorsText(metaSchemaChecker.errors)}`;
  } catch (err) {
    // An unknown $schema (a meta-schema Ajv does not have) throws rather than reports.
    return `not a valid JSON Schema: ${(err as Error).message}`;
  }
}
