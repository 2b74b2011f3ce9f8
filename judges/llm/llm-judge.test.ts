import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeLlmServer,
  type FakeReply,
  type FakeResponder,
  type RecordedRequest,
  startFakeLlmServer,
} from '../../test/fakes/llm-server.js';
import { JudgeConfigError } from '../settings.js';
import { runJudgeConformance } from '../testing/conformance.case.js';
import { createOpenAIChatCaller } from './chat-caller.js';
import { createLlmJudge } from './llm-judge.js';

const JUDGE_MODEL = 'judge-model-1';
/** Every scripted reply reports this usage, so token sums are easy to check. */
const USAGE = { inputTokens: 100, outputTokens: 20 };

// The judge's prompts are one system and one user message: a recorded request's `system` and `input`.
type ResponseFormat = { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
const responseFormat = (sent: RecordedRequest) => sent.body.response_format as ResponseFormat | undefined;

/** A deterministic judge model: scores an answer by its length, so different items get different scores. */
const lengthJudge: FakeResponder = (req) => {
  const response = /\[RESPONSE\]\n([\s\S]*?)\n\[END RESPONSE\]/.exec(req.input)?.[1] ?? '';
  return { content: JSON.stringify({ reasoning: 'ok', criteria: { quality: 1 + (response.length % 5) } }) };
};

let server: FakeLlmServer;
let hanging: FakeLlmServer;
const judgeWith = (config: Record<string, unknown> = {}, threshold?: number, on = () => server) =>
  createLlmJudge(
    { config, threshold },
    {
      chatCaller: createOpenAIChatCaller({
        client: new OpenAI({ baseURL: on().openaiBaseUrl, apiKey: 'test' }),
        model: JUDGE_MODEL,
      }),
    },
  );

beforeAll(async () => {
  server = await startFakeLlmServer({ respond: lengthJudge });
  hanging = await startFakeLlmServer({ respond: () => ({ delayMs: 30_000, content: '{}' }) });
});
afterAll(async () => {
  await server.close();
  await hanging.close();
});

runJudgeConformance({
  name: 'llm_judge',
  create: () => {
    server.setResponder(lengthJudge);
    return judgeWith({ concurrency: 16 });
  },
  createHanging: () => judgeWith({ timeout_ms: 200 }, undefined, () => hanging),
});

/** Replies in turn; the last one repeats. */
function replies(
  ...contents: Array<string | { status: number } | { content: string; finishReason: string }>
): void {
  server.reset();
  server.setResponder((_req, i): FakeReply => {
    const r = contents[Math.min(i, contents.length - 1)];
    return typeof r === 'string'
      ? { content: r, usage: USAGE }
      : 'status' in r
        ? { status: r.status, body: '{"error":{"message":"boom"}}' }
        : { ...r, usage: USAGE };
  });
}

const item = { id: 'a', input: 'What is 2+2?', output: 'It is 4.', reference: '4' };

describe('LLM-as-judge, pointwise', () => {
  it('sends a G-Eval style prompt at temperature 0 and scores the weighted criteria on [0, 1]', async () => {
    replies('{"reasoning": "accurate, curt", "criteria": {"accuracy": 5, "tone": 1}}');
    const judge = judgeWith(
      {
        rubric: 'Customer support answers.',
        criteria: [
          { name: 'accuracy', description: 'Facts are right.', weight: 2 },
          { name: 'tone', description: 'Friendly.', weight: 1 },
        ],
        evaluation_steps: ['Check the facts.', 'Check the tone.'],
      },
      0.5,
    );
    const [r] = await judge.evaluateBatch([item]);
    expect(r.score).toBeCloseTo(2 / 3, 10);
    expect(r.passed).toBe(true);
    expect(r.details).toMatchObject({
      criteria: { accuracy: 5, tone: 1 },
      reasoning: 'accurate, curt',
      attempts: 1,
    });
    expect(r.usage).toEqual({ inputTokens: 100, outputTokens: 20 });
    const [sent] = server.requests;
    expect(sent.body).toMatchObject({ model: JUDGE_MODEL, temperature: 0, max_tokens: 512 });
    expect(sent.system).toContain('Customer support answers.');
    expect(sent.system).toContain('- accuracy: Facts are right.');
    expect(sent.system).toContain('2. Check the tone.');
    expect(sent.input).toContain('[QUESTION]\nWhat is 2+2?');
    expect(sent.input).toContain('[REFERENCE ANSWER]\n4');
    expect(judge.modelInfo()).toEqual({ modelId: JUDGE_MODEL, revision: null, dtype: null, device: 'none' });
  });

  it('accepts fenced, prose-wrapped, array and truncated replies without a retry', async () => {
    for (const reply of [
      '```json\n{"criteria": {"quality": 4}}\n```',
      'Verdict: {"criteria": {"quality": 4}, "reasoning": "fine"} Thanks!',
      '[{"criterion": "quality", "score": 4}]',
      '{"criteria": {"quality": 4}, "reasoning": "The answer is right but it could expl',
    ]) {
      replies(reply);
      const [r] = await judgeWith().evaluateBatch([item]);
      expect(r.score, reply).toBeCloseTo(0.75, 10);
      expect(server.requests, reply).toHaveLength(1);
    }
  });

  it('retries once with the parse problem named, then succeeds', async () => {
    replies('I think it is good.', '{"criteria": {"quality": 5}}');
    const [r] = await judgeWith().evaluateBatch([item]);
    expect(r).toMatchObject({ score: 1, passed: true, details: { attempts: 2 } });
    expect(r.usage).toEqual({ inputTokens: 200, outputTokens: 40 });
    expect(server.requests[1].input).toMatch(/could not be used: no score for criterion "quality"/);
  });

  it('records a judge error after the retry instead of crashing', async () => {
    replies('garbage', '{"criteria": {"quality": 17}}');
    const [r, other] = await judgeWith().evaluateBatch([item, { ...item, id: 'b' }]);
    for (const x of [r, other]) {
      expect(x.score).toBeNull();
      expect(x.passed).toBe(false);
      expect(x.error).toMatch(/^llm_judge: .*after 2 attempts/);
      expect(x.details.attempts).toBe(2);
    }
    expect(server.requests).toHaveLength(4);
  });

  it('retries a failed call (HTTP 500) once, then records the error', async () => {
    replies({ status: 500 }, '{"criteria": {"quality": 3}}');
    const [ok] = await judgeWith().evaluateBatch([item]);
    expect(ok.score).toBe(0.5);
    replies({ status: 500 });
    const [failed] = await judgeWith().evaluateBatch([item]);
    expect(failed.error).toMatch(/judge call failed: 500/);
    expect(server.requests).toHaveLength(2); // SDK retries are off: exactly one retry
  });

  it('says when a reply was cut at max_tokens', async () => {
    replies({ content: '{"reasoning": "long', finishReason: 'length' });
    const [r] = await judgeWith().evaluateBatch([item]);
    expect(r.error).toMatch(/cut at max_tokens/);
  });

  it('needs a ChatCaller and a valid scale', () => {
    expect(() => createLlmJudge({}, {})).toThrow(JudgeConfigError);
    expect(() => judgeWith({ scale: { min: 5, max: 1 } })).toThrow(/scale/);
  });
});

describe('LLM-as-judge, structured output', () => {
  const criteria = [
    { name: 'accuracy', description: 'Facts are right.' },
    { name: 'tone', description: 'Friendly.' },
  ];

  it('sends the verdict JSON Schema as a strict response_format, reasoning first', async () => {
    replies('{"criteria": {"accuracy": 4, "tone": 2}, "reasoning": "right, curt"}');
    const [r] = await judgeWith({
      structured_output: true,
      criteria,
      scale: { min: 0, max: 3 },
    }).evaluateBatch([item]);
    expect(r.score).toBeNull(); // 4 is outside 0..3: the parser still checks what a server returns
    replies('{"criteria": {"accuracy": 3, "tone": 1}, "reasoning": "right, curt"}');
    const [ok] = await judgeWith({
      structured_output: true,
      criteria,
      scale: { min: 0, max: 3 },
    }).evaluateBatch([item]);
    expect(ok).toMatchObject({
      score: 2 / 3,
      details: { criteria: { accuracy: 3, tone: 1 }, reasoning: 'right, curt' },
    });
    const [sent] = server.requests;
    expect(sent.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'pointwise_verdict',
        strict: true,
        schema: {
          type: 'object',
          properties: {
            reasoning: { type: 'string' },
            criteria: {
              type: 'object',
              properties: {
                accuracy: { type: 'integer', enum: [0, 1, 2, 3] },
                tone: { type: 'integer', enum: [0, 1, 2, 3] },
              },
              required: ['accuracy', 'tone'],
              additionalProperties: false,
            },
          },
          required: ['reasoning', 'criteria'],
          additionalProperties: false,
        },
      },
    });
    const schema = responseFormat(sent)?.json_schema?.schema as { properties: object };
    expect(Object.keys(schema.properties)).toEqual(['reasoning', 'criteria']);
    // The prompt asks for the same order, with placeholders rather than values to copy.
    expect(sent.system).toContain(
      '{"reasoning": "<one or two short sentences>", "criteria": {"accuracy": <integer 0-3>, "tone": <integer 0-3>}}',
    );
  });

  it('repairs a reply cut in its reasoning with one call for the scores alone, counted in usage', async () => {
    replies(
      {
        content: '{"reasoning": "The response explains the refund policy at great length and',
        finishReason: 'length',
      },
      '{"criteria": {"quality": 4}}',
    );
    const [r] = await judgeWith({ structured_output: true }).evaluateBatch([item]);
    expect(r).toMatchObject({
      score: 0.75,
      details: { attempts: 2, repaired: true, criteria: { quality: 4 } },
    });
    expect(r.details.reasoning).toMatch(/^\{"reasoning": "The response explains/);
    expect(r.usage).toEqual({ inputTokens: 200, outputTokens: 40 });
    const [, repair] = server.requests;
    expect(responseFormat(repair)?.json_schema?.name).toBe('pointwise_scores');
    expect(repair.input).toContain('[YOUR PREVIOUS REPLY]\n{"reasoning": "The response explains');
    expect(repair.input).toMatch(
      /reply cut at max_tokens\)\. Reply now with only the JSON object, without reasoning/,
    );
    expect(repair.input).toContain('{"criteria": {"quality": <integer 1-5>}}');
    expect(repair.system).toBe(server.requests[0].system);
  });

  it('bounds wide scales with minimum and maximum instead of listing every value', async () => {
    replies('{"criteria": {"quality": 73}, "reasoning": "ok"}');
    const [r] = await judgeWith({ structured_output: true, scale: { min: 0, max: 100 } }).evaluateBatch([
      item,
    ]);
    expect(r.score).toBe(0.73);
    const schema = responseFormat(server.requests[0])?.json_schema?.schema as {
      properties: { criteria: { properties: Record<string, unknown> } };
    };
    expect(schema.properties.criteria.properties.quality).toEqual({
      type: 'integer',
      minimum: 0,
      maximum: 100,
    });
  });

  it('keeps the retry with the same schema when a reply is still unusable', async () => {
    replies('', '{"criteria": {"quality": 2}, "reasoning": "thin"}');
    const [r] = await judgeWith({ structured_output: true }).evaluateBatch([item]);
    expect(r).toMatchObject({ score: 0.25, details: { attempts: 2 } });
    expect(server.requests.map((q) => responseFormat(q)?.json_schema?.name)).toEqual([
      'pointwise_verdict',
      'pointwise_verdict',
    ]);
  });

  it('sends no response_format when structured_output is off (the default)', async () => {
    replies('{"criteria": {"quality": 4}}');
    for (const config of [{}, { structured_output: false }, { mode: 'pairwise' }]) {
      server.requests.length = 0;
      await judgeWith(config).evaluateBatch([item]);
      expect(server.requests.length, JSON.stringify(config)).toBeGreaterThan(0);
      for (const sent of server.requests) expect(sent.body).not.toHaveProperty('response_format');
    }
    expect(() => judgeWith({ structured_output: 'yes' })).toThrow(JudgeConfigError);
  });

  it('pairwise: winner as an enum of A, B and tie, in both orders', async () => {
    replies('{"winner": "tie", "reasoning": "same"}');
    const [r] = await judgeWith({ mode: 'pairwise', structured_output: true }).evaluateBatch([item]);
    expect(r.score).toBe(0.5);
    expect(server.requests).toHaveLength(2);
    for (const sent of server.requests) {
      expect(sent.body.response_format).toEqual({
        type: 'json_schema',
        json_schema: {
          name: 'pairwise_verdict',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              reasoning: { type: 'string' },
              winner: { type: 'string', enum: ['A', 'B', 'tie'] },
            },
            required: ['reasoning', 'winner'],
            additionalProperties: false,
          },
        },
      });
    }
  });
});

