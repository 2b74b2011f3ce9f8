import fs from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { LLM_PROVIDERS } from '../db/entities/index.js';
import {
  CONFIG_PROVIDERS,
  DEFAULT_EVAL_CONFIG_PATH,
  EVAL_CONFIG_SCHEMA_FILE,
  evalConfigJsonSchema,
  evalConfigJsonSchemaText,
  MAX_EVAL_CONFIG_BYTES,
  parseEvalConfig,
  renderTemplate,
  validateEvalConfig,
} from './eval-config.js';

const FULL = `
version: 1
description: Support answers stay short and leak nothing
prompts:
  system: |
    You are the support assistant of Acme ({{metadata.tier}} customers).
  user: "Customer: {{ input }}"
endpoint:
  provider: openai
  model: gpt-4o-mini
  url: https://llm.internal.example/v1
  params: { temperature: 0, max_tokens: 256 }
  api_key_env: EVALFORGE_PROVIDER_ACME
dataset:
  path: evals/support.csv
judges: [similarity]
guardrails:
  - judge: pii
  - judge: toxicity
    blocking: false
    threshold: 0.7
    config: { min_pass_rate: 0.95 }
paths: ["prompts/**", "evals/**"]
repetitions: 2
cache: false
`;

const issuesOf = (text: string) => {
  const parsed = parseEvalConfig(text);
  expect(parsed.ok).toBe(false);
  return parsed.ok ? [] : parsed.issues;
};

describe('parseEvalConfig', () => {
  it('reads a full file', () => {
    const parsed = parseEvalConfig(FULL);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config).toEqual({
      version: 1,
      description: 'Support answers stay short and leak nothing',
      prompts: {
        system: 'You are the support assistant of Acme ({{metadata.tier}} customers).\n',
        user: 'Customer: {{ input }}',
      },
      endpoint: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        url: 'https://llm.internal.example/v1',
        params: { temperature: 0, max_tokens: 256 },
        api_key_env: 'EVALFORGE_PROVIDER_ACME',
      },
      dataset: { path: 'evals/support.csv' },
      judges: ['similarity'],
      guardrails: [
        { judge: 'pii', blocking: true },
        { judge: 'toxicity', blocking: false, threshold: 0.7, config: { min_pass_rate: 0.95 } },
      ],
      paths: ['prompts/**', 'evals/**'],
      repetitions: 2,
      cache: false,
    });
  });

  it('fills the defaults of a minimal file', () => {
    const parsed = parseEvalConfig('endpoint: prod-gpt\ndataset: { name: Customer Support QA v1 }\n');
    expect(parsed).toEqual({
      ok: true,
      config: {
        version: 1,
        prompts: { user: '{{input}}' },
        endpoint: 'prod-gpt',
        dataset: { name: 'Customer Support QA v1' },
        repetitions: 1,
        cache: true,
      },
    });
    expect(DEFAULT_EVAL_CONFIG_PATH).toBe('evalforge.yaml');
  });

  it('names each problem by its path in the file', () => {
    expect(
      issuesOf(`
endpoint: { provider: openai, model: m, url: "ftp://files.example", api_key_env: A, secret: s }
dataset: { path: ../outside.csv }
prompts: { user: "{{inptu}}", system: "{{metadata}} {{input.text}}" }
judges: [similarity, nope]
guardrails: [{ judge: pii }, { judge: pii, threshold: 2 }]
repetitions: 11
surprise: true
`),
    ).toEqual(
      expect.arrayContaining([
        { path: 'endpoint.url', message: 'an http or https URL' },
        { path: 'endpoint', message: 'give api_key_env or secret, not both' },
        { path: 'dataset.path', message: 'a path inside the repository (relative, no "..")' },
        {
          path: 'prompts.user',
          message: 'unknown variable {{inptu}}: use {{input}}, {{expected}} or {{metadata.<key>}}',
        },
        {
          path: 'prompts.system',
          message: 'unknown variable {{metadata}}: use {{input}}, {{expected}} or {{metadata.<key>}}',
        },
        {
          path: 'prompts.system',
          message: 'unknown variable {{input.text}}: use {{input}}, {{expected}} or {{metadata.<key>}}',
        },
        { path: 'judges.1', message: expect.stringMatching(/^unknown judge; known: toxicity, pii/) },
        { path: 'guardrails.1.judge', message: 'judge pii appears twice' },
        { path: 'guardrails.1.threshold', message: expect.stringMatching(/<=1/) },
        { path: 'repetitions', message: expect.stringMatching(/<=10/) },
        { path: '', message: 'Unrecognized key: "surprise"' },
      ]),
    );
  });

  it('says what is missing', () => {
    expect(issuesOf('prompts: { user: "{{input}}" }\n')).toEqual([
      { path: 'endpoint', message: 'required: the name of a project endpoint, or {provider, model, …}' },
      {
        path: 'dataset',
        message:
          'required: {name, version?} of a project dataset, or {path, format?} of a file in the repository',
      },
    ]);
    expect(issuesOf('')).toHaveLength(2);
  });

  it('refuses YAML syntax errors, non-objects and oversized files as issues of the whole file', () => {
    const [syntax] = issuesOf('endpoint: [\n');
    expect(syntax.path).toBe('');
    expect(syntax.message).toMatch(/^not valid YAML: .*line \d+, column \d+/s);
    expect(issuesOf('- a list\n')[0]).toMatchObject({ path: '', message: expect.stringMatching(/object/) });
    expect(issuesOf(`# ${'x'.repeat(MAX_EVAL_CONFIG_BYTES)}`)).toEqual([
      { path: '', message: `larger than ${MAX_EVAL_CONFIG_BYTES} bytes` },
    ]);
  });

  it('accepts every template variable it documents', () => {
    const parsed = validateEvalConfig({
      endpoint: 'e',
      dataset: { name: 'd' },
      prompts: {
        system: 'Tier {{metadata.tier}}, region {{ metadata.address.region }}, key {{metadata.order-id}}',
        user: '{{input}} (expected: {{expected}})',
      },
    });
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
  });
});

