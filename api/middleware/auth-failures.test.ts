/**
 * Failed authentication is limited per client address (the socket's, or X-Forwarded-For behind
 * trusted proxies); /metrics on the API port is the admin key's outside dev mode; production without
 * an admin key says so at start.
 */
import { Writable } from 'node:stream';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { freePort } from '../../test/helpers/index.js';
import { createApp } from '../app.js';
import { createApiKey } from '../services/api-keys.js';
import { bearer, createTestApi, type TestApi, testApiDeps } from '../test-support.js';
import { NO_ADMIN_KEY_WARNING } from './auth.js';
import { METRICS_PATH } from './metrics.js';
import {
  addressKey,
  FAILED_AUTH_MAX_ATTEMPTS,
  FAILED_AUTH_WINDOW_MS,
  FailedAuthLimiter,
} from './rate-limit.js';

const ADMIN_KEY = 'admin-key-for-failure-tests-0123456789';

let prod: TestApi;
let projectKey: string;
let projectId: string;

beforeAll(async () => {
  prod = await createTestApi({ mode: 'production', settings: { adminKey: ADMIN_KEY } });
  const project = await (
    await prod.call('POST', '/api/projects', { name: 'failures' }, bearer(ADMIN_KEY))
  ).json();
  projectId = project.id;
  projectKey = (await createApiKey(prod.db.dataSource, project.id, 'ci')).key;
});
afterAll(async () => {
  await prod?.close();
});

/** A request as @hono/node-server hands it over: the socket's remote address in the env bindings. */
function from(
  api: Pick<TestApi, 'app'>,
  address: string,
  path: string,
  headers: Record<string, string> = {},
) {
  return api.app.request(path, { headers }, { incoming: { socket: { remoteAddress: address } } });
}

