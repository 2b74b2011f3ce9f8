/**
 * The outbound policy where the workers call out: at connect time on the resolved address (DNS rebinding),
 * on redirects, through both SDK clients, and for a whole run whose endpoint row bypassed the API.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboundPolicy,
  findOutboundRefusal,
  type OutboundPolicy,
  OutboundRefusedError,
} from '../../core/outbound-policy.js';
import { EvalRun, LlmEndpoint } from '../../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createTestDatabase, type TestDatabase, testActivityDeps } from '../../test/helpers/index.js';
import { makeJudgeChatCaller } from '../judging/judge-chat-caller.js';
import { MAX_UPSTREAM_ERROR_CHARS } from './constants.js';
import { type GenerateChunkOptions, makeGenerateChunk } from './generate-chunk.js';
import { createGuardedFetch, type GuardedFetch, type Resolver } from './guarded-fetch.js';
import { classifyModelError } from './model-errors.js';
import { createAnthropicClient } from './providers/anthropic-client.js';
import { createOpenAiClient } from './providers/openai-client.js';

const REBIND_HOST = 'rebind.example.com';

/** A local HTTP server that counts TCP connections and requests, answering a chat completion (or `handler`). */
interface CountingServer {
  port: number;
  connections: number;
  requests: number;
  close(): Promise<void>;
}

