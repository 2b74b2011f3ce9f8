import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;
let projectId: string;

beforeAll(async () => {
  api = await createTestApi();
  projectId = (await (await api.call('POST', '/api/projects', { name: 'guardrails' })).json()).id;
});
afterAll(async () => {
  await api?.close();
});

describe('guardrails', () => {
  it('creates one per judge, replaces it on a second POST, lists, patches and deletes', async () => {
    const first = await api.call('POST', `/api/projects/${projectId}/guardrails`, {
      judge_type: 'toxicity',
      threshold: 0.8,
      is_blocking: true,
      config: { min_pass_rate: 0.99, queue: 'judges.gpu' },
    });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created).toMatchObject({
      judge_type: 'toxicity',
      threshold: 0.8,
      is_blocking: true,
      enabled: true,
    });

    const again = await api.call('POST', `/api/projects/${projectId}/guardrails`, {
      judge_type: 'toxicity',
      threshold: 0.9,
    });
    expect(again.status).toBe(200);
    const replaced = await again.json();
    expect(replaced).toMatchObject({ id: created.id, threshold: 0.9, is_blocking: false, config: {} });

    await api.call('POST', `/api/projects/${projectId}/guardrails`, {
      judge_type: 'pii',
      threshold: 1,
      is_blocking: true,
    });
    const named = await api.call('POST', `/api/projects/${projectId}/guardrails`, {
      judge_type: 'zero_shot:politeness',
      threshold: 0.6,
      config: { labels: ['polite', 'rude'] },
    });
    expect(named.status).toBe(201);
    const list = await (await api.call('GET', `/api/projects/${projectId}/guardrails`)).json();
    expect(list.map((g: { judge_type: string }) => g.judge_type)).toEqual([
      'pii',
      'toxicity',
      'zero_shot:politeness',
    ]);

    const patched = await api.call('PATCH', `/api/guardrails/${created.id}`, { enabled: false });
    expect(await patched.json()).toMatchObject({ enabled: false, threshold: 0.9 });
    expect((await api.call('DELETE', `/api/guardrails/${created.id}`)).status).toBe(204);
    expect((await api.call('PATCH', `/api/guardrails/${created.id}`, { enabled: true })).status).toBe(404);
  });

  it('rejects bad thresholds, judge names, queues and unknown fields', async () => {
    const bad = [
      { judge_type: 'toxicity', threshold: 1.5 },
      { judge_type: 'toxicity', threshold: -0.1 },
      { judge_type: 'toxicity', threshold: '0.5' },
      { judge_type: 'Toxicity Judge', threshold: 0.5 },
      { judge_type: 'zero_shot:', threshold: 0.5 },
      { judge_type: 'toxicity', threshold: 0.5, config: { queue: 'gpu-please' } },
      { judge_type: 'toxicity', threshold: 0.5, blocking: true },
      { threshold: 0.5 },
    ];
    for (const body of bad) {
      const res = await api.call('POST', `/api/projects/${projectId}/guardrails`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const judge_type of ['toxcity', 'toxcity:strict']) {
      const res = await api.call('POST', `/api/projects/${projectId}/guardrails`, {
        judge_type,
        threshold: 0.5,
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('unknown judge; known: toxicity, pii, similarity');
    }
    expect((await api.call('PATCH', `/api/guardrails/${crypto.randomUUID()}`, {})).status).toBe(400);
    expect((await api.call('GET', `/api/projects/${crypto.randomUUID()}/guardrails`)).status).toBe(404);
  });

  it('keeps concurrent configuration of one judge to a single row', async () => {
    const results = await Promise.all(
      [0.1, 0.2, 0.3, 0.4].map((threshold) =>
        api.call('POST', `/api/projects/${projectId}/guardrails`, { judge_type: 'similarity', threshold }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    const [{ n }] = await api.db.dataSource.query(
      `SELECT count(*)::int AS n FROM guardrail_configs WHERE project_id = $1 AND judge_type = 'similarity'`,
      [projectId],
    );
    expect(n).toBe(1);
  });
});
