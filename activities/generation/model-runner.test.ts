import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundPolicy } from '../../core/outbound-policy.js';
import type { LlmEndpoint, LlmProvider } from '../../db/entities/index.js';
import { createLogger } from '../../lib/logger.js';
import {
  type FakeLlmServer,
  type Fault,
  fakeAnswer,
  startFakeLlmServer,
} from '../../test/fakes/llm-server.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/index.js';
import { createModelRunner, type ModelRunnerOptions } from './model-runner.js';
import {
  ADAPTIVE_INCREASE_AFTER_SUCCESSES,
  DEADLINE_RECHECK_MS,
  HEDGE_MIN_DELAY_MS,
  LATENCY_MIN_SAMPLES,
  LATENCY_TIMEOUT_FLOOR_MS,
  LEASE_TTL_MS,
  RETRY_BASE_DELAY_MS,
} from './scheduler/constants.js';
import { limiterRegistryFor } from './scheduler/limiter-registry.js';

const API_KEY = 'sk-fake-runner-0123456789abcdef';
const KEY_ENV = 'EVALFORGE_PROVIDER_TEST_RUNNER_KEY';
const FAST_RETRIES: ModelRunnerOptions = {
  env: (name) => (name === KEY_ENV ? API_KEY : undefined),
  retryPolicy: { baseDelayMs: 20, maxDelayMs: 100 },
};

let db: TestDatabase;
let llm: FakeLlmServer;
const logger = createLogger('runner-test', 'silent');

beforeAll(async () => {
  [db, llm] = await Promise.all([createTestDatabase(), startFakeLlmServer()]);
});
afterAll(async () => {
  await llm?.close();
  await db?.drop();
});

/** Every test gets its own endpoint id and model name: separate limiter buckets and server counters. */
function endpoint(
  provider: LlmProvider = 'openai',
  config: Record<string, unknown> = {},
  extra: Partial<LlmEndpoint> = {},
) {
  const id = crypto.randomUUID();
  return {
    id,
    project_id: crypto.randomUUID(),
    name: null,
    provider,
    model_name: `fake-${id.slice(0, 8)}`,
    endpoint_url: provider === 'anthropic' ? llm.anthropicBaseUrl : llm.openaiBaseUrl,
    config: { max_attempts: 3, timeout_ms: 2_000, ...config },
    api_key_env: KEY_ENV,
    archived_at: null,
    created_at: new Date(),
    updated_at: new Date(),
    ...extra,
  } as LlmEndpoint;
}

/** Dev mode's outbound policy: the fake server listens on loopback. */
const outboundPolicy = createOutboundPolicy({ mode: 'dev' });
const runnerFor = (ep: LlmEndpoint, options: ModelRunnerOptions = FAST_RETRIES) =>
  createModelRunner({ dataSource: db.dataSource, logger, outboundPolicy }, ep, options);

const prompt = { system: 'Be brief.', input: 'Tell me about otters.' };

describe('wire formats', () => {
  it('speaks OpenAI chat completions with the key from the named env var', async () => {
    const ep = endpoint('openai', { temperature: 0, max_tokens: 200 });
    const result = await runnerFor(ep).call(prompt);
    expect(result).toMatchObject({
      status: 'succeeded',
      output: fakeAnswer(ep.model_name, prompt.system, prompt.input),
      finishReason: 'stop',
      attempts: 1,
      error: null,
    });
    expect(result.inputTokens).toBeGreaterThan(0);
    expect(result.outputTokens).toBeGreaterThan(0);
    const [seen] = llm.requestsFor(ep.model_name);
    expect(seen.protocol).toBe('openai');
    expect(seen.apiKey).toBe(API_KEY);
    expect(seen.system).toBe(prompt.system);
    expect(seen.body).toMatchObject({ temperature: 0, max_tokens: 200 });
  });

  it('speaks Anthropic messages, including max_tokens truncation', async () => {
    const ep = endpoint('anthropic', { max_tokens: 3 });
    const result = await runnerFor(ep).call(prompt);
    expect(result.status).toBe('succeeded');
    expect(result.finishReason).toBe('max_tokens');
    expect(result.outputTokens).toBe(3);
    expect(fakeAnswer(ep.model_name, prompt.system, prompt.input).startsWith(result.output)).toBe(true);
    const [seen] = llm.requestsFor(ep.model_name);
    expect(seen.protocol).toBe('anthropic');
    expect(seen.apiKey).toBe(API_KEY);
    expect(seen.body).toMatchObject({ system: prompt.system, max_tokens: 3 });
  });

  it('treats empty content as an answer, not an error', async () => {
    const ep = endpoint();
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'empty_content' }] });
    expect(await runnerFor(ep).call(prompt)).toMatchObject({ status: 'succeeded', output: '', attempts: 1 });
  });
});

