import { Writable } from 'node:stream';
import { CancelledFailure } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICE_PER_1K_TOKENS_MAX, RESULT_COST_USD_MAX, TOKEN_COUNT_MAX } from '../../db/column-bounds.js';
import { EvalRun, type EvalSample, type LlmProvider } from '../../db/entities/index.js';
import type { Logger } from '../../lib/logger.js';
import { type FakeLlmServer, fakeAnswer, startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createTestDatabase, type TestDatabase, testActivityDeps } from '../../test/helpers/index.js';
import type { ActivityDeps } from '../deps.js';
import { type GenerateChunkOptions, makeGenerateChunk } from './generate-chunk.js';

const API_KEY = 'sk-chunk-test-key-SECRET-7f3a9c';
const KEY_ENV = 'EVALFORGE_PROVIDER_TEST_CHUNK_KEY';
const OPTIONS: GenerateChunkOptions = {
  env: (name) => (name === KEY_ENV ? API_KEY : undefined),
  retryPolicy: { baseDelayMs: 20, maxDelayMs: 100 },
};
/** $0.01 per 1k tokens both ways: every call costs a little, predictably. */
const PRICED = { price_per_1k_input: 0.01, price_per_1k_output: 0.01 };

let db: TestDatabase;
let llm: FakeLlmServer;
let deps: ActivityDeps;
let modelCounter = 0;

beforeAll(async () => {
  [db, llm] = await Promise.all([createTestDatabase(), startFakeLlmServer()]);
  deps = testActivityDeps(db.dataSource);
});
afterAll(async () => {
  await llm?.close();
  await db?.drop();
});

async function fixture(
  opts: {
    samples?: number;
    provider?: LlmProvider;
    config?: Record<string, unknown>;
    apiKeyEnv?: string | null;
  } = {},
) {
  const provider = opts.provider ?? 'openai';
  return createProjectFixture(db.dataSource, {
    samples: opts.samples ?? 4,
    provider,
    modelName: `fake-chunk-${++modelCounter}`,
    endpointUrl: provider === 'anthropic' ? llm.anthropicBaseUrl : llm.openaiBaseUrl,
    endpointConfig: { max_attempts: 3, timeout_ms: 2_000, ...opts.config },
    apiKeyEnv: opts.apiKeyEnv === undefined ? KEY_ENV : opts.apiKeyEnv,
  });
}

async function createRun(
  f: ProjectFixture,
  opts: Partial<Pick<EvalRun, 'repetitions' | 'use_cache' | 'budget_usd' | 'config'>> = {},
) {
  return db.dataSource.getRepository(EvalRun).save({
    project_id: f.project.id,
    dataset_id: f.dataset.id,
    dataset_version_id: f.version.id,
    endpoint_id: f.endpoint.id,
    status: 'running',
    repetitions: opts.repetitions ?? 1,
    use_cache: opts.use_cache ?? false,
    budget_usd: opts.budget_usd ?? null,
    config: opts.config ?? {},
  } as EvalRun);
}

async function sampleIds(f: ProjectFixture): Promise<string[]> {
  const rows: Array<{ id: string }> = await db.dataSource.query(
    'SELECT id FROM eval_samples WHERE dataset_version_id = $1 ORDER BY position',
    [f.version.id],
  );
  return rows.map((r) => r.id);
}

async function results(runId: string) {
  return db.dataSource.query(
    `SELECT r.*, s.input_text, s.system_prompt FROM eval_results r JOIN eval_samples s ON s.id = r.sample_id
      WHERE r.run_id = $1 ORDER BY s.position, r.repetition`,
    [runId],
  ) as Promise<Array<Record<string, unknown> & Pick<EvalSample, 'input_text' | 'system_prompt'>>>;
}

const requestsTo = (f: ProjectFixture) => llm.stats().byModel[f.endpoint.model_name] ?? 0;

