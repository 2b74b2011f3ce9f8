import { Ajv } from 'ajv';
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

  it('answers json_schema requests with JSON that matches the schema (grammar-constrained)', async () => {
    // The judge's verdict shape plus the forms the server rewrites (integer range, anyOf, nullable).
    const schema = {
      type: 'object',
      properties: {
        criteria: {
          type: 'object',
          properties: {
            helpfulness: { type: 'integer', enum: [1, 2, 3, 4, 5] },
            politeness: { type: 'integer', minimum: 0, maximum: 10 },
          },
          required: ['helpfulness', 'politeness'],
          additionalProperties: false,
        },
        refund: { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
        reasoning: { type: 'string', maxLength: 60 },
      },
      required: ['criteria', 'refund', 'reasoning'],
      additionalProperties: false,
    };
    const validate = new Ajv({ strict: false }).compile(schema);
    for (const question of ['What is your refund policy?', 'Where is my order #1234?']) {
      const res = await client.chat.completions.create({
        model: LOCAL_LLM_MODEL_NAME,
        messages: [
          { role: 'system', content: 'Rate the question as a support agent would. Reply with JSON.' },
          { role: 'user', content: question },
        ],
        max_tokens: 120,
        temperature: 0,
        response_format: { type: 'json_schema', json_schema: { name: 'rating', schema, strict: true } },
      });
      const content = res.choices[0].message.content ?? '';
      expect(res.choices[0].finish_reason, content).toBe('stop');
      const parsed = JSON.parse(content);
      expect(validate(parsed), `${content}\n${JSON.stringify(validate.errors)}`).toBe(true);
    }
  }, 120_000);

  it('answers json_object requests with a JSON object', async () => {
    const res = await client.chat.completions.create({
      model: LOCAL_LLM_MODEL_NAME,
      messages: [{ role: 'user', content: 'Describe a shoe as a JSON object with two short fields.' }],
      max_tokens: 48,
      temperature: 0,
      response_format: { type: 'json_object' },
    });
    const content = res.choices[0].message.content ?? '';
    // Cut at max_tokens the object may be open; it must still start as JSON, not prose.
    expect(content.trimStart().startsWith('{'), content).toBe(true);
    if (res.choices[0].finish_reason === 'stop') expect(typeof JSON.parse(content)).toBe('object');
  }, 60_000);

  it('refuses a schema it cannot enforce with a 400 naming the keyword, not a 500', async () => {
    const post = (response_format: unknown) =>
      fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, response_format }),
      });
    const cases: Array<[unknown, RegExp]> = [
      [
        {
          type: 'json_schema',
          json_schema: {
            name: 'email',
            schema: { type: 'object', properties: { email: { type: 'string', pattern: '^.+@.+$' } } },
          },
        },
        /at \/properties\/email: unsupported keyword "pattern"/,
      ],
      [{ type: 'json_schema', json_schema: { name: 'no schema' } }, /response_format/],
      [{ type: 'xml' }, /response_format/],
    ];
    for (const [format, message] of cases) {
      const res = await post(format);
      expect(res.status, JSON.stringify(format)).toBe(400);
      const body = (await res.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toMatch(message);
    }
  });

  it('returns OpenAI logprobs: the model’s distribution at each generated token, top alternatives sorted', async () => {
    const res = await client.chat.completions.create({
      model: LOCAL_LLM_MODEL_NAME,
      messages: [
        { role: 'user', content: 'Rate this answer from 1 to 5: "Paris is the capital of France."' },
      ],
      max_tokens: 12,
      temperature: 0,
      logprobs: true,
      top_logprobs: 3,
    });
    const choice = res.choices[0];
    const tokens = choice.logprobs?.content ?? [];
    // Usage also counts the end-of-turn token, which is not part of the reply (nor of OpenAI's logprobs).
    expect(tokens.length).toBeGreaterThanOrEqual(res.usage!.completion_tokens - 1);
    expect(tokens.length).toBeLessThanOrEqual(res.usage!.completion_tokens);
    expect(tokens.map((t) => t.token).join('')).toBe(choice.message.content);
    for (const t of tokens) {
      expect(t.top_logprobs).toHaveLength(3);
      const tops = t.top_logprobs.map((a) => a.logprob);
      expect(tops).toEqual([...tops].sort((a, b) => b - a));
      expect(tops.reduce((sum, lp) => sum + Math.exp(lp), 0)).toBeLessThanOrEqual(1 + 1e-6);
      // Greedy decoding without a grammar picks the most likely token.
      expect(t.logprob).toBeCloseTo(tops[0], 4);
      expect(t.logprob).toBeLessThanOrEqual(0);
    }
    const plain = await client.chat.completions.create({
      model: LOCAL_LLM_MODEL_NAME,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 4,
      temperature: 0,
    });
    expect(plain.choices[0].logprobs).toBeNull();
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
