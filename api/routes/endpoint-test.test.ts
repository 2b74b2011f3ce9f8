/**
 * POST /api/endpoints/{id}/test: one request to the endpoint, made by a worker through the runs' own model
 * runner, answered as {ok, latency_ms, reply, error}; failures (500, 401, a refused URL, no worker) are
 * outcomes with a reason that never holds the key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmEndpoint } from '../../db/entities/index.js';
import { TASK_QUEUES } from '../../temporal.config.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { type InProcessWorker, startInProcessWorker, testActivityDeps } from '../../test/helpers/index.js';
import { createTestApi, type TestApi } from '../test-support.js';

const KEY_ENV = 'EVALFORGE_PROVIDER_CONNECTION_TEST';
const KEY = 'sk-connection-test-secret-0123456789';

let api: TestApi;
let llm: FakeLlmServer;
let worker: InProcessWorker | undefined;
let projectId: string;
const savedKey = process.env[KEY_ENV];

beforeAll(async () => {
  process.env[KEY_ENV] = KEY; // read by the in-process worker, as a real worker reads its environment
  api = await createTestApi();
  llm = await startFakeLlmServer({ seed: 7 });
  projectId = (await (await api.call('POST', '/api/projects', { name: 'connection test' })).json()).id;
});
afterAll(async () => {
  await worker?.stop();
  await llm?.close();
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

const testConnection = async (id: string) => {
  const res = await api.call('POST', `/api/endpoints/${id}/test`);
  expect(res.status).toBe(200);
  return res.json() as Promise<{
    ok: boolean;
    latency_ms: number | null;
    reply: string | null;
    error: string | null;
  }>;
};

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
    worker = await startInProcessWorker({
      temporal: api.temporal,
      deps: testActivityDeps(api.db.dataSource),
      queues: [TASK_QUEUES.orchestration, TASK_QUEUES.llm],
    });
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
