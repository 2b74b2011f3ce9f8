/**
 * POST /api/endpoints/{id}/test: one request to the endpoint, made by a worker through the runs' own model
 * runner, answered as {ok, latency_ms, reply, error, error_kind}; failures (500, 401, a refused URL, no
 * worker) are outcomes with a reason that never holds the key.
 * POST /api/projects/{id}/endpoints/test: the same for an endpoint not saved yet (the create form's body);
 * nothing is stored, and a key never goes to a URL no saved endpoint pairs it with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmEndpoint } from '../../db/entities/index.js';
import { TASK_QUEUES } from '../../temporal.config.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { type InProcessWorker, startInProcessWorker, testActivityDeps } from '../../test/helpers/index.js';
import { endpointTest } from '../../workflows/index.js';
import { pollers } from '../services/endpoint-test.js';
import { createTestApi, type TestApi } from '../test-support.js';

const KEY_ENV = 'EVALFORGE_PROVIDER_CONNECTION_TEST';
const KEY = 'sk-connection-test-secret-0123456789';

let api: TestApi;
let llm: FakeLlmServer;
/** A server nobody paired a key with: it must never see one. */
let collector: FakeLlmServer;
let worker: InProcessWorker | undefined;
let projectId: string;
const savedKey = process.env[KEY_ENV];

beforeAll(async () => {
  process.env[KEY_ENV] = KEY; // read by the in-process worker, as a real worker reads its environment
  api = await createTestApi();
  llm = await startFakeLlmServer({ seed: 7 });
  collector = await startFakeLlmServer({ seed: 8 });
  projectId = (await (await api.call('POST', '/api/projects', { name: 'connection test' })).json()).id;
});
afterAll(async () => {
  await worker?.stop();
  await llm?.close();
  await collector?.close();
  await api?.close();
  if (savedKey === undefined) delete process.env[KEY_ENV];
  else process.env[KEY_ENV] = savedKey;
});

async function createEndpoint(model: string) {
  const res = await api.call('POST', `/api/projects/${projectId}/endpoints`, {
    provider: 'openai',
    model_name: model,
    endpoint_url: llm.openaiBaseUrl,
    api_key_env: KEY_ENV,
    config: { temperature: 0, max_tokens: 64, price_per_1k_input: 0.1, price_per_1k_output: 0.2 },
  });
  expect(res.status).toBe(201);
  return (await res.json()).id as string;
}

/** A worker just started polls a moment later: until Temporal sees it, a test answers "no worker". */
const startWorker = async () => {
  worker ??= await startInProcessWorker({
    temporal: api.temporal,
    deps: testActivityDeps(api.db.dataSource),
    queues: [TASK_QUEUES.orchestration, TASK_QUEUES.llm],
  });
  const polling = async () =>
    Math.min(
      (await pollers(api.deps, TASK_QUEUES.orchestration, true)) ?? 0,
      (await pollers(api.deps, TASK_QUEUES.llm, false)) ?? 0,
    );
  const deadline = Date.now() + 15_000;
  while ((await polling()) === 0) {
    if (Date.now() > deadline) throw new Error('the worker never showed as a poller');
    await new Promise((r) => setTimeout(r, 100));
  }
};

const testConnection = async (id: string) => {
  const res = await api.call('POST', `/api/endpoints/${id}/test`);
  expect(res.status).toBe(200);
  return res.json() as Promise<TestOutcome>;
};

interface TestOutcome {
  ok: boolean;
  latency_ms: number | null;
  reply: string | null;
  error: string | null;
  error_kind: string | null;
}

describe('POST /api/endpoints/{id}/test', () => {
  it('answers at once that no worker serves the queues', async () => {
    const id = await createEndpoint('no-worker');
    const started = Date.now();
    const result = await testConnection(id);
    expect(result).toMatchObject({ ok: false, reply: null });
    expect(result.error).toMatch(/no worker is serving the (orchestration|llm) queue/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(llm.stats().total).toBe(0);
  });

  it('sends one request through a worker and answers with the reply and its latency', async () => {
    await startWorker();
    const id = await createEndpoint('fake-ok');
    const before = llm.stats().total;
    const result = await testConnection(id);
    expect(result.error).toBeNull();
    expect(result.ok).toBe(true);
    expect(result.reply).toContain('Fake answer');
    expect(result.reply!.length).toBeLessThanOrEqual(500);
    expect(result.latency_ms).toBeGreaterThanOrEqual(0);
    expect(llm.stats().total - before).toBe(1);
  });

  it('reports a 500 after one attempt (no retries)', async () => {
    const id = await createEndpoint('fake-500');
    llm.setModelBehaviour('fake-500', { always: { type: 'server_error', status: 500 } });
    const before = llm.stats().total;
    const result = await testConnection(id);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/500/);
    expect(llm.stats().total - before).toBe(1);
  });

  it('reports a 401 without the key the server echoed', async () => {
    const id = await createEndpoint('fake-401');
    llm.setModelBehaviour('fake-401', {
      always: { type: 'http_error', status: 401, message: 'Incorrect API key provided', echoApiKey: true },
    });
    const result = await testConnection(id);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/401|API key/i);
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(JSON.stringify(result)).not.toContain(KEY.slice(3, 20));
  });

  it('refuses a URL the outbound policy forbids, without a request', async () => {
    // Saved before the policy (the API refuses it now): the worker checks again and sends nothing.
    const row = await api.db.dataSource.getRepository(LlmEndpoint).save({
      project_id: projectId,
      provider: 'openai',
      model_name: 'metadata',
      endpoint_url: 'http://169.254.169.254/latest/meta-data/',
      config: {},
      api_key_env: KEY_ENV,
    });
    const result = await testConnection(row.id);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/refused|not allowed|metadata|link/i);
  });

  it('is 404 for an unknown endpoint', async () => {
    const res = await api.call('POST', '/api/endpoints/00000000-0000-4000-8000-000000000000/test');
    expect(res.status).toBe(404);
  });
});

