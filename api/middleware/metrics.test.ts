import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import {
  createTestDatabase,
  createTestTemporal,
  freePort,
  parsePrometheusText,
  sampleValue,
  type TestDatabase,
  type TestTemporal,
} from '../../test/helpers/index.js';
import { createApp } from '../app.js';
import { METRICS_PATH, mountMetrics, UNMATCHED_ROUTE } from './metrics.js';

/** Serves a Hono app over real HTTP on a free loopback port. */
async function listen(app: { fetch: (req: Request) => Response | Promise<Response> }) {
  const port = await freePort();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function scrape(baseUrl: string) {
  const res = await fetch(`${baseUrl}${METRICS_PATH}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

describe('GET /metrics on the API app', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  beforeAll(async () => {
    [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
  });
  afterAll(async () => {
    await temporal?.close();
    await db?.drop();
  });

  it('counts requests to the real routes by route, method and status, with latencies', async () => {
    const app = createApp({
      dataSource: db.dataSource,
      temporal: temporal.client,
      logger: createLogger('test-api', 'silent'),
      mode: 'dev',
      temporalUiUrl: null,
    });
    const server = await listen(app);
    try {
      const health = { route: '/api/health', method: 'GET', status: '200' };
      const before = await scrape(server.url);
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/api/no-such-route-7`)).status).toBe(404);
      const after = await scrape(server.url);

      expect(sampleValue(after, 'evalforge_http_requests_total', health)).toBe(
        sampleValue(before, 'evalforge_http_requests_total', health) + 3,
      );
      expect(sampleValue(after, 'evalforge_http_request_duration_seconds_count', health)).toBe(
        sampleValue(before, 'evalforge_http_request_duration_seconds_count', health) + 3,
      );
      expect(sampleValue(after, 'evalforge_http_request_duration_seconds_sum', health)).toBeGreaterThan(
        sampleValue(before, 'evalforge_http_request_duration_seconds_sum', health),
      );
      // An unknown path is counted, but under no label made from its raw path.
      expect(after.filter((s) => s.labels.route?.includes('no-such-route'))).toEqual([]);
      expect(
        sampleValue(after, 'evalforge_http_requests_total', { route: UNMATCHED_ROUTE, status: '404' }),
      ).toBe(
        sampleValue(before, 'evalforge_http_requests_total', { route: UNMATCHED_ROUTE, status: '404' }) + 1,
      );
      // Node's process metrics come along for alerts on memory and event-loop lag.
      expect(sampleValue(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(after.some((s) => s.name.startsWith('nodejs_eventloop_lag'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('the metrics middleware', () => {
  it('labels by route pattern, never by raw path, and folds unknown paths into one series', async () => {
    const app = new Hono();
    mountMetrics(app);
    app.get('/items/:id', (c) => (c.req.param('id') === 'missing' ? c.json({}, 404) : c.json({ id: 1 })));
    app.post('/items', () => {
      throw new Error('boom');
    });
    app.onError((_err, c) => c.json({ error: 'internal' }, 500));
    const server = await listen(app);
    try {
      const item = (status: string) => ({ route: '/items/:id', method: 'GET', status });
      const unmatched = { route: UNMATCHED_ROUTE, method: 'GET', status: '404' };
      const failed = { route: '/items', method: 'POST', status: '500' };
      const before = await scrape(server.url);
      await fetch(`${server.url}/items/1`);
      await fetch(`${server.url}/items/2`);
      await fetch(`${server.url}/items/missing`);
      await fetch(`${server.url}/no/such/path-123`);
      expect((await fetch(`${server.url}/items`, { method: 'POST' })).status).toBe(500);
      const after = await scrape(server.url);

      const delta = (labels: Record<string, string>) =>
        sampleValue(after, 'evalforge_http_requests_total', labels) -
        sampleValue(before, 'evalforge_http_requests_total', labels);
      expect(delta(item('200'))).toBe(2);
      expect(delta(item('404'))).toBe(1);
      expect(delta(unmatched)).toBe(1);
      expect(delta(failed)).toBe(1);
      const routes = new Set(after.map((s) => s.labels.route).filter(Boolean));
      expect([...routes].filter((r) => /\d|missing/.test(r))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
