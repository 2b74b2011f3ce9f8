/**
 * `evalforge.yaml`: an eval described in the repository, so a pull request that changes a prompt is
 * evaluated with its own prompt (and its base branch with the base's). One schema for every reader: the
 * CLI (`evalforge validate`, `evalforge run -c`), the API (`POST /api/eval/config-runs`), the GitHub App
 * (the file at a PR's head and base commits) and the JSON Schema shipped for editors
 * (schemas/evalforge.schema.json, `npm run gen:config-schema`).
 * Secrets never appear here: an endpoint names an environment variable or a project secret that holds its key.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isKnownJudgeType, JUDGE_TYPES } from '../judges/judge-types.js';

/** Where the App and the CLI look for the file unless told otherwise. */
export const DEFAULT_EVAL_CONFIG_PATH = 'evalforge.yaml';
/** Larger files are refused before parsing (the App reads them over the Contents API). */
export const MAX_EVAL_CONFIG_BYTES = 256 * 1024;
/** A dataset file named by the config (CSV or JSONL in the repository). */
export const MAX_CONFIG_DATASET_BYTES = 10 * 1024 * 1024;
export const MAX_CONFIG_REPETITIONS = 10;
/** The providers an endpoint may name: db's LLM_PROVIDERS, restated so the CLI loads no entity code
 * (eval-config.test.ts keeps the two lists equal). */
export const CONFIG_PROVIDERS = ['openai', 'anthropic', 'huggingface', 'custom'] as const;

const name = z.string().trim().min(1).max(255);

/** "type" or "type:name", as guardrails name judges (guardrail_configs.judge_type holds 50 characters). */
const JUDGE_NAME_PATTERN = /^[a-z][a-z0-9_]*(:[a-z0-9][a-z0-9_.-]*)?$/;
const judgeName = z
  .string()
  .max(50)
  .regex(JUDGE_NAME_PATTERN, `a judge such as ${JUDGE_TYPES.join(', ')}, optionally "type:name"`)
  .refine(isKnownJudgeType, { message: `unknown judge; known: ${JUDGE_TYPES.join(', ')}` });

/** `{{input}}`, `{{metadata.key}}` (dots for nested keys), `{{expected}}`; spaces inside braces allowed. */
export const TEMPLATE_VARIABLE = /\{\{\s*([a-zA-Z_][\w.-]*)\s*\}\}/g;
const KNOWN_ROOTS = new Set(['input', 'expected', 'metadata']);

