import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDGE_TYPES } from '../../judges/judge-types.js';
import { createApiKey } from '../services/api-keys.js';
import { bearer, createTestApi, type TestApi } from '../test-support.js';

const ADMIN_KEY = 'judges-test-admin-key-0123456789';

interface JudgeInfo {
  type: string;
  kind: string;
  description: string;
  default_threshold: number | null;
  config_schema: { type: string; additionalProperties: boolean; properties: Record<string, unknown> };
}

let api: TestApi;
let projectKey: string;

beforeAll(async () => {
  api = await createTestApi({ mode: 'production', settings: { adminKey: ADMIN_KEY } });
  const project = await (
    await api.call('POST', '/api/projects', { name: 'judges' }, bearer(ADMIN_KEY))
  ).json();
  projectKey = (await createApiKey(api.db.dataSource, project.id, 'ci')).key;
});
afterAll(async () => {
  await api?.close();
});

describe('GET /api/judges', () => {
  it('lists every judge type with its kind, default threshold and config JSON Schema', async () => {
    expect((await api.call('GET', '/api/judges')).status).toBe(401);
    const res = await api.call('GET', '/api/judges', undefined, bearer(projectKey));
    expect(res.status).toBe(200);
    const judges: JudgeInfo[] = await res.json();
    expect(judges.map((j) => j.type)).toEqual([...JUDGE_TYPES]);
    for (const judge of judges) {
      expect(judge.config_schema, judge.type).toMatchObject({ type: 'object', additionalProperties: false });
      // The gate's settings are part of every judge's config.
      expect(Object.keys(judge.config_schema.properties), judge.type).toEqual(
        expect.arrayContaining(['min_pass_rate', 'on_error', 'min_effect', 'higher_is_better', 'queue']),
      );
    }
    const byType = Object.fromEntries(judges.map((j) => [j.type, j]));
    expect(byType.format).toMatchObject({ kind: 'rule', default_threshold: 1 });
    expect(Object.keys(byType.format.config_schema.properties)).toEqual(
      expect.arrayContaining(['json', 'json_schema', 'regex', 'min_length', 'max_length', 'markdown']),
    );
    expect(byType.zero_shot.config_schema).toMatchObject({ required: ['labels'] });
    expect(byType.toxicity.config_schema.properties.queue).toMatchObject({
      enum: ['judges.cpu', 'judges.gpu'],
    });
    expect(byType.llm_judge).toMatchObject({ kind: 'llm', default_threshold: 0.6 });
    expect(byType.pii).toMatchObject({ kind: 'model', default_threshold: null });
  });

  it('publishes each config schema in /openapi.json, the same as the endpoint serves', async () => {
    const doc = await (await api.app.request('/openapi.json')).json();
    expect(doc.paths['/api/judges'].get.responses['200']).toBeDefined();
    const judges: JudgeInfo[] = await (
      await api.call('GET', '/api/judges', undefined, bearer(ADMIN_KEY))
    ).json();
    for (const judge of judges) {
      expect(doc.components.schemas[`JudgeConfig_${judge.type}`], judge.type).toEqual(judge.config_schema);
    }
    expect(doc.components.schemas.JudgeInfo).toBeDefined();
  });
});

describe('POST /api/eval/run judges', () => {
  const start = (judges: string[]) =>
    api.call(
      'POST',
      '/api/eval/run',
      {
        project_id: crypto.randomUUID(),
        dataset_id: crypto.randomUUID(),
        endpoint_id: crypto.randomUUID(),
        judges,
      },
      bearer(ADMIN_KEY),
    );

  it('refuses an unknown judge type with 400, listing the known ones', async () => {
    for (const judges of [['format', 'nonsense_judge'], ['nonsense:variant'], ['Format']]) {
      const res = await start(judges);
      expect(res.status, judges.join()).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe('validation_error');
      expect(error.details.length).toBeGreaterThan(0);
      for (const issue of error.details) expect(issue.path).toBe(`judges.${judges.length - 1}`);
    }
    const { error } = await (await start(['format', 'nonsense_judge'])).json();
    expect(error.details[0].message).toBe(`unknown judge; known: ${JUDGE_TYPES.join(', ')}`);
  });

  it('lets known judges and named variants through to the run checks', async () => {
    // Past the boundary: the run is refused only because its project does not exist.
    const res = await start(['format', 'zero_shot:politeness', 'llm_judge']);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
