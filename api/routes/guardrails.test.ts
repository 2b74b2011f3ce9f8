import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GUARDRAILS } from '../../runtime/seed/demo.js';
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

  it('refuses a config the judge would refuse with 422 invalid_judge_config, naming each problem', async () => {
    const project = (await (await api.call('POST', '/api/projects', { name: 'judge configs' })).json()).id;
    const post = (body: Record<string, unknown>) =>
      api.call('POST', `/api/projects/${project}/guardrails`, { threshold: 0.5, ...body });

    for (const config of [{}, undefined, { min_pass_rate: 0.9 }]) {
      const res = await post({ judge_type: 'format', config });
      expect(res.status, JSON.stringify(config)).toBe(422);
      const { error } = await res.json();
      expect(error.code).toBe('invalid_judge_config');
      expect(error.message).toMatch(
        /^invalid format judge config: \(config\): give at least one check: json, /,
      );
      expect(error.details).toEqual([expect.objectContaining({ path: '', message: expect.any(String) })]);
    }

    const valid: Record<string, Record<string, unknown>> = {
      toxicity: { min_pass_rate: 0.99, queue: 'judges.gpu', toxic_labels: ['toxic'] },
      pii: { scan: ['input', 'output'], ner: false, on_error: 'skip' },
      similarity: { dtype: 'int8', min_effect: 0.05, higher_is_better: true },
      zero_shot: { labels: ['polite', 'rude'], positive_labels: ['polite'] },
      format: { json: true, max_length: 2000, min_pass_rate: 0.95 },
      assertions: { assertions: [{ type: 'regex', value: '\\S' }], min_pass_rate: 0.9 },
      llm_judge: {
        rubric: 'be kind',
        endpoint_id: crypto.randomUUID(),
        queue: 'llm',
        structured_output: true,
      },
    };
    for (const [judge_type, config] of Object.entries(valid)) {
      expect((await post({ judge_type, config })).status, judge_type).toBe(201);
      const typo = await post({ judge_type, config: { ...config, model_id: 'x' } });
      expect(typo.status, judge_type).toBe(422);
      const { error } = await typo.json();
      expect(error).toMatchObject({
        code: 'invalid_judge_config',
        details: [{ path: '', message: 'Unrecognized key: "model_id"', code: 'unrecognized_keys' }],
      });
    }

    const wrong = [
      { judge_type: 'zero_shot:tone', config: {} },
      { judge_type: 'toxicity', config: { queue: 'llm' } },
      { judge_type: 'format', config: { regex: '(' } },
      { judge_type: 'assertions', config: { assertions: [{ type: 'equals', value: 'x', trim: 'yes' }] } },
      { judge_type: 'llm_judge', config: { scale: { min: 5, max: 1 } } },
    ];
    for (const body of wrong) expect((await post(body)).status, JSON.stringify(body)).toBe(422);
    // The queue check of every guardrail stays a plain validation error.
    expect((await post({ judge_type: 'format', config: { json: true, queue: 'gpu-please' } })).status).toBe(
      400,
    );

    const stored = await (await api.call('GET', `/api/projects/${project}/guardrails`)).json();
    expect(stored.map((g: { judge_type: string }) => g.judge_type).sort()).toEqual(Object.keys(valid).sort());
  });

  it("checks a PATCHed config against the guardrail's judge and leaves the guardrail unchanged when refused", async () => {
    const project = (await (await api.call('POST', '/api/projects', { name: 'patch configs' })).json()).id;
    const created = await (
      await api.call('POST', `/api/projects/${project}/guardrails`, {
        judge_type: 'format',
        threshold: 1,
        config: { max_length: 100 },
      })
    ).json();
    const get = async () =>
      (await (await api.call('GET', `/api/projects/${project}/guardrails`)).json())[0] as Record<
        string,
        unknown
      >;

    for (const config of [{}, { max_length: 100, labels: ['x'] }, { max_length: 0 }]) {
      const res = await api.call('PATCH', `/api/guardrails/${created.id}`, { threshold: 0.2, config });
      expect(res.status, JSON.stringify(config)).toBe(422);
      expect((await res.json()).error.code).toBe('invalid_judge_config');
    }
    expect(await get()).toMatchObject({
      threshold: 1,
      config: { max_length: 100 },
      updated_at: created.updated_at,
    });

    const ok = await api.call('PATCH', `/api/guardrails/${created.id}`, {
      config: { json: true, min_pass_rate: 0.5 },
    });
    expect(ok.status).toBe(200);
    expect(await get()).toMatchObject({ config: { json: true, min_pass_rate: 0.5 } });

    // A row saved before configs were checked stays editable as long as its config is not replaced.
    await api.db.dataSource.query(`UPDATE guardrail_configs SET config = '{}' WHERE id = $1`, [created.id]);
    expect((await api.call('PATCH', `/api/guardrails/${created.id}`, { enabled: false })).status).toBe(200);
  });

  it("accepts the demo project's guardrails as they are seeded", async () => {
    const project = (await (await api.call('POST', '/api/projects', { name: 'demo guardrails' })).json()).id;
    for (const guardrail of DEMO_GUARDRAILS) {
      const res = await api.call('POST', `/api/projects/${project}/guardrails`, guardrail);
      expect(res.status, `${guardrail.judge_type}: ${await res.clone().text()}`).toBe(201);
    }
  });
});
