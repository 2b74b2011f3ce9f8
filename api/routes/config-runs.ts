/**
 * Runs of an evalforge.yaml (POST /api/eval/config-runs) and the file's JSON Schema for editors
 * (GET /api/schemas/evalforge.json, public). The run answers exactly as POST /api/eval/run does, plus the
 * `config_sha256` that names what it measured.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { evalConfigJsonSchema, validateEvalConfig } from '../../core/eval-config.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBodySchema } from '../errors.js';
import { authorizeProject } from '../middleware/auth.js';
import type { ApiEnv } from '../middleware/context.js';
import { Uuid } from '../schemas/common.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { BudgetUsd, RunContextFields, RunLabels, RunName, RunSchema } from '../schemas/runs.js';
import { storableJsonObject, storableString } from '../schemas/text.js';
import { invalidConfig, startConfigRun } from '../services/config-runs.js';
import { serializeRun } from './runs.js';

export const EVAL_CONFIG_SCHEMA_PATH = '/api/schemas/evalforge.json';

const EXAMPLE_SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

export const StartConfigRunBody = z
  .strictObject({
    project_id: Uuid,
    config: storableJsonObject().describe(
      `the evalforge.yaml, as JSON: its JSON Schema is at GET ${EVAL_CONFIG_SCHEMA_PATH}. A config the schema ` +
        'refuses is 422 `invalid_config` with `details.issues` [{path, message}]',
    ),
    config_path: storableString()
      .min(1)
      .max(1024)
      .optional()
      .describe('where the config was read from (recorded with the run), e.g. evalforge.yaml'),
    files: z
      .record(storableString().min(1).max(1024), storableString())
      .optional()
      .describe(
        'repository files the config names, path → UTF-8 text: the dataset file of `dataset.path` ' +
          '(422 `missing_file` without it). Its content is stored once per sha256 as a version of the dataset ' +
          'named after the path',
      ),
    name: RunName.optional(),
    labels: RunLabels.optional(),
    ...RunContextFields,
    budget_usd: BudgetUsd,
  })
  .openapi('StartConfigRun', {
    example: {
      project_id: '7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b',
      config_path: 'evalforge.yaml',
      config: {
        version: 1,
        prompts: {
          system: 'You are the support assistant of Acme. Answer in at most three sentences.',
          user: 'Customer ({{metadata.tier}}): {{input}}',
        },
        endpoint: {
          provider: 'openai',
          model: 'gpt-4o-mini',
          params: { temperature: 0 },
          api_key_env: 'OPENAI_API_KEY',
        },
        dataset: { path: 'evals/support.jsonl' },
        guardrails: [{ judge: 'pii', blocking: true }],
      },
      files: {
        'evals/support.jsonl': '{"input_text":"Where is my order?","metadata":{"tier":"gold"}}\n',
      },
      trigger_type: 'ci',
      git_commit_sha: EXAMPLE_SHA,
      git_branch: 'shorter-answers',
      git_base_branch: 'main',
      pr_number: 42,
    },
  });

export const ConfigRunSchema = RunSchema.extend({
  config_sha256: z
    .string()
    .describe(
      'sha256 of what decides the answers and the verdict (endpoint and its generation parameters, prompts, ' +
        'dataset version, judges, guardrails, repetitions), not the commit: runs with equal hashes measured the same',
    ),
}).openapi('ConfigRun');

const startRoute = createRoute({
  method: 'post',
  path: '/api/eval/config-runs',
  tags: ['runs'],
  summary: 'Start a run of an evalforge.yaml (idempotent with an Idempotency-Key header)',
  description:
    'Resolves the config into rows and starts a run as POST /api/eval/run does: an endpoint by name, or an inline ' +
    'one stored as a project endpoint keyed by its content (checked like POST /api/projects/{id}/endpoints); a ' +
    'dataset by name, or a file sent in `files`, stored as a dataset version keyed by its sha256; the prompts ' +
    "rendered per sample; the config's guardrails instead of the project's when it has some. Errors are 422 with " +
    '`invalid_config` (details.issues), `unknown_endpoint`, `unknown_dataset`, `missing_file`, ' +
    '`invalid_dataset_file` (row errors), `invalid_judge_config`. With an `Idempotency-Key` the key is bound to ' +
    'the request: the same request again answers 200 with its run, another one 422 `idempotency_key_reused`.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
    body: { required: true, content: { 'application/json': { schema: StartConfigRunBody } } },
  },
  responses: {
    201: jsonContent(ConfigRunSchema, 'run created and its workflow started'),
    200: jsonContent(ConfigRunSchema, 'a run with this Idempotency-Key and the same request already exists'),
    ...errorResponses(404, 409, 413, 415, 422),
    503: jsonContent(ErrorBodySchema, 'Temporal unavailable; retry'),
  },
});

const schemaRoute = createRoute({
  method: 'get',
  path: EVAL_CONFIG_SCHEMA_PATH,
  tags: ['runs'],
  // Public: editors (yaml-language-server's `$schema` comment) fetch it without a key.
  security: [],
  summary: 'The JSON Schema of evalforge.yaml (also in the repository: schemas/evalforge.schema.json)',
  responses: {
    200: {
      description: 'a JSON Schema (draft 2020-12)',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

export function configRunRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(startRoute, async (c) => {
    const body = c.req.valid('json');
    authorizeProject(c, body.project_id);
    const checked = validateEvalConfig(body.config);
    if (!checked.ok) throw invalidConfig(checked.issues);
    const { run, created, configSha256 } = await startConfigRun(deps, {
      ...body,
      config: checked.config,
      idempotency_key: c.req.valid('header')['idempotency-key'],
    });
    return c.json({ ...serializeRun(run), config_sha256: configSha256 }, created ? 201 : 200);
  });

  app.openapi(schemaRoute, (c) => {
    c.header('cache-control', 'public, max-age=3600');
    return c.json(evalConfigJsonSchema(), 200);
  });

  return app;
}