describe('POST /api/projects/{id}/endpoints/test (before saving)', () => {
  const testUnsaved = (body: Record<string, unknown>) =>
    api.call('POST', `/api/projects/${projectId}/endpoints/test`, body);
  const ok = async (body: Record<string, unknown>) => {
    const res = await testUnsaved(body);
    expect(res.status).toBe(200);
    return (await res.json()) as TestOutcome;
  };
  const fake = (model: string, extra: Record<string, unknown> = {}) => ({
    provider: 'openai',
    model_name: model,
    endpoint_url: llm.openaiBaseUrl,
    ...extra,
  });
  const endpointRows = () => api.db.dataSource.getRepository(LlmEndpoint).countBy({ project_id: projectId });

  beforeAll(startWorker);

  it("sends one request with the form's config and stores nothing", async () => {
    const rows = await endpointRows();
    const before = llm.stats().total;
    const result = await ok(
      fake('unsaved-ok', { name: 'Not saved', config: { temperature: 0, max_tokens: 32 } }),
    );
    expect(result).toMatchObject({ ok: true, error: null, error_kind: null });
    expect(result.reply).toContain('Fake answer');
    expect(result.latency_ms).toBeGreaterThanOrEqual(0);
    expect(llm.stats().total - before).toBe(1);
    const [request] = llm.requestsFor('unsaved-ok');
    expect(request.body).toMatchObject({ temperature: 0 });
    expect(await endpointRows()).toBe(rows);
  });

  it('reports a 500 after one attempt', async () => {
    llm.setModelBehaviour('unsaved-500', { always: { type: 'server_error', status: 500 } });
    const before = llm.stats().total;
    const result = await ok(fake('unsaved-500'));
    expect(result).toMatchObject({ ok: false, reply: null, error_kind: 'server_error' });
    expect(result.error).toMatch(/500/);
    expect(llm.stats().total - before).toBe(1);
  });

  it('reports a server that never answers as a timeout, within its deadline', async () => {
    llm.setModelBehaviour('unsaved-hang', { always: { type: 'hang' } });
    const started = Date.now();
    const result = await ok(fake('unsaved-hang', { config: { timeout_ms: 1_000 } }));
    expect(result).toMatchObject({ ok: false, reply: null, error_kind: 'timeout' });
    expect(result.error).toMatch(/time/i);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses, with the reasons of a create, what could never be saved', async () => {
    const before = llm.stats().total;
    const metadata = await testUnsaved(
      fake('m', { endpoint_url: 'http://169.254.169.254/latest/meta-data/' }),
    );
    expect(metadata.status).toBe(422);
    expect((await metadata.json()).error.code).toBe('endpoint_url_not_allowed');
    const secretInConfig = await testUnsaved(
      fake('m', { config: { api_key: 'sk-inline-0123456789abcdef' } }),
    );
    expect(secretInConfig.status).toBe(422);
    const badEnv = await testUnsaved(fake('m', { api_key_env: 'DATABASE_URL' }));
    expect(badEnv.status).toBe(422);
    expect((await badEnv.json()).error.code).toBe('api_key_env_not_allowed');
    const invalid = await testUnsaved({ provider: 'openai' });
    expect(invalid.status).toBe(400); // the create's validation: model_name is missing
    expect(llm.stats().total).toBe(before);
  });

  it('never sends a key to a URL no saved endpoint pairs it with, and sends it where one does', async () => {
    const toCollector = { provider: 'openai', model_name: 'm', endpoint_url: collector.openaiBaseUrl };
    const refused = await testUnsaved({ ...toCollector, api_key_env: KEY_ENV });
    expect(refused.status).toBe(422);
    expect((await refused.json()).error).toMatchObject({
      code: 'key_url_not_paired',
      details: { path: 'endpoint_url' },
    });
    // Without a key the URL is only subject to the outbound policy.
    expect((await ok(toCollector)).ok).toBe(true);
    expect(collector.requests.map((r) => r.apiKey)).not.toContain(KEY);
    // The endpoints saved above pair this URL with the key: a test of an edited, unsaved config may use it.
    await createEndpoint('paired');
    const paired = await ok(fake('unsaved-paired', { api_key_env: KEY_ENV }));
    expect(paired.ok).toBe(true);
    expect(llm.requestsFor('unsaved-paired').map((r) => r.apiKey)).toEqual([KEY]);
  });

  it('the worker checks the pairing again, whoever started the test', async () => {
    const result = await api.temporal.client.workflow.execute(endpointTest, {
      taskQueue: TASK_QUEUES.orchestration,
      workflowId: `endpoint-test-bypass-${Date.now()}`,
      args: [
        {
          unsaved: {
            project_id: projectId,
            provider: 'openai',
            model_name: 'bypass',
            endpoint_url: collector.openaiBaseUrl,
            config: {},
            api_key_env: KEY_ENV,
            secret_id: null,
          },
        },
      ],
    });
    expect(result).toMatchObject({ ok: false, error_kind: 'key_url_not_paired' });
    expect(collector.requests.map((r) => r.apiKey)).not.toContain(KEY);
  });

  it('is 404 for an unknown project', async () => {
    const res = await api.call(
      'POST',
      '/api/projects/00000000-0000-4000-8000-000000000000/endpoints/test',
      fake('m'),
    );
    expect(res.status).toBe(404);
  });
});
