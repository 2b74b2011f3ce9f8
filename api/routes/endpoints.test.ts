import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;
let projectId: string;

beforeAll(async () => {
  api = await createTestApi();
  projectId = (await (await api.call('POST', '/api/projects', { name: 'endpoints' })).json()).id;
});
afterAll(async () => {
  await api?.close();
});

const endpointBody = {
  name: 'GPT-4o mini',
  provider: 'openai',
  model_name: 'gpt-4o-mini',
  endpoint_url: 'http://127.0.0.1:8000/v1',
  config: { temperature: 0, max_tokens: 256, rpm: 60, concurrency: 4, vendor_option: 'kept as given' },
  api_key_env: 'OPENAI_API_KEY',
};

describe('endpoints', () => {
  it('registers, lists, reads and updates an endpoint', async () => {
    const created = await api.call('POST', `/api/projects/${projectId}/endpoints`, endpointBody);
    expect(created.status).toBe(201);
    const endpoint = await created.json();
    expect(endpoint).toMatchObject({ ...endpointBody, project_id: projectId, archived_at: null });

    const list = await (await api.call('GET', `/api/projects/${projectId}/endpoints`)).json();
    expect(list.items.map((e: { id: string }) => e.id)).toContain(endpoint.id);

    const updated = await api.call('PUT', `/api/endpoints/${endpoint.id}`, {
      model_name: 'gpt-4o',
      config: { temperature: 0.2 },
    });
    expect(updated.status).toBe(200);
    const after = await updated.json();
    expect(after).toMatchObject({
      model_name: 'gpt-4o',
      config: { temperature: 0.2 },
      api_key_env: 'OPENAI_API_KEY',
    });
    expect((await (await api.call('GET', `/api/endpoints/${endpoint.id}`)).json()).model_name).toBe('gpt-4o');
  });

  it('accepts the minimal seed shape', async () => {
    const res = await api.call('POST', `/api/projects/${projectId}/endpoints`, {
      provider: 'anthropic',
      model_name: 'claude',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: null, endpoint_url: null, config: {}, api_key_env: null });
  });

  it('never stores secrets: secret fields, key-shaped values and URL credentials are 422', async () => {
    const attempts = [
      { config: { api_key: 'whatever' } },
      { config: { headers: { Authorization: 'Bearer abc' } } },
      { config: { extra: ['sk-proj-abcdefghijklmnopqrstuvwxyz'] } },
      { config: { token: 'x' } },
      { endpoint_url: 'https://user:pass@example.com/v1' },
      { endpoint_url: 'https://example.com/v1?api_key=abc' },
    ];
    for (const extra of attempts) {
      const res = await api.call('POST', `/api/projects/${projectId}/endpoints`, {
        ...endpointBody,
        ...extra,
      });
      expect(res.status, JSON.stringify(extra)).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe('secret_not_allowed');
      expect(JSON.stringify(body)).not.toMatch(/sk-proj|pass@|Bearer abc/);
    }
    const { id } = await (
      await api.call('POST', `/api/projects/${projectId}/endpoints`, endpointBody)
    ).json();
    expect((await api.call('PUT', `/api/endpoints/${id}`, { config: { secret: 's' } })).status).toBe(422);
    const [row] = await api.db.dataSource.query('SELECT config FROM llm_endpoints WHERE id = $1', [id]);
    expect(row.config).toEqual(endpointBody.config);
  });

  it('validates provider, URL, env var name and unknown fields', async () => {
    const bad = [
      { ...endpointBody, provider: 'skynet' },
      { ...endpointBody, endpoint_url: 'ftp://example.com' },
      { ...endpointBody, endpoint_url: 'not a url' },
      { ...endpointBody, api_key_env: 'sk-live-123' },
      { ...endpointBody, api_key: 'sk-live-123' },
      { ...endpointBody, config: 'temperature=0' },
      { ...endpointBody, config: { temperature: 'hot' } },
      { ...endpointBody, config: { max_tokens: -1 } },
      { provider: 'openai' },
    ];
    for (const body of bad) {
      const res = await api.call('POST', `/api/projects/${projectId}/endpoints`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toBe('validation_error');
    }
    expect((await api.call('PUT', `/api/endpoints/${crypto.randomUUID()}`, { model_name: 'x' })).status).toBe(
      404,
    );
    expect((await api.call('PUT', '/api/endpoints/123', { model_name: 'x' })).status).toBe(400);
    expect(
      (await api.call('POST', `/api/projects/${crypto.randomUUID()}/endpoints`, endpointBody)).status,
    ).toBe(404);
  });

  it('deletes an unused endpoint; one with runs must be archived instead', async () => {
    const unused = await (
      await api.call('POST', `/api/projects/${projectId}/endpoints`, endpointBody)
    ).json();
    expect((await api.call('DELETE', `/api/endpoints/${unused.id}`)).status).toBe(204);

    const used = await (await api.call('POST', `/api/projects/${projectId}/endpoints`, endpointBody)).json();
    const dataset = await (
      await api.call('POST', `/api/projects/${projectId}/datasets`, {
        name: 'd',
        samples: [{ input_text: 'q' }],
      })
    ).json();
    const [version] = await api.db.dataSource.query('SELECT id FROM dataset_versions WHERE dataset_id = $1', [
      dataset.id,
    ]);
    await api.db.dataSource.query(
      'INSERT INTO eval_runs (project_id, dataset_id, dataset_version_id, endpoint_id) VALUES ($1, $2, $3, $4)',
      [projectId, dataset.id, version.id, used.id],
    );
    const refused = await api.call('DELETE', `/api/endpoints/${used.id}`);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.code).toBe('in_use');

    const archived = await (await api.call('PUT', `/api/endpoints/${used.id}`, { archived: true })).json();
    expect(archived.archived_at).not.toBeNull();
    const visible = await (await api.call('GET', `/api/projects/${projectId}/endpoints`)).json();
    expect(visible.items.map((e: { id: string }) => e.id)).not.toContain(used.id);
    const all = await (
      await api.call('GET', `/api/projects/${projectId}/endpoints?include_archived=true`)
    ).json();
    expect(all.items.map((e: { id: string }) => e.id)).toContain(used.id);
  });
});