const TRANSIENT: Array<[string, Fault, string]> = [
  ['429 without Retry-After', { type: 'rate_limit' }, 'rate_limited'],
  ['500', { type: 'server_error', status: 500 }, 'server_error'],
  ['503', { type: 'server_error', status: 503 }, 'server_error'],
  ['a hang until the client times out', { type: 'hang' }, 'timeout'],
  ['malformed JSON', { type: 'malformed_json' }, 'malformed_response'],
  ['a truncated body', { type: 'truncated_body' }, 'connection'],
  ['a 200 in the wrong schema', { type: 'wrong_schema' }, 'malformed_response'],
];

describe('retryable failures', () => {
  it.each(TRANSIENT)('%s once: succeeds on the next attempt', async (_, fault) => {
    const ep = endpoint('openai', { timeout_ms: 400 });
    llm.setModelBehaviour(ep.model_name, { faults: [fault] });
    const result = await runnerFor(ep).call(prompt);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2, error: null });
    expect(result.output).toBe(fakeAnswer(ep.model_name, prompt.system, prompt.input));
    expect(llm.stats().byModel[ep.model_name]).toBe(2);
  });

  it.each(TRANSIENT)(
    '%s every time: fails with its reason after max_attempts requests',
    async (_, fault, kind) => {
      const ep = endpoint('openai', { timeout_ms: 400, max_attempts: 3 });
      llm.setModelBehaviour(ep.model_name, { always: fault });
      const result = await runnerFor(ep).call(prompt);
      expect(result).toMatchObject({ status: 'failed', errorKind: kind, attempts: 3, output: '' });
      expect(result.error).toMatch(/gave up after 3 attempts/);
      // SDK retries are off: the server saw exactly our attempts.
      expect(llm.stats().byModel[ep.model_name]).toBe(3);
    },
  );

  it('retries a timed-out attempt at once; a 500 waits its back-off (0.5 s, equal jitter)', async () => {
    const defaults: ModelRunnerOptions = { env: FAST_RETRIES.env, random: () => 0 };
    const hung = endpoint('openai', { timeout_ms: 400 });
    llm.setModelBehaviour(hung.model_name, { faults: [{ type: 'hang' }] });
    expect(await runnerFor(hung, defaults).call(prompt)).toMatchObject({ status: 'succeeded', attempts: 2 });
    const [stuck, retry] = llm.requestsFor(hung.model_name);
    // The deadline (400 ms) was the wait: the retry follows it at once.
    expect(retry.at - stuck.at).toBeGreaterThanOrEqual(380);
    expect(retry.at - stuck.at).toBeLessThan(400 + 150);

    const failing = endpoint('openai');
    llm.setModelBehaviour(failing.model_name, { faults: [{ type: 'server_error', status: 500 }] });
    expect(await runnerFor(failing, defaults).call(prompt)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
    });
    const [refused, again] = llm.requestsFor(failing.model_name);
    expect(again.at - refused.at).toBeGreaterThanOrEqual(RETRY_BASE_DELAY_MS / 2);
  });

  it('works the same over the Anthropic protocol (529 overloaded, then success)', async () => {
    const ep = endpoint('anthropic');
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'server_error', status: 529 }] });
    expect(await runnerFor(ep).call(prompt)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});

