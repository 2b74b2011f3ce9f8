/**
 * Provider secrets through the API (production mode, project keys): write-only values, encrypted at
 * rest, scoped to their project; endpoints reference them; api_key_env only names allowed variables.
 */
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerKeySettingsFromEnv, providerSecretContext } from '../../core/provider-keys.js';
import { ProviderSecret } from '../../db/entities/index.js';
import { createLogger } from '../../lib/logger.js';
import { generateEncryptionKey } from '../../lib/secret-box.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createApiKey } from '../services/api-keys.js';
import { bearer, createTestApi, type TestApi } from '../test-support.js';

const VALUE = 'sk-proj-secret-value-0123456789-WXYZ';
const settings = providerKeySettingsFromEnv((name) =>
  name === 'EVALFORGE_ENCRYPTION_KEY' ? generateEncryptionKey() : undefined,
);

let api: TestApi;
let mine: ProjectFixture;
let theirs: ProjectFixture;
let me: Record<string, string>;
let them: Record<string, string>;
const logLines: string[] = [];

beforeAll(async () => {
  api = await createTestApi({ mode: 'production', providerKeys: settings });
  // Every request logs through deps.logger: capture everything.
  api.deps.logger = createLogger(
    'secrets-test',
    'trace',
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  [mine, theirs] = await Promise.all([
    createProjectFixture(api.db.dataSource, { samples: 1 }),
    createProjectFixture(api.db.dataSource, { samples: 1 }),
  ]);
  me = bearer((await createApiKey(api.db.dataSource, mine.project.id, 'me')).key);
  them = bearer((await createApiKey(api.db.dataSource, theirs.project.id, 'them')).key);
});
afterAll(async () => {
  await api?.close();
});

const createSecret = (projectId: string, body: unknown, key = me) =>
  api.call('POST', `/api/projects/${projectId}/secrets`, body, key);

describe('provider secrets', () => {
  it('stores a value encrypted and answers with its hint only', async () => {
    const res = await createSecret(mine.project.id, { name: 'openai-prod', value: VALUE });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(VALUE);
    const secret = JSON.parse(text);
    expect(secret).toEqual({
      id: expect.any(String),
      project_id: mine.project.id,
      name: 'openai-prod',
      hint: '…WXYZ',
      endpoint_count: 0,
      last_used_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const [row] = await api.db.dataSource.query('SELECT * FROM provider_secrets WHERE id = $1', [secret.id]);
    expect(row.ciphertext).toMatch(/^efs1:/);
    expect(row.ciphertext).not.toContain(VALUE);
    expect(JSON.stringify(row)).not.toContain(VALUE);
    expect(
      settings.keyring!.decrypt(row.ciphertext, providerSecretContext(mine.project.id, 'openai-prod')),
    ).toBe(VALUE);
  });

  it('never returns the value: list, get, replace', async () => {
    const list = await api.call('GET', `/api/projects/${mine.project.id}/secrets`, undefined, me);
    expect(list.status).toBe(200);
    const listText = await list.text();
    expect(listText).not.toContain(VALUE);
    const page = JSON.parse(listText);
    expect(page).toMatchObject({ total: 1, offset: 0, items: [{ name: 'openai-prod', hint: '…WXYZ' }] });
    const { id } = page.items[0];

    const one = await api.call('GET', `/api/secrets/${id}`, undefined, me);
    expect(one.status).toBe(200);
    expect(await one.text()).not.toContain(VALUE);

    const replacement = `${VALUE}-v2-ABCD`;
    const replaced = await api.call('PUT', `/api/secrets/${id}`, { value: replacement }, me);
    expect(replaced.status).toBe(200);
    const replacedText = await replaced.text();
    expect(replacedText).not.toContain(replacement);
    expect(JSON.parse(replacedText)).toMatchObject({ id, hint: '…ABCD' });

    // POST with the same name replaces too: same id, 200.
    const again = await createSecret(mine.project.id, { name: 'openai-prod', value: VALUE });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id, hint: '…WXYZ' });
    const [row] = await api.db.dataSource.query('SELECT ciphertext FROM provider_secrets WHERE id = $1', [
      id,
    ]);
    expect(
      settings.keyring!.decrypt(row.ciphertext, providerSecretContext(mine.project.id, 'openai-prod')),
    ).toBe(VALUE);
  });

  it("another project's key gets 403, no key 401, an unknown id 404", async () => {
    const [secret] = await api.db.dataSource
      .getRepository(ProviderSecret)
      .findBy({ project_id: mine.project.id });
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/projects/${mine.project.id}/secrets`],
      ['POST', `/api/projects/${mine.project.id}/secrets`, { name: 'stolen', value: VALUE }],
      ['GET', `/api/secrets/${secret.id}`],
      ['PUT', `/api/secrets/${secret.id}`, { value: 'sk-overwritten-by-them-000000' }],
      ['DELETE', `/api/secrets/${secret.id}`],
    ];
    for (const [method, path, body] of attempts) {
      expect((await api.call(method, path, body, them)).status, `${method} ${path}`).toBe(403);
      expect((await api.call(method, path, body)).status, `${method} ${path} without a key`).toBe(401);
    }
    expect((await api.call('GET', `/api/secrets/${crypto.randomUUID()}`, undefined, me)).status).toBe(404);
    // Nothing changed.
    const after = await api.db.dataSource.getRepository(ProviderSecret).findOneByOrFail({ id: secret.id });
    expect(after.ciphertext).toBe(secret.ciphertext);
    expect(await api.db.dataSource.getRepository(ProviderSecret).countBy({ name: 'stolen' })).toBe(0);
  });

  it('refuses malformed values and names without echoing the value', async () => {
    const bad = [
      { name: 'x', value: 'sk-with space-0123456789' },
      { name: 'x', value: 'sk-line\nbreak-0123456789' },
      { name: 'x', value: '' },
      { name: '', value: VALUE },
      { name: '../etc', value: VALUE },
      { name: 'x', value: VALUE, extra: true },
      { value: VALUE },
    ];
    for (const body of bad) {
      const res = await createSecret(mine.project.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const text = await res.text();
      expect(text).not.toContain('0123456789');
      expect(JSON.parse(text).error.code).toBe('validation_error');
    }
  });

  it('endpoints reference a secret of their own project only', async () => {
    const [secret] = await api.db.dataSource
      .getRepository(ProviderSecret)
      .findBy({ project_id: mine.project.id });
    const theirSecret = await (
      await createSecret(theirs.project.id, { name: 'theirs', value: 'sk-their-own-key-00000000' }, them)
    ).json();
    const endpoint = { provider: 'openai', model_name: 'gpt-4o-mini' };

    const created = await api.call(
      'POST',
      `/api/projects/${mine.project.id}/endpoints`,
      { ...endpoint, secret_id: secret.id },
      me,
    );
    expect(created.status).toBe(201);
    const ep = await created.json();
    expect(ep).toMatchObject({ secret_id: secret.id, api_key_env: null });
    expect(JSON.stringify(ep)).not.toContain(VALUE);

    for (const secretId of [theirSecret.id, crypto.randomUUID()]) {
      const res = await api.call(
        'POST',
        `/api/projects/${mine.project.id}/endpoints`,
        { ...endpoint, secret_id: secretId },
        me,
      );
      expect(res.status).toBe(422);
      expect((await res.json()).error.code).toBe('unknown_secret');
      const update = await api.call('PUT', `/api/endpoints/${ep.id}`, { secret_id: secretId }, me);
      expect(update.status).toBe(422);
    }
    expect(
      (await api.call('GET', `/api/endpoints/${ep.id}`, undefined, me).then((r) => r.json())).secret_id,
    ).toBe(secret.id);
    const one = await (await api.call('GET', `/api/secrets/${secret.id}`, undefined, me)).json();
    expect(one.endpoint_count).toBe(1);

    // In use: 409 naming the endpoint; once unreferenced, deleted.
    const inUse = await api.call('DELETE', `/api/secrets/${secret.id}`, undefined, me);
    expect(inUse.status).toBe(409);
    expect(await inUse.json()).toMatchObject({
      error: { code: 'in_use', details: { endpoint_ids: [ep.id] } },
    });
    expect((await api.call('PUT', `/api/endpoints/${ep.id}`, { secret_id: null }, me)).status).toBe(200);
    expect((await api.call('DELETE', `/api/secrets/${secret.id}`, undefined, me)).status).toBe(204);
    expect((await api.call('GET', `/api/secrets/${secret.id}`, undefined, me)).status).toBe(404);
  });

  it('api_key_env names only allowed variables (422 naming the allowlist)', async () => {
    const endpoint = {
      provider: 'openai',
      model_name: 'gpt-4o-mini',
      endpoint_url: 'https://llm.example.com/v1',
    };
    for (const name of [
      'EVALFORGE_ADMIN_KEY',
      'DATABASE_URL',
      'EVALFORGE_ENCRYPTION_KEY',
      'PGPASSWORD',
      'HOME',
    ]) {
      const res = await api.call(
        'POST',
        `/api/projects/${mine.project.id}/endpoints`,
        { ...endpoint, api_key_env: name },
        me,
      );
      expect(res.status, name).toBe(422);
      const { error } = await res.json();
      expect(error.code).toBe('api_key_env_not_allowed');
      expect(error.message).toContain(
        'OPENAI_API_KEY, ANTHROPIC_API_KEY or a name starting with EVALFORGE_PROVIDER_',
      );
      expect(error.details).toEqual({
        allowed: ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'],
        allowed_prefix: 'EVALFORGE_PROVIDER_',
      });
    }
    const ok = await api.call(
      'POST',
      `/api/projects/${mine.project.id}/endpoints`,
      { ...endpoint, api_key_env: 'EVALFORGE_PROVIDER_LLM_KEY' },
      me,
    );
    expect(ok.status).toBe(201);
    const { id } = await ok.json();
    const update = await api.call('PUT', `/api/endpoints/${id}`, { api_key_env: 'EVALFORGE_ADMIN_KEY' }, me);
    expect(update.status).toBe(422);
    const [row] = await api.db.dataSource.query('SELECT api_key_env FROM llm_endpoints WHERE id = $1', [id]);
    expect(row.api_key_env).toBe('EVALFORGE_PROVIDER_LLM_KEY');
  });

  it('without an encryption key, secrets cannot be stored (503) but can be listed', async () => {
    api.deps.providerKeys = { ...settings, keyring: null };
    try {
      const res = await createSecret(mine.project.id, { name: 'no-key', value: VALUE });
      expect(res.status).toBe(503);
      expect((await res.json()).error).toMatchObject({
        code: 'encryption_key_missing',
        message: expect.stringContaining('EVALFORGE_ENCRYPTION_KEY'),
      });
      expect((await api.call('GET', `/api/projects/${mine.project.id}/secrets`, undefined, me)).status).toBe(
        200,
      );
    } finally {
      api.deps.providerKeys = settings;
    }
  });

  it('deleting the project deletes its secrets, even when its endpoints use them', async () => {
    const fx = await createProjectFixture(api.db.dataSource, { samples: 1 });
    const key = bearer((await createApiKey(api.db.dataSource, fx.project.id, 'k')).key);
    const secret = await (await createSecret(fx.project.id, { name: 's', value: VALUE }, key)).json();
    expect(
      (await api.call('PUT', `/api/endpoints/${fx.endpoint.id}`, { secret_id: secret.id }, key)).status,
    ).toBe(200);
    await api.db.dataSource.query('DELETE FROM projects WHERE id = $1', [fx.project.id]);
    expect(await api.db.dataSource.getRepository(ProviderSecret).countBy({ id: secret.id })).toBe(0);
  });

  it('never writes a value to the logs', () => {
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join('\n');
    expect(all).not.toContain(VALUE);
    expect(all).not.toContain('sk-their-own-key');
    expect(all).not.toContain('sk-overwritten-by-them');
  });
});
