import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestTemporal,
  type TestDatabase,
  type TestTemporal,
} from '../../test/helpers/index.js';
import { createApp } from '../app.js';
import { testApiDeps } from '../test-support.js';

let db: TestDatabase;
let temporal: TestTemporal;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

function appWithCapturedLogs() {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const deps = { ...testApiDeps(db, temporal), logger: pino({ level: 'info' }, sink) };
  return createApp(deps);
}

describe('request logs', () => {
  it('logs one structured line per request with its request id, never the Authorization header', async () => {
    const app = appWithCapturedLogs();
    const res = await app.request('/api/projects', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'trace-42',
        authorization: 'Bearer ef_not_a_real_key',
      },
      body: JSON.stringify({ name: 'logged' }),
    });
    expect(res.status).toBe(401);
    await app.request(`/api/projects/${crypto.randomUUID()}`, { headers: { 'x-request-id': 'trace-43' } });
    const mine = lines.filter((l) => l.msg === 'request');
    expect(mine).toEqual([
      expect.objectContaining({
        request_id: 'trace-42',
        method: 'POST',
        path: '/api/projects',
        status: 401,
        level: 30,
      }),
      expect.objectContaining({ request_id: 'trace-43', method: 'GET', status: 404, auth: 'anonymous' }),
    ]);
    expect(typeof mine[0].duration_ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('ef_not_a_real_key');
  });
});