describe('non-retryable failures', () => {
  it.each([
    [400, 'invalid_request'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
  ])('HTTP %i: one request, failed as %s', async (status, kind) => {
    const ep = endpoint();
    llm.setModelBehaviour(ep.model_name, { always: { type: 'http_error', status } });
    const result = await runnerFor(ep).call(prompt);
    expect(result).toMatchObject({ status: 'failed', errorKind: kind, attempts: 1 });
    expect(result.error).toContain(`HTTP ${status}`);
    expect(llm.stats().byModel[ep.model_name]).toBe(1);
  });

  it('a missing key fails clearly, naming the variable, without a request', async () => {
    const ep = endpoint('openai', {}, { api_key_env: 'EVALFORGE_PROVIDER_TEST_UNSET_KEY' });
    const result = await runnerFor(ep, { env: () => undefined }).call(prompt);
    expect(result).toMatchObject({ status: 'failed', errorKind: 'missing_api_key', attempts: 0 });
    expect(result.error).toContain('EVALFORGE_PROVIDER_TEST_UNSET_KEY');
    expect(llm.stats().byModel[ep.model_name]).toBeUndefined();
  });

  it('redacts a key the server echoes back', async () => {
    const ep = endpoint();
    llm.setModelBehaviour(ep.model_name, { always: { type: 'http_error', status: 401, echoApiKey: true } });
    const result = await runnerFor(ep).call(prompt);
    expect(llm.requestsFor(ep.model_name)[0].apiKey).toBe(API_KEY);
    expect(result.error).toContain('[redacted]');
    expect(result.error).not.toContain(API_KEY);
  });
});

describe('Retry-After', () => {
  const gapMs = (model: string) => {
    const [first, second] = llm.requestsFor(model);
    return second.at - first.at;
  };

  it('waits at least the delta-seconds the server asked for', async () => {
    const ep = endpoint();
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'rate_limit', retryAfterSeconds: 1 }] });
    const result = await runnerFor(ep).call(prompt);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(gapMs(ep.model_name)).toBeGreaterThanOrEqual(1_000);
  });

  it('waits until an HTTP-date Retry-After', async () => {
    const ep = endpoint();
    llm.setModelBehaviour(ep.model_name, {
      faults: [{ type: 'rate_limit', retryAfterSeconds: 2, retryAfterDate: true }],
    });
    const result = await runnerFor(ep).call(prompt);
    expect(result.status).toBe('succeeded');
    const [first, second] = llm.requestsFor(ep.model_name);
    // The date has whole-second resolution: the promised instant is the next second boundary ≥ 1 s away.
    const promised = Math.floor((first.at + 2_000) / 1_000) * 1_000;
    expect(second.at).toBeGreaterThanOrEqual(promised);
  });

  it('honours retry-after-ms over the shorter back-off', async () => {
    const ep = endpoint();
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'rate_limit', retryAfterMs: 600 }] });
    await runnerFor(ep).call(prompt);
    expect(gapMs(ep.model_name)).toBeGreaterThanOrEqual(600);
  });

  it('fails at once when asked to wait longer than a chunk may', async () => {
    const ep = endpoint();
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'rate_limit', retryAfterSeconds: 3_600 }] });
    const started = Date.now();
    const result = await runnerFor(ep).call(prompt);
    expect(result).toMatchObject({ status: 'failed', errorKind: 'rate_limited', attempts: 1 });
    expect(result.error).toMatch(/Retry-After 3600 s exceeds/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('adaptive back-off', () => {
  const limiterOf = (ep: LlmEndpoint) =>
    limiterRegistryFor(db.dataSource).forEndpoint(ep.id, { concurrency: 8, leaseTtlMs: 10_000 });

  it('recovers from a server whose real limit is below the configured concurrency', async () => {
    const ep = endpoint('openai', { concurrency: 8, max_attempts: 10 });
    // Bare 429s (no Retry-After) beyond two calls in flight: the only hint is the 429 itself.
    llm.setModelBehaviour(ep.model_name, { maxConcurrent: 2, latency: { baseMs: 100 } });
    const runner = runnerFor(ep, { ...FAST_RETRIES, retryPolicy: { baseDelayMs: 100, maxDelayMs: 400 } });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => runner.call({ system: null, input: `q${i}` })),
    );
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    expect(llm.stats().byModel[ep.model_name]).toBeGreaterThan(10);
    // This worker lowered its own concurrency after the 429s.
    expect(limiterOf(ep).adaptive.current).toBeLessThan(8);
  });

  it('a single 429 with Retry-After delays its request only; a wave of them shrinks concurrency, which recovers additively', async () => {
    const ep = endpoint('openai', { concurrency: 8 });
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'rate_limit', retryAfterMs: 100 }] });
    const runner = runnerFor(ep);
    expect((await runner.call(prompt)).status).toBe('succeeded');
    // One stray 429 is not overload: the limit stays.
    expect(limiterOf(ep).adaptive.current).toBe(8);
    // Four calls at once, all refused: overload. Halved; each retry's success is one step back, not a jump.
    llm.setModelBehaviour(ep.model_name, {
      faults: Array.from({ length: 4 }, () => ({ type: 'rate_limit' as const, retryAfterMs: 100 })),
    });
    const wave = await Promise.all(
      Array.from({ length: 4 }, (_, i) => runner.call({ system: null, input: `wave ${i}` })),
    );
    expect(wave.every((r) => r.status === 'succeeded' && r.attempts === 2)).toBe(true);
    expect(limiterOf(ep).adaptive.current).toBe(4);
    expect(limiterOf(ep).local.limit).toBe(4);
    const trace: number[] = [];
    for (let i = 0; i < 4 * ADAPTIVE_INCREASE_AFTER_SUCCESSES; i++) {
      expect((await runner.call({ system: null, input: `after ${i}` })).status).toBe('succeeded');
      trace.push(limiterOf(ep).local.limit);
    }
    for (let i = 1; i < trace.length; i++) expect(trace[i] - trace[i - 1]).toBeLessThanOrEqual(1);
    expect(limiterOf(ep).adaptive.current).toBe(8);
  });

  it("a 429's Retry-After delays its own request, not the endpoint's other requests", async () => {
    const ep = endpoint('openai', { concurrency: 4 });
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'rate_limit', retryAfterSeconds: 1 }] });
    const runner = runnerFor(ep);
    const limited = runner.call({ system: null, input: 'limited' });
    while (llm.requestsFor(ep.model_name).length < 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    // While the first request waits out its Retry-After, others of the same endpoint go out at once.
    const others = await Promise.all(
      Array.from({ length: 3 }, (_, i) => runner.call({ system: null, input: `other ${i}` })),
    );
    expect(others.every((r) => r.status === 'succeeded')).toBe(true);
    expect((await limited).status).toBe('succeeded');
    const requests = llm.requestsFor(ep.model_name);
    const [rateLimited] = requests;
    expect(rateLimited.fault).toBe('rate_limit');
    for (const other of requests.filter((r) => r.input.startsWith('other'))) {
      expect(other.at - rateLimited.at).toBeLessThan(800);
    }
    const retry = requests.filter((r) => r.input === 'limited')[1];
    expect(retry.at - rateLimited.at).toBeGreaterThanOrEqual(1_000);
  });
});

