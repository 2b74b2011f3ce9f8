/**
 * Which key a run sends, end to end (API → Temporal → worker → fake model server): an endpoint's
 * provider secret reaches the model server as is, for generation and for an LLM judge; an endpoint row
 * naming a worker variable outside the allowlist (saved before the check, e.g. EVALFORGE_ADMIN_KEY)
 * fails its samples without any request, so the worker's own secrets never leave it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { startRun } from '../api/services/runs.js';
import { providerSecretContext } from '../core/provider-keys.js';
import { EvalRun, LlmEndpoint, ProviderSecret } from '../db/entities/index.js';
import { generateEncryptionKey, SecretKeyring } from '../lib/secret-box.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { createProjectFixture, type ProjectFixture } from '../test/fixtures/projects.js';
import { useRunHarness } from '../test/helpers/index.js';

const ADMIN_KEY = 'evalforge-admin-sentinel-0123456789abcdef';
const DATABASE_URL = 'postgres://evalforge:db-password-sentinel@db.internal:5432/evalforge';
const SECRET_VALUE = 'sk-project-secret-0123456789abcdef-WXYZ';
const JUDGE_SECRET_VALUE = 'sk-judge-secret-0123456789abcdef-JUDG';

// The in-process worker reads its environment at call time: these stand for the worker's own secrets.
const saved = {
  EVALFORGE_ADMIN_KEY: process.env.EVALFORGE_ADMIN_KEY,
  DATABASE_URL: process.env.DATABASE_URL,
  EVALFORGE_ENCRYPTION_KEY: process.env.EVALFORGE_ENCRYPTION_KEY,
};
process.env.EVALFORGE_ADMIN_KEY = ADMIN_KEY;
process.env.DATABASE_URL = DATABASE_URL;
process.env.EVALFORGE_ENCRYPTION_KEY = generateEncryptionKey();
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const harness = useRunHarness();

async function runToEnd(fx: Pick<ProjectFixture, 'project' | 'dataset'>, endpointId: string) {
  const { run } = await startRun(harness.apiDeps(), {
    project_id: fx.project.id,
    dataset_id: fx.dataset.id,
    endpoint_id: endpointId,
  });
  await harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
  const results: { status: string; error: string | null; attempts: number }[] =
    await harness.db.dataSource.query('SELECT status, error, attempts FROM eval_results WHERE run_id = $1', [
      run.id,
    ]);
  return { run: await harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id }), results };
}

/** Every key any request to the fake model server carried. */
const presentedKeys = () => harness.llm.requests.map((r) => r.apiKey ?? '');

