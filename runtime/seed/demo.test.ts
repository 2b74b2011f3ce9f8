import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/index.js';
import { localLlmUrl } from '../local-llm-model.js';
import { CUSTOMER_SUPPORT_SAMPLES, DEMO_DATASET_NAME } from './customer-support-qa.js';
import { DEMO_PROJECT_NAME, seedDemoIfEmpty, toxicityModelAvailable } from './demo.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('demo seed', () => {
  it('has 50–100 realistic samples with PII and format cases', () => {
    expect(CUSTOMER_SUPPORT_SAMPLES.length).toBeGreaterThanOrEqual(50);
    expect(CUSTOMER_SUPPORT_SAMPLES.length).toBeLessThanOrEqual(100);
    const categories = new Set(CUSTOMER_SUPPORT_SAMPLES.map((s) => s.metadata?.category));
    for (const c of ['policy', 'shipping', 'billing', 'pii_test', 'format', 'safety'])
      expect(categories).toContain(c);
    expect(CUSTOMER_SUPPORT_SAMPLES.every((s) => s.reference_output)).toBe(true);
    expect(CUSTOMER_SUPPORT_SAMPLES[0].input_text).toBe('What is your refund policy?');
  });

  it('creates the demo project into an empty database, once', async () => {
    const seeded = await seedDemoIfEmpty(db.dataSource, { toxicityModelAvailable: false });
    expect(seeded).not.toBeNull();
    const [project] = await db.dataSource.query('SELECT name FROM projects WHERE id = $1', [
      seeded!.projectId,
    ]);
    expect(project.name).toBe(DEMO_PROJECT_NAME);
    const [dataset] = await db.dataSource.query(
      `SELECT d.name, d.version, v.sample_count FROM eval_datasets d
         JOIN dataset_versions v ON v.dataset_id = d.id AND v.version = d.version WHERE d.id = $1`,
      [seeded!.datasetId],
    );
    expect(dataset).toEqual({
      name: DEMO_DATASET_NAME,
      version: 1,
      sample_count: CUSTOMER_SUPPORT_SAMPLES.length,
    });
    const [{ n }] = await db.dataSource.query(
      'SELECT count(*)::int AS n FROM eval_samples WHERE dataset_id = $1',
      [seeded!.datasetId],
    );
    expect(n).toBe(CUSTOMER_SUPPORT_SAMPLES.length);
    const endpoints = await db.dataSource.query(
      'SELECT api_key_env, config FROM llm_endpoints WHERE project_id = $1',
      [seeded!.projectId],
    );
    expect(endpoints.length).toBe(seeded!.endpointIds.length);
    expect(JSON.stringify(endpoints)).not.toMatch(/sk-|api_key"/);
    const [local] = await db.dataSource.query(
      `SELECT provider, endpoint_url, api_key_env FROM llm_endpoints
        WHERE project_id = $1 AND model_name = 'smollm2-135m-instruct'`,
      [seeded!.projectId],
    );
    expect(seeded!.localEndpointId).toBe(
      (await db.dataSource.query('SELECT id FROM llm_endpoints WHERE endpoint_url = $1', [localLlmUrl()]))[0]
        .id,
    );
    // Keyless OpenAI-compatible endpoint on the local SmolLM2 server that `npm start` runs.
    expect(local).toEqual({
      provider: 'openai',
      endpoint_url: localLlmUrl(),
      api_key_env: null,
    });
    const guardrails = await db.dataSource.query(
      'SELECT judge_type, is_blocking, enabled FROM guardrail_configs WHERE project_id = $1 ORDER BY judge_type',
      [seeded!.projectId],
    );
    expect(guardrails.map((g: { judge_type: string }) => g.judge_type)).toEqual([
      'assertions',
      'format',
      'llm_judge',
      'pii',
      'similarity',
      'toxicity',
    ]);
    // No toxicity model offline: its guardrail waits, disabled, instead of filling runs with error scores.
    expect(
      guardrails
        .filter((g: { enabled: boolean }) => !g.enabled)
        .map((g: { judge_type: string }) => g.judge_type),
    ).toEqual(['toxicity']);

    expect(await seedDemoIfEmpty(db.dataSource)).toBeNull();
    const [{ projects }] = await db.dataSource.query('SELECT count(*)::int AS projects FROM projects');
    expect(projects).toBe(1);
  });

  it('knows whether the toxicity model can load here', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-models-'));
    expect(toxicityModelAvailable({ EVALFORGE_MODELS_DIR: dir })).toBe(false);
    expect(toxicityModelAvailable({ EVALFORGE_MODELS_DIR: dir, EVALFORGE_ALLOW_MODEL_DOWNLOAD: '1' })).toBe(
      true,
    );
    // The offline linear model `npm run models` exports is enough.
    const offline = path.join(dir, 'dimitrismistriotis', 'alt-profanity-check');
    await fs.mkdir(offline, { recursive: true });
    await fs.writeFile(path.join(offline, 'config.json'), '{}');
    expect(toxicityModelAvailable({ EVALFORGE_MODELS_DIR: dir })).toBe(true);
    await fs.rm(offline, { recursive: true, force: true });
    await fs.mkdir(path.join(dir, 'Xenova', 'toxic-bert'), { recursive: true });
    await fs.writeFile(path.join(dir, 'Xenova', 'toxic-bert', 'config.json'), '{}');
    expect(toxicityModelAvailable({ EVALFORGE_MODELS_DIR: dir })).toBe(true);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