describe('deadline from observed latency', () => {
  /** The limiter the runner uses (same registry key and limits as the runner's own). */
  const limiterOf = (ep: LlmEndpoint) =>
    limiterRegistryFor(db.dataSource).forEndpoint(ep.id, {
      concurrency: (ep.config as { concurrency?: number }).concurrency ?? 4,
      leaseTtlMs: LEASE_TTL_MS,
    });
  const learn = (ep: LlmEndpoint, ms: number) => {
    for (let i = 0; i < LATENCY_MIN_SAMPLES; i++) limiterOf(ep).latency.record(ms);
  };

  it('cuts a hung attempt at max(floor, k × p99), not the configured timeout, and frees its slot at once', async () => {
    const ep = endpoint('openai', { timeout_ms: 30_000, max_attempts: 1 });
    const runner = runnerFor(ep);
    learn(ep, 20);
    llm.setModelBehaviour(ep.model_name, { always: { type: 'hang' } });
    const started = performance.now();
    const result = await runner.call(prompt);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: 'failed', errorKind: 'timeout', attempts: 1 });
    expect(result.error).toMatch(`within ${LATENCY_TIMEOUT_FLOOR_MS} ms`);
    expect(elapsed).toBeGreaterThanOrEqual(LATENCY_TIMEOUT_FLOOR_MS - 50);
    expect(elapsed).toBeLessThan(LATENCY_TIMEOUT_FLOOR_MS + 1_500);
    // The concurrency permit came back with the timeout, not at the configured 30 s.
    expect(limiterOf(ep).local.active).toBe(0);
  });

  it('keeps the configured timeout until enough successes have been seen', async () => {
    const ep = endpoint('openai', { timeout_ms: 600, max_attempts: 1 });
    const runner = runnerFor(ep);
    llm.setModelBehaviour(ep.model_name, { always: { type: 'hang' } });
    const result = await runner.call(prompt);
    expect(result).toMatchObject({ status: 'failed', errorKind: 'timeout' });
    expect(result.error).toMatch('within 600 ms');
  });

  it('re-judges a call sent before there was data once latencies are known', async () => {
    const ep = endpoint('openai', { timeout_ms: 30_000, max_attempts: 2 });
    const runner = runnerFor(ep);
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'hang' }] });
    const started = performance.now();
    const pending = runner.call(prompt);
    while (!llm.stats().byModel[ep.model_name]) await new Promise((r) => setTimeout(r, 10));
    learn(ep, 20);
    const result = await pending;
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(performance.now() - started).toBeLessThan(LATENCY_TIMEOUT_FLOOR_MS + DEADLINE_RECHECK_MS + 1_500);
  });
});