describe('failed authentication per client address', () => {
  it(`answers 429 with Retry-After after ${FAILED_AUTH_MAX_ATTEMPTS} bad keys from one address; other addresses are unaffected`, async () => {
    const attacker = '203.0.113.7';
    for (let i = 0; i < FAILED_AUTH_MAX_ATTEMPTS; i++) {
      const res = await from(prod, attacker, '/api/projects', bearer(`ef_guess_${i}`));
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const blocked = await from(prod, attacker, '/api/projects', bearer('ef_guess_next'));
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(FAILED_AUTH_WINDOW_MS / 1000);
    expect((await blocked.json()).error).toMatchObject({ code: 'rate_limited' });
    // Blocked before the key is looked at: a right key from that address tells nothing either.
    expect((await from(prod, attacker, '/api/projects', bearer(ADMIN_KEY))).status).toBe(429);
    expect((await from(prod, attacker, '/api/projects', { authorization: 'Basic x' })).status).toBe(429);

    // Everyone else goes on: valid keys and even their own failures.
    expect((await from(prod, '198.51.100.20', '/api/projects', bearer(ADMIN_KEY))).status).toBe(200);
    expect((await from(prod, '198.51.100.21', `/api/projects/${projectId}`, bearer(projectKey))).status).toBe(
      200,
    );
    expect((await from(prod, '198.51.100.22', '/api/projects', bearer('ef_typo'))).status).toBe(401);
    // Public routes never ask for a key.
    expect([200, 503]).toContain((await from(prod, attacker, '/api/health')).status);
  });

  it('takes the address from the real socket over HTTP', async () => {
    const app = createApp(
      testApiDeps(prod.db, prod.temporal, { mode: 'production', settings: { adminKey: ADMIN_KEY } }),
    );
    const port = await freePort();
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const get = (key: string) =>
        fetch(`http://127.0.0.1:${port}/api/projects`, { headers: bearer(key) }).then((r) => r.status);
      for (let i = 0; i < FAILED_AUTH_MAX_ATTEMPTS; i++) expect(await get(`ef_guess_${i}`)).toBe(401);
      expect(await get(ADMIN_KEY)).toBe(429);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('does not count requests without a key, nor successes', async () => {
    const client = '203.0.113.8';
    for (let i = 0; i < FAILED_AUTH_MAX_ATTEMPTS + 5; i++) {
      expect((await from(prod, client, '/api/projects')).status).toBe(401);
    }
    for (let i = 0; i < 5; i++) {
      expect((await from(prod, client, '/api/projects', bearer(ADMIN_KEY))).status).toBe(200);
    }
    expect((await from(prod, client, '/api/projects', bearer('ef_one_typo'))).status).toBe(401);
  });

  it('counts an IPv6 /64 as one client and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:0:1:aaaa::1')).toBe(addressKey('2001:db8:0:1:bbbb::2'));
    expect(addressKey('2001:db8:0:1::1')).not.toBe(addressKey('2001:db8:0:2::1'));
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('forgets an address once its window has passed', () => {
    let now = 0;
    const limiter = new FailedAuthLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) limiter.recordFailure('a');
    expect(limiter.blockedForS('a')).toBe(60);
    expect(limiter.blockedForS('b')).toBe(0);
    now = 59_500;
    expect(limiter.blockedForS('a')).toBe(1);
    now = 60_000;
    expect(limiter.blockedForS('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.blockedForS('a')).toBe(0);
  });

  it('keys on X-Forwarded-For only when EVALFORGE_TRUSTED_PROXY_HOPS says a proxy appends it', async () => {
    const proxied = {
      app: createApp(
        testApiDeps(prod.db, prod.temporal, {
          mode: 'production',
          settings: { adminKey: ADMIN_KEY, trustedProxyHops: 1 },
        }),
      ),
    };
    const proxy = '10.0.0.2';
    // The client prepends a forged entry; the proxy appends what it saw (the last entry).
    const attempt = (client: string, key: string) =>
      from(proxied, proxy, '/api/projects', { ...bearer(key), 'x-forwarded-for': `1.1.1.1, ${client}` });
    for (let i = 0; i < FAILED_AUTH_MAX_ATTEMPTS; i++) {
      expect((await attempt('192.0.2.50', `ef_guess_${i}`)).status).toBe(401);
    }
    expect((await attempt('192.0.2.50', 'ef_guess')).status).toBe(429);
    // Another client behind the same proxy is not blocked.
    expect((await attempt('192.0.2.51', ADMIN_KEY)).status).toBe(200);

    // Without trusted hops the header is ignored: forged entries change nothing.
    const direct = '203.0.113.10';
    for (let i = 0; i < FAILED_AUTH_MAX_ATTEMPTS; i++) {
      await from(prod, direct, '/api/projects', {
        ...bearer(`ef_guess_${i}`),
        'x-forwarded-for': `192.0.2.${i}`,
      });
    }
    const res = await from(prod, direct, '/api/projects', {
      ...bearer(ADMIN_KEY),
      'x-forwarded-for': '1.2.3.4',
    });
    expect(res.status).toBe(429);
  });
});

describe('GET /metrics on the API port', () => {
  it('needs the admin key in production', async () => {
    const none = await from(prod, '192.0.2.80', METRICS_PATH);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    expect((await from(prod, '192.0.2.80', METRICS_PATH, bearer(projectKey))).status).toBe(401);
    const ok = await from(prod, '192.0.2.80', METRICS_PATH, bearer(ADMIN_KEY));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('evalforge_http_requests_total');
  });

  it('counts wrong keys on /metrics as failed authentication', async () => {
    const scraper = '192.0.2.81';
    for (let i = 0; i < FAILED_AUTH_MAX_ATTEMPTS; i++) {
      expect((await from(prod, scraper, METRICS_PATH, bearer(`wrong-${i}`))).status).toBe(401);
    }
    expect((await from(prod, scraper, METRICS_PATH, bearer(ADMIN_KEY))).status).toBe(429);
    expect((await from(prod, scraper, '/api/projects', bearer(ADMIN_KEY))).status).toBe(429);
  });

  it('is 401 for everyone in production without an admin key, and open in dev mode', async () => {
    const keyless = createApp(testApiDeps(prod.db, prod.temporal, { mode: 'production' }));
    const res = await keyless.request(METRICS_PATH);
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/EVALFORGE_ADMIN_KEY is not set/);
    const dev = createApp(testApiDeps(prod.db, prod.temporal, { mode: 'dev' }));
    expect((await dev.request(METRICS_PATH)).status).toBe(200);
  });
});

describe('production without EVALFORGE_ADMIN_KEY', () => {
  function startWith(mode: 'dev' | 'production', adminKey: string | null) {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    createApp({
      ...testApiDeps(prod.db, prod.temporal, { mode, settings: { adminKey } }),
      logger: createLogger('api', 'info', sink),
    });
    return lines.map((l) => JSON.parse(l));
  }

  it('logs one warning at start saying what cannot be done without it', () => {
    const lines = startWith('production', null);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: NO_ADMIN_KEY_WARNING, setting: 'EVALFORGE_ADMIN_KEY' });
    expect(lines[0].msg).toMatch(/create projects.*first API key.*\/metrics/);
    expect(startWith('production', ADMIN_KEY)).toEqual([]);
    expect(startWith('dev', null)).toEqual([]);
  });
});