describe('renderTemplate', () => {
  const sample = {
    input_text: 'Where is my order?',
    expected_output: 'Check Orders.',
    metadata: { tier: 'gold', address: { region: 'EU' }, count: 3, tags: ['a'], empty: null },
  };

  it('replaces input, expected and metadata (nested keys with dots)', () => {
    expect(
      renderTemplate(
        '[{{metadata.tier}}/{{ metadata.address.region }}] {{input}} -> {{expected}} ({{metadata.count}})',
        sample,
      ),
    ).toBe('[gold/EU] Where is my order? -> Check Orders. (3)');
  });

  it('renders missing values as empty text and objects as JSON', () => {
    expect(renderTemplate('<{{metadata.nope}}|{{metadata.empty}}|{{metadata.tier.deeper}}>', sample)).toBe(
      '<||>',
    );
    expect(renderTemplate('{{metadata.address}} {{metadata.tags}}', sample)).toBe('{"region":"EU"} ["a"]');
    expect(renderTemplate('{{expected}}|{{metadata.x}}', { input_text: 'q' })).toBe('|');
  });

  it('is a single pass: a value holding {{…}} is left as it is, and non-variables are text', () => {
    expect(renderTemplate('{{input}}', { input_text: 'say {{expected}}', expected_output: 'no' })).toBe(
      'say {{expected}}',
    );
    expect(renderTemplate('{{ 1 + 1 }} {input} {{input}}', { input_text: 'x' })).toBe(
      '{{ 1 + 1 }} {input} x',
    );
    expect(renderTemplate('$& $1 {{input}}', { input_text: '$& $$' })).toBe('$& $1 $& $$');
  });
});

describe('the schema', () => {
  it('allows the same providers as the endpoints table', () => {
    expect([...CONFIG_PROVIDERS]).toEqual([...LLM_PROVIDERS]);
  });

  it('is published as a JSON Schema that editors can check the full example with', () => {
    const schema = evalConfigJsonSchema();
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'EvalForge eval config (evalforge.yaml)',
      required: ['endpoint', 'dataset'],
    });
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const parsed = parseEvalConfig(FULL);
    expect(parsed.ok).toBe(true);
    expect(validate(parsed.ok ? parsed.config : null), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ endpoint: 'e', dataset: { name: 'd' }, surprise: 1 })).toBe(false);
  });

  it(`is committed as ${EVAL_CONFIG_SCHEMA_FILE} (run \`npm run gen:config-schema\` after changing it)`, async () => {
    const committed = await fs.readFile(new URL(`../${EVAL_CONFIG_SCHEMA_FILE}`, import.meta.url), 'utf8');
    expect(
      committed === evalConfigJsonSchemaText(),
      `${EVAL_CONFIG_SCHEMA_FILE} is stale: run \`npm run gen:config-schema\``,
    ).toBe(true);
  });
});
