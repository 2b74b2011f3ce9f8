import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/helpers/index.js';
import { LOCAL_LLM_MODEL_NAME, localLlmModelExists, localLlmModelPath } from './local-llm-model.js';
import { type LocalLlmServer, startLocalLlmServer } from './local-llm-server.js';

let server: LocalLlmServer;
let client: OpenAI;

beforeAll(async () => {
  if (!localLlmModelExists()) {
    throw new Error(`local model missing at ${localLlmModelPath()}: run \`npm run models\` first`);
  }
  server = await startLocalLlmServer({ modelPath: localLlmModelPath(), port: await freePort() });
  client = new OpenAI({ baseURL: server.url, apiKey: 'no-key-configured', maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('local LLM server (SmolLM2 GGUF on node-llama-cpp)', () => {
  it('answers a chat completion through the openai client with usage filled in', async () => {
    const res = await client.chat.completions.create({
      model: LOCAL_LLM_MODEL_NAME,
      messages: [
        { role: 'system', content: 'You are a helpful customer support assistant.' },
        { role: 'user', content: 'What is your refund policy?' },
      ],
      max_tokens: 16,
      temperature: 0,
    });
    expect(res.model).toBe(LOCAL_LLM_MODEL_NAME);
    expect(res.choices[0].message.content?.trim().length).toBeGreaterThan(0);
    expect(res.choices[0].finish_reason).toMatch(/^(stop|length)$/);
    expect(res.usage?.prompt_tokens).toBeGreaterThan(5);
    expect(res.usage?.completion_tokens).toBeGreaterThan(0);
    expect(res.usage?.completion_tokens).toBeLessThanOrEqual(16);
    expect(res.usage?.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens);
  }, 60_000);

  it('lists the model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual([LOCAL_LLM_MODEL_NAME]);
  });

  it('rejects a malformed request with an OpenAI-style 400', async () => {
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [], stream: true }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/messages/);
  });
});