const CHAT_COMPLETION = {
  id: 'x',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

async function countingServer(handler?: http.RequestListener): Promise<CountingServer> {
  const state = { connections: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    if (handler) return handler(req, res);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CHAT_COMPLETION));
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** DNS that answers `host` with the given addresses and counts the questions. */
function fakeDns(answers: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = answers[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

const prodPolicy = createOutboundPolicy({ mode: 'production' });
const devPolicy = createOutboundPolicy({ mode: 'dev' });
const opened: GuardedFetch[] = [];
const guarded = (policy: OutboundPolicy, resolve?: Resolver) => {
  const g = createGuardedFetch(policy, resolve ? { resolve } : {});
  opened.push(g);
  return g;
};

async function refusalOf(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  const refusal = findOutboundRefusal(err);
  if (!refusal) throw new Error(`expected an outbound refusal, got ${String(err)}`);
  return refusal;
}

const classify = (err: unknown) =>
  classifyModelError(err, { cancelled: false, deadlineHit: false, timeoutMs: 2_000 });
const chat = {
  model: 'm',
  system: null,
  input: 'hi',
  params: { temperature: undefined, top_p: undefined, max_tokens: undefined },
  timeoutMs: 2_000,
};

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(async () => {
  await Promise.all(opened.map((g) => g.close()));
  await server?.close();
});

describe('connect time: the address a name resolves to', () => {
  it('refuses a name that resolves to 127.0.0.1 in production, before connecting (DNS rebinding)', async () => {
    const dns = fakeDns({ [REBIND_HOST]: ['127.0.0.1'] });
    const before = { ...server };
    const refusal = await refusalOf(
      guarded(prodPolicy, dns).fetch(`http://${REBIND_HOST}:${server.port}/v1/chat/completions`, {
        method: 'POST',
        body: '{}',
      }),
    );
    expect(refusal.category).toBe('loopback');
    expect(refusal.message).toMatch(/rebind\.example\.com resolved to 127\.0\.0\.1.*loopback/);
    expect(dns.asked).toEqual([REBIND_HOST]);
    expect(server.connections - before.connections).toBe(0);
    expect(server.requests - before.requests).toBe(0);
  });

  it('connects to the same name and address in dev mode (the check is what stopped it)', async () => {
    const before = server.requests;
    const res = await guarded(devPolicy, fakeDns({ [REBIND_HOST]: ['127.0.0.1'] })).fetch(
      `http://${REBIND_HOST}:${server.port}/v1/chat/completions`,
      { method: 'POST', body: '{}' },
    );
    expect(res.status).toBe(200);
    expect(server.requests - before).toBe(1);
  });

  it('refuses a name answering with a public and a private address, and metadata in every mode', async () => {
    const mixed = fakeDns({ 'mixed.example.com': ['93.184.215.14', '10.0.0.7'] });
    const refusal = await refusalOf(guarded(prodPolicy, mixed).fetch('http://mixed.example.com/v1'));
    expect(refusal.message).toMatch(/resolved to 10\.0\.0\.7, which is a private address/);
    const meta = fakeDns({ 'meta.example.com': ['::ffff:169.254.169.254'] });
    expect((await refusalOf(guarded(devPolicy, meta).fetch('http://meta.example.com/'))).category).toBe(
      'metadata',
    );
  });

  it('refuses localhost and address literals in production without resolving or connecting', async () => {
    const dns = fakeDns({ localhost: ['127.0.0.1'] });
    const g = guarded(prodPolicy, dns);
    const before = server.connections;
    for (const url of [
      `http://localhost:${server.port}/v1`,
      `http://127.0.0.1:${server.port}/v1`,
      `http://0x7f000001:${server.port}/v1`,
      `http://[::ffff:127.0.0.1]:${server.port}/v1`,
    ]) {
      expect((await refusalOf(g.fetch(url))).category, url).toBe('loopback');
    }
    // The agent's own connector refuses a literal too (net.connect never calls lookup for one), whatever
    // sends through it.
    const refusal = await refusalOf(
      undiciRequest(`http://127.0.0.1:${server.port}/`, { dispatcher: g.dispatcher }),
    );
    expect(refusal.category).toBe('loopback');
    expect(dns.asked).toEqual([]);
    expect(server.connections - before).toBe(0);
  });

  it('lets the allowlist open a name or a CIDR, never metadata', async () => {
    const dns = fakeDns({
      'vllm.internal': ['127.0.0.1'],
      [REBIND_HOST]: ['127.0.0.1'],
      'bad.internal': ['169.254.169.254'],
    });
    const byName = guarded(
      createOutboundPolicy({ mode: 'production', allowedHosts: 'vllm.internal,bad.internal' }),
      dns,
    );
    const before = server.requests;
    expect((await byName.fetch(`http://vllm.internal:${server.port}/v1`)).status).toBe(200);
    expect((await refusalOf(byName.fetch(`http://${REBIND_HOST}:${server.port}/v1`))).category).toBe(
      'loopback',
    );
    expect((await refusalOf(byName.fetch(`http://bad.internal:${server.port}/v1`))).category).toBe(
      'metadata',
    );
    const byCidr = guarded(createOutboundPolicy({ mode: 'production', allowedHosts: '127.0.0.0/8' }), dns);
    expect((await byCidr.fetch(`http://${REBIND_HOST}:${server.port}/v1`)).status).toBe(200);
    expect(server.requests - before).toBe(2);
  });
});

describe('through the provider clients', () => {
  it('OpenAI: a refusal is a non-retryable outbound_refused failure whose message is the reason', async () => {
    const before = server.connections;
    const client = createOpenAiClient({
      apiKey: 'sk-test-outbound',
      baseURL: `http://${REBIND_HOST}:${server.port}/v1`,
      timeoutMs: 2_000,
      http: guarded(prodPolicy, fakeDns({ [REBIND_HOST]: ['127.0.0.1'] })),
    });
    const err = await client.complete({ ...chat, signal: new AbortController().signal }).catch((e) => e);
    const failure = classify(err);
    expect(failure).toMatchObject({ kind: 'outbound_refused', retryable: false });
    expect(failure.message).toMatch(
      /^outbound request refused: rebind\.example\.com resolved to 127\.0\.0\.1/,
    );
    expect(server.connections - before).toBe(0);
  });

  it('Anthropic: the same', async () => {
    const before = server.connections;
    const client = createAnthropicClient({
      apiKey: 'sk-ant-test-outbound',
      baseURL: `http://${REBIND_HOST}:${server.port}`,
      timeoutMs: 2_000,
      fetch: guarded(prodPolicy, fakeDns({ [REBIND_HOST]: ['127.0.0.1'] })).fetch,
    });
    const err = await client.complete({ ...chat, signal: new AbortController().signal }).catch((e) => e);
    expect(classify(err)).toMatchObject({ kind: 'outbound_refused', retryable: false });
    expect(server.connections - before).toBe(0);
  });
});

describe('redirects', () => {
  it('does not follow a redirect to 169.254.169.254 (nor to any other address)', async () => {
    const target = await countingServer();
    const redirects: Array<[number, string]> = [
      [302, 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
      [307, `http://127.0.0.1:${target.port}/v1/chat/completions`],
      [301, '/elsewhere'],
    ];
    let next = 0;
    const redirecting = await countingServer((req, res) => {
      req.resume();
      const [status, location] = redirects[next++];
      res.writeHead(status, { location }).end('moved');
    });
    try {
      const g = guarded(devPolicy);
      const url = `http://127.0.0.1:${redirecting.port}/v1/chat/completions`;
      const started = Date.now();
      const toMetadata = await refusalOf(g.fetch(url, { method: 'POST', body: '{}' }));
      expect(toMetadata.category).toBe('redirect');
      expect(toMetadata.message).toMatch(
        /HTTP 302, a redirect to http:\/\/169\.254\.169\.254: redirects are not followed/,
      );
      expect(Date.now() - started).toBeLessThan(1_500); // no connect attempt to the metadata address
      expect((await refusalOf(g.fetch(url, { method: 'POST', body: '{}' }))).category).toBe('redirect');
      expect(target.connections).toBe(0);
      // Through the SDK: non-retryable, with the redirect's body nowhere in the message.
      const client = createOpenAiClient({
        apiKey: 'sk-test-redirect',
        baseURL: `http://127.0.0.1:${redirecting.port}/v1`,
        timeoutMs: 2_000,
        http: g,
      });
      const failure = classify(
        await client.complete({ ...chat, signal: new AbortController().signal }).catch((e) => e),
      );
      expect(failure).toMatchObject({ kind: 'outbound_refused', retryable: false });
      expect(failure.message).not.toMatch(/moved/);
      expect(redirecting.requests).toBe(3);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });
});

describe('upstream error text', () => {
  it('keeps only the first MAX_UPSTREAM_ERROR_CHARS of what the server sent', async () => {
    const body = `${'internal page '.repeat(200)}TAIL-MARKER`;
    const noisy = await countingServer((req, res) => {
      req.resume();
      res.writeHead(500, { 'content-type': 'text/plain' }).end(body);
    });
    try {
      const client = createOpenAiClient({
        apiKey: 'sk-test-noisy',
        baseURL: `http://127.0.0.1:${noisy.port}/v1`,
        timeoutMs: 2_000,
        http: guarded(devPolicy),
      });
      const failure = classify(
        await client.complete({ ...chat, signal: new AbortController().signal }).catch((e) => e),
      );
      expect(failure.kind).toBe('server_error');
      expect(failure.message).toContain('internal page');
      expect(failure.message).not.toContain('TAIL-MARKER');
      expect(failure.message.length).toBeLessThan(MAX_UPSTREAM_ERROR_CHARS + 60);
    } finally {
      await noisy.close();
    }
  });
});

describe('a run whose endpoint row bypassed the API', () => {
  const KEY_ENV = 'EVALFORGE_PROVIDER_OUTBOUND_TEST_KEY';
  const OPTIONS: GenerateChunkOptions = {
    env: (name) => (name === KEY_ENV ? 'sk-outbound-run-0123456789' : undefined),
    retryPolicy: { baseDelayMs: 10, maxDelayMs: 20 },
  };
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function runAgainst(endpointUrl: string, mode: 'dev' | 'production') {
    const f: ProjectFixture = await createProjectFixture(db.dataSource, {
      samples: 3,
      endpointUrl,
      endpointConfig: { max_attempts: 3, timeout_ms: 2_000 },
      apiKeyEnv: KEY_ENV,
    });
    const run = await db.dataSource.getRepository(EvalRun).save({
      project_id: f.project.id,
      dataset_id: f.dataset.id,
      dataset_version_id: f.version.id,
      endpoint_id: f.endpoint.id,
      status: 'running',
      repetitions: 1,
      use_cache: false,
      budget_usd: null,
    } as EvalRun);
    const ids: Array<{ id: string }> = await db.dataSource.query(
      'SELECT id FROM eval_samples WHERE dataset_version_id = $1',
      [f.version.id],
    );
    const deps = testActivityDeps(db.dataSource, { mode });
    const outcome = await makeGenerateChunk(
      deps,
      OPTIONS,
    )({ runId: run.id, sampleIds: ids.map((r) => r.id) });
    const rows: Array<{ status: string; error: string; attempts: number; llm_output: string | null }> =
      await db.dataSource.query(
        'SELECT status, error, attempts, llm_output FROM eval_results WHERE run_id = $1',
        [run.id],
      );
    return { outcome, rows };
  }

  it('records every sample as failed with the reason, and sends nothing (production: loopback)', async () => {
    const before = server.connections;
    const { outcome, rows } = await runAgainst(`http://127.0.0.1:${server.port}/v1`, 'production');
    expect(outcome).toMatchObject({ succeeded: 0, failed: 3 });
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.status).toBe('failed');
      expect(row.attempts).toBe(0);
      expect(row.error).toMatch(/^outbound request refused: 127\.0\.0\.1 is a loopback address/);
    }
    expect(server.connections - before).toBe(0);
  });

  it('refuses metadata endpoints in dev mode too', async () => {
    for (const url of [
      'http://169.254.169.254/latest/v1',
      'http://metadata.google.internal/v1',
      'http://[fd00:ec2::254]/v1',
    ]) {
      const { outcome, rows } = await runAgainst(url, 'dev');
      expect(outcome, url).toMatchObject({ succeeded: 0, failed: 3 });
      for (const row of rows)
        expect(row.error, url).toMatch(/^outbound request refused: .*metadata.*always refused/);
    }
  });

  it('refuses an LLM-as-judge endpoint the same way', async () => {
    const f = await createProjectFixture(db.dataSource, { samples: 1 });
    const endpoint = await db.dataSource.getRepository(LlmEndpoint).save({
      project_id: f.project.id,
      name: 'judge',
      provider: 'openai',
      model_name: 'judge-model',
      endpoint_url: `http://localhost:${server.port}/v1`,
      config: { max_attempts: 1 },
      api_key_env: KEY_ENV,
    });
    const before = server.connections;
    const caller = await makeJudgeChatCaller(
      testActivityDeps(db.dataSource, { mode: 'production' }),
      OPTIONS,
    )({
      projectId: f.project.id,
      runId: crypto.randomUUID(),
      config: { endpoint_id: endpoint.id },
    });
    await expect(caller.call([{ role: 'user', content: 'judge this' }])).rejects.toThrow(
      /outbound request refused: localhost is a loopback address/,
    );
    expect(server.connections - before).toBe(0);
  });
});
