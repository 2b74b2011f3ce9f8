/** endpoint_url is checked against the workers' outbound policy when it is saved (core/outbound-policy.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ENDPOINT_HOSTS_ENV } from '../../core/outbound-policy.js';
import { bearer, createTestApi, type TestApi } from '../test-support.js';

const ADMIN_KEY = 'admin-key-for-outbound-tests-0123456789';
const admin = bearer(ADMIN_KEY);

let prod: TestApi;
let allowlisted: TestApi;
let dev: TestApi;
let projectId: string;

beforeAll(async () => {
  prod = await createTestApi({
    mode: 'production',
    settings: { adminKey: ADMIN_KEY, rateLimitPerMinute: 0 },
  });
  // The allowlist is read from the environment when the app is built.
  const saved = process.env[ALLOWED_ENDPOINT_HOSTS_ENV];
  process.env[ALLOWED_ENDPOINT_HOSTS_ENV] = 'vllm.internal, 10.20.0.0/16, 169.254.0.0/16';
  try {
    allowlisted = await createTestApi({
      mode: 'production',
      settings: { adminKey: ADMIN_KEY, rateLimitPerMinute: 0 },
      db: prod.db,
      temporal: prod.temporal,
    });
  } finally {
    if (saved === undefined) delete process.env[ALLOWED_ENDPOINT_HOSTS_ENV];
    else process.env[ALLOWED_ENDPOINT_HOSTS_ENV] = saved;
  }
  dev = await createTestApi({ mode: 'dev', db: prod.db, temporal: prod.temporal });
  const project = await prod.call('POST', '/api/projects', { name: 'outbound' }, admin);
  expect(project.status).toBe(201);
  projectId = (await project.json()).id;
});
afterAll(async () => {
  await dev?.close();
  await allowlisted?.close();
  await prod?.close();
});

const create = (api: TestApi, endpoint_url: string) =>
  api.call(
    'POST',
    `/api/projects/${projectId}/endpoints`,
    { provider: 'openai', model_name: 'm', endpoint_url },
    api === dev ? {} : admin, // dev mode: no keys
  );

/** The URLs of the report, and other spellings of the same places. */
const REFUSED_IN_PRODUCTION: Array<[string, string]> = [
  ['http://169.254.169.254/latest/meta-data/', 'metadata'],
  ['http://[fd00:ec2::254]/', 'metadata'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
  ['http://127.0.0.1:5432', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://2130706433/v1', 'loopback'],
  ['http://0177.0.0.1/v1', 'loopback'],
  ['http://127.1/v1', 'loopback'],
  ['http://[::1]:8000/v1', 'loopback'],
  ['http://[::ffff:127.0.0.1]/v1', 'loopback'],
  ['http://localhost:11434/v1', 'loopback'],
  ['http://0.0.0.0:8000/v1', 'unspecified'],
  ['http://10.0.0.5/v1', 'private'],
  ['http://192.168.1.10/v1', 'private'],
  ['http://100.100.100.200/latest/meta-data/', 'metadata'],
  ['http://169.254.1.1/', 'link_local'],
];

describe('endpoint_url on save, production mode', () => {
  it.each(REFUSED_IN_PRODUCTION)('POST %s → 422 endpoint_url_not_allowed (%s)', async (url, category) => {
    const res = await create(prod, url);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('endpoint_url_not_allowed');
    expect(body.error.message).toMatch(/^endpoint_url not allowed: /);
    expect(body.error.details).toEqual({ path: 'endpoint_url', category });
  });

  it('stores nothing that was refused', async () => {
    const [{ n }] = await prod.db.dataSource.query(
      `SELECT count(*)::int AS n FROM llm_endpoints WHERE project_id = $1 AND endpoint_url NOT LIKE 'https://%'`,
      [projectId],
    );
    expect(n).toBe(0);
  });

  it('accepts a public https URL (201), and refuses changing it to a metadata address (PUT → 422)', async () => {
    const res = await create(prod, 'https://api.together.xyz/v1');
    expect(res.status).toBe(201);
    const { id } = await res.json();
    const put = await prod.call(
      'PUT',
      `/api/endpoints/${id}`,
      { endpoint_url: 'http://169.254.169.254/' },
      admin,
    );
    expect(put.status).toBe(422);
    expect((await put.json()).error.code).toBe('endpoint_url_not_allowed');
    const [row] = await prod.db.dataSource.query('SELECT endpoint_url FROM llm_endpoints WHERE id = $1', [
      id,
    ]);
    expect(row.endpoint_url).toBe('https://api.together.xyz/v1');
    // Other fields still change.
    expect((await prod.call('PUT', `/api/endpoints/${id}`, { model_name: 'n' }, admin)).status).toBe(200);
  });

  it('keeps the credentials rule first (secret_not_allowed) and refuses other schemes at the boundary', async () => {
    const creds = await create(prod, 'http://user:pw@169.254.169.254/');
    expect((await creds.json()).error.code).toBe('secret_not_allowed');
    expect((await create(prod, 'file:///etc/passwd')).status).toBe(400);
  });
});

describe('the allowlist and dev mode', () => {
  it('opens listed names and CIDRs in production, never link-local or metadata', async () => {
    expect((await create(allowlisted, 'http://vllm.internal:8000/v1')).status).toBe(201);
    expect((await create(allowlisted, 'http://10.20.3.4/v1')).status).toBe(201);
    expect((await create(allowlisted, 'http://10.21.3.4/v1')).status).toBe(422);
    expect((await create(allowlisted, 'http://169.254.169.254/')).status).toBe(422);
    expect((await create(allowlisted, 'http://169.254.10.10/')).status).toBe(422);
    expect((await create(prod, 'http://vllm.internal:8000/v1')).status).toBe(201); // a name: checked on connect
  });

  it('dev mode allows loopback (local models), still refuses metadata', async () => {
    expect((await create(dev, 'http://127.0.0.1:8000/v1')).status).toBe(201);
    expect((await create(dev, 'http://localhost:8080/v1')).status).toBe(201);
    for (const url of [
      'http://169.254.169.254/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal/',
    ]) {
      const res = await create(dev, url);
      expect(res.status, url).toBe(422);
      expect((await res.json()).error.code).toBe('endpoint_url_not_allowed');
    }
  });
});