describe('LLM-as-judge, pairwise with position swap', () => {
  const pairItem = { id: 'p', input: 'Say hi', output: 'GOOD hello there', reference: 'hi' };
  const contentJudge: FakeResponder = (req) => {
    const a = /\[RESPONSE A\]\n([\s\S]*?)\n\[END RESPONSE A\]/.exec(req.input)?.[1] ?? '';
    return { content: JSON.stringify({ reasoning: 'r', winner: a.includes('GOOD') ? 'A' : 'B' }) };
  };

  it('asks twice with positions swapped and scores a consistent win as 1', async () => {
    server.reset();
    server.setResponder(contentJudge);
    const [r] = await judgeWith({ mode: 'pairwise' }).evaluateBatch([pairItem]);
    expect(r).toMatchObject({
      score: 1,
      passed: true,
      details: { consistent: true, verdicts: { output_first: 'A', output_second: 'B' } },
    });
    const firsts = server.requests.map((q) => /\[RESPONSE A\]\n(.*)/.exec(q.input)?.[1]).sort();
    expect(firsts).toEqual(['GOOD hello there', 'hi']);
  });

  it('flags a judge that always prefers the first position, scoring 0.5', async () => {
    replies('{"winner": "A"}');
    const [r] = await judgeWith({ mode: 'pairwise' }, 0.6).evaluateBatch([pairItem]);
    expect(r).toMatchObject({ score: 0.5, passed: false, details: { consistent: false } });
  });

  it('scores ties 0.5 and losses 0', async () => {
    replies('{"winner": "tie"}');
    expect((await judgeWith({ mode: 'pairwise' }).evaluateBatch([pairItem]))[0].score).toBe(0.5);
    server.setResponder(contentJudge);
    const [loss] = await judgeWith({ mode: 'pairwise' }).evaluateBatch([
      { ...pairItem, output: 'meh', reference: 'GOOD hi' },
    ]);
    expect(loss.score).toBe(0);
  });

  it('needs a reference to compare with', async () => {
    const [r] = await judgeWith({ mode: 'pairwise' }).evaluateBatch([{ ...pairItem, reference: null }]);
    expect(r.error).toMatch(/reference/);
  });
});