describe('hedging', () => {
  const limiterOf = (ep: LlmEndpoint) =>
    limiterRegistryFor(db.dataSource).forEndpoint(ep.id, {
      concurrency: (ep.config as { concurrency?: number }).concurrency ?? 4,
      leaseTtlMs: LEASE_TTL_MS,
    });
  const PRICED = { price_per_1k_input: 0.01, price_per_1k_output: 0.02 };

  it('sends one duplicate for a straggler: the first answer wins, both are attempts and paid for', async () => {
    const ep = endpoint('openai', { timeout_ms: 30_000, ...PRICED });
    const runner = runnerFor(ep);
    for (let i = 0; i < LATENCY_MIN_SAMPLES; i++) limiterOf(ep).latency.record(10);
    // The first request straggles for 5 s; the duplicate answers at once.
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'hang', ms: 5_000 }] });
    const started = performance.now();
    const result = await runner.call(prompt, undefined, { hedge: () => true });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2, hedgedRequests: 1 });
    expect(result.output).toBe(fakeAnswer(ep.model_name, prompt.system, prompt.input));
    expect(llm.stats().byModel[ep.model_name]).toBe(2);
    const once = runner.costOf({ ...result, hedgedRequests: 0 }, prompt)!;
    expect(once).toBeGreaterThan(0);
    expect(runner.costOf(result, prompt)).toBeCloseTo(2 * once, 12);
    // The loser was aborted: the server sees no request left, and both slots are back.
    while (llm.stats().inFlight > 0) await new Promise((r) => setTimeout(r, 10));
    expect(limiterOf(ep).local.active).toBe(0);
  });

  it('sends no duplicate while the chunk still has work to start, nor before the p95 delay', async () => {
    const ep = endpoint('openai', { timeout_ms: 30_000 });
    const runner = runnerFor(ep);
    for (let i = 0; i < LATENCY_MIN_SAMPLES; i++) limiterOf(ep).latency.record(HEDGE_MIN_DELAY_MS * 20);
    llm.setModelBehaviour(ep.model_name, {
      faults: [
        { type: 'hang', ms: 300 },
        { type: 'hang', ms: 300 },
      ],
    });
    expect(await runner.call(prompt, undefined, { hedge: () => false })).toMatchObject({
      status: 'succeeded',
      attempts: 1,
    });
    // p95 is 1 s: a 300 ms answer comes before any duplicate is due.
    const result = await runner.call(prompt, undefined, { hedge: () => true });
    expect(result).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(result.hedgedRequests).toBeUndefined();
    expect(llm.stats().byModel[ep.model_name]).toBe(2);
  });
});

describe('cancellation', () => {
  it('aborts a call in flight and reports it as cancelled, not failed', async () => {
    const ep = endpoint('openai', { timeout_ms: 30_000 });
    llm.setModelBehaviour(ep.model_name, { always: { type: 'hang' } });
    const abort = new AbortController();
    const pending = runnerFor(ep).call(prompt, abort.signal);
    while (!llm.stats().byModel[ep.model_name]) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    expect(await pending).toMatchObject({ status: 'cancelled', attempts: 1, error: null });
  });
});
