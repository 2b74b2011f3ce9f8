import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApi, type TestApi } from '../test-support.js';
import { TokenBuckets } from './rate-limit.js';

const ADMIN_KEY = 'admin-key-for-tests-0123456789abcdef';
const RATE_LIMIT = 30;

let prod: TestApi;
let dev: TestApi;

beforeAll(async () => {
  prod = await createTestApi({
    mode: 'production',
    settings: { adminKey: ADMIN_KEY, rateLimitPerMinute: RATE_LIMIT },
  });
  // Same database, dev mode: keys optional.
  dev = await createTestApi({ mode: 'dev', db: prod.db, temporal: prod.temporal });
});
afterAll(async () => {
  await dev?.close();
  await prod?.close();
});

const admin = bearer(ADMIN_KEY);

async function projectWithKey(name: string) {
  const project = await (await prod.call('POST', '/api/projects', { name }, admin)).json();
  const res = await prod.call('POST', `/api/projects/${project.id}/api-keys`, { name: 'ci' }, admin);
  expect(res.status).toBe(201);
  const key = await res.json();
  return { project, key };
}

describe('auth outside dev mode', () => {
  it('answers 401 without a key, with a malformed header or an unknown key', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer ef_nope' },
    ];
    for (const headers of attempts) {
      const res = await prod.call('GET', '/api/projects', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
  });

  it('keeps health, badges and docs public', async () => {
    expect((await prod.call('GET', '/openapi.json')).status).toBe(200);
    expect((await prod.call('GET', '/docs')).status).toBe(200);
    expect([200, 503]).toContain((await prod.call('GET', '/api/health')).status);
  });

  it('shows a key once, stores only its hash, and scopes it to its project (403 elsewhere)', async () => {
    const a = await projectWithKey('A');
    const b = await projectWithKey('B');
    expect(a.key.key).toMatch(/^ef_[A-Za-z0-9_-]{43}$/);
    expect(a.key.key.startsWith(a.key.key_prefix)).toBe(true);
    const [row] = await prod.db.dataSource.query('SELECT key_hash FROM api_keys WHERE id = $1', [a.key.id]);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(a.key.key);

    const listed = await (
      await prod.call('GET', `/api/projects/${a.project.id}/api-keys`, undefined, bearer(a.key.key))
    ).json();
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('key');
    expect(JSON.stringify(listed)).not.toContain(a.key.key);

    const keyA = bearer(a.key.key);
    expect((await prod.call('GET', `/api/projects/${a.project.id}`, undefined, keyA)).status).toBe(200);
    const own = await (await prod.call('GET', '/api/projects', undefined, keyA)).json();
    expect(own.items.map((p: { id: string }) => p.id)).toEqual([a.project.id]);

    const other = await prod.call('GET', `/api/projects/${b.project.id}`, undefined, keyA);
    expect(other.status).toBe(403);
    expect((await other.json()).error.code).toBe('forbidden');
    const dsB = await (
      await prod.call('POST', `/api/projects/${b.project.id}/datasets`, { name: 'd' }, admin)
    ).json();
    expect((await prod.call('GET', `/api/datasets/${dsB.id}/samples`, undefined, keyA)).status).toBe(403);
    expect(
      (await prod.call('POST', `/api/datasets/${dsB.id}/samples`, [{ input_text: 'x' }], keyA)).status,
    ).toBe(403);
    // An unknown id is still a 404, not a 403.
    expect((await prod.call('GET', `/api/datasets/${crypto.randomUUID()}`, undefined, keyA)).status).toBe(
      404,
    );
    // Creating projects spans projects: admin only.
    expect((await prod.call('POST', '/api/projects', { name: 'C' }, keyA)).status).toBe(403);
  });

  it('stops accepting a revoked key at once', async () => {
    const { project, key } = await projectWithKey('revoke');
    const auth = bearer(key.key);
    expect((await prod.call('GET', `/api/projects/${project.id}`, undefined, auth)).status).toBe(200);
    const revoked = await prod.call(
      'DELETE',
      `/api/projects/${project.id}/api-keys/${key.id}`,
      undefined,
      admin,
    );
    expect((await revoked.json()).revoked_at).not.toBeNull();
    expect((await prod.call('GET', `/api/projects/${project.id}`, undefined, auth)).status).toBe(401);
    expect(
      (
        await prod.call(
          'DELETE',
          `/api/projects/${project.id}/api-keys/${crypto.randomUUID()}`,
          undefined,
          admin,
        )
      ).status,
    ).toBe(404);
  });

  it('rate limits per key with 429 and Retry-After, leaving other keys alone', async () => {
    const a = await projectWithKey('rate A');
    const b = await projectWithKey('rate B');
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 5; i++) {
      statuses.push(
        (await prod.call('GET', `/api/projects/${a.project.id}`, undefined, bearer(a.key.key))).status,
      );
    }
    expect(statuses.slice(0, RATE_LIMIT).every((s) => s === 200)).toBe(true);
    const limited = await prod.call('GET', `/api/projects/${a.project.id}`, undefined, bearer(a.key.key));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.code).toBe('rate_limited');
    expect(
      (await prod.call('GET', `/api/projects/${b.project.id}`, undefined, bearer(b.key.key))).status,
    ).toBe(200);
  });
});

describe('auth in dev mode', () => {
  it('needs no key, but checks and scopes a key that is sent', async () => {
    const created = await dev.call('POST', '/api/projects', { name: 'dev project' });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const { key } = await (await dev.call('POST', `/api/projects/${id}/api-keys`, { name: 'k' })).json();
    expect((await dev.call('GET', '/api/projects', undefined, bearer('ef_wrong'))).status).toBe(401);
    const other = await (await dev.call('POST', '/api/projects', { name: 'other' })).json();
    expect((await dev.call('GET', `/api/projects/${other.id}`, undefined, bearer(key))).status).toBe(403);
    expect((await dev.call('GET', `/api/projects/${id}`, undefined, bearer(key))).status).toBe(200);
  });
});

describe('TokenBuckets', () => {
  it('refills continuously and says how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets(60, () => now);
    for (let i = 0; i < 60; i++) expect(buckets.take('k').allowed).toBe(true);
    expect(buckets.take('k')).toEqual({ allowed: false, retryAfterS: 1 });
    now += 1_000;
    expect(buckets.take('k').allowed).toBe(true);
    expect(buckets.take('other').allowed).toBe(true);
  });
});
