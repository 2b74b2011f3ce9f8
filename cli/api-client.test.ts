/** The CLI's HTTP client against a scripted local server: which answers it repeats, and how. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, MAX_RETRY_AFTER_MS, retryAfterMs } from './api-client.js';
import { CliError } from './exit-codes.js';

interface Seen {
  at: number;
  key: string | undefined;
  body: string;
}
type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | 'drop';

let server: http.Server;
let baseUrl: string;
let script: Answer[] = [];
let seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      seen.push({ at: Date.now(), key: req.headers['idempotency-key'] as string | undefined, body });
      const answer = script.shift() ?? { status: 200, body: { ok: true } };
      // The request reached the server but its answer is lost on the way back.
      if (answer === 'drop') return void req.socket.destroy();
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body ?? { error: { code: 'x', message: `status ${answer.status}` } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
});

const client = () => new ApiClient({ baseUrl, retries: 3, retryDelayMs: 10 });
const startRun = () =>
  client().post<{ id: string }>('/api/eval/run', {
    json: { project_id: 'p' },
    headers: { 'idempotency-key': 'one-key' },
    retry: true,
  });

describe('ApiClient retries', () => {
  it('repeats a POST after a lost answer and a 5xx with the same Idempotency-Key and body', async () => {
    seen = [];
    script = [
      'drop',
      { status: 503, headers: { 'retry-after': '0' } },
      { status: 201, body: { id: 'run-1' } },
    ];
    expect(await startRun()).toEqual({ id: 'run-1' });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.key))).toEqual(new Set(['one-key']));
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
  });

  it('waits as Retry-After says on 429 and 503', async () => {
    seen = [];
    script = [
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: { id: 'run-2' } },
    ];
    expect(await startRun()).toEqual({ id: 'run-2' });
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once on a Retry-After beyond the limit, and after the bounded attempts otherwise', async () => {
    seen = [];
    script = [{ status: 503, headers: { 'retry-after': String(MAX_RETRY_AFTER_MS / 1000 + 1) } }];
    await expect(startRun()).rejects.toThrow(/server error 503/);
    expect(seen).toHaveLength(1);

    seen = [];
    script = [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 201, body: { id: 'too-late' } }];
    await expect(startRun()).rejects.toBeInstanceOf(CliError);
    expect(seen).toHaveLength(3);
    script = [];
  });

  it('does not repeat requests not marked safe, nor answers that will not change', async () => {
    seen = [];
    script = [{ status: 503 }];
    await expect(client().post('/api/eval/run', { json: {} })).rejects.toThrow(/503/);
    expect(seen).toHaveLength(1);

    seen = [];
    script = [
      { status: 422, body: { error: { code: 'idempotency_key_reused', message: 'different request' } } },
    ];
    await expect(startRun()).rejects.toThrow(/422 idempotency_key_reused/);
    expect(seen).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
  });
});