/** An OpenAI chat completion whose reply is `tokens` joined, with their logprobs. */
function completionWithLogprobs(tokens: Array<[string, Array<[string, number]>]>) {
  const lp = (p: number) => Math.log(p);
  return {
    id: 'c1',
    object: 'chat.completion',
    created: 0,
    model: JUDGE_MODEL,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: tokens.map(([t]) => t).join('') },
        finish_reason: 'stop',
        logprobs: {
          content: tokens.map(([token, top]) => ({
            token,
            logprob: lp(top.find(([t]) => t === token)?.[1] ?? 1),
            bytes: null,
            top_logprobs: top.map(([t, p]) => ({ token: t, logprob: lp(p), bytes: null })),
          })),
        },
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  };
}

describe('LLM-as-judge, G-Eval probability-weighted scores', () => {
  const verdictTokens = (top: Array<[string, number]>): Array<[string, Array<[string, number]>]> => [
    ['{"reasoning": "Mostly right."', []],
    [', "criteria": {"quality":', []],
    [top[0][0], top],
    ['}}', []],
  ];

  it('asks for logprobs and scores the expected value of the scale at the score token', async () => {
    server.reset();
    server.setResponder(() => ({
      body: completionWithLogprobs(
        verdictTokens([
          [' 4', 0.6],
          [' 5', 0.3],
          [' 3', 0.1],
        ]),
      ),
    }));
    const [r] = await judgeWith().evaluateBatch([item]);
    // 4·0.6 + 5·0.3 + 3·0.1 = 4.2 on 1..5
    expect(r.score).toBeCloseTo((4.2 - 1) / 4, 10);
    expect(r.details).toMatchObject({
      criteria: { quality: 4 },
      weighted_criteria: { quality: 4.2 },
      probability_mass: { quality: 1 },
      scoring: 'probability_weighted',
    });
    expect(server.requests[0].body).toMatchObject({ logprobs: true, top_logprobs: 5 });
  });

  it('normalises over the scale values only, and keeps the written score without logprobs', async () => {
    server.reset();
    server.setResponder(() => ({
      body: completionWithLogprobs(
        verdictTokens([
          [' 2', 0.5],
          [' 1', 0.25],
          [' "', 0.2],
          [' 9', 0.05],
        ]),
      ),
    }));
    const [r] = await judgeWith().evaluateBatch([item]);
    expect(r.details.weighted_criteria).toEqual({ quality: round((2 * 0.5 + 0.25) / 0.75) });
    expect(r.details.probability_mass).toEqual({ quality: 0.75 });
    replies('{"reasoning": "fine", "criteria": {"quality": 2}}');
    const [plain] = await judgeWith().evaluateBatch([item]);
    expect(plain).toMatchObject({ score: 0.25, details: { scoring: 'sampled' } });
    expect(plain.details).not.toHaveProperty('weighted_criteria');
  });

  it('sends no logprobs with logprobs: false, and stops asking a server that refuses them', async () => {
    replies('{"criteria": {"quality": 3}}');
    await judgeWith({ logprobs: false }).evaluateBatch([item]);
    expect(server.requests[0].body).not.toHaveProperty('logprobs');
    server.reset();
    server.setResponder((req) =>
      req.body.logprobs
        ? { status: 400, body: { error: { message: 'logprobs is not supported with this model' } } }
        : { content: '{"criteria": {"quality": 3}}' },
    );
    const judge = judgeWith();
    const [first] = await judge.evaluateBatch([item]);
    const [second] = await judge.evaluateBatch([item]);
    expect(first).toMatchObject({ score: 0.5, details: { attempts: 1 } });
    expect(second.score).toBe(0.5);
    expect(server.requests.map((q) => Boolean(q.body.logprobs))).toEqual([true, false, false]);
  });

  it('marks every score of a demonstration judge', async () => {
    replies('{"criteria": {"quality": 3}}');
    const [r] = await judgeWith({ demonstration: true }).evaluateBatch([item]);
    expect(r.details.demonstration).toBe(true);
    const [pair] = await judgeWith({ demonstration: true, mode: 'pairwise' }).evaluateBatch([item]);
    expect(pair.details.demonstration).toBe(true);
  });
});

const round = (x: number) => Math.round(x * 1e6) / 1e6;
