import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundPolicy } from '../../core/outbound-policy.js';
import { NO_REPORTER } from '../../core/run-reporter.js';
import { LlmEndpoint, type LlmProvider } from '../../db/entities/index.js';
import { pointwiseVerdictSchema } from '../../judges/llm/verdicts.js';
import { createLogger } from '../../lib/logger.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/index.js';
import { makeJudgeChatCaller } from './judge-chat-caller.js';

const KEY_ENV = 'EVALFORGE_PROVIDER_TEST_JUDGE_KEY';
const env = (name: string) => (name === KEY_ENV ? 'sk-judge-test-0123456789' : undefined);
const format = pointwiseVerdictSchema([{ name: 'quality', description: 'good', weight: 1 }], {
  min: 1,
  max: 5,
});
const messages = [
  { role: 'system' as const, content: 'You are a judge.' },
  { role: 'user' as const, content: '[RESPONSE]\nHello\n[END RESPONSE]' },
];

let db: TestDatabase;
let llm: FakeLlmServer;
let fx: ProjectFixture;

beforeAll(async () => {
  [db, llm] = await Promise.all([createTestDatabase(), startFakeLlmServer()]);
  fx = await createProjectFixture(db.dataSource, { samples: 1 });
});
afterAll(async () => {
  await llm?.close();
  await db?.drop();
});

/** A judge endpoint of the fixture project on the fake server, with its own model name. */
async function judgeCaller(provider: LlmProvider) {
  const endpoint = await db.dataSource.getRepository(LlmEndpoint).save({
    project_id: fx.project.id,
    name: `judge ${provider}`,
    provider,
    model_name: `judge-${crypto.randomUUID().slice(0, 8)}`,
    endpoint_url: provider === 'anthropic' ? llm.anthropicBaseUrl : llm.openaiBaseUrl,
    config: { temperature: 0, max_tokens: 64, max_attempts: 1 },
    api_key_env: KEY_ENV,
  });
  const factory = makeJudgeChatCaller(
    {
      dataSource: db.dataSource,
      logger: createLogger('judge-caller-test', 'silent'),
      reporter: NO_REPORTER,
      outboundPolicy: createOutboundPolicy({ mode: 'dev' }),
    },
    { env },
  );
  const caller = await factory({
    projectId: fx.project.id,
    runId: crypto.randomUUID(),
    config: { endpoint_id: endpoint.id },
  });
  return { caller, sent: () => llm.requestsFor(endpoint.model_name).map((r) => r.body) };
}

describe('runner-backed judge caller: structured output', () => {
  it('forwards the response format to OpenAI-protocol endpoints as a strict json_schema', async () => {
    const { caller, sent } = await judgeCaller('openai');
    const reply = await caller.call(messages, { responseFormat: format });
    expect(reply.text.length).toBeGreaterThan(0);
    await caller.call(messages);
    const [structured, plain] = sent();
    expect(structured.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'pointwise_verdict', schema: format.schema, strict: true },
    });
    expect(structured).toMatchObject({ temperature: 0, max_tokens: 64 });
    expect(plain).not.toHaveProperty('response_format');
  });

  it('leaves Anthropic requests as they are (the prompt asks for the shape there)', async () => {
    const { caller, sent } = await judgeCaller('anthropic');
    const reply = await caller.call(messages, { responseFormat: format });
    expect(reply.text.length).toBeGreaterThan(0);
    const [body] = sent();
    expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model', 'system', 'temperature']);
  });
});

describe('runner-backed judge caller: log-probabilities (G-Eval)', () => {
  const completion = (withLogprobs: boolean) => ({
    id: 'c1',
    object: 'chat.completion',
    created: 0,
    model: 'judge',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: '{"score": 4}' },
        finish_reason: 'stop',
        logprobs: withLogprobs
          ? {
              content: [
                {
                  token: '4',
                  logprob: -0.2,
                  top_logprobs: [
                    { token: '4', logprob: -0.2 },
                    { token: '5', logprob: -1.8 },
                  ],
                },
              ],
            }
          : null,
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 3 },
  });

  it('asks for logprobs and hands the per-token alternatives to the judge', async () => {
    llm.setResponder(() => ({ body: completion(true) }));
    try {
      const { caller, sent } = await judgeCaller('openai');
      const reply = await caller.call(messages, { logprobs: { top: 5 } });
      expect(sent()[0]).toMatchObject({ logprobs: true, top_logprobs: 5 });
      expect(reply.logprobs).toEqual([
        {
          token: '4',
          logprob: -0.2,
          top: [
            { token: '4', logprob: -0.2 },
            { token: '5', logprob: -1.8 },
          ],
        },
      ]);
      await caller.call(messages);
      expect(sent()[1]).not.toHaveProperty('logprobs');
    } finally {
      llm.setResponder(undefined);
    }
  });

  it('asks again without logprobs when the server refuses the field, and stops asking it', async () => {
    llm.setResponder((req) =>
      (req.body as { logprobs?: boolean }).logprobs
        ? { status: 400, body: { error: { message: 'logprobs is not supported for this model' } } }
        : { body: completion(false) },
    );
    try {
      const { caller, sent } = await judgeCaller('openai');
      const first = await caller.call(messages, { logprobs: { top: 5 } });
      expect(first.text).toBe('{"score": 4}');
      expect(first.logprobs).toBeNull();
      await caller.call(messages, { logprobs: { top: 5 } });
      expect(sent().map((b) => Boolean((b as { logprobs?: boolean }).logprobs))).toEqual([
        true,
        false,
        false,
      ]);
    } finally {
      llm.setResponder(undefined);
    }
  });
});