const template = z
  .string()
  .max(100_000)
  .superRefine((text, ctx) => {
    for (const match of text.matchAll(TEMPLATE_VARIABLE)) {
      const [root, ...rest] = match[1].split('.');
      if (!KNOWN_ROOTS.has(root) || (root === 'metadata' ? rest.length === 0 : rest.length > 0)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown variable {{${match[1]}}}: use {{input}}, {{expected}} or {{metadata.<key>}}`,
        });
      }
    }
  });

export const EvalConfigPromptsSchema = z
  .object({
    system: template.optional().describe('system prompt; may use the same variables as `user`'),
    user: template
      .default('{{input}}')
      .describe('the user message: {{input}}, {{expected}} and {{metadata.<key>}} are replaced per sample'),
  })
  .strict();

export const InlineEndpointSchema = z
  .object({
    provider: z.enum(CONFIG_PROVIDERS),
    model: name.describe('model name as the provider spells it'),
    url: z
      .url({ protocol: /^https?$/, error: 'an http or https URL' })
      .max(2048)
      .optional()
      .describe('base URL of an OpenAI- or Anthropic-compatible server (http or https, no credentials)'),
    params: z
      .object({
        temperature: z.number().min(0).max(2).optional(),
        top_p: z.number().gt(0).max(1).optional(),
        max_tokens: z.number().int().positive().max(1_000_000).optional(),
      })
      .strict()
      .optional(),
    api_key_env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional()
      .describe('environment variable of the worker that holds the key (must be allowlisted)'),
    secret: name.optional().describe('name of a project provider secret holding the key'),
  })
  .strict()
  .refine((e) => !(e.api_key_env && e.secret), { message: 'give api_key_env or secret, not both' });

export const EvalConfigEndpointSchema = z.union(
  [name.describe("a project endpoint's name"), InlineEndpointSchema],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'required: the name of a project endpoint, or {provider, model, …}'
        : 'the name of a project endpoint, or {provider, model, url?, params?, api_key_env? | secret?}',
  },
);

export const EvalConfigDatasetSchema = z.union(
  [
    z
      .object({
        name: name.describe("a project dataset's name"),
        version: z.number().int().positive().optional().describe('pinned version; latest when left out'),
      })
      .strict(),
    z
      .object({
        path: z
          .string()
          .min(1)
          .max(1024)
          .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
            message: 'a path inside the repository (relative, no "..")',
          })
          .describe('CSV or JSONL file in the repository, stored as a dataset version keyed by its content'),
        format: z.enum(['csv', 'jsonl']).optional().describe('default: from the extension'),
      })
      .strict(),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'required: {name, version?} of a project dataset, or {path, format?} of a file in the repository'
        : '{name, version?} of a project dataset, or {path, format?} of a file in the repository',
  },
);

export const EvalConfigGuardrailSchema = z
  .object({
    judge: judgeName.describe(`one of ${JUDGE_TYPES.join(', ')}; "type:name" configures a judge again`),
    blocking: z.boolean().default(true),
    threshold: z.number().min(0).max(1).optional(),
    config: z.record(z.string(), z.unknown()).optional().describe("the judge's options and gate settings"),
  })
  .strict();

export const EvalConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    description: z.string().max(2_000).optional(),
    prompts: EvalConfigPromptsSchema.default({ user: '{{input}}' }),
    endpoint: EvalConfigEndpointSchema,
    dataset: EvalConfigDatasetSchema,
    judges: z
      .array(judgeName)
      .max(50)
      .optional()
      .describe("judges to run (default: the guardrails' judges, else the project's)"),
    guardrails: z
      .array(EvalConfigGuardrailSchema)
      .max(50)
      .superRefine((guardrails, ctx) => {
        const seen = new Set<string>();
        guardrails.forEach((g, i) => {
          if (seen.has(g.judge))
            ctx.addIssue({ code: 'custom', path: [i, 'judge'], message: `judge ${g.judge} appears twice` });
          seen.add(g.judge);
        });
      })
      .optional()
      .describe("this config's guardrails; the project's when left out"),
    paths: z
      .array(z.string().min(1).max(1024))
      .max(100)
      .optional()
      .describe(
        'glob patterns: a pull request touching none of them is skipped (the file itself always counts)',
      ),
    repetitions: z.number().int().min(1).max(MAX_CONFIG_REPETITIONS).default(1),
    cache: z.boolean().default(true).describe('reuse answers for an unchanged endpoint, prompt and input'),
  })
  .strict();

export type EvalConfig = z.output<typeof EvalConfigSchema>;
export type EvalConfigInput = z.input<typeof EvalConfigSchema>;

export interface EvalConfigIssue {
  /** Dotted path into the file ("prompts.user"), "" for the whole file. */
  path: string;
  message: string;
}

export type EvalConfigParse = { ok: true; config: EvalConfig } | { ok: false; issues: EvalConfigIssue[] };

export function validateEvalConfig(value: unknown): EvalConfigParse {
  const parsed = EvalConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  };
}

/** Parses YAML (or JSON, a subset) text: syntax errors and schema problems come back as issues. */
export function parseEvalConfig(text: string): EvalConfigParse {
  if (Buffer.byteLength(text, 'utf8') > MAX_EVAL_CONFIG_BYTES) {
    return { ok: false, issues: [{ path: '', message: `larger than ${MAX_EVAL_CONFIG_BYTES} bytes` }] };
  }
  let value: unknown;
  try {
    // No custom tags, no merge keys beyond YAML 1.2 core: the file is data.
    value = parseYaml(text, { schema: 'core', maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, issues: [{ path: '', message: `not valid YAML: ${(err as Error).message}` }] };
  }
  return validateEvalConfig(value ?? {});
}

/** A sample as a prompt template sees it. */
export interface TemplateSample {
  input_text: string;
  expected_output?: string | null;
  metadata?: Record<string, unknown> | null;
}

function lookup(metadata: Record<string, unknown> | null | undefined, keys: string[]): string {
  let value: unknown = metadata ?? {};
  for (const key of keys) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Replaces the variables of a template; a missing metadata key renders as empty text. Single pass: a value
 * that contains `{{…}}` is left as it is. */
export function renderTemplate(text: string, sample: TemplateSample): string {
  return text.replace(TEMPLATE_VARIABLE, (_, variable: string) => {
    const [root, ...rest] = variable.split('.');
    if (root === 'input') return sample.input_text;
    if (root === 'expected') return sample.expected_output ?? '';
    return lookup(sample.metadata, rest);
  });
}

/** Where the repository ships the JSON Schema, from its root (`npm run gen:config-schema` writes it). */
export const EVAL_CONFIG_SCHEMA_FILE = 'schemas/evalforge.schema.json';

/** The text of schemas/evalforge.schema.json: evalConfigJsonSchema() as indented JSON. */
export function evalConfigJsonSchemaText(): string {
  return `${JSON.stringify(evalConfigJsonSchema(), null, 2)}\n`;
}

/** The JSON Schema editors complete the file with (what schemas/evalforge.schema.json holds). */
export function evalConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(EvalConfigSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://evalforge.dev/schemas/evalforge.schema.json',
    title: 'EvalForge eval config (evalforge.yaml)',
  };
}
