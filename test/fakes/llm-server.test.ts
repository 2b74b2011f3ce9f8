import { afterEach, describe, expect, it } from 'vitest';
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

  it('keeps only counters in fast mode', async () => {
    const server = await start({ fast: true });
    await (await ask(server, 'x')).arrayBuffer();
    expect(server.requests).toEqual([]);
    expect(server.stats().total).toBe(1);
  });
});
