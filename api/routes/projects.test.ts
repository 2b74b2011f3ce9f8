import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;

beforeAll(async () => {
  api = await createTestApi({ settings: { jsonBodyMaxBytes: 64 * 1024 } });
});
afterAll(async () => {
  await api?.close();
});

const NASTY = [
  `Robert'); DROP TABLE projects;--`,
  '<script>alert("x")</script> & "quotes" \'single\'',
  'emoji 🚀🧪 and 中文 and RTL שלום',
  'line1\nline2\r\n\ttabbed  trailing spaces  ',
  '\\u0000 is only text here, \\ backslash',
];

describe('projects', () => {
  it('creates, reads, lists, updates and deletes a project', async () => {
    const created = await api.call('POST', '/api/projects', { name: 'Support bot', description: 'evals' });
    expect(created.status).toBe(201);
    const project = await created.json();
    expect(project).toMatchObject({ name: 'Support bot', description: 'evals' });
    expect(project.id).toMatch(/^[0-9a-f-]{36}$/);

    const got = await (await api.call('GET', `/api/projects/${project.id}`)).json();
    expect(got).toMatchObject({
      id: project.id,
      counts: { endpoints: 0, datasets: 0, runs: 0, guardrails: 0 },
    });

    const list = await (await api.call('GET', '/api/projects?limit=1')).json();
    expect(list).toMatchObject({ offset: 0, limit: 1 });
    expect(list.items).toHaveLength(1);
    expect(list.total).toBeGreaterThanOrEqual(1);

    const patched = await api.call('PATCH', `/api/projects/${project.id}`, { description: null });
    expect(patched.status).toBe(200);
    expect((await patched.json()).description).toBeNull();

    expect((await api.call('DELETE', `/api/projects/${project.id}`)).status).toBe(204);
    expect((await api.call('GET', `/api/projects/${project.id}`)).status).toBe(404);
  });

  it('stores strings verbatim: quotes, SQL, HTML, emoji, whitespace', async () => {
    for (const text of NASTY) {
      const res = await api.call('POST', '/api/projects', { name: text.slice(0, 255), description: text });
      expect(res.status).toBe(201);
      const { id } = await res.json();
      const back = await (await api.call('GET', `/api/projects/${id}`)).json();
      expect(back.name).toBe(text.slice(0, 255));
      expect(back.description).toBe(text);
    }
  });

  it('refuses text PostgreSQL cannot store with 422 naming the field', async () => {
    const nul = await api.call('POST', '/api/projects', { name: 'ok', description: 'a\u0000b' });
    expect(nul.status).toBe(422);
    const body = await nul.json();
    expect(body.error.code).toBe('unstorable_text');
    expect(body.error.details[0].path).toBe('description');
    // A lone surrogate would silently become U+FFFD in UTF-8.
    const surrogate = await api.call('POST', '/api/projects', '{"name": "bad \\ud800 half"}');
    expect(surrogate.status).toBe(422);
    expect((await surrogate.json()).error.details[0].path).toBe('name');
  });
});

describe('bad input answers 4xx in the error shape, never 500', () => {
  const expectError = async (res: Response, status: number, code?: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = await res.json();
    expect(typeof body.error.code).toBe('string');
    expect(typeof body.error.message).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /); // no stack traces
    if (code) expect(body.error.code).toBe(code);
    return body;
  };

  it('malformed JSON → 400 malformed_json', async () => {
    await expectError(await api.call('POST', '/api/projects', '{"name": '), 400, 'malformed_json');
  });

  it('wrong or missing content type → 415', async () => {
    const res = await api.app.request('/api/projects', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"name":"x"}',
    });
    await expectError(res, 415, 'unsupported_media_type');
    const none = await api.app.request('/api/projects', { method: 'POST', body: '{"name":"x"}' });
    await expectError(none, 415, 'unsupported_media_type');
  });

  it('unknown fields → 400 with the field named', async () => {
    const body = await expectError(
      await api.call('POST', '/api/projects', { name: 'x', owner: 'me' }),
      400,
      'validation_error',
    );
    expect(JSON.stringify(body.error.details)).toContain('owner');
  });

  it('wrong types, empty names, empty updates → 400', async () => {
    await expectError(await api.call('POST', '/api/projects', { name: 42 }), 400, 'validation_error');
    await expectError(await api.call('POST', '/api/projects', { name: '' }), 400, 'validation_error');
    await expectError(await api.call('POST', '/api/projects', []), 400, 'validation_error');
    const { id } = await (await api.call('POST', '/api/projects', { name: 'p' })).json();
    await expectError(await api.call('PATCH', `/api/projects/${id}`, {}), 400, 'validation_error');
  });

  it('non-UUID ids → 400; unknown ids → 404; bad pagination → 400', async () => {
    await expectError(await api.call('GET', '/api/projects/not-a-uuid'), 400, 'validation_error');
    await expectError(await api.call('GET', "/api/projects/1' OR '1'='1"), 400);
    await expectError(await api.call('GET', `/api/projects/${crypto.randomUUID()}`), 404, 'not_found');
    await expectError(await api.call('GET', '/api/projects?limit=0'), 400);
    await expectError(await api.call('GET', '/api/projects?offset=-1'), 400);
    await expectError(await api.call('GET', '/api/projects?limit=abc'), 400);
  });

  it('oversized bodies → 413, with or without Content-Length', async () => {
    const big = JSON.stringify({ name: 'x', description: 'y'.repeat(70 * 1024) });
    await expectError(await api.call('POST', '/api/projects', big), 413, 'payload_too_large');
    const chunked = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(1024)));
        controller.close();
      },
    });
    const res = await api.app.request('/api/projects', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    await expectError(res, 413, 'payload_too_large');
  });

  it('unknown routes → 404 JSON', async () => {
    await expectError(await api.call('GET', '/api/nothing-here'), 404, 'not_found');
  });

  it('a project with runs needs ?force=true to be deleted', async () => {
    const { id } = await (await api.call('POST', '/api/projects', { name: 'with runs' })).json();
    const endpoint = await (
      await api.call('POST', `/api/projects/${id}/endpoints`, { provider: 'openai', model_name: 'm' })
    ).json();
    const dataset = await (
      await api.call('POST', `/api/projects/${id}/datasets`, { name: 'd', samples: [{ input_text: 'hi' }] })
    ).json();
    const [version] = await api.db.dataSource.query('SELECT id FROM dataset_versions WHERE dataset_id = $1', [
      dataset.id,
    ]);
    await api.db.dataSource.query(
      'INSERT INTO eval_runs (project_id, dataset_id, dataset_version_id, endpoint_id) VALUES ($1, $2, $3, $4)',
      [id, dataset.id, version.id, endpoint.id],
    );
    await expectError(await api.call('DELETE', `/api/projects/${id}`), 409, 'has_runs');
    expect((await api.call('DELETE', `/api/projects/${id}?force=true`)).status).toBe(204);
    const [{ n }] = await api.db.dataSource.query(
      'SELECT count(*)::int AS n FROM eval_runs WHERE project_id = $1',
      [id],
    );
    expect(n).toBe(0);
  });
});

describe('request ids', () => {
  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const mine = await api.call('GET', '/api/projects', undefined, { 'x-request-id': 'req-123' });
    expect(mine.headers.get('x-request-id')).toBe('req-123');
    const generated = await api.call('GET', '/api/projects', undefined, {
      'x-request-id': 'bad id with spaces',
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