describe('generateChunk', () => {
  it('generates every sample and repetition with output, tokens, latency and cost', async () => {
    const f = await fixture({ samples: 3, config: PRICED });
    const run = await createRun(f, { repetitions: 2 });
    const outcome = await makeGenerateChunk(deps, OPTIONS)({ runId: run.id, sampleIds: await sampleIds(f) });
    expect(outcome).toMatchObject({ succeeded: 6, failed: 0, skipped: 0, budgetExceeded: false });

    const rows = await results(run.id);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row).toMatchObject({
        status: 'succeeded',
        cached: false,
        attempts: 1,
        error: null,
        finish_reason: 'stop',
      });
      expect(row.llm_output).toBe(fakeAnswer(f.endpoint.model_name, row.system_prompt, row.input_text));
      const tokens = Number(row.token_count_input) + Number(row.token_count_output);
      expect(Number(row.cost_usd)).toBeCloseTo((tokens / 1_000) * 0.01, 6);
      expect(row.latency_ms).toBeGreaterThanOrEqual(0);
    }
    expect(rows.map((r) => r.repetition)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(outcome.costUsd).toBeCloseTo(
      rows.reduce((sum, r) => sum + Number(r.cost_usd), 0),
      6,
    );
    expect(requestsTo(f)).toBe(6);
  });

  it('works over the Anthropic protocol too', async () => {
    const f = await fixture({ samples: 2, provider: 'anthropic' });
    const run = await createRun(f);
    const outcome = await makeGenerateChunk(deps, OPTIONS)({ runId: run.id, sampleIds: await sampleIds(f) });
    expect(outcome.succeeded).toBe(2);
    const rows = await results(run.id);
    expect(rows.map((r) => r.finish_reason)).toEqual(['end_turn', 'end_turn']);
    expect(llm.requestsFor(f.endpoint.model_name).every((r) => r.protocol === 'anthropic')).toBe(true);
  });

  it('records a sample that keeps failing, with its reason, and goes on with the rest', async () => {
    const f = await fixture({ samples: 3, config: { max_attempts: 2 } });
    llm.queueFaults(
      [
        { type: 'server_error', status: 503 },
        { type: 'server_error', status: 503 },
      ],
      { model: f.endpoint.model_name, inputIncludes: 'Question 0:' },
    );
    const run = await createRun(f);
    const outcome = await makeGenerateChunk(deps, OPTIONS)({ runId: run.id, sampleIds: await sampleIds(f) });
    expect(outcome).toMatchObject({ succeeded: 2, failed: 1 });
    const [failed, ...ok] = await results(run.id);
    expect(failed).toMatchObject({ status: 'failed', llm_output: '', attempts: 2, cached: false });
    expect(failed.error).toMatch(/server_error \(HTTP 503\).*gave up after 2 attempts/);
    expect(ok.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('an older chunk is served before a newer one, and a retry before samples not yet tried', async () => {
    // One slot: the order of the requests is the order in which waiting calls were served.
    const f = await fixture({ samples: 8, config: { concurrency: 1 } });
    llm.setModelBehaviour(f.endpoint.model_name, {
      latency: { baseMs: 150 },
      faults: [{ type: 'rate_limit', retryAfterMs: 50 }],
    });
    const run = await createRun(f);
    const ids = await sampleIds(f);
    const generate = makeGenerateChunk(deps, OPTIONS);
    const older = generate({ runId: run.id, sampleIds: ids.slice(0, 4) });
    while (requestsTo(f) === 0) await new Promise((r) => setTimeout(r, 5));
    const newer = generate({ runId: run.id, sampleIds: ids.slice(4) });
    expect(await older).toMatchObject({ succeeded: 4, failed: 0 });
    expect(await newer).toMatchObject({ succeeded: 4, failed: 0 });

    const inputs = (await results(run.id)).map((r) => r.input_text);
    const sent = llm.requestsFor(f.endpoint.model_name).map((r) => inputs.indexOf(r.input));
    // Sample 0 drew a 429; its retry (due after ~50 ms, while sample 1 held the slot) went before samples 2
    // and 3 of its chunk, and the whole older chunk before the newer one, whose samples had been waiting
    // longer (first come first served: 0 1 4 0 5 2 …).
    expect(sent).toEqual([0, 1, 0, 2, 3, 4, 5, 6, 7]);
  });

  it('resumes: only missing (sample, repetition) pairs are called, and no row is duplicated', async () => {
    const f = await fixture({ samples: 5 });
    const run = await createRun(f, { repetitions: 2 });
    const ids = await sampleIds(f);
    const generate = makeGenerateChunk(deps, OPTIONS);
    await generate({ runId: run.id, sampleIds: ids.slice(0, 2) });
    // A second repetition row lost (say a crash between two writes) is redone too.
    await db.dataSource.query(
      'DELETE FROM eval_results WHERE run_id = $1 AND sample_id = $2 AND repetition = 1',
      [run.id, ids[1]],
    );
    const before = requestsTo(f);
    const resumed = await generate({ runId: run.id, sampleIds: ids });
    expect(resumed).toMatchObject({ succeeded: 7, failed: 0, skipped: 3 });
    expect(requestsTo(f) - before).toBe(7);
    const again = await generate({ runId: run.id, sampleIds: ids });
    expect(again).toMatchObject({ succeeded: 0, failed: 0, skipped: 10 });
    expect(requestsTo(f) - before).toBe(7);
    const [{ n, distinct }] = await db.dataSource.query(
      `SELECT count(*)::int AS n, count(DISTINCT (sample_id, repetition))::int AS distinct FROM eval_results WHERE run_id = $1`,
      [run.id],
    );
    expect({ n, distinct }).toEqual({ n: 10, distinct: 10 });
  });

  it('serves repetition 0 from the cache (marked, free, no request); other repetitions bypass it', async () => {
    const f = await fixture({ samples: 3, config: PRICED });
    const ids = await sampleIds(f);
    const generate = makeGenerateChunk(deps, OPTIONS);
    const first = await createRun(f, { use_cache: true });
    await generate({ runId: first.id, sampleIds: ids });
    expect(requestsTo(f)).toBe(3);

    const second = await createRun(f, { use_cache: true, repetitions: 2 });
    const outcome = await generate({ runId: second.id, sampleIds: ids });
    expect(outcome.succeeded).toBe(6);
    // Only the three repetition-1 calls reached the model.
    expect(requestsTo(f)).toBe(6);
    const rows = await results(second.id);
    for (const row of rows) {
      if (row.repetition === 0) {
        expect(row).toMatchObject({ cached: true, attempts: 0, latency_ms: null });
        expect(Number(row.cost_usd)).toBe(0);
      } else {
        expect(row).toMatchObject({ cached: false, attempts: 1 });
        expect(Number(row.cost_usd)).toBeGreaterThan(0);
      }
      expect(row.llm_output).toBe(fakeAnswer(f.endpoint.model_name, row.system_prompt, row.input_text));
    }
    expect(outcome.costUsd).toBeCloseTo(
      rows.filter((r) => r.repetition === 1).reduce((s, r) => s + Number(r.cost_usd), 0),
      6,
    );
    const hits: Array<{ hit_count: number }> = await db.dataSource.query(
      'SELECT hit_count FROM response_cache WHERE model_name = $1',
      [f.endpoint.model_name],
    );
    expect(hits.map((h) => h.hit_count)).toEqual([1, 1, 1]);

    // A run without use_cache neither reads nor is served from it.
    const uncached = await createRun(f);
    await generate({ runId: uncached.id, sampleIds: ids });
    expect(requestsTo(f)).toBe(9);
  });

  describe('prompt templates (a run from an evalforge.yaml)', () => {
    const TEMPLATES = {
      system: 'Category {{metadata.category}}; the answer is {{ expected }}.',
      user: 'Q: {{input}} [{{metadata.missing}}]',
    };
    const rendered = (i: number) => ({
      system: `Category ${i % 2 ? 'math' : 'arithmetic'}; the answer is ${i + i}.`,
      input: `Q: Question ${i}: what is ${i} + ${i}? []`,
    });
    const sent = (f: ProjectFixture) =>
      llm
        .requestsFor(f.endpoint.model_name)
        .map((r) => ({ system: r.system, input: r.input }))
        .sort((a, b) => a.input.localeCompare(b.input));

    it("renders each sample's system and user prompt, and sends exactly that", async () => {
      const f = await fixture({ samples: 3, config: { system_prompt: 'endpoint default, not used' } });
      const run = await createRun(f, { config: { prompts: TEMPLATES } });
      const outcome = await makeGenerateChunk(
        deps,
        OPTIONS,
      )({ runId: run.id, sampleIds: await sampleIds(f) });
      expect(outcome).toMatchObject({ succeeded: 3, failed: 0 });
      // The sample's own system prompt ("You are a helpful assistant.") and the endpoint's are replaced.
      expect(sent(f)).toEqual([0, 1, 2].map(rendered));
      const rows = await results(run.id);
      rows.forEach((row, i) => {
        const prompt = rendered(i);
        expect(row.llm_output).toBe(fakeAnswer(f.endpoint.model_name, prompt.system, prompt.input));
      });
    });

    it('sends no system prompt when the templates have none', async () => {
      const f = await fixture({ samples: 2, config: { system_prompt: 'endpoint default, not used' } });
      const run = await createRun(f, { config: { prompts: { user: '{{input}}' } } });
      await makeGenerateChunk(deps, OPTIONS)({ runId: run.id, sampleIds: await sampleIds(f) });
      expect(sent(f)).toEqual([
        { system: null, input: 'Question 0: what is 0 + 0?' },
        { system: null, input: 'Question 1: what is 1 + 1?' },
      ]);
    });

    it('caches under the rendered prompt: same templates hit, edited templates miss', async () => {
      const f = await fixture({ samples: 3 });
      const ids = await sampleIds(f);
      const generate = makeGenerateChunk(deps, OPTIONS);
      const run = (config: Record<string, unknown>) => createRun(f, { use_cache: true, config });
      await generate({ runId: (await run({ prompts: TEMPLATES })).id, sampleIds: ids });
      expect(requestsTo(f)).toBe(3);

      const again = await run({ prompts: { ...TEMPLATES } });
      await generate({ runId: again.id, sampleIds: ids });
      expect(requestsTo(f)).toBe(3);
      expect((await results(again.id)).map((r) => r.cached)).toEqual([true, true, true]);

      const edited = await run({ prompts: { ...TEMPLATES, user: 'Question please: {{input}}' } });
      await generate({ runId: edited.id, sampleIds: ids });
      expect(requestsTo(f)).toBe(6);
      expect((await results(edited.id)).map((r) => r.cached)).toEqual([false, false, false]);

      // Without templates the sample's own prompt is sent: another key again.
      await generate({ runId: (await run({})).id, sampleIds: ids });
      expect(requestsTo(f)).toBe(9);
    });
  });

  it('stops before passing the budget, counting judge spend, and never calls past the cap', async () => {
    const f = await fixture({ samples: 10, config: { ...PRICED, concurrency: 2, max_tokens: 50 } });
    const ids = await sampleIds(f);
    const generate = makeGenerateChunk(deps, OPTIONS);
    // Each call: worst case (estimated input + max_tokens) ≈ $0.0007, actual ≈ $0.00015; so a few fit.
    const budgetUsd = 0.0015;
    const run = await createRun(f, { budget_usd: budgetUsd });
    const outcome = await generate({ runId: run.id, sampleIds: ids });
    expect(outcome.budgetExceeded).toBe(true);
    const rows = await results(run.id);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(10);
    expect(requestsTo(f)).toBe(rows.length);
    const spent = rows.reduce((s, r) => s + Number(r.cost_usd), 0);
    expect(spent).toBeLessThanOrEqual(budgetUsd);

    // Judge spend counts too: with the rest of the budget gone to a judge, nothing more is called.
    await db.dataSource.query(
      `INSERT INTO judge_scores (result_id, run_id, judge_type, score, passed, cost_usd) VALUES ($1, $2, 'llm_rubric', 1, true, $3)`,
      [rows[0].id, run.id, budgetUsd - spent],
    );
    const before = requestsTo(f);
    const resumed = await generate({ runId: run.id, sampleIds: ids });
    expect(resumed).toMatchObject({ budgetExceeded: true, succeeded: 0 });
    expect(requestsTo(f)).toBe(before);
  });

  it('refuses a budget it cannot enforce (unknown price) as a non-retryable error', async () => {
    const f = await fixture({ samples: 1 });
    const run = await createRun(f, { budget_usd: 1 });
    const failure = await makeGenerateChunk(
      deps,
      OPTIONS,
    )({ runId: run.id, sampleIds: await sampleIds(f) }).catch((e) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(failure.message).toMatch(/price_per_1k_input/);
    expect(requestsTo(f)).toBe(0);
  });

  it('rejects an invalid endpoint config as a non-retryable error naming the field', async () => {
    const f = await fixture({ samples: 1, config: { concurrency: 0 } });
    const run = await createRun(f);
    const failure = await makeGenerateChunk(
      deps,
      OPTIONS,
    )({ runId: run.id, sampleIds: await sampleIds(f) }).catch((e) => e);
    expect(failure).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(failure.message).toMatch(/concurrency/);
  });

  it('records every sample as failed when the key variable is missing, without calling the model', async () => {
    const f = await fixture({ samples: 2, apiKeyEnv: 'EVALFORGE_PROVIDER_TEST_NOT_SET' });
    const run = await createRun(f);
    const outcome = await makeGenerateChunk(deps, OPTIONS)({ runId: run.id, sampleIds: await sampleIds(f) });
    expect(outcome).toMatchObject({ succeeded: 0, failed: 2 });
    const rows = await results(run.id);
    expect(
      rows.every((r) => String(r.error).includes('EVALFORGE_PROVIDER_TEST_NOT_SET') && r.attempts === 0),
    ).toBe(true);
    expect(requestsTo(f)).toBe(0);
  });

  it('never writes the API key to logs or the database', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const traceLogger = pino({ level: 'trace' }, sink) as unknown as Logger;
    const f = await fixture({ samples: 3 });
    // One 401 whose message echoes the key, one 429, then successes.
    llm.queueFaults([{ type: 'http_error', status: 401, echoApiKey: true }], {
      model: f.endpoint.model_name,
      inputIncludes: 'Question 0:',
    });
    llm.queueFaults([{ type: 'rate_limit', retryAfterMs: 10 }], {
      model: f.endpoint.model_name,
      inputIncludes: 'Question 1:',
    });
    const run = await createRun(f, { use_cache: true });
    await makeGenerateChunk(
      { ...deps, logger: traceLogger },
      OPTIONS,
    )({ runId: run.id, sampleIds: await sampleIds(f) });

    expect(llm.requestsFor(f.endpoint.model_name).every((r) => r.apiKey === API_KEY)).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(API_KEY);
    const tables: Array<{ table_name: string }> = await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    for (const { table_name } of tables) {
      const [{ dump }] = await db.dataSource.query(
        `SELECT COALESCE(string_agg(t::text, '\n'), '') AS dump FROM "${table_name}" t`,
      );
      expect(dump, table_name).not.toContain(API_KEY);
    }
    const rows = await results(run.id);
    expect(rows[0].error).toContain('[redacted]');
  });

  it('heartbeats progress and stops when the activity is cancelled; a resume completes the chunk', async () => {
    const f = await fixture({ samples: 16, config: { concurrency: 2 } });
    llm.setModelBehaviour(f.endpoint.model_name, { latency: { baseMs: 150 } });
    const ids = await sampleIds(f);
    const run = await createRun(f);
    const generate = makeGenerateChunk(deps, OPTIONS);

    const env = new MockActivityEnvironment();
    const beats: Array<{ done: number }> = [];
    env.on('heartbeat', (details: { done: number }) => {
      beats.push(details);
      if (details.done >= 2) env.cancel();
    });
    const cancelled = await env.run(generate, { runId: run.id, sampleIds: ids }).catch((e) => e);
    expect(cancelled).toBeInstanceOf(CancelledFailure);
    expect(beats[0]).toMatchObject({ done: 0 });
    expect(beats.some((b) => b.done >= 2)).toBe(true);
    const stored = (await results(run.id)).length;
    expect(stored).toBeGreaterThanOrEqual(2);
    expect(stored).toBeLessThan(16);

    const before = requestsTo(f);
    const resumed = await generate({ runId: run.id, sampleIds: ids });
    expect(resumed).toMatchObject({ skipped: stored, succeeded: 16 - stored });
    expect(requestsTo(f) - before).toBe(16 - stored);
    expect(await results(run.id)).toHaveLength(16);
  });

  it('fails a run that does not exist as non-retryable', async () => {
    const failure = await makeGenerateChunk(
      deps,
      OPTIONS,
    )({
      runId: '00000000-0000-4000-8000-000000000000',
      sampleIds: [],
    }).catch((e) => e);
    expect(failure).toMatchObject({ type: 'NotFoundError', nonRetryable: true });
  });
  describe('results the database cannot hold', () => {
    /** Runs the chunk as Temporal would (up to 10 attempts while it fails retryably); the last outcome. */
    async function runLikeTemporal(runId: string, ids: string[]) {
      const generate = makeGenerateChunk(deps, OPTIONS);
      let last: unknown;
      for (let attempt = 1; attempt <= 10; attempt++) {
        last = await generate({ runId, sampleIds: ids }).catch((e) => e);
        if (!(last instanceof Error) || (last instanceof ApplicationFailure && last.nonRetryable))
          return last;
      }
      return last;
    }

    it('an old endpoint row priced past the bound fails the chunk before any model call, non-retryable', async () => {
      // The API refuses this price now; a row stored before the bound existed still reaches the worker.
      const f = await fixture({ samples: 2, config: { price_per_1k_input: 1e12 } });
      const run = await createRun(f);
      const failure = await runLikeTemporal(run.id, await sampleIds(f));
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'ValidationError', nonRetryable: true });
      expect((failure as Error).message).toMatch(
        new RegExp(`price_per_1k_input: at most ${PRICE_PER_1K_TOKENS_MAX}`),
      );
      expect(requestsTo(f)).toBe(0);
      expect(await results(run.id)).toEqual([]);
    });

    it('a cost or token count past its column fails that sample after exactly one call, never retried', async () => {
      const f = await fixture({ samples: 3, config: { price_per_1k_input: PRICE_PER_1K_TOKENS_MAX } });
      // Question 0: a cost of 200,000,000 USD; question 1: more input tokens than an integer holds.
      llm.setResponder((request) => {
        if (request.model !== f.endpoint.model_name) return undefined;
        if (request.input.includes('Question 0:'))
          return { content: 'ok', usage: { inputTokens: 2e8, outputTokens: 1 } };
        if (request.input.includes('Question 1:'))
          return { content: 'ok', usage: { inputTokens: 3e9, outputTokens: 1 } };
        return undefined;
      });
      try {
        const run = await createRun(f);
        const ids = await sampleIds(f);
        const outcome = await runLikeTemporal(run.id, ids);
        expect(outcome).toMatchObject({ succeeded: 1, failed: 2 });
        expect(requestsTo(f)).toBe(3);
        const [cost, tokens, fine] = await results(run.id);
        expect(cost).toMatchObject({ status: 'failed', llm_output: '', cost_usd: null, attempts: 1 });
        expect(cost.error).toMatch(new RegExp(`exceeds the ${RESULT_COST_USD_MAX} USD.*price_per_1k_input`));
        expect(tokens).toMatchObject({ status: 'failed', token_count_input: null, cost_usd: null });
        expect(tokens.error).toMatch(new RegExp(`3000000000 input tokens.*${TOKEN_COUNT_MAX}`));
        expect(fine.status).toBe('succeeded');
        // A retry of the chunk finds every sample recorded: no further (paid) call.
        expect(await runLikeTemporal(run.id, ids)).toMatchObject({ skipped: 3, succeeded: 0, failed: 0 });
        expect(requestsTo(f)).toBe(3);
      } finally {
        llm.setResponder(undefined);
      }
    });

    it('text PostgreSQL rejects (NUL in the answer) fails that sample with the reason after one call', async () => {
      const f = await fixture({ samples: 2 });
      llm.setResponder((request) =>
        request.model === f.endpoint.model_name && request.input.includes('Question 0:')
          ? { content: 'before\u0000after' }
          : undefined,
      );
      try {
        const run = await createRun(f);
        const outcome = await runLikeTemporal(run.id, await sampleIds(f));
        expect(outcome).toMatchObject({ succeeded: 1, failed: 1 });
        expect(requestsTo(f)).toBe(2);
        const [rejected, fine] = await results(run.id);
        expect(rejected).toMatchObject({ status: 'failed', llm_output: '', attempts: 1 });
        expect(rejected.error).toMatch(/^the result could not be stored: /);
        expect(fine.status).toBe('succeeded');
      } finally {
        llm.setResponder(undefined);
      }
    });
  });
});