describe('provider keys in a run', () => {
  it.each([
    ['EVALFORGE_ADMIN_KEY', ADMIN_KEY],
    ['DATABASE_URL', DATABASE_URL],
  ])('an old endpoint row naming %s sends nothing and fails its samples clearly', async (variable, value) => {
    const model = `stolen-${variable.toLowerCase()}`;
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 3,
      modelName: model,
      endpointUrl: harness.llm.openaiBaseUrl,
      apiKeyEnv: variable, // written straight to the database, as a row saved before the allowlist would be
    });
    const { results } = await runToEnd(fx, fx.endpoint.id);

    expect(harness.llm.requestsFor(model)).toEqual([]);
    expect(presentedKeys().filter((k) => k.includes(value))).toEqual([]);
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.status).toBe('failed');
      expect(r.attempts).toBe(0);
      expect(r.error).toContain(
        `api_key_env names ${variable}, which is not an allowed provider key variable`,
      );
      expect(r.error).toContain(
        'OPENAI_API_KEY, ANTHROPIC_API_KEY or a name starting with EVALFORGE_PROVIDER_',
      );
      expect(r.error).not.toContain(value);
    }
  });

  it("sends the endpoint's provider secret, and the judge endpoint's, exactly", async () => {
    const app = createApp(harness.apiDeps());
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status, `${method} ${path}: ${res.status}`).toBeLessThan(300);
      return res.json();
    };
    const fx = await createProjectFixture(harness.db.dataSource, { samples: 3 });
    const secret = await call('POST', `/api/projects/${fx.project.id}/secrets`, {
      name: 'generation',
      value: SECRET_VALUE,
    });
    const judgeSecret = await call('POST', `/api/projects/${fx.project.id}/secrets`, {
      name: 'judge',
      value: JUDGE_SECRET_VALUE,
    });
    const endpoint = await call('POST', `/api/projects/${fx.project.id}/endpoints`, {
      provider: 'openai',
      model_name: 'secret-model',
      endpoint_url: harness.llm.openaiBaseUrl,
      secret_id: secret.id,
    });
    const judgeEndpoint = await call('POST', `/api/projects/${fx.project.id}/endpoints`, {
      provider: 'openai',
      model_name: 'secret-judge-model',
      endpoint_url: harness.llm.openaiBaseUrl,
      // Named here but not used: the secret comes first.
      api_key_env: 'OPENAI_API_KEY',
      secret_id: judgeSecret.id,
    });
    await call('POST', `/api/projects/${fx.project.id}/guardrails`, {
      judge_type: 'llm_judge',
      threshold: 0.5,
      config: {
        endpoint_id: judgeEndpoint.id,
        criteria: [{ name: 'correct', description: 'The response answers the question.' }],
      },
    });

    const { results } = await runToEnd(fx, endpoint.id);
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const generation = harness.llm.requestsFor('secret-model');
    expect(generation).toHaveLength(3);
    expect(new Set(generation.map((r) => r.apiKey))).toEqual(new Set([SECRET_VALUE]));
    const judging = harness.llm.requestsFor('secret-judge-model');
    expect(judging.length).toBeGreaterThanOrEqual(3);
    expect(new Set(judging.map((r) => r.apiKey))).toEqual(new Set([JUDGE_SECRET_VALUE]));

    const used = await harness.db.dataSource
      .getRepository(ProviderSecret)
      .findBy({ project_id: fx.project.id });
    expect(used.map((s) => s.last_used_at)).not.toContain(null);
    // Nothing the run stored holds a key.
    const stored = JSON.stringify(
      await harness.db.dataSource.query(
        `SELECT r.llm_output, r.error, s.details FROM eval_results r LEFT JOIN judge_scores s ON s.result_id = r.id
         WHERE r.run_id = (SELECT id FROM eval_runs WHERE endpoint_id = $1)`,
        [endpoint.id],
      ),
    );
    expect(stored).not.toContain(SECRET_VALUE);
    expect(stored).not.toContain(JUDGE_SECRET_VALUE);
  });

  it('a secret the worker cannot decrypt fails the samples without a request', async () => {
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 2,
      modelName: 'undecryptable-model',
      endpointUrl: harness.llm.openaiBaseUrl,
    });
    // Stored under a key the worker does not hold (a rotation gone wrong).
    const otherKeyring = SecretKeyring.fromText(generateEncryptionKey());
    const secret = await harness.db.dataSource.getRepository(ProviderSecret).save({
      project_id: fx.project.id,
      name: 'lost',
      ciphertext: otherKeyring.encrypt(SECRET_VALUE, providerSecretContext(fx.project.id, 'lost')),
      hint: '…WXYZ',
    });
    await harness.db.dataSource.getRepository(LlmEndpoint).update(fx.endpoint.id, { secret_id: secret.id });

    const { results } = await runToEnd(fx, fx.endpoint.id);
    expect(harness.llm.requestsFor('undecryptable-model')).toEqual([]);
    for (const r of results) {
      expect(r.status).toBe('failed');
      expect(r.attempts).toBe(0);
      expect(r.error).toContain(
        `provider secret "lost" cannot be decrypted: it was encrypted under key ${otherKeyring.currentKeyId}`,
      );
    }
  });
});
