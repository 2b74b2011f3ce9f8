import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeLlmServer, fakeAnswer, startFakeLlmServer } from './llm-server.js';

const servers: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(...args: Parameters<typeof startFakeLlmServer>) {
  const server = await startFakeLlmServer(...args);
  servers.push(server);
  return server;
}

const ask = (server: FakeLlmServer, input: string, model = 'm') =>
  fetch(`${server.openaiBaseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: input }] }),
  });

describe('fake LLM server', () => {
  it('answers deterministically from the prompt', async () => {
    const server = await start();
    const body = await (await ask(server, 'what is 20 + 22?')).json();
    expect(body.choices[0].message.content).toBe('42');
    const other = await (await ask(server, 'hello')).json();
    expect(other.choices[0].message.content).toBe(fakeAnswer('m', null, 'hello'));
    expect(server.stats()).toMatchObject({ total: 2, byModel: { m: 2 } });
  });

  it('decides random faults from the seed, the prompt and its attempt number, not arrival order', async () => {
    const rates = { rate_limit: 0.3, server_error: 0.2, retryAfterSeconds: 1 };
    const statuses = async (seed: number, order: number[]) => {
      const server = await start({ seed, rates });
      const byPrompt = new Map<number, number[]>();
      for (const i of order) {
        const res = await ask(server, `prompt ${i}`);
        await res.arrayBuffer();
        byPrompt.set(i, [...(byPrompt.get(i) ?? []), res.status]);
      }
      return [...byPrompt.entries()].sort(([a], [b]) => a - b);
    };
    const forwards = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const a = await statuses(7, forwards);
    expect(
      await statuses(
        7,
        [...forwards].reverse().sort((x, y) => x - y),
      ),
    ).toEqual(a);
    expect(a.flatMap(([, s]) => s).some((s) => s !== 200)).toBe(true);
    expect(await statuses(8, forwards)).not.toEqual(a);
  });

  it('sends a scripted reply instead of the derived answer, and the derived one when the responder passes', async () => {
    const server = await start({
      respond: (request, index) => {
        if (request.input === 'fail') return { status: 503, body: '{"error":{"message":"down"}}' };
        if (request.input === 'verdict') {
          return {
            content: `{"score": ${index}}`,
            finishReason: 'length',
            usage: { inputTokens: 7, outputTokens: 3 },
          };
        }
        return undefined;
      },
    });
    const failed = await ask(server, 'fail');
    expect(failed.status).toBe(503);
    expect(await failed.text()).toBe('{"error":{"message":"down"}}');
    const verdict = await (await ask(server, 'verdict')).json();
    expect(verdict.choices[0]).toMatchObject({
      message: { content: '{"score": 1}' },
      finish_reason: 'length',
    });
    expect(verdict.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    const derived = await (await ask(server, 'hello')).json();
    expect(derived.choices[0].message.content).toBe(fakeAnswer('m', null, 'hello'));
    expect(server.requests.map((r) => r.input)).toEqual(['fail', 'verdict', 'hello']);

    server.setResponder(() => ({ status: 429 }));
    const limited = await ask(server, 'hello');
    expect([limited.status, (await limited.json()).error.code]).toEqual([429, 'rate_limit_exceeded']);
    server.reset();
    expect((await ask(server, 'fail')).status).toBe(503); // reset() restores the responder given at start
  });

  it('answers scripted Anthropic requests in the Anthropic format', async () => {
    const server = await start({ respond: () => ({ content: 'scripted' }) });
    const res = await fetch(`${server.anthropicBaseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'c', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(await res.json()).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'scripted' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1, output_tokens: 2 },
    });
  });

  it('waits delayMs before a scripted reply, and stops waiting when the client gives up', async () => {
    const server = await start({ respond: () => ({ delayMs: 30_000, content: 'late' }) });
    // node:http rather than fetch: fetch keeps timers of its own, and the count below is the server's.
    const post = () => {
      const req = http.request(`${server.openaiBaseUrl}/chat/completions`, { method: 'POST', agent: false });
      const body = new Promise<string>((resolve, reject) => {
        req.on('response', (res) => res.setEncoding('utf8').on('data', resolve));
        req.on('error', reject);
      });
      req.end(JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'slow' }] }));
      return { req, body };
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const answered = post();
      await expect.poll(() => vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(30_000);
      expect(JSON.parse(await answered.body).choices[0].message.content).toBe('late');

      const abandoned = post();
      abandoned.body.catch(() => {});
      await expect.poll(() => vi.getTimerCount()).toBe(1);
      abandoned.req.destroy();
      await expect.poll(() => server.stats().inFlight).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
      // Only the answered request records when it was answered (the crash test counts calls in flight by it).
      expect(server.requests.map((r) => typeof r.answeredAt)).toEqual(['number', 'undefined']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps only counters in fast mode', async () => {
    const server = await start({ fast: true });
    await (await ask(server, 'x')).arrayBuffer();
    expect(server.requests).toEqual([]);
    expect(server.stats().total).toBe(1);
  });
});
