/**
 * The OpenAI-protocol client on the wire: what it sends, and how every way a server can fail reaches
 * model-errors.ts's classification (the retry loop and stored errors depend on it). Each test serves raw
 * HTTP from node:http on 127.0.0.1, so the failures are real socket behaviour, not mocks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutboundPolicy } from '../../../core/outbound-policy.js';
import { MAX_RESPONSE_BYTES } from '../constants.js';
import { createGuardedFetch } from '../guarded-fetch.js';
import { classifyModelError } from '../model-errors.js';
import { createOpenAiClient } from './openai-client.js';
import type { ChatRequest } from './types.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}
type Handler = (seen: Seen, res: http.ServerResponse, n: number) => void;

const servers: http.Server[] = [];
const http1 = createGuardedFetch(createOutboundPolicy({ mode: 'dev' }));
afterAll(async () => {
  await http1.close();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** A server answering each request with `handler`; `seen` lists what it received. */
async function serve(handler: Handler) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(raw || '{}'),
      };
      seen.push(s);
      handler(s, res, seen.length);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const client = (timeoutMs = 2_000) =>
    createOpenAiClient({
      apiKey: 'sk-wire-test',
      baseURL: `http://127.0.0.1:${port}/v1/`,
      timeoutMs,
      http: http1,
    });
  return { seen, client };
}

const completion = (content: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop', ...extra }],
    usage: { prompt_tokens: 7, completion_tokens: 3 },
  });

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'wire-model',
  system: 'Be brief.',
  input: 'Hi',
  params: { temperature: 0, top_p: undefined, max_tokens: 64 },
  timeoutMs: 2_000,
  signal: new AbortController().signal,
  ...over,
});

/** What the retry loop would make of the call's failure. */
async function failureOf(promise: Promise<unknown>, ctx = { deadlineHit: false, cancelled: false }) {
  const err = await promise.then(
    (ok) => {
      throw new Error(`expected a failure, got ${JSON.stringify(ok)}`);
    },
    (e: unknown) => e,
  );
  return classifyModelError(err, { ...ctx, timeoutMs: 2_000 });
}

describe('what it sends and reads', () => {
  it('POSTs one chat completion with the bearer key and reads output, usage and finish reason', async () => {
    const { seen, client } = await serve((_, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(completion('Hello.')),
    );
    const reply = await client().complete(
      request({ responseFormat: { name: 'verdict', schema: { type: 'object' } } }),
    );
    expect(reply).toEqual({ output: 'Hello.', finishReason: 'stop', inputTokens: 7, outputTokens: 3 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(seen[0].headers.authorization).toBe('Bearer sk-wire-test');
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(seen[0].body).toEqual({
      model: 'wire-model',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0,
      // A compatible server (a URL is set) gets max_tokens; only api.openai.com gets max_completion_tokens.
      max_tokens: 64,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'verdict', schema: { type: 'object' }, strict: true },
      },
    });
  });

  it('asks again without logprobs when the server refuses them, and stops asking that server', async () => {
    const { seen, client } = await serve((s, res) => {
      if (s.body.logprobs)
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'logprobs is not supported for this model' } }));
      else res.writeHead(200, { 'content-type': 'application/json' }).end(completion('4'));
    });
    const c = client();
    expect((await c.complete(request({ logprobs: { top: 5 } }))).output).toBe('4');
    expect((await c.complete(request({ logprobs: { top: 5 } }))).output).toBe('4');
    expect(seen.map((s) => s.body.logprobs ?? null)).toEqual([true, null, null]);
    expect(seen[0].body.top_logprobs).toBe(5);
  });
});

describe('how each failure is classified', () => {
  it('a 429 carries its Retry-After and the error message of its JSON body', async () => {
    const { client } = await serve((_, res) =>
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' })
        .end(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests' } })),
    );
    const failure = await failureOf(client().complete(request()));
    expect(failure).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 2_000,
      retryable: true,
    });
    expect(failure.message).toBe('rate_limited (HTTP 429): 429 Rate limit reached for requests');
  });

  it('x-should-retry overrides the status; an empty body says so; a plain-text body is quoted', async () => {
    const answers: Array<[number, Record<string, string>, string]> = [
      [503, { 'x-should-retry': 'false' }, ''],
      [404, { 'content-type': 'text/plain' }, 'no such model'],
    ];
    const { client } = await serve((_, res, n) => {
      const [status, headers, body] = answers[n - 1];
      res.writeHead(status, headers).end(body);
    });
    const c = client();
    expect(await failureOf(c.complete(request()))).toMatchObject({
      kind: 'server_error',
      retryable: false,
      message: 'server_error (HTTP 503): 503 status code (no body)',
    });
    expect(await failureOf(c.complete(request()))).toMatchObject({
      kind: 'not_found',
      retryable: false,
      message: 'not_found (HTTP 404): 404 no such model',
    });
  });

  it('a 200 that is not a chat completion is a retryable malformed response', async () => {
    const bodies = ['<html>gateway page</html>', JSON.stringify({ object: 'list', data: [] })];
    const { client } = await serve((_, res, n) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(bodies[n - 1]),
    );
    const c = client();
    const notJson = await failureOf(c.complete(request()));
    expect(notJson).toMatchObject({ kind: 'malformed_response', retryable: true });
    expect(notJson.message).not.toContain('gateway page');
    expect(await failureOf(c.complete(request()))).toMatchObject({
      kind: 'malformed_response',
      message: 'malformed response: not a chat completion (choices)',
    });
  });

  it('a body cut off mid-way is a retryable connection failure, said to be truncated', async () => {
    const { client } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write(completion('partial').slice(0, 40));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const failure = await failureOf(client().complete(request()));
    expect(failure).toMatchObject({ kind: 'connection', retryable: true });
    expect(failure.message).toMatch(/^truncated response: connection closed mid-body/);
  });

  it('a body past MAX_RESPONSE_BYTES fails for good, declared or streamed, without buffering the rest', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let streamedBytes = 0;
    const { client } = await serve((_, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-length': String(MAX_RESPONSE_BYTES + 1) });
        res.write(chunk);
        return;
      }
      // Chunked, no length: streams until the client hangs up (or 4× the limit).
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (streamedBytes < 4 * MAX_RESPONSE_BYTES) {
          streamedBytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
    const c = client();
    for (let i = 0; i < 2; i++) {
      const failure = await failureOf(c.complete(request()));
      expect(failure).toMatchObject({ kind: 'malformed_response', retryable: false });
      expect(failure.message).toContain(`exceeds ${MAX_RESPONSE_BYTES} bytes`);
    }
    expect(streamedBytes).toBeLessThan(4 * MAX_RESPONSE_BYTES);
  });

  it('no headers within the timeout is a timeout; our own abort is whatever our signal says', async () => {
    const { client } = await serve(() => undefined); // never answers
    expect(await failureOf(client(150).complete(request({ timeoutMs: 150 })))).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const started = performance.now();
    const cancelled = await failureOf(client().complete(request({ signal: abort.signal })), {
      deadlineHit: false,
      cancelled: true,
    });
    expect(cancelled.kind).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
