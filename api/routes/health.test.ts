import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import {
  createTestDatabase,
  createTestTemporal,
  freePort,
  startInProcessWorker,
  type TestDatabase,
  type TestTemporal,
  testActivityDeps,
} from '../../test/helpers/index.js';
import { createApp } from '../app.js';
import type { ApiDeps } from '../deps.js';

let db: TestDatabase;
let temporal: TestTemporal;

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const deps = (overrides: Partial<ApiDeps> = {}): ApiDeps => ({
  dataSource: db.dataSource,
  temporal: temporal.client,
  logger: createLogger('test-api', 'silent'),
  mode: 'dev',
  temporalUiUrl: 'http://127.0.0.1:8233',
  ...overrides,
});

describe('GET /api/health', () => {
  it('reports database and Temporal up with their versions, and the workers polling', async () => {
    const worker = await startInProcessWorker({ temporal, deps: testActivityDeps(db.dataSource) });
    try {
      const app = createApp(deps());
      // A new worker's pollers show up on the server within a moment.
      await expect
        .poll(async () => (await (await app.request('/api/health')).json()).workers['judges.gpu'].pollers, {
          timeout: 15_000,
          interval: 250,
        })
        .toBeGreaterThan(0);
      const res = await app.request('/api/health');
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({
        status: 'ok',
        mode: 'dev',
        database: { status: 'up', error: null },
        temporal: { status: 'up', error: null, namespace: temporal.namespace },
      });
      expect(body.database.version).toMatch(/^\d+(\.\d+)?/);
      expect(body.temporal.version).toMatch(/^1\.\d+/);
      expect(body.workers.orchestration.pollers).toBeGreaterThan(0);
      expect(body.workers['judges.gpu'].pollers).toBeGreaterThan(0);
    } finally {
      await worker.stop();
    }
  });

  it('answers 503 (not 500) naming what is down', async () => {
    // A Temporal client whose server is gone: connect, then point at a port nobody listens on.
    const deadPort = await freePort();
    const connection = await Connection.lazy({ address: `127.0.0.1:${deadPort}` });
    const deadClient = new Client({ connection, namespace: 'default' });
    const res = await createApp(deps({ temporal: deadClient })).request('/api/health');
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).toBe('degraded');
    expect(body.database.status).toBe('up');
    expect(body.temporal.status).toBe('down');
    expect(body.temporal.error).toBeTruthy();
    await connection.close();
  });

  it('is described in /openapi.json and unknown routes get a JSON 404', async () => {
    const app = createApp(deps());
    const spec = await (await app.request('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.paths['/api/health'].get).toBeDefined();
    const res = await app.request('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
