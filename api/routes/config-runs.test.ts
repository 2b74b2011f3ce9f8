/**
 * POST /api/eval/config-runs and GET /api/schemas/evalforge.json against the real database and Temporal
 * (no worker polls here: runs stay pending; workflows/config-run.test.ts runs one to the end).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalConfigJsonSchema } from '../../core/eval-config.js';
import { DatasetVersion, EvalDataset, EvalRun, EvalSample, LlmEndpoint } from '../../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { findCompletedConfigRun, resolveConfigRun } from '../services/config-runs.js';
import { bearer, createTestApi, type TestApi } from '../test-support.js';

const ADMIN_KEY = 'config-runs-test-admin-key-0123456789';
const admin = bearer(ADMIN_KEY);
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

const CSV =
  'input_text,reference_output,tier\nWhere is my order?,Check Orders.,gold\nCan I pay by invoice?,Yes,silver\n';
const PROMPTS = { system: 'You help {{metadata.tier}} customers.', user: 'Q: {{input}}' };

let api: TestApi;
let fx: ProjectFixture;
let other: ProjectFixture;
let keyA: string;
let keyB: string;

async function keyFor(projectId: string) {
  const res = await api.call('POST', `/api/projects/${projectId}/api-keys`, { name: 'ci' }, admin);
  expect(res.status).toBe(201);
  return (await res.json()).key as string;
}

beforeAll(async () => {
  api = await createTestApi({
    mode: 'production',
    settings: { adminKey: ADMIN_KEY, rateLimitPerMinute: 0 },
  });
  fx = await createProjectFixture(api.db.dataSource, { samples: 3 });
  other = await createProjectFixture(api.db.dataSource, { samples: 3 });
  keyA = await keyFor(fx.project.id);
  keyB = await keyFor(other.project.id);
}, 60_000);
afterAll(async () => {
  await api?.close();
});

const config = (extra: Record<string, unknown> = {}) => ({
  prompts: PROMPTS,
  endpoint: 'fixture endpoint',
  dataset: { path: 'evals/qa.csv' },
  ...extra,
});
const body = (extra: Record<string, unknown> = {}, cfg: Record<string, unknown> = {}) => ({
  project_id: fx.project.id,
  config: config(cfg),
  config_path: 'evalforge.yaml',
  files: { 'evals/qa.csv': CSV },
  ...extra,
});
const start = (b: unknown, headers: Record<string, string> = admin) =>
  api.call('POST', '/api/eval/config-runs', b, headers);
async function started(b: unknown, headers: Record<string, string> = admin) {
  const res = await start(b, headers);
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json;
}
async function refused(b: unknown, status = 422) {
  const res = await start(b);
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(status);
  return json.error as { code: string; message: string; details?: Record<string, unknown> };
}

describe('POST /api/eval/config-runs', () => {
  it('starts a run from a config and its dataset file: prompts, guardrails and the config recorded with it', async () => {
    const gitSha = 'a'.repeat(40);
    const run = await started(
      body(
        {
          trigger_type: 'ci',
          git_commit_sha: gitSha,
          git_branch: 'shorter-answers',
          git_base_branch: 'main',
          pr_number: 12,
        },
        {
          guardrails: [
            { judge: 'pii' },
            { judge: 'toxicity', blocking: false, config: { min_pass_rate: 0.9 } },
          ],
          repetitions: 2,
        },
      ),
    );
    expect(run.config_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run).toMatchObject({
      project_id: fx.project.id,
      endpoint_id: fx.endpoint.id,
      status: 'pending',
      trigger_type: 'ci',
      git_commit_sha: gitSha,
      git_branch: 'shorter-answers',
      pr_number: 12,
      repetitions: 2,
      use_cache: true,
      total_samples: 4,
      workflow_id: `eval-run-${run.id}`,
    });
    expect(run.config).toMatchObject({
      prompts: PROMPTS,
      guardrails: [
        { judge_type: 'pii', is_blocking: true, threshold: 1, config: {} },
        { judge_type: 'toxicity', is_blocking: false, threshold: 0.5, config: { min_pass_rate: 0.9 } },
      ],
      config_path: 'evalforge.yaml',
      config_sha256: run.config_sha256,
      eval_config: {
        version: 1,
        endpoint: 'fixture endpoint',
        dataset: { path: 'evals/qa.csv' },
        cache: true,
      },
    });
    const row = await api.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id });
    expect(row.config_sha256).toBe(run.config_sha256);

    // The file became version 1 of a dataset named after its path, keyed by the content's sha256.
    const dataset = await api.db.dataSource
      .getRepository(EvalDataset)
      .findOneByOrFail({ id: run.dataset_id });
    expect(dataset).toMatchObject({
      project_id: fx.project.id,
      name: 'evals/qa.csv',
      tags: ['evalforge.yaml'],
    });
    const version = await api.db.dataSource
      .getRepository(DatasetVersion)
      .findOneByOrFail({ id: run.dataset_version_id });
    expect(version).toMatchObject({ version: 1, sample_count: 2, content_sha256: sha256(CSV) });
    const samples = await api.db.dataSource
      .getRepository(EvalSample)
      .find({ where: { dataset_version_id: version.id }, order: { position: 'ASC' } });
    expect(samples.map((s) => [s.input_text, s.reference_output, s.metadata])).toEqual([
      ['Where is my order?', 'Check Orders.', { tier: 'gold' }],
      ['Can I pay by invoice?', 'Yes', { tier: 'silver' }],
    ]);
  });

  it('maps the same content to the same dataset version and config_sha256; edits to other ones', async () => {
    const first = await started(body({ git_commit_sha: 'b'.repeat(40) }));
    const again = await started(body({ git_commit_sha: 'c'.repeat(40), git_branch: 'other', pr_number: 3 }));
    expect(again.id).not.toBe(first.id);
    expect(again.dataset_version_id).toBe(first.dataset_version_id);
    expect(again.config_sha256).toBe(first.config_sha256);

    const editedPrompt = await started(body({}, { prompts: { ...PROMPTS, user: 'Question: {{input}}' } }));
    expect(editedPrompt.dataset_version_id).toBe(first.dataset_version_id);
    expect(editedPrompt.config_sha256).not.toBe(first.config_sha256);
    const moreRepetitions = await started(body({}, { repetitions: 3 }));
    expect(moreRepetitions.config_sha256).not.toBe(first.config_sha256);
    // The cache flag changes no answer: same hash.
    expect((await started(body({}, { cache: false }))).config_sha256).toBe(first.config_sha256);

    const editedCsv = `${CSV}Do you ship abroad?,Yes,gold\n`;
    const editedFile = await started({ ...body(), files: { 'evals/qa.csv': editedCsv } });
    expect(editedFile.dataset_id).toBe(first.dataset_id);
    expect(editedFile.dataset_version_id).not.toBe(first.dataset_version_id);
    expect(editedFile.config_sha256).not.toBe(first.config_sha256);
    expect(editedFile.total_samples).toBe(3);
    const v2 = await api.db.dataSource
      .getRepository(DatasetVersion)
      .findOneByOrFail({ id: editedFile.dataset_version_id });
    expect(v2).toMatchObject({ version: 2, content_sha256: sha256(editedCsv) });

    // Back to the old content: its old version, and the old hash.
    const reverted = await started(body());
    expect(reverted.dataset_version_id).toBe(first.dataset_version_id);
    expect(reverted.config_sha256).toBe(first.config_sha256);
    expect(
      await api.db.dataSource.getRepository(DatasetVersion).countBy({ dataset_id: first.dataset_id }),
    ).toBe(2);
  });

  it('reads a JSONL file, and a dataset or endpoint by name (latest or pinned version)', async () => {
    const jsonl = '{"input_text":"hi","metadata":{"tier":"gold"}}\n{"input_text":"bye"}\n';
    const fromJsonl = await started({
      ...body({}, { dataset: { path: 'evals/qa.jsonl' } }),
      files: { 'evals/qa.jsonl': jsonl },
    });
    expect(fromJsonl.total_samples).toBe(2);

    const byName = await started(body({}, { dataset: { name: 'fixture dataset' } }));
    expect(byName).toMatchObject({ dataset_id: fx.dataset.id, dataset_version_id: fx.version.id });
    const pinned = await started(body({}, { dataset: { name: 'fixture dataset', version: 1 } }));
    expect(pinned.dataset_version_id).toBe(fx.version.id);
    expect(pinned.config_sha256).toBe(byName.config_sha256);
  });

  it('stores an inline endpoint once per content, with the checks of the endpoints API', async () => {
    const inline = {
      provider: 'openai',
      model: 'gpt-4o-mini',
      params: { temperature: 0 },
      api_key_env: 'OPENAI_API_KEY',
    };
    const first = await started(body({}, { endpoint: inline }));
    const again = await started(body({}, { endpoint: { ...inline, params: { temperature: 0 } } }));
    expect(again.endpoint_id).toBe(first.endpoint_id);
    expect(again.config_sha256).toBe(first.config_sha256);
    const row = await api.db.dataSource.getRepository(LlmEndpoint).findOneByOrFail({ id: first.endpoint_id });
    expect(row).toMatchObject({
      project_id: fx.project.id,
      provider: 'openai',
      model_name: 'gpt-4o-mini',
      endpoint_url: null,
      config: { temperature: 0 },
      api_key_env: 'OPENAI_API_KEY',
      secret_id: null,
    });
    expect(row.name).toMatch(/^evalforge\.yaml openai\/gpt-4o-mini [0-9a-f]{8}$/);

    const warmer = await started(body({}, { endpoint: { ...inline, params: { temperature: 0.7 } } }));
    expect(warmer.endpoint_id).not.toBe(first.endpoint_id);
    expect(warmer.config_sha256).not.toBe(first.config_sha256);

    // A secret by name: the row references it by id; the value never appears.
    const secret = await api.call(
      'POST',
      `/api/projects/${fx.project.id}/secrets`,
      { name: 'openai-ci', value: 'sk-config-run-secret-0123456789abcdef' },
      admin,
    );
    expect(secret.status).toBe(201);
    const withSecret = await started(
      body({}, { endpoint: { provider: 'openai', model: 'gpt-4o-mini', secret: 'openai-ci' } }),
    );
    const secretRow = await api.db.dataSource
      .getRepository(LlmEndpoint)
      .findOneByOrFail({ id: withSecret.endpoint_id });
    expect(secretRow.secret_id).toBe((await secret.json()).id);

    expect(
      (await refused(body({}, { endpoint: { ...inline, api_key_env: 'EVALFORGE_ADMIN_KEY' } }))).code,
    ).toBe('api_key_env_not_allowed');
    expect(
      (await refused(body({}, { endpoint: { provider: 'openai', model: 'm', secret: 'nope' } }))).code,
    ).toBe('unknown_secret');
    const metadata = await refused(
      body({}, { endpoint: { provider: 'openai', model: 'm', url: 'http://169.254.169.254/v1' } }),
    );
    expect(metadata.code).toBe('endpoint_url_not_allowed');
    // Another project's secret is not found either.
    expect(
      (
        await refused({
          ...body({}, { endpoint: { provider: 'openai', model: 'm', secret: 'openai-ci' } }),
          project_id: other.project.id,
        })
      ).code,
    ).toBe('unknown_secret');
  });

  it("never lets a config send the project's key to a server of its choosing", async () => {
    // A pull request (a fork's too) writes the file: a key reference may go to the provider's own API only,
    // or to a URL a project endpoint already pairs with that same key.
    const toAttacker = { provider: 'openai', model: 'm', url: 'https://collector.example.net/v1' };
    const withEnv = await refused(body({}, { endpoint: { ...toAttacker, api_key_env: 'OPENAI_API_KEY' } }));
    expect(withEnv).toMatchObject({ code: 'key_url_not_paired', details: { path: 'endpoint.url' } });
    expect((await refused(body({}, { endpoint: { ...toAttacker, secret: 'openai-ci' } }))).code).toBe(
      'key_url_not_paired',
    );
    // Without a key the URL is only subject to the outbound policy; a pairing an operator made is reused.
    await started(body({}, { endpoint: toAttacker }));
    await api.db.dataSource.getRepository(LlmEndpoint).save({
      project_id: fx.project.id,
      name: 'gateway',
      provider: 'openai',
      model_name: 'm',
      endpoint_url: 'https://gateway.example.com/v1',
      config: {},
      api_key_env: 'OPENAI_API_KEY',
    });
    await started(
      body(
        {},
        { endpoint: { ...toAttacker, url: 'https://gateway.example.com/v1', api_key_env: 'OPENAI_API_KEY' } },
      ),
    );
  });

  it('refuses an invalid config with every issue and its path', async () => {
    const error = await refused({
      ...body(),
      config: { prompts: { user: '{{question}}' }, dataset: { path: '/etc/passwd' }, judges: ['nope'] },
    });
    expect(error.code).toBe('invalid_config');
    expect(error.details?.issues).toEqual(
      expect.arrayContaining([
        { path: 'prompts.user', message: expect.stringMatching(/unknown variable \{\{question\}\}/) },
        { path: 'endpoint', message: expect.stringMatching(/^required/) },
        { path: 'dataset.path', message: expect.stringMatching(/inside the repository/) },
        { path: 'judges.0', message: expect.stringMatching(/unknown judge/) },
      ]),
    );
  });

  it('refuses unknown names, missing and invalid files, and invalid judge configs (422, nothing stored)', async () => {
    const endpoints = () =>
      api.db.dataSource.getRepository(LlmEndpoint).countBy({ project_id: fx.project.id });
    const datasets = () =>
      api.db.dataSource.getRepository(EvalDataset).countBy({ project_id: fx.project.id });
    const before = { endpoints: await endpoints(), datasets: await datasets() };

    expect(await refused(body({}, { endpoint: 'no such endpoint' }))).toMatchObject({
      code: 'unknown_endpoint',
      details: { path: 'endpoint', name: 'no such endpoint' },
    });
    expect((await refused(body({}, { dataset: { name: 'no such dataset' } }))).code).toBe('unknown_dataset');
    expect(await refused(body({}, { dataset: { name: 'fixture dataset', version: 7 } }))).toMatchObject({
      code: 'unknown_dataset',
      details: { version: 7, latest_version: 1 },
    });
    expect(await refused({ ...body(), files: {} })).toMatchObject({
      code: 'missing_file',
      details: { path: 'evals/qa.csv' },
    });
    const rows = await refused({
      ...body({}, { dataset: { path: 'evals/bad.jsonl' } }),
      files: { 'evals/bad.jsonl': '{"input_text":"ok"}\n{"input_text":""}\nnot json\n' },
    });
    expect(rows.code).toBe('invalid_dataset_file');
    expect(rows.details).toMatchObject({
      path: 'evals/bad.jsonl',
      error_count: 2,
      errors: [
        { row: 2, line: 2, field: 'input_text' },
        { row: 3, line: 3, field: null, reason: expect.stringMatching(/not valid JSON/) },
      ],
    });
    expect(
      await refused({
        ...body({}, { dataset: { path: 'evals/empty.csv' } }),
        files: { 'evals/empty.csv': '' },
      }),
    ).toMatchObject({ code: 'invalid_dataset_file', details: { path: 'evals/empty.csv' } });
    expect(
      (
        await refused({
          ...body({}, { dataset: { path: 'evals/data.txt' } }),
          files: { 'evals/data.txt': 'x' },
        })
      ).code,
    ).toBe('invalid_dataset_file');

    const judge = await refused(
      body(
        {},
        {
          endpoint: { provider: 'openai', model: 'never-stored' },
          guardrails: [
            { judge: 'pii' },
            { judge: 'zero_shot', config: { labels: ['polite'], min_pass_rate: 2, colour: 'red' } },
          ],
        },
      ),
    );
    expect(judge.code).toBe('invalid_judge_config');
    expect(judge.details?.issues).toEqual(
      expect.arrayContaining([
        { path: 'guardrails.1.config.min_pass_rate', message: expect.any(String) },
        { path: 'guardrails.1.config', message: expect.stringMatching(/colour/) },
      ]),
    );
    expect({ endpoints: await endpoints(), datasets: await datasets() }).toEqual(before);
  });

  it("lets a project key start runs of its own project only (another project's: 403)", async () => {
    const own = await started(body(), bearer(keyA));
    expect(own.project_id).toBe(fx.project.id);
    const res = await start(body(), bearer(keyB));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    expect((await start(body(), {})).status).toBe(401);
    // An unknown project answers 404 to the admin.
    expect((await start({ ...body(), project_id: crypto.randomUUID() })).status).toBe(404);
  });

  it('answers a retried request with the same run (200), and refuses the key with another request (422)', async () => {
    const key = { ...admin, 'idempotency-key': `config-${crypto.randomUUID()}` };
    const first = await start(body({ git_commit_sha: 'd'.repeat(40) }), key);
    expect(first.status).toBe(201);
    const run = await first.json();

    // The same request with defaults spelled out and keys reordered is the same request.
    const { files, ...rest } = body({ git_commit_sha: 'd'.repeat(40) });
    const replay = await start(
      { files, ...rest, config: { version: 1, cache: true, repetitions: 1, ...config() } },
      key,
    );
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(run);

    const otherPrompt = await start(
      body({ git_commit_sha: 'd'.repeat(40) }, { prompts: { user: '{{input}}' } }),
      key,
    );
    expect(otherPrompt.status).toBe(422);
    expect((await otherPrompt.json()).error).toMatchObject({
      code: 'idempotency_key_reused',
      details: { run_id: run.id },
    });
    const otherFile = await start(
      { ...body({ git_commit_sha: 'd'.repeat(40) }), files: { 'evals/qa.csv': `${CSV}x,y,z\n` } },
      key,
    );
    expect(otherFile.status).toBe(422);
    expect(
      await api.db.dataSource.getRepository(EvalRun).countBy({ idempotency_key: key['idempotency-key'] }),
    ).toBe(1);
  });
});

describe('resolveConfigRun and findCompletedConfigRun', () => {
  it('resolve without starting, and find the newest completed run of a config', async () => {
    const input = {
      project_id: fx.project.id,
      config: { ...config(), dataset: { name: 'fixture dataset' } },
    };
    const parsed = await resolveConfigRun(api.deps, {
      ...input,
      config: { version: 1, repetitions: 1, cache: true, ...input.config } as never,
    });
    expect(parsed.start).toMatchObject({
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      dataset_version: 1,
      endpoint_id: fx.endpoint.id,
      config_sha256: parsed.configSha256,
      cache: true,
    });
    expect(await findCompletedConfigRun(api.deps, fx.project.id, parsed.configSha256)).toBeNull();

    const a = await started({ ...body(), config: input.config });
    const b = await started({ ...body(), config: input.config });
    expect(a.config_sha256).toBe(parsed.configSha256);
    const runs = api.db.dataSource.getRepository(EvalRun);
    await runs.update({ id: a.id }, { status: 'completed', completed_at: new Date(Date.now() - 60_000) });
    expect((await findCompletedConfigRun(api.deps, fx.project.id, parsed.configSha256))?.id).toBe(a.id);
    await runs.update({ id: b.id }, { status: 'completed', completed_at: new Date() });
    expect((await findCompletedConfigRun(api.deps, fx.project.id, parsed.configSha256))?.id).toBe(b.id);
    expect(await findCompletedConfigRun(api.deps, other.project.id, parsed.configSha256)).toBeNull();
  });
});

describe('GET /api/schemas/evalforge.json', () => {
  it('serves the JSON Schema without a key', async () => {
    const res = await api.call('GET', '/api/schemas/evalforge.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(evalConfigJsonSchema());
  });
});
